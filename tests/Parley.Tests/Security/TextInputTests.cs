using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Parley.Tests.Infrastructure;
using Parley.Tests.Web;

namespace Parley.Tests.Security;

/// <summary>NUL and other control characters: every text input is refused with a 400 naming the field (on SQLite and
/// PostgreSQL alike, where NUL used to be a 500), and a carrier text carrying NUL is stored cleaned, never lost.</summary>
public sealed class TextInputTests(ParleyApp app) : IClassFixture<ParleyApp>
{
    private static int numbers = 4000;

    private static string NextNumber() => $"+1416555{Interlocked.Increment(ref numbers):D4}";

    public static TheoryData<string, string, string> Inputs => new()
    {
        { "/api/contacts", """{"firstName":"Ana\u0000","phones":["+14165550999"]}""", "firstName" },
        { "/api/contacts", """{"firstName":"Ana","company":"Maple\u0000Realty","phones":["+14165550998"]}""", "company" },
        { "/api/contacts", """{"firstName":"Ana","phones":["+1416555\u00000997"]}""", "phones[0]" },
        { "/api/contacts", """{"firstName":"Bob\u0007","lastName":"Smith","phones":["+14165550996"]}""", "firstName" },
        { "/api/assistants", """{"name":"Front\u0000desk","systemPrompt":"You are friendly.","maxTurns":8,"isDefault":false}""", "name" },
        { "/api/assistants", """{"name":"Front desk","systemPrompt":"be nice\u001b[31m","maxTurns":8,"isDefault":false}""", "systemPrompt" },
        { "/api/tester/sessions", """{"history":[{"from":"contact","text":"hi"},{"from":"agent","text":"hey \u0000 there"}]}""", "history[1].text" },
        { "/api/sandbox/inbound", """{"from":"+14165550995","text":"is it still available\u0000"}""", "text" },
        { "/api/conversations", """{"to":"+14165550994","contactName":"Ana\u0000","message":"Hi Ana"}""", "contactName" },
        { "/api/conversations", """{"to":"+14165550993","message":"Hi\ud800 there"}""", "message" },
    };

    [Theory]
    [MemberData(nameof(Inputs))]
    public async Task A_control_character_in_any_text_field_is_a_400_naming_it_and_stores_nothing(string url, string json, string field)
    {
        var tenant = await app.CreateTenantAsync(number: NextNumber(), name: "Control Char Realty");

        using var response = await tenant.Http.PostAsync(url, new StringContent(json, Encoding.UTF8, "application/json"));

        var problem = await response.AssertProblemAsync(400);
        Assert.Contains($"\"{field}\"", problem, StringComparison.Ordinal);
        Assert.Equal(0, await app.QueryAsync(db => db.Contacts.CountAsync(), tenant.Id));
        Assert.Equal(0, await app.QueryAsync(db => db.Conversations.CountAsync(), tenant.Id));
    }

    [Fact]
    public async Task A_guide_with_nul_is_refused_and_the_old_guide_kept()
    {
        var tenant = await app.CreateTenantAsync(number: NextNumber(), name: "Guide Realty");
        var started = await tenant.Http.PostJsonAsync("/api/conversations", new { to = NextNumber(), message = "Hi, following up on the open house" });
        var id = started["id"]!.GetValue<string>();
        (await tenant.Http.PutAsJsonAsync($"/api/conversations/{id}/guide", new { guide = "Offer the Saturday viewing." })).EnsureSuccessStatusCode();

        using var response = await tenant.Http.PutAsync($"/api/conversations/{id}/guide", new StringContent("""{"guide":"mention\u0000 the pool"}""", Encoding.UTF8, "application/json"));

        Assert.Contains("\"guide\"", await response.AssertProblemAsync(400), StringComparison.Ordinal);
        Assert.Equal("Offer the Saturday viewing.", (await tenant.Http.GetJsonAsync($"/api/conversations/{id}"))["guide"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("/api/conversations?search=ana%00")]
    [InlineData("/api/conversations?search=%01")]
    public async Task A_control_character_in_a_query_is_a_400(string url)
    {
        var tenant = await app.CreateTenantAsync(number: NextNumber(), name: "Query Realty");

        Assert.Contains("\"search\"", await (await tenant.Http.GetAsync(url)).AssertProblemAsync(400), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Hello\nthere,\r\nthe\tviewing is at 5")]
    [InlineData("¿Sigue disponible? 🏡 gracias")]
    [InlineData("是否还有空房")]
    public async Task Ordinary_text_with_line_breaks_tabs_and_any_script_is_accepted(string text)
    {
        var tenant = await app.CreateTenantAsync(number: NextNumber(), name: "Ordinary Realty");

        var created = await tenant.Http.PostJsonAsync("/api/contacts", new { firstName = "Ana", company = text, phones = new[] { NextNumber() } });

        Assert.Equal(text, created["company"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_dashboard_form_with_nul_is_a_400_naming_the_field()
    {
        var browser = app.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });
        (await Forms.SignUpAsync(browser, $"owner-{Guid.NewGuid():N}@nul.example")).EnsureSuccessStatusCode();

        using var response = await Forms.PostAsync(browser, "/agents", new Dictionary<string, string>
        {
            ["Form.Name"] = "Front\0desk",
            ["Form.SystemPrompt"] = "You are the front desk.",
            ["Form.MaxTurns"] = "8",
            ["Form.ReplyLengthLimit"] = "320",
        });

        Assert.Contains("Form.Name", await response.AssertProblemAsync(400), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("hi\\u0000 is this still available", "hi\uFFFD is this still available")]
    [InlineData("\\u0000\\u0000", "\uFFFD\uFFFD")]
    [InlineData("STOP\\u0000", "STOP\uFFFD")]
    public async Task A_carrier_text_carrying_nul_is_stored_cleaned_not_dropped(string escaped, string stored)
    {
        var tenant = await app.CreateTenantAsync(number: NextNumber(), name: "Nul Text Realty");
        var json = SandboxWebhooks.Received(NextNumber(), tenant.Number, "PLACEHOLDER").Replace("PLACEHOLDER", escaped, StringComparison.Ordinal);

        using var request = app.SandboxSignedWebhook(json);
        using var response = await app.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var conversations = await Eventually.GetAsync(() => tenant.Http.GetJsonAsync("/api/conversations"), c => c.AsArray().Count == 1);
        var messages = await Eventually.GetAsync(
            () => tenant.Http.GetJsonAsync($"/api/conversations/{conversations[0]!["id"]}/messages"),
            m => m.AsArray().Any(x => x!["direction"]!.GetValue<string>() == "Inbound"));
        Assert.Contains(messages.AsArray(), m => m!["direction"]!.GetValue<string>() == "Inbound" && m["text"]!.GetValue<string>() == stored);
    }
}
