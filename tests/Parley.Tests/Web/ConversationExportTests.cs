using Parley.Conversations;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.Web;

public sealed class ConversationExportTests(ParleyApp app) : IClassFixture<ParleyApp>
{
    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("two\nlines", "\"two\nlines\"")]
    [InlineData(null, "")]
    public void Fields_are_quoted_as_RFC_4180_says(string? value, string expected) => Assert.Equal(expected, ConversationExport.Field(value));

    [Fact]
    public async Task Export_streams_one_row_per_conversation_with_formulas_defused()
    {
        var tenant = await app.CreateTenantAsync(number: "+14165550170");
        var started = await tenant.Http.PostJsonAsync("/api/conversations", new { to = "+14165550171", contactName = "=HYPERLINK(evil) Smith", company = "Acme, \"West\"", message = "Hi" });

        var response = await tenant.Http.GetAsync("/api/conversations/export.csv");
        var csv = await response.Content.ReadAsStringAsync();

        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("conversation_id,first_name,last_name,company,phones,outcome", lines[0], StringComparison.Ordinal);
        Assert.Contains(",'=HYPERLINK(evil),Smith,\"Acme, \"\"West\"\"\",+14165550171,", lines[1], StringComparison.Ordinal);
        Assert.StartsWith(started["id"]!.GetValue<string>() + ",", lines[1], StringComparison.Ordinal); // the id as the API writes it
    }

    [Fact]
    public async Task Export_holds_what_the_list_shows_for_the_same_search_and_status()
    {
        var tenant = await app.CreateTenantAsync(number: "+14165550172");
        await tenant.Http.PostJsonAsync("/api/conversations", new { to = "+14165550173", contactName = "Ana Lopez", message = "Your roof inspection is Thursday" });
        await tenant.Http.PostJsonAsync("/api/conversations", new { to = "+14165550174", contactName = "Robert King", message = "The kitchen quote is ready" });

        var roof = (await tenant.Http.GetStringAsync("/api/conversations/export.csv?search=roof")).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var inProgress = (await tenant.Http.GetStringAsync("/api/conversations/export.csv?outcome=None")).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var badStatus = await tenant.Http.GetAsync("/api/conversations/export.csv?outcome=Maybe");

        Assert.Equal(2, roof.Length);
        Assert.Contains("+14165550173", roof[1], StringComparison.Ordinal);
        Assert.Equal(3, inProgress.Length);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, badStatus.StatusCode);
    }
}
