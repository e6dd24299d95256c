using System.Net;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.Security;

/// <summary>A search of one character is the prefix of nearly every word of every tenant's texts: it is refused
/// with the reason, while two characters, or three digits of a phone number, search as before.</summary>
public sealed class AuthSearchCostTests(ParleyApp app) : IClassFixture<ParleyApp>
{
    private static int next = 3900;

    [Theory]
    [InlineData("a")]
    [InlineData(" e ")]
    [InlineData("7")]
    [InlineData("\"")]
    [InlineData("a b")]
    [InlineData("é")]
    [InlineData("j k l")]
    public async Task A_one_character_search_is_refused_with_the_reason(string search)
    {
        var tenant = await app.CreateTenantAsync(number: $"+1416555{Interlocked.Increment(ref next):D4}");

        foreach (var path in new[] { "/api/conversations", "/api/conversations/export.csv" })
        {
            var response = await tenant.Http.GetAsync($"{path}?search={Uri.EscapeDataString(search)}");
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("at least 2 letters or digits", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Two_characters_or_three_digits_still_search()
    {
        var tenant = await app.CreateTenantAsync(number: "+14165550381");
        await tenant.Http.PostJsonAsync("/api/conversations", new { to = "+14165550382", contactName = "Jo Li", message = "ok see u at 5" });

        Assert.Single((await tenant.Http.GetJsonAsync("/api/conversations?search=ok")).AsArray());
        Assert.Single((await tenant.Http.GetJsonAsync("/api/conversations?search=jo%20l")).AsArray());
        Assert.Single((await tenant.Http.GetJsonAsync("/api/conversations?search=382")).AsArray());
    }

    [Fact]
    public async Task A_one_character_word_beside_a_longer_one_is_left_out_of_the_index_lookup()
    {
        // "a" as a prefix reads every tenant's words starting with a; beside "roof" it would narrow nothing useful.
        Assert.Equal(["roof", "insp"], Parley.Conversations.ConversationSearch.IndexWords("roof a insp"));
        var tenant = await app.CreateTenantAsync(number: "+14165550383");
        await tenant.Http.PostJsonAsync("/api/conversations", new { to = "+14165550384", contactName = "Sam Roe", message = "roof inspection done" });

        Assert.Single((await tenant.Http.GetJsonAsync("/api/conversations?search=roof%20a%20insp")).AsArray());
        Assert.Empty((await tenant.Http.GetJsonAsync("/api/conversations?search=roof%20x%20gutter")).AsArray());
    }
}
