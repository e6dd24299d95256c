using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Parley.Billing;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.Agent;

/// <summary>Suggest and Off modes end to end: signed Telnyx webhooks in, the rules model drafting, and what
/// reaches the Telnyx-format server only once a person sends.</summary>
public sealed class SuggestModeTests(TelnyxApp fixture) : IClassFixture<TelnyxApp>
{
    private static int numbers = 7300;

    private static string NextNumber() => $"+1416555{Interlocked.Increment(ref numbers):D4}";

    private sealed record Thread(TenantClient Tenant, string Contact, TelnyxApp Fixture)
    {
        public string Id { get; set; } = "";

        public List<string> Received => Fixture.Telnyx.Sends.Where(s => s.To == Contact).Select(s => s.Text).ToList();

        /// <summary>Texts the business and waits until everything the text causes (a draft, a reply, a skip) is done.</summary>
        public async Task TextAsync(string text)
        {
            var before = await InboundCountAsync();
            (await Fixture.PostWebhookAsync(Fixture.Telnyx.MessageReceivedJson($"evt-{Guid.NewGuid()}", $"msg-{Guid.NewGuid()}", Contact, Tenant.Number, text))).EnsureSuccessStatusCode();
            await Eventually.GetAsync(InboundCountAsync, n => n > before);
            await Fixture.App.WorkDrainedAsync(Tenant.Id);
        }

        private async Task<int> InboundCountAsync()
        {
            if (Id.Length == 0)
            {
                var found = (await Tenant.Http.GetJsonAsync($"/api/conversations?search={Uri.EscapeDataString(Contact)}")).AsArray();
                if (found.Count == 0)
                {
                    return 0;
                }

                Id = found[0]!["id"]!.GetValue<string>();
            }

            return (await Tenant.Http.GetJsonAsync($"/api/conversations/{Id}/messages")).AsArray().Count(m => m!["direction"]!.GetValue<string>() == "Inbound");
        }

        public Task<JsonNode> ConversationAsync() => Tenant.Http.GetJsonAsync($"/api/conversations/{Id}");

        public async Task<List<(string Kind, string Detail)>> ActivityAsync() =>
            (await Tenant.Http.GetJsonAsync($"/api/activity?conversationId={Id}")).AsArray()
                .Select(a => (a!["kind"]!.GetValue<string>(), a["detail"]!.GetValue<string>())).ToList();

        public Task<int> AiChargesAsync() => Fixture.App.QueryAsync(
            db => db.WalletEntries.CountAsync(e => e.Kind == WalletEntryKind.AiReplyCharge), Tenant.Id);
    }

    private async Task<Thread> ThreadAsync(string mode = "Suggest")
    {
        var tenant = await fixture.App.CreateTenantAsync(number: NextNumber());
        await tenant.Http.PostJsonAsync("/api/assistants", new { name = "Front desk", systemPrompt = "You text for Maple Realty.", maxTurns = 10, isDefault = true, mode });
        return new Thread(tenant, NextNumber(), fixture);
    }

    [Fact]
    public async Task Suggest_mode_sends_and_charges_nothing_until_a_person_sends_the_draft()
    {
        var thread = await ThreadAsync();
        await thread.TextAsync("Hi, is the condo on Elm still available?");

        var draft = (await thread.ConversationAsync())["draft"]!;
        var text = draft["text"]!.GetValue<string>();
        Assert.NotEmpty(text);
        Assert.Empty(thread.Received);
        Assert.Equal(0, await thread.AiChargesAsync());
        Assert.Equal("Suggest", (await thread.ConversationAsync())["effectiveMode"]!.GetValue<string>());
        Assert.Contains(await thread.ActivityAsync(), a => a.Kind == "Drafted" && a.Detail == text);

        var sent = await thread.Tenant.Http.PostAsync($"/api/conversations/{thread.Id}/draft/send", null);
        var message = await sent.EnsureSuccessStatusCode().ReadJsonAsync();

        Assert.True(message["isAi"]!.GetValue<bool>());
        await Eventually.GetAsync(() => Task.FromResult(thread.Received), r => r.Count == 1);
        Assert.Equal([text], thread.Received);
        Assert.Equal(1, await thread.AiChargesAsync());
        var conversation = await thread.ConversationAsync();
        Assert.Null(conversation["draft"]);
        Assert.Equal(1, conversation["turns"]!.GetValue<int>());
        Assert.False(conversation["aiPaused"]!.GetValue<bool>()); // a sent draft is the AI's reply, not a person taking over
        Assert.Contains(await thread.ActivityAsync(), a => a.Kind == "DraftSent" && a.Detail.StartsWith("Draft sent by an API client", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_edited_text_is_what_goes_out()
    {
        var thread = await ThreadAsync();
        await thread.TextAsync("Hi, is the condo on Elm still available?");

        var sent = await thread.Tenant.Http.PostAsJsonAsync($"/api/conversations/{thread.Id}/draft/send", new { text = "Yes it is! Who am I speaking with?" });
        sent.EnsureSuccessStatusCode();

        await Eventually.GetAsync(() => Task.FromResult(thread.Received), r => r.Count == 1);
        Assert.Equal(["Yes it is! Who am I speaking with?"], thread.Received);
        Assert.Contains(await thread.ActivityAsync(), a => a.Kind == "DraftSent" && a.Detail == "Draft edited and sent by an API client: Yes it is! Who am I speaking with?");
        Assert.Equal(1, await thread.AiChargesAsync());
    }

    [Fact]
    public async Task A_newer_text_discards_the_old_draft_and_gets_a_draft_of_its_own()
    {
        var thread = await ThreadAsync();
        await thread.TextAsync("Hi, is the condo on Elm still available?");
        var first = (await thread.ConversationAsync())["draft"]!["id"]!.GetValue<string>();

        await thread.TextAsync("This is Robert by the way");

        var draft = (await thread.ConversationAsync())["draft"]!;
        Assert.NotEqual(first, draft["id"]!.GetValue<string>());
        Assert.Contains(await thread.ActivityAsync(), a => a.Kind == "DraftDiscarded" && a.Detail == "Draft discarded: a newer text arrived.");
        Assert.Empty(thread.Received);

        // The old draft cannot be sent any more: only the newer one exists.
        var discarded = await thread.Tenant.Http.PostAsync($"/api/conversations/{thread.Id}/draft/send", null);
        discarded.EnsureSuccessStatusCode();
        await Eventually.GetAsync(() => Task.FromResult(thread.Received), r => r.Count == 1);
        Assert.Equal([draft["text"]!.GetValue<string>()], thread.Received);
    }

    [Fact]
    public async Task A_discarded_draft_is_never_sent_and_the_log_names_who_discarded_it()
    {
        var thread = await ThreadAsync();
        await thread.TextAsync("Hi, is the condo on Elm still available?");

        var discarded = await thread.Tenant.Http.PostAsync($"/api/conversations/{thread.Id}/draft/discard", null);

        Assert.Null((await discarded.EnsureSuccessStatusCode().ReadJsonAsync())["draft"]);
        Assert.Contains(await thread.ActivityAsync(), a => a.Kind == "DraftDiscarded" && a.Detail.StartsWith("Draft discarded by an API client", StringComparison.Ordinal));
        await (await thread.Tenant.Http.PostAsync($"/api/conversations/{thread.Id}/draft/send", null)).AssertProblemAsync(409);
        await (await thread.Tenant.Http.PostAsync($"/api/conversations/{thread.Id}/draft/discard", null)).AssertProblemAsync(409);
        await fixture.App.WorkDrainedAsync(thread.Tenant.Id);
        Assert.Empty(thread.Received);
        Assert.Equal(0, await thread.AiChargesAsync());
    }

    [Fact]
    public async Task A_persons_own_reply_replaces_the_draft()
    {
        var thread = await ThreadAsync();
        await thread.TextAsync("Hi, is the condo on Elm still available?");

        (await thread.Tenant.Http.PostAsJsonAsync($"/api/conversations/{thread.Id}/messages", new { text = "Hi! Yes, it is." })).EnsureSuccessStatusCode();

        await Eventually.GetAsync(() => Task.FromResult(thread.Received), r => r.Count == 1);
        Assert.Equal(["Hi! Yes, it is."], thread.Received);
        Assert.Null((await thread.ConversationAsync())["draft"]);
        Assert.Contains(await thread.ActivityAsync(), a => a.Kind == "DraftDiscarded" && a.Detail == "Draft discarded: a person replied by hand.");
    }

    [Fact]
    public async Task Safety_outcomes_apply_at_once_in_suggest_mode_and_only_the_reply_waits()
    {
        var thread = await ThreadAsync();
        await thread.TextAsync("Can I talk to a real person please");

        var conversation = await thread.ConversationAsync();
        Assert.Equal("NeedsHuman", conversation["outcome"]!.GetValue<string>());
        Assert.True(conversation["needsAttention"]!.GetValue<bool>());
        Assert.True(conversation["aiPaused"]!.GetValue<bool>());
        Assert.NotNull(conversation["draft"]); // the closing message waits for a person
        Assert.Empty(thread.Received);

        var optOut = await ThreadAsync();
        await optOut.TextAsync("Hi there");
        await optOut.TextAsync("STOP");
        var stopped = await optOut.ConversationAsync();
        Assert.Equal("NotInterested", stopped["outcome"]!.GetValue<string>());
        Assert.Null(stopped["draft"]);
        Assert.True(stopped["phones"]![0]!["optedOut"]!.GetValue<bool>());
        Assert.Empty(optOut.Received);
    }

    [Fact]
    public async Task Off_sends_nothing_and_pause_and_resume_still_work_beside_it()
    {
        var thread = await ThreadAsync("Autopilot");
        await thread.TextAsync("Hi there");
        Assert.Single(thread.Received);

        var off = await thread.Tenant.Http.PutAsJsonAsync($"/api/conversations/{thread.Id}/ai/mode", new { mode = "Off" });
        var view = await off.EnsureSuccessStatusCode().ReadJsonAsync();
        Assert.Equal("Off", view["mode"]!.GetValue<string>());
        Assert.Equal("Off", view["effectiveMode"]!.GetValue<string>());
        await thread.TextAsync("This is Robert");
        Assert.Single(thread.Received);
        Assert.Null((await thread.ConversationAsync())["draft"]);
        Assert.Contains(await thread.ActivityAsync(), a => a.Kind == "Skipped" && a.Detail == "AI replies are off for this conversation.");

        // Pause and resume keep their meaning; resuming does not switch the AI back on.
        (await thread.Tenant.Http.PostAsync($"/api/conversations/{thread.Id}/ai/pause", null)).EnsureSuccessStatusCode();
        Assert.True((await thread.ConversationAsync())["aiPaused"]!.GetValue<bool>());
        (await thread.Tenant.Http.PostAsync($"/api/conversations/{thread.Id}/ai/resume", null)).EnsureSuccessStatusCode();
        var resumed = await thread.ConversationAsync();
        Assert.False(resumed["aiPaused"]!.GetValue<bool>());
        Assert.Equal("Off", resumed["effectiveMode"]!.GetValue<string>());
        await thread.TextAsync("Are you there?");
        Assert.Single(thread.Received);

        // Back to the agent's mode: it answers again.
        (await thread.Tenant.Http.PutAsJsonAsync($"/api/conversations/{thread.Id}/ai/mode", new { mode = (string?)null })).EnsureSuccessStatusCode();
        await thread.TextAsync("Is the condo still available?");
        Assert.Equal(2, thread.Received.Count);
    }

    [Fact]
    public async Task An_agent_set_to_off_keeps_its_conversations_silent_unless_a_conversation_chooses_otherwise()
    {
        var thread = await ThreadAsync("Off");
        await thread.TextAsync("Hi there");
        Assert.Empty(thread.Received);
        Assert.Contains(await thread.ActivityAsync(), a => a.Kind == "Skipped" && a.Detail == "AI replies are off for this agent.");

        (await thread.Tenant.Http.PutAsJsonAsync($"/api/conversations/{thread.Id}/ai/mode", new { mode = "Autopilot" })).EnsureSuccessStatusCode();
        await thread.TextAsync("Is the condo still available?");
        Assert.Single(thread.Received);
    }

    [Fact]
    public async Task Assistants_show_and_change_their_mode()
    {
        var tenant = await fixture.App.CreateTenantAsync(number: NextNumber());
        var created = await tenant.Http.PostJsonAsync("/api/assistants", new { name = "Desk", systemPrompt = "You text for us.", maxTurns = 5, isDefault = true });
        Assert.Equal("Autopilot", created["mode"]!.GetValue<string>());
        var id = created["id"]!.GetValue<string>();

        var updated = await tenant.Http.PutAsJsonAsync($"/api/assistants/{id}", new { name = "Desk", systemPrompt = "You text for us.", mode = "Suggest" });

        Assert.Equal("Suggest", (await updated.EnsureSuccessStatusCode().ReadJsonAsync())["mode"]!.GetValue<string>());
        await (await tenant.Http.PutAsJsonAsync($"/api/assistants/{id}", new { name = "Desk", systemPrompt = "You text for us.", mode = "Sometimes" })).AssertProblemAsync(400);
    }

    [Fact]
    public async Task Bad_input_gets_a_clear_problem_and_leaves_the_draft()
    {
        var thread = await ThreadAsync();
        await thread.TextAsync("Hi, is the condo on Elm still available?");

        await (await thread.Tenant.Http.PostAsJsonAsync($"/api/conversations/{thread.Id}/draft/send", new { text = "" })).AssertProblemAsync(400);
        await (await thread.Tenant.Http.PostAsJsonAsync($"/api/conversations/{thread.Id}/draft/send", new { text = new string('a', 2000) })).AssertProblemAsync(400);
        await (await thread.Tenant.Http.PutAsJsonAsync($"/api/conversations/{thread.Id}/ai/mode", new { mode = "Sometimes" })).AssertProblemAsync(400);
        await (await thread.Tenant.Http.PutAsJsonAsync($"/api/conversations/{thread.Id}/ai/mode", new { mode = 7 })).AssertProblemAsync(400);
        await (await thread.Tenant.Http.PostAsync($"/api/conversations/{Guid.NewGuid()}/draft/send", null)).AssertProblemAsync(404);

        Assert.NotNull((await thread.ConversationAsync())["draft"]);
        Assert.Equal("Suggest", (await thread.ConversationAsync())["effectiveMode"]!.GetValue<string>());
        Assert.Empty(thread.Received);
    }

    [Fact]
    public async Task Another_tenant_cannot_see_send_or_discard_a_draft()
    {
        var thread = await ThreadAsync();
        await thread.TextAsync("Hi, is the condo on Elm still available?");
        var other = await fixture.App.CreateTenantAsync(number: NextNumber());

        Assert.Equal(404, (int)(await other.Http.GetAsync($"/api/conversations/{thread.Id}")).StatusCode);
        Assert.Equal(404, (int)(await other.Http.PostAsync($"/api/conversations/{thread.Id}/draft/send", null)).StatusCode);
        Assert.Equal(404, (int)(await other.Http.PostAsync($"/api/conversations/{thread.Id}/draft/discard", null)).StatusCode);
        Assert.Equal(404, (int)(await other.Http.PutAsJsonAsync($"/api/conversations/{thread.Id}/ai/mode", new { mode = "Autopilot" })).StatusCode);

        await fixture.App.WorkDrainedAsync(thread.Tenant.Id);
        Assert.NotNull((await thread.ConversationAsync())["draft"]);
        Assert.Equal("Suggest", (await thread.ConversationAsync())["effectiveMode"]!.GetValue<string>());
        Assert.Empty(thread.Received);
    }

    [Fact]
    public async Task Sending_the_same_draft_twice_at_once_sends_and_charges_once()
    {
        var thread = await ThreadAsync();
        await thread.TextAsync("Hi, is the condo on Elm still available?");

        var sends = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => thread.Tenant.Http.PostAsync($"/api/conversations/{thread.Id}/draft/send", null)));

        Assert.Single(sends, s => s.IsSuccessStatusCode);
        Assert.All(sends.Where(s => !s.IsSuccessStatusCode), s => Assert.Equal(409, (int)s.StatusCode));
        await fixture.App.WorkDrainedAsync(thread.Tenant.Id);
        await Eventually.GetAsync(() => Task.FromResult(thread.Received), r => r.Count == 1);
        Assert.Single(thread.Received);
        var balance = await fixture.App.QueryAsync(db => db.WalletEntries.Where(e => e.Kind == WalletEntryKind.AiReplyCharge || e.Kind == WalletEntryKind.Refund)
            .SumAsync(e => e.AmountMicros), thread.Tenant.Id);
        Assert.Equal(-20_000, balance);
    }
}
