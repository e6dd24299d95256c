using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Parley.Billing;
using Parley.Tests.Fakes;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.FollowUps;

/// <summary>The follow-up clock with the OpenAI-compatible model on a local chat-completions server.</summary>
public sealed class ModelFollowUpApp : FollowUpApp
{
    public FakeChatCompletions Model { get; private set; } = null!;

    protected override async Task ConfigureAsync(IDictionary<string, string?> settings)
    {
        Model = await FakeChatCompletions.StartAsync();
        settings["Parley:Ai:Provider"] = "OpenAI";
        settings["Parley:Ai:Endpoint"] = Model.Endpoint.ToString();
        settings["Parley:Ai:ApiKey"] = "sk-test-key";
        settings["Parley:Ai:Model"] = "gpt-test";
        settings["Parley:Ai:Timeout"] = "00:00:05";
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Model.DisposeAsync();
    }
}

/// <summary>With an OpenAI-compatible model, follow-ups are written by the model from the conversation so far, told
/// which follow-up it is; the template goes out when the model fails.</summary>
public sealed class FollowUpModelTests(ModelFollowUpApp fixture) : IClassFixture<ModelFollowUpApp>
{
    private static int numbers = 9100;
    private static int day;

    private static string NextNumber() => $"+1416555{Interlocked.Increment(ref numbers):D4}";

    private static object Decision(string? reply, string? name = null) => new { reply, outcome = "Ongoing", contactFirstName = name, callbackAt = (string?)null };

    private List<string> TextsTo(string contact) => fixture.Telnyx.Sends.Where(s => s.To == contact).Select(s => s.Text).ToList();

    private async Task<(TenantClient Tenant, string Contact)> ConversationAsync(string systemPrompt, (string Contact, string Agent)[] exchanges, string firstName)
    {
        fixture.Clock.Set(new DateTime(2026, 6, 1, 13, 0, 0, DateTimeKind.Utc).AddDays(Interlocked.Increment(ref day) * 3));
        var tenant = await fixture.App.CreateTenantAsync(number: NextNumber());
        await tenant.Http.PostJsonAsync("/api/assistants", new { name = "Desk", systemPrompt, maxTurns = 10, isDefault = true, followUpHours = new[] { 1, 24 } });
        var contact = NextNumber();
        for (var i = 0; i < exchanges.Length; i++)
        {
            fixture.Model.Reply(Decision(exchanges[i].Agent, firstName));
            await fixture.PostWebhookAsync(fixture.Telnyx.MessageReceivedJson($"evt-{Guid.NewGuid()}", $"msg-{Guid.NewGuid()}", contact, tenant.Number, exchanges[i].Contact, fixture.Clock.GetUtcNow().UtcDateTime));
            var sent = i + 1;
            await Eventually.GetAsync(() => Task.FromResult(TextsTo(contact).Count), n => n == sent);
            fixture.Clock.Advance(TimeSpan.FromMinutes(2));
        }

        return (tenant, contact);
    }

    private static async Task<JsonNode> FollowUpsAsync(TenantClient tenant, string contact, Func<JsonArray, bool> done)
    {
        var id = (await tenant.Http.GetJsonAsync($"/api/conversations?search={Uri.EscapeDataString(contact)}"))[0]!["id"]!.GetValue<string>();
        return await Eventually.GetAsync(() => tenant.Http.GetJsonAsync($"/api/conversations/{id}/follow-ups"), l => done(l.AsArray()));
    }

    [Fact]
    public async Task The_model_writes_the_follow_up_from_the_conversation_and_the_text_sent_is_its_own()
    {
        var (tenant, contact) = await ConversationAsync(
            "You text for Harbourview Homes, a small brokerage in Halifax. Warm, plain words; never pushy.",
            [
                ("hey saw ur listing for the 3 bed on Oak st, is it still avail??", "Hi! Yes, the 3 bed on Oak St is still available. Who am I texting with?"),
                ("its Marcus. whats the parking situation", "Thanks Marcus! The Oak St home has a private driveway for two cars. Would you like to see it this week?"),
            ],
            "Marcus");
        await FollowUpsAsync(tenant, contact, l => l.Count(f => f!["status"]!.GetValue<string>() == "Scheduled") == 1);
        var written = "Hi Marcus, just circling back on the Oak St 3 bed with the two-car driveway. Want me to line up a viewing this week?";
        fixture.Model.Reply(Decision(written, "Marcus"));
        var asked = fixture.Model.Requests.Count;

        fixture.Clock.Advance(TimeSpan.FromMinutes(61));

        await Eventually.GetAsync(() => Task.FromResult(TextsTo(contact)), t => t.Count == 3);
        Assert.Equal(written, TextsTo(contact)[^1]);
        var request = fixture.Model.Requests[asked];
        Assert.Contains("Harbourview Homes, a small brokerage in Halifax", request.SystemPrompt, StringComparison.Ordinal);
        Assert.Contains("follow-up 1 of 2", request.SystemPrompt, StringComparison.Ordinal);
        Assert.Contains("at most 160 characters", request.SystemPrompt, StringComparison.Ordinal);
        Assert.Contains("State no fact about the business", request.SystemPrompt, StringComparison.Ordinal);
        Assert.DoesNotContain("last follow-up: say so", request.SystemPrompt, StringComparison.Ordinal);
        Assert.Equal(
            [
                ("user", "hey saw ur listing for the 3 bed on Oak st, is it still avail??"),
                ("assistant", "Hi! Yes, the 3 bed on Oak St is still available. Who am I texting with?"),
                ("user", "its Marcus. whats the parking situation"),
                ("assistant", "Thanks Marcus! The Oak St home has a private driveway for two cars. Would you like to see it this week?"),
            ],
            request.Messages.Skip(1).ToList());

        var followUps = await FollowUpsAsync(tenant, contact, l => l.Count(f => f!["status"]!.GetValue<string>() != "Cancelled") == 2);
        Assert.Single(followUps.AsArray(), f => f!["status"]!.GetValue<string>() == "Sent");
        var id = (await tenant.Http.GetJsonAsync($"/api/conversations?search={Uri.EscapeDataString(contact)}"))[0]!["id"]!.GetValue<string>();
        var messages = await tenant.Http.GetJsonAsync($"/api/conversations/{id}/messages");
        var last = messages.AsArray().Last(m => m!["text"]!.GetValue<string>() == written)!;
        Assert.True(last["isAi"]!.GetValue<bool>());
        Assert.Equal(3, await fixture.App.QueryAsync(db => db.WalletEntries.CountAsync(e => e.Kind == WalletEntryKind.AiReplyCharge), tenant.Id)); // two replies and the follow-up

        // The next test moves the clock days on: this conversation's second follow-up must not take its model answers.
        var next = followUps.AsArray().Single(f => f!["status"]!.GetValue<string>() == "Scheduled")!;
        (await tenant.Http.PostAsync($"/api/conversations/{id}/follow-ups/{next["id"]}/cancel", null)).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task The_last_follow_up_is_asked_for_as_the_last_and_a_model_that_fails_sends_the_template()
    {
        var (tenant, contact) = await ConversationAsync(
            "You text for Harbourview Homes.",
            [("Hello, this is Aisha. Do you have anything under 400k near the waterfront?", "Hi Aisha! I'll have the team confirm what we have under 400k by the waterfront. When is a good time for a quick call?")],
            "Aisha");
        await FollowUpsAsync(tenant, contact, l => l.Count(f => f!["status"]!.GetValue<string>() == "Scheduled") == 1);
        var first = "Hi Aisha, following up on waterfront homes under 400k. Is a quick call this week still of interest?";
        fixture.Model.Reply(Decision(first, "Aisha"));
        fixture.Clock.Advance(TimeSpan.FromMinutes(61));
        await Eventually.GetAsync(() => Task.FromResult(TextsTo(contact)), t => t.Count == 2);
        Assert.True(first == TextsTo(contact)[^1], (await tenant.Http.GetJsonAsync("/api/activity")).ToJsonString());

        // The second, last follow-up: the model answers twice with something that is not the decision JSON.
        fixture.Model.ReplyRaw("Sure! Here's a follow-up: Hi Aisha...").ReplyRaw("Hi Aisha, last chance!");
        var asked = fixture.Model.Requests.Count;
        fixture.Clock.Advance(TimeSpan.FromHours(24) + TimeSpan.FromMinutes(1));

        await Eventually.GetAsync(() => Task.FromResult(TextsTo(contact)), t => t.Count == 3);
        Assert.Equal("Hi Aisha, Maple Realty here one last time. Text back whenever you'd like to pick this up again.", TextsTo(contact)[^1]);
        Assert.Contains("follow-up 2 of 2", fixture.Model.Requests[asked].SystemPrompt, StringComparison.Ordinal);
        Assert.Contains("It is the last follow-up", fixture.Model.Requests[asked].SystemPrompt, StringComparison.Ordinal);
        Assert.Contains(first, fixture.Model.Requests[asked].Messages.Select(m => m.Content));
        var activity = await Eventually.GetAsync(() => tenant.Http.GetJsonAsync("/api/activity"),
            a => a.AsArray().Any(e => e!["detail"]!.GetValue<string>().StartsWith("Follow-up written from a template", StringComparison.Ordinal)));
        Assert.NotNull(activity);
        var followUps = await FollowUpsAsync(tenant, contact, l => l.Count == 2 && l.All(f => f!["status"]!.GetValue<string>() == "Sent"));
        Assert.Equal(2, followUps.AsArray().Count);
    }
}
