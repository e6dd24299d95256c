using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.Agent;

/// <summary>Each outcome end to end: signed Telnyx webhooks in, the rules model deciding, texts out to the
/// Telnyx-format server, and what the API then shows.</summary>
public sealed class AgentPipelineTests(TelnyxApp fixture) : IClassFixture<TelnyxApp>
{
    private static int numbers = 2000;

    private static string NextNumber() => $"+1416555{Interlocked.Increment(ref numbers):D4}";

    internal sealed record Chat(TenantClient Tenant, string Contact, TelnyxApp Fixture)
    {
        public string? ConversationId { get; set; }

        public int Sent => Fixture.Telnyx.Sends.Count(s => s.To == Contact);

        public IReadOnlyList<string> Replies => Fixture.Telnyx.Sends.Where(s => s.To == Contact).Select(s => s.Text).ToList();

        /// <summary>Texts the agent and waits until its turn is over (every turn logs a reply, an outcome or a
        /// skip); returns the reply the contact received, or null when the agent stayed silent.</summary>
        public async Task<string?> TextAsync(string text)
        {
            var before = Sent;
            var seen = ConversationId is null ? 0 : (await ActivityAsync()).AsArray().Count;
            await Fixture.PostWebhookAsync(Fixture.Telnyx.MessageReceivedJson($"evt-{Guid.NewGuid()}", $"msg-{Guid.NewGuid()}", Contact, Tenant.Number, text));
            ConversationId ??= (await Eventually.GetAsync(
                () => Tenant.Http.GetJsonAsync($"/api/conversations?search={Uri.EscapeDataString(Contact)}"), l => l.AsArray().Count == 1))[0]!["id"]!.GetValue<string>();
            var activity = (await Eventually.GetAsync(ActivityAsync, a => a.AsArray().Count > seen)).AsArray();
            if (!activity.Take(activity.Count - seen).Any(a => a!["kind"]!.GetValue<string>() == "Reply"))
            {
                return null;
            }

            await Eventually.GetAsync(() => Task.FromResult(Sent), n => n > before);
            return Replies[^1];
        }

        public Task<JsonNode> ActivityAsync() => Tenant.Http.GetJsonAsync($"/api/activity?conversationId={ConversationId}");

        public Task<JsonNode> ConversationAsync() => Tenant.Http.GetJsonAsync($"/api/conversations/{ConversationId}");
    }

    private async Task<Chat> ChatAsync() => new(await fixture.App.CreateTenantAsync(number: NextNumber()), NextNumber(), fixture);

    [Fact]
    public async Task A_new_tenants_first_texts_arriving_together_all_get_replies_from_one_default_assistant()
    {
        var tenant = await fixture.App.CreateTenantAsync(number: NextNumber());
        var contacts = Enumerable.Range(0, 12).Select(_ => NextNumber()).ToList();

        await Task.WhenAll(contacts.Select(c => fixture.PostWebhookAsync(
            fixture.Telnyx.MessageReceivedJson($"evt-{Guid.NewGuid()}", $"msg-{Guid.NewGuid()}", c, tenant.Number, "Hi, is the condo still available?"))));

        // Whichever text stores the default assistant first, the others read that one back.
        await Eventually.GetAsync(() => Task.FromResult(contacts.Count(c => fixture.Telnyx.Sends.Any(s => s.To == c))), n => n == contacts.Count, TimeSpan.FromSeconds(30));
        var assistants = await fixture.App.QueryAsync(db => db.Assistants.Select(a => a.Id).ToListAsync(), tenant.Id);
        Assert.Single(assistants);
        var used = await fixture.App.QueryAsync(db => db.Conversations.Select(c => c.AssistantId).Distinct().ToListAsync(), tenant.Id);
        Assert.Equal([assistants[0]], used);
    }

    [Fact]
    public async Task Agreeing_a_time_books_a_callback_confirms_it_and_pauses_for_a_person()
    {
        var chat = await ChatAsync();
        var ask = await chat.TextAsync("Hi, I saw your listing on Elm St");
        Assert.Matches("(?i)name|who am i", ask);
        await chat.TextAsync("This is Robert");
        var confirmation = await chat.TextAsync("tomorrow at 3pm works for a call");

        var zone = TimeZoneInfo.FindSystemTimeZoneById("America/Toronto");
        var tomorrow = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, zone).Date.AddDays(1);
        Assert.NotNull(confirmation);
        Assert.Contains("3", confirmation, StringComparison.Ordinal);
        var conversation = await chat.ConversationAsync();
        Assert.Equal("AppointmentScheduled", conversation["outcome"]!.GetValue<string>());
        Assert.True(conversation["needsAttention"]!.GetValue<bool>());
        Assert.True(conversation["aiPaused"]!.GetValue<bool>());
        Assert.Equal("Robert", conversation["contact"]!["firstName"]!.GetValue<string>());

        var callback = (await chat.Tenant.Http.GetJsonAsync("/api/callbacks"))[0]!;
        var at = DateTimeOffset.Parse(callback["callbackAt"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(tomorrow.AddHours(15), at.DateTime);
        Assert.Equal(zone.GetUtcOffset(at), at.Offset);
        Assert.Single((await chat.Tenant.Http.GetJsonAsync("/api/conversations?needsAttention=true")).AsArray());
        Assert.Single((await chat.Tenant.Http.GetJsonAsync("/api/conversations?outcome=AppointmentScheduled")).AsArray());
        Assert.Empty((await chat.Tenant.Http.GetJsonAsync("/api/conversations?outcome=None")).AsArray());
        await (await chat.Tenant.Http.GetAsync("/api/conversations?outcome=Maybe")).AssertProblemAsync(400);

        Assert.Null(await chat.TextAsync("great thanks"));
    }

    [Fact]
    public async Task Not_interested_pauses_silently_and_needs_no_attention()
    {
        var chat = await ChatAsync();
        await chat.TextAsync("Hello");
        var sentBefore = chat.Sent;
        Assert.Null(await chat.TextAsync("Not interested, thanks"));

        var conversation = await chat.ConversationAsync();
        Assert.Equal("NotInterested", conversation["outcome"]!.GetValue<string>());
        Assert.False(conversation["needsAttention"]!.GetValue<bool>());
        Assert.True(conversation["aiPaused"]!.GetValue<bool>());
        Assert.Equal(sentBefore, chat.Sent);
    }

    [Theory]
    [InlineData("Can I talk to a real person please", "NeedsHuman")]
    [InlineData("Sorry, wrong number", "WrongPerson")]
    public async Task Hand_offs_send_one_short_closing_message_and_need_attention(string text, string outcome)
    {
        var chat = await ChatAsync();
        await chat.TextAsync("Hi");
        await chat.TextAsync("This is Dana");
        var closing = await chat.TextAsync(text);

        Assert.False(string.IsNullOrWhiteSpace(closing));
        Assert.True(closing!.Length <= 160);
        var conversation = await chat.ConversationAsync();
        Assert.Equal(outcome, conversation["outcome"]!.GetValue<string>());
        Assert.True(conversation["needsAttention"]!.GetValue<bool>());
        Assert.Null(await chat.TextAsync("hello?"));
    }

    [Fact]
    public async Task The_agent_stops_after_its_turns_and_resume_starts_it_afresh()
    {
        var chat = await ChatAsync();
        var assistant = await chat.Tenant.Http.PostJsonAsync("/api/assistants", new { name = "Brief", systemPrompt = "Be brief.", maxTurns = 2, isDefault = true });
        Assert.Equal(2, assistant["maxTurns"]!.GetValue<int>());
        Assert.NotNull(await chat.TextAsync("Hi"));
        Assert.NotNull(await chat.TextAsync("It's Sam"));
        Assert.Null(await chat.TextAsync("So what's the price?"));

        var stopped = await chat.ConversationAsync();
        Assert.Equal("MaxTurnsReached", stopped["outcome"]!.GetValue<string>());
        Assert.True(stopped["needsAttention"]!.GetValue<bool>());

        var resumed = await chat.Tenant.Http.PostJsonAsync($"/api/conversations/{chat.ConversationId}/ai/resume", new { });
        Assert.False(resumed["aiPaused"]!.GetValue<bool>());
        Assert.Null(resumed["outcome"]);
        Assert.Equal(0, resumed["phones"]![0]!["turns"]!.GetValue<int>());
        Assert.NotNull(await chat.TextAsync("Are you still there?"));
        Assert.Contains((await chat.ActivityAsync()).AsArray(), a => a!["kind"]!.GetValue<string>() == "Resumed");
    }

    [Fact]
    public async Task A_known_texter_is_asked_to_confirm_identity_and_named_on_yes()
    {
        var chat = await ChatAsync();
        await chat.Tenant.Http.PostJsonAsync("/api/contacts", new { firstName = "Maria", lastName = "Gomez", phones = new[] { chat.Contact } });
        var ask = await chat.TextAsync("Hi there");
        Assert.Contains("Maria", ask, StringComparison.Ordinal);
        Assert.Contains("?", ask, StringComparison.Ordinal);
        var next = await chat.TextAsync("Yes this is her");

        Assert.NotNull(next);
        var conversation = await chat.ConversationAsync();
        Assert.Null(conversation["outcome"]);
        Assert.True(conversation["contact"]!["isClient"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_known_texter_who_is_not_the_client_gets_the_wrong_person_apology()
    {
        var chat = await ChatAsync();
        await chat.Tenant.Http.PostJsonAsync("/api/contacts", new { firstName = "Maria", phones = new[] { chat.Contact } });
        await chat.TextAsync("Hello");
        var apology = await chat.TextAsync("No, this isn't Maria");

        Assert.NotNull(apology);
        Assert.Equal("WrongPerson", (await chat.ConversationAsync())["outcome"]!.GetValue<string>());
    }

    [Fact]
    public async Task Wrong_person_on_one_phone_leaves_the_contacts_other_phone_answered()
    {
        var tenant = await fixture.App.CreateTenantAsync(number: NextNumber());
        var (home, cell) = (NextNumber(), NextNumber());
        await tenant.Http.PostJsonAsync("/api/contacts", new { firstName = "Lee", phones = new[] { home, cell } });
        var onHome = new Chat(tenant, home, fixture);
        await onHome.TextAsync("Hi");
        await onHome.TextAsync("wrong number, no Lee here");
        var onCell = new Chat(tenant, cell, fixture) { ConversationId = onHome.ConversationId };
        Assert.NotNull(await onCell.TextAsync("Hi it's Lee from my cell"));

        var conversation = await onHome.ConversationAsync();
        var phones = conversation["phones"]!.AsArray();
        Assert.True(phones.Single(p => p!["number"]!.GetValue<string>() == home)!["aiPaused"]!.GetValue<bool>());
        Assert.False(phones.Single(p => p!["number"]!.GetValue<string>() == cell)!["aiPaused"]!.GetValue<bool>());

        var resumed = await tenant.Http.PostJsonAsync($"/api/conversations/{onHome.ConversationId}/phones/{Uri.EscapeDataString(home)}/ai/resume", new { });
        var homePhone = resumed["phones"]!.AsArray().Single(p => p!["number"]!.GetValue<string>() == home)!;
        Assert.False(homePhone["aiPaused"]!.GetValue<bool>());
        Assert.Null(homePhone["outcome"]);
        Assert.Equal(0, homePhone["turns"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("Launch", "Live", "plan")]
    [InlineData("Growth", "Pending", "A2P")]
    public async Task Gates_keep_the_agent_silent_and_say_why(string plan, string a2p, string reason)
    {
        var tenant = await fixture.App.CreateTenantAsync(number: NextNumber(), plan: plan, a2pStatus: a2p);
        var chat = new Chat(tenant, NextNumber(), fixture);
        Assert.Null(await chat.TextAsync("Hi"));
        var skip = (await chat.ActivityAsync())[0]!;
        Assert.Equal("Skipped", skip["kind"]!.GetValue<string>());
        Assert.Contains(reason, skip["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_reply_is_logged_with_its_model_and_latency()
    {
        var chat = await ChatAsync();
        await chat.TextAsync("Hi");
        var reply = (await chat.ActivityAsync()).AsArray().First(a => a!["kind"]!.GetValue<string>() == "Reply")!;
        Assert.Equal("rules-v1", reply["model"]!.GetValue<string>());
        Assert.NotNull(reply["latencyMs"]);
    }

    [Fact]
    public async Task A_contacts_cross_channel_note_is_kept_on_the_contact()
    {
        var chat = await ChatAsync();
        var contact = await chat.Tenant.Http.PostJsonAsync("/api/contacts", new { firstName = "Omar", phones = new[] { chat.Contact } });
        var note = await chat.Tenant.Http.PostAsJsonAsync($"/api/contacts/{contact["id"]!.GetValue<string>()}/notes", new { text = "Called on Monday: wants a 3-bedroom", channel = "call" });
        Assert.Equal(System.Net.HttpStatusCode.Created, note.StatusCode);
        var other = await fixture.App.CreateTenantAsync(number: NextNumber());
        var foreign = await other.Http.PostAsJsonAsync($"/api/contacts/{contact["id"]!.GetValue<string>()}/notes", new { text = "x" });
        Assert.Equal(System.Net.HttpStatusCode.NotFound, foreign.StatusCode);
    }
}
