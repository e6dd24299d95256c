using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Parley.Agent;
using Parley.Billing;
using Parley.Tests.Campaigns;
using Parley.Tests.Fakes;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.FollowUps;

/// <summary>Parley on the Telnyx fake with a clock the tests move: follow-ups fall due as time passes. A subclass
/// adds its own settings (limits, a model).</summary>
public class FollowUpApp : IAsyncLifetime
{
    /// <summary>Monday 1 June 2026, 09:00 in Toronto; each test starts on a later day.</summary>
    public ManualClock Clock { get; } = new(new DateTimeOffset(2026, 6, 1, 13, 0, 0, TimeSpan.Zero));

    public FakeTelnyx Telnyx { get; private set; } = null!;

    public ParleyApp App { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Telnyx = await FakeTelnyx.StartAsync();
        var settings = Telnyx.AppSettings();
        await ConfigureAsync(settings);
        App = new ClockedApp(settings, Clock);
        _ = App.Server;
    }

    protected virtual Task ConfigureAsync(IDictionary<string, string?> settings) => Task.CompletedTask;

    public virtual async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await Telnyx.DisposeAsync();
    }

    public async Task PostWebhookAsync(string json)
    {
        using var client = App.CreateClient();
        using var request = Telnyx.SignedWebhook(json, Clock.GetUtcNow());
        (await client.SendAsync(request)).EnsureSuccessStatusCode();
    }

    private sealed class ClockedApp(IDictionary<string, string?> settings, ManualClock clock) : ParleyApp(settings)
    {
        protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(clock);
    }
}

/// <summary>Follow-ups that stop on reply: a quiet contact gets the assistant's schedule, anything that shows the
/// conversation moved on cancels them, quiet hours hold them, and "text me next week" is a follow-up then.</summary>
public sealed class FollowUpTests(FollowUpApp fixture) : IClassFixture<FollowUpApp>
{
    private static int numbers = 7800;
    private static int day;

    private static string NextNumber() => $"+1416555{Interlocked.Increment(ref numbers):D4}";

    private sealed record Thread(TenantClient Tenant, string Contact, FollowUpApp Fixture)
    {
        public string Id { get; set; } = "";

        public int Received => Fixture.Telnyx.Sends.Count(s => s.To == Contact);

        public List<string> Texts => Fixture.Telnyx.Sends.Where(s => s.To == Contact).Select(s => s.Text).ToList();

        public async Task TextAsync(string text)
        {
            await Fixture.PostWebhookAsync(Fixture.Telnyx.MessageReceivedJson($"evt-{Guid.NewGuid()}", $"msg-{Guid.NewGuid()}", Contact, Tenant.Number, text, Fixture.Clock.GetUtcNow().UtcDateTime));
            Id = (await Eventually.GetAsync(
                () => Tenant.Http.GetJsonAsync($"/api/conversations?search={Uri.EscapeDataString(Contact)}"), l => l.AsArray().Count == 1))[0]!["id"]!.GetValue<string>();
        }

        public async Task<List<JsonNode>> FollowUpsAsync() =>
            (await Tenant.Http.GetJsonAsync($"/api/conversations/{Id}/follow-ups")).AsArray().Select(f => f!).ToList();

        public Task<List<JsonNode>> FollowUpsWhereAsync(Func<List<JsonNode>, bool> done) => Eventually.GetAsync(FollowUpsAsync, done);

        public Task<bool> ChargedAsync(string followUpId) => Fixture.App.QueryAsync(
            db => db.WalletEntries.AnyAsync(e => e.Key == $"ai-reply:follow-up:{followUpId}"), Tenant.Id);
    }

    private static string Status(JsonNode f) => f["status"]!.GetValue<string>();

    /// <summary>A tenant whose agent follows up after 1 hour, then a day later; the clock at 09:00 Toronto on a new day.</summary>
    private async Task<Thread> ThreadAsync(int[]? hours = null, int utcHour = 13)
    {
        var start = new DateTime(2026, 6, 1, utcHour, 0, 0, DateTimeKind.Utc).AddDays(Interlocked.Increment(ref day) * 3);
        fixture.Clock.Set(start);
        var tenant = await fixture.App.CreateTenantAsync(number: NextNumber());
        await tenant.Http.PostJsonAsync("/api/assistants", new { name = "Desk", systemPrompt = "You text for Maple Realty.", maxTurns = 10, isDefault = true, followUpHours = hours ?? [1, 24] });
        return new Thread(tenant, NextNumber(), fixture);
    }

    /// <summary>The contact texts, the agent replies, and its first follow-up is scheduled.</summary>
    private static async Task<JsonNode> RepliedAsync(Thread thread, string text = "Hi, this is Robert. Is the condo on Elm still available?")
    {
        var before = thread.Received;
        await thread.TextAsync(text);
        await Eventually.GetAsync(() => Task.FromResult(thread.Received), n => n > before);
        return (await thread.FollowUpsWhereAsync(f => f.Count(x => Status(x) == "Scheduled") == 1)).Single(x => Status(x) == "Scheduled");
    }

    private static async Task<JsonNode> CancelledAsync(Thread thread, string id) =>
        (await thread.FollowUpsWhereAsync(f => f.Any(x => x["id"]!.GetValue<string>() == id && Status(x) == "Cancelled")))
            .Single(x => x["id"]!.GetValue<string>() == id);

    /// <summary>Moves the clock past a follow-up's time and waits until the workers have done all the work that
    /// became due (and the work it made, such as the send), on the test's clock.</summary>
    private async Task PassAsync(TimeSpan by)
    {
        fixture.Clock.Advance(by);
        var now = fixture.Clock.GetUtcNow().UtcDateTime;
        await Eventually.GetAsync(
            () => fixture.App.QueryAsync(db => db.WorkItems.IgnoreQueryFilters().CountAsync(w =>
                w.Status == Parley.Work.WorkStatus.Running || (w.Status == Parley.Work.WorkStatus.Pending && w.DueAtUtc <= now))),
            due => due == 0);
    }

    [Fact]
    public async Task A_quiet_contact_gets_each_follow_up_of_the_schedule_by_name_and_each_is_charged_as_an_ai_reply()
    {
        var thread = await ThreadAsync();
        var first = await RepliedAsync(thread);
        Assert.Equal(fixture.Clock.GetUtcNow().UtcDateTime.AddHours(1), first["dueAt"]!.GetValue<DateTime>().ToUniversalTime(), TimeSpan.FromSeconds(2));

        fixture.Clock.Advance(TimeSpan.FromMinutes(61));
        await Eventually.GetAsync(() => Task.FromResult(thread.Received), n => n == 2);
        Assert.Equal("Hi Robert, just checking in from Maple Realty. Any questions I can help with?", thread.Texts[^1]);
        var afterFirst = await thread.FollowUpsWhereAsync(f => f.Count == 2);
        Assert.Equal("Sent", Status(afterFirst[0]));
        Assert.Equal("Scheduled", Status(afterFirst[1]));
        Assert.True(await thread.ChargedAsync(first["id"]!.GetValue<string>()));

        fixture.Clock.Advance(TimeSpan.FromHours(24) + TimeSpan.FromMinutes(1));
        await Eventually.GetAsync(() => Task.FromResult(thread.Received), n => n == 3);
        Assert.Contains("one last time", thread.Texts[^1], StringComparison.Ordinal);
        var all = await thread.FollowUpsWhereAsync(f => f.All(x => Status(x) == "Sent"));
        Assert.Equal(2, all.Count); // the schedule has two steps: nothing more
        var aiCharges = await fixture.App.QueryAsync(db => db.WalletEntries.CountAsync(e => e.Kind == WalletEntryKind.AiReplyCharge), thread.Tenant.Id);
        Assert.Equal(3, aiCharges); // the reply and two follow-ups
    }

    [Fact]
    public async Task A_follow_up_costs_what_the_agents_reply_costs_and_one_the_wallet_cannot_pay_is_cancelled_for_nothing()
    {
        var thread = await ThreadAsync();
        var first = await RepliedAsync(thread, "hi who is this? got a text about a condo. I'm Dev");
        fixture.Clock.Advance(TimeSpan.FromMinutes(61));
        await Eventually.GetAsync(() => Task.FromResult(thread.Received), n => n == 2);

        // The reply and the follow-up: one AI reply charge each, at the same rate, and each text's segments.
        var charges = await Eventually.GetAsync(
            () => fixture.App.QueryAsync(db => db.WalletEntries.Where(e => e.Kind == WalletEntryKind.AiReplyCharge || e.Kind == WalletEntryKind.SmsSentCharge).ToListAsync(), thread.Tenant.Id),
            l => l.Count(e => e.Kind == WalletEntryKind.SmsSentCharge) == 2);
        var ai = charges.Where(e => e.Kind == WalletEntryKind.AiReplyCharge).ToList();
        Assert.Equal(2, ai.Count);
        Assert.All(ai, e => Assert.Equal(-20_000, e.AmountMicros));
        Assert.Contains(ai, e => e.Key == $"ai-reply:follow-up:{first["id"]}");

        // The wallet runs dry before the second follow-up: it is cancelled, nothing is sent and nothing charged.
        var second = (await thread.FollowUpsWhereAsync(f => f.Any(x => Status(x) == "Scheduled"))).Single(x => Status(x) == "Scheduled");
        await fixture.App.QueryAsync(async db =>
        {
            var balance = await db.WalletEntries.SumAsync(e => e.AmountMicros);
            db.WalletEntries.Add(new WalletEntry { TenantId = thread.Tenant.Id, Kind = WalletEntryKind.Adjustment, AmountMicros = -balance, Note = "Spent elsewhere", CreatedAtUtc = DateTime.UtcNow });
            return await db.SaveChangesAsync();
        }, thread.Tenant.Id);
        fixture.Clock.Advance(TimeSpan.FromHours(24) + TimeSpan.FromMinutes(1));

        var cancelled = await CancelledAsync(thread, second["id"]!.GetValue<string>());
        Assert.StartsWith("Wallet balance is empty", cancelled["cancelReason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.False(await thread.ChargedAsync(second["id"]!.GetValue<string>()));
        Assert.Equal(2, thread.Received);
    }

    [Fact]
    public async Task A_text_from_the_contact_cancels_the_follow_up()
    {
        var thread = await ThreadAsync();
        var followUp = await RepliedAsync(thread);

        await thread.TextAsync("Yes, what's the price?");

        var cancelled = await CancelledAsync(thread, followUp["id"]!.GetValue<string>());
        Assert.Equal("the contact texted.", cancelled["cancelReason"]!.GetValue<string>());
        Assert.False(await thread.ChargedAsync(followUp["id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_persons_reply_cancels_the_follow_up()
    {
        var thread = await ThreadAsync();
        var followUp = await RepliedAsync(thread);

        (await thread.Tenant.Http.PostAsJsonAsync($"/api/conversations/{thread.Id}/messages", new { text = "Hi Robert, Sam here. Yes it is!" })).EnsureSuccessStatusCode();

        var cancelled = await CancelledAsync(thread, followUp["id"]!.GetValue<string>());
        Assert.Equal("a person replied by hand.", cancelled["cancelReason"]!.GetValue<string>());
        await PassAsync(TimeSpan.FromMinutes(61));
        Assert.Equal(2, thread.Received); // the reply and the person's text: no follow-up
        Assert.False(await thread.ChargedAsync(followUp["id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Pausing_the_ai_cancels_the_follow_up()
    {
        var thread = await ThreadAsync();
        var followUp = await RepliedAsync(thread);

        (await thread.Tenant.Http.PostAsync($"/api/conversations/{thread.Id}/ai/pause", null)).EnsureSuccessStatusCode();

        Assert.Equal("the AI was paused.", (await CancelledAsync(thread, followUp["id"]!.GetValue<string>()))["cancelReason"]!.GetValue<string>());
        await PassAsync(TimeSpan.FromMinutes(61));
        Assert.Equal(1, thread.Received);
    }

    [Fact]
    public async Task An_opt_out_cancels_the_follow_up()
    {
        var thread = await ThreadAsync();
        var followUp = await RepliedAsync(thread);

        await thread.TextAsync("STOP");

        Assert.Equal("the contact opted out.", (await CancelledAsync(thread, followUp["id"]!.GetValue<string>()))["cancelReason"]!.GetValue<string>());
        await PassAsync(TimeSpan.FromMinutes(61));
        Assert.Equal(1, thread.Received);
    }

    [Fact]
    public async Task An_outcome_cancels_the_follow_up_instead_of_sending_it()
    {
        var thread = await ThreadAsync();
        var followUp = await RepliedAsync(thread);
        var id = Guid.Parse(thread.Id);
        await fixture.App.QueryAsync(db => db.Conversations.Where(c => c.Id == id).ExecuteUpdateAsync(u => u.SetProperty(c => c.Outcome, AgentOutcome.NeedsHuman)), thread.Tenant.Id);

        fixture.Clock.Advance(TimeSpan.FromMinutes(61));

        Assert.Equal("the conversation ended (NeedsHuman).", (await CancelledAsync(thread, followUp["id"]!.GetValue<string>()))["cancelReason"]!.GetValue<string>());
        Assert.Equal(1, thread.Received);
        Assert.False(await thread.ChargedAsync(followUp["id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_person_cancels_a_follow_up_and_another_tenant_cannot()
    {
        var thread = await ThreadAsync();
        var followUp = await RepliedAsync(thread);
        var url = $"/api/conversations/{thread.Id}/follow-ups/{followUp["id"]}/cancel";
        var other = await fixture.App.CreateTenantAsync(number: NextNumber());
        Assert.Equal(404, (int)(await other.Http.PostAsync(url, null)).StatusCode);
        Assert.Equal(404, (int)(await other.Http.GetAsync($"/api/conversations/{thread.Id}/follow-ups")).StatusCode);

        var cancelled = await (await thread.Tenant.Http.PostAsync(url, null)).EnsureSuccessStatusCode().ReadJsonAsync();

        Assert.Equal("Cancelled", Status(cancelled));
        Assert.Equal("cancelled by an API client.", cancelled["cancelReason"]!.GetValue<string>());
        await (await thread.Tenant.Http.PostAsync(url, null)).AssertProblemAsync(409);
        await PassAsync(TimeSpan.FromMinutes(61));
        Assert.Equal(1, thread.Received);
    }

    [Fact]
    public async Task A_follow_up_due_at_night_waits_for_the_morning_in_the_contacts_zone()
    {
        // 00:30 UTC is 20:30 in Toronto: an hour later is past 21:00, so the follow-up waits for 08:00 there.
        var thread = await ThreadAsync(utcHour: 0);
        fixture.Clock.Advance(TimeSpan.FromMinutes(30));
        var followUp = await RepliedAsync(thread);
        var morning = fixture.Clock.GetUtcNow().UtcDateTime.Date.AddHours(12); // 08:00 EDT
        Assert.Equal(morning, followUp["dueAt"]!.GetValue<DateTime>().ToUniversalTime());

        await PassAsync(TimeSpan.FromMinutes(61));
        Assert.Equal(1, thread.Received);

        fixture.Clock.Set(morning.AddMinutes(1));
        await Eventually.GetAsync(() => Task.FromResult(thread.Received), n => n == 2);
    }

    [Fact]
    public async Task Text_me_next_week_becomes_a_follow_up_then_instead_of_the_schedule()
    {
        var thread = await ThreadAsync();
        await RepliedAsync(thread);

        var before = thread.Received;
        await thread.TextAsync("I'm busy right now, text me next week");
        await Eventually.GetAsync(() => Task.FromResult(thread.Received), n => n > before);
        var asked = (await thread.FollowUpsWhereAsync(f => f.Any(x => Status(x) == "Scheduled"))).Single(x => Status(x) == "Scheduled");

        Assert.True(asked["requested"]!.GetValue<bool>());
        var today = fixture.Clock.GetUtcNow().UtcDateTime.Date; // 09:00 in Toronto: the same date there
        var monday = today.AddDays(((int)DayOfWeek.Monday - (int)today.DayOfWeek + 7) % 7 is 0 ? 7 : ((int)DayOfWeek.Monday - (int)today.DayOfWeek + 7) % 7);
        Assert.Equal(monday.AddHours(14), asked["dueAt"]!.GetValue<DateTime>().ToUniversalTime()); // 10:00 EDT

        fixture.Clock.Set(monday.AddHours(14).AddMinutes(1));
        await Eventually.GetAsync(() => Task.FromResult(thread.Received), n => n == before + 2);
        Assert.Contains("You asked us to text you around now", thread.Texts[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_schedules_are_refused_with_a_clear_problem()
    {
        var tenant = await fixture.App.CreateTenantAsync(number: NextNumber());
        foreach (var hours in new[] { new[] { 0 }, [1, 2, 3, 4, 5, 6], [24 * 91] })
        {
            await (await tenant.Http.PostAsJsonAsync("/api/assistants", new { name = "Desk", systemPrompt = "Hi.", followUpHours = hours })).AssertProblemAsync(400);
        }

        Assert.Empty((await tenant.Http.GetJsonAsync("/api/assistants")).AsArray());
    }
}
