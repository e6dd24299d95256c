using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.Conversations;

/// <summary>Conversations through the API on the Sandbox carrier (the default).</summary>
public sealed class ConversationsApiTests(ParleyApp app) : IClassFixture<ParleyApp>
{
    private static int tenantNumbers = 6000;

    /// <summary>Each tenant its own number: a number belongs to one tenant only.</summary>
    private static string NextTenantNumber() => $"+1416555{Interlocked.Increment(ref tenantNumbers):D4}";

    private static Task<JsonNode> MessagesAsync(TenantClient tenant, string conversationId) =>
        tenant.Http.GetJsonAsync($"/api/conversations/{conversationId}/messages");

    [Theory]
    [InlineData("4165551234")]
    [InlineData("(416) 555-1234")]
    [InlineData("1-416-555-1234")]
    [InlineData("+1 416 555 1234")]
    public async Task Starting_a_conversation_normalises_the_number_and_reuses_the_active_one(string to)
    {
        var tenant = await app.CreateTenantAsync(number: NextTenantNumber());
        var first = await tenant.Http.PostJsonAsync("/api/conversations", new { to = "+14165551234", contactName = "Robert Smith", company = "Acme", message = "Hi Robert, it's Maple Realty." });
        var again = await tenant.Http.PostJsonAsync("/api/conversations", new { to, message = "Following up!" });

        Assert.Equal(first["id"]!.GetValue<string>(), again["id"]!.GetValue<string>());
        Assert.Equal("+14165551234", again["phones"]![0]!["number"]!.GetValue<string>());
        Assert.Equal("Robert", again["contact"]!["firstName"]!.GetValue<string>());
        Assert.Equal("Acme", again["contact"]!["company"]!.GetValue<string>());
        Assert.NotNull(again["assistantId"]);
        var messages = await MessagesAsync(tenant, first["id"]!.GetValue<string>());
        Assert.Equal(2, messages.AsArray().Count);
    }

    [Fact]
    public async Task A_sent_message_carries_encoding_and_segments_and_reaches_delivered()
    {
        var tenant = await app.CreateTenantAsync(number: "+14165550201");
        var text = "Hi! Here’s the listing you asked about."; // curly apostrophe: UCS-2
        var conversation = await tenant.Http.PostJsonAsync("/api/conversations", new { to = "+14165550301", message = text });

        var messages = await Eventually.GetAsync(() => MessagesAsync(tenant, conversation["id"]!.GetValue<string>()),
            m => m[0]!["status"]!.GetValue<string>() == "Delivered");
        var message = messages[0]!;
        Assert.Equal("Outbound", message["direction"]!.GetValue<string>());
        Assert.Equal("Ucs2", message["encoding"]!.GetValue<string>());
        Assert.Equal(1, message["segments"]!.GetValue<int>());
        Assert.False(message["isAi"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData("12", "to")]
    [InlineData("not a number", "to")]
    [InlineData("+999 1234 5678", "to")]
    public async Task Invalid_numbers_are_refused_with_a_clear_problem(string to, string field)
    {
        var tenant = await app.CreateTenantAsync(number: NextTenantNumber());
        var response = await tenant.Http.PostAsJsonAsync("/api/conversations", new { to, message = "Hello" });
        var problem = await response.AssertProblemAsync(400);
        Assert.Contains(field, problem, StringComparison.Ordinal);
        Assert.Empty((await tenant.Http.GetJsonAsync("/api/conversations")).AsArray());
    }

    [Fact]
    public async Task Text_longer_than_ten_segments_is_refused_and_nothing_is_stored()
    {
        var tenant = await app.CreateTenantAsync(number: "+14165550202");
        var response = await tenant.Http.PostAsJsonAsync("/api/conversations", new { to = "+14165550302", message = new string('a', 1531) });
        var problem = await response.AssertProblemAsync(400);
        Assert.Contains("10", problem, StringComparison.Ordinal);

        var empty = await tenant.Http.PostAsJsonAsync("/api/conversations", new { to = "+14165550302", message = "   " });
        await empty.AssertProblemAsync(400);
        Assert.Empty((await tenant.Http.GetJsonAsync("/api/conversations")).AsArray());
    }

    [Fact]
    public async Task A_simulated_inbound_text_gets_an_ai_reply()
    {
        var tenant = await app.CreateTenantAsync(number: "+14165550203");
        var accepted = await tenant.Http.PostAsJsonAsync("/api/sandbox/inbound", new { from = "416-555-0303", text = "Hi, I saw your sign on Elm Street" });
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);

        var list = await Eventually.GetAsync(() => tenant.Http.GetJsonAsync("/api/conversations"), l => l.AsArray().Count == 1);
        var id = list[0]!["id"]!.GetValue<string>();
        var messages = await Eventually.GetAsync(() => MessagesAsync(tenant, id), m => m.AsArray().Count >= 2);
        Assert.Equal("Inbound", messages[0]!["direction"]!.GetValue<string>());
        Assert.Equal("Outbound", messages[1]!["direction"]!.GetValue<string>());
        Assert.True(messages[1]!["isAi"]!.GetValue<bool>());
        Assert.Equal("+14165550303", messages[1]!["contactNumber"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_manual_reply_pauses_the_ai_and_later_texts_get_no_ai_reply()
    {
        var tenant = await app.CreateTenantAsync(number: "+14165550204");
        var conversation = await tenant.Http.PostJsonAsync("/api/conversations", new { to = "+14165550304", message = "Hi from Maple" });
        var id = conversation["id"]!.GetValue<string>();
        await tenant.Http.PostJsonAsync($"/api/conversations/{id}/messages", new { text = "Jane here, I'll take it from here." });

        var paused = await tenant.Http.GetJsonAsync($"/api/conversations/{id}");
        Assert.True(paused["aiPaused"]!.GetValue<bool>());

        await tenant.Http.PostJsonAsync("/api/sandbox/inbound", new { from = "+14165550304", text = "Thanks Jane" });
        await Eventually.GetAsync(() => MessagesAsync(tenant, id), m => m.AsArray().Count == 3);
        await Task.Delay(500); // give the agent every chance to (wrongly) answer
        var messages = await MessagesAsync(tenant, id);
        Assert.Equal(3, messages.AsArray().Count);
        Assert.DoesNotContain(messages.AsArray(), m => m!["isAi"]!.GetValue<bool>());

        var resumed = await tenant.Http.PostJsonAsync($"/api/conversations/{id}/ai/resume", new { });
        Assert.False(resumed["aiPaused"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Search_finds_conversations_by_name_company_and_phone()
    {
        var tenant = await app.CreateTenantAsync(number: "+14165550205");
        await tenant.Http.PostJsonAsync("/api/conversations", new { to = "+14165550401", contactName = "Ana Lopez", company = "Lopez Bakery", message = "Hi Ana" });
        await tenant.Http.PostJsonAsync("/api/conversations", new { to = "+14165550402", contactName = "Robert King", company = "King Plumbing", message = "Hi Robert" });

        Assert.Equal("Ana", (await tenant.Http.GetJsonAsync("/api/conversations?search=lopez"))[0]!["contact"]!["firstName"]!.GetValue<string>());
        Assert.Single((await tenant.Http.GetJsonAsync("/api/conversations?search=Plumbing")).AsArray());
        Assert.Single((await tenant.Http.GetJsonAsync("/api/conversations?search=KING%20plumb")).AsArray());
        Assert.Single((await tenant.Http.GetJsonAsync("/api/conversations?search=555-0402")).AsArray());
        Assert.Single((await tenant.Http.GetJsonAsync("/api/conversations?search=Robert%20King")).AsArray());
        Assert.Empty((await tenant.Http.GetJsonAsync("/api/conversations?search=nobody")).AsArray());
        Assert.Empty((await tenant.Http.GetJsonAsync("/api/conversations?needsAttention=true")).AsArray());
        Assert.Equal(2, (await tenant.Http.GetJsonAsync("/api/conversations?needsAttention=false")).AsArray().Count);
    }

    [Fact]
    public async Task A_tenant_without_a_phone_number_cannot_start_a_conversation()
    {
        using var admin = app.Admin();
        var created = await admin.PostJsonAsync("/api/admin/tenants", new { name = "No Number Co", plan = "Growth", timeZone = "America/Toronto" });
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", created["apiKey"]!.GetValue<string>());
        var response = await client.PostAsJsonAsync("/api/conversations", new { to = "+14165550499", message = "Hello" });
        await response.AssertProblemAsync(409);
    }

    [Fact]
    public async Task Readiness_says_whether_the_database_answers()
    {
        using var client = app.CreateClient();
        var ready = await client.GetJsonAsync("/health/ready");
        Assert.Equal("ready", ready["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_new_tenants_first_conversations_started_together_all_start_with_one_default_assistant()
    {
        var tenant = await app.CreateTenantAsync(number: NextTenantNumber());

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            tenant.Http.PostAsJsonAsync("/api/conversations", new { to = $"+1647555{i:D4}", message = "Hi, it's Maple Realty about your listing." })));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var assistants = await app.QueryAsync(db => db.Assistants.Select(a => a.Id).ToListAsync(), tenant.Id);
        var used = await app.QueryAsync(db => db.Conversations.Select(c => c.AssistantId).Distinct().ToListAsync(), tenant.Id);
        Assert.Equal([Assert.Single(assistants)], used);
    }
}
