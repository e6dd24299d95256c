using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.FollowUps;

/// <summary>The follow-up clock with tight sending limits: one segment a minute per number, three a day.</summary>
public sealed class LimitedFollowUpApp : FollowUpApp
{
    protected override Task ConfigureAsync(IDictionary<string, string?> settings)
    {
        settings["Parley:Campaigns:PerNumberPerMinute"] = "1";
        settings["Parley:Campaigns:PerTenantPerMinute"] = "100";
        settings["Parley:Campaigns:DailyCap"] = "3";
        return Task.CompletedTask;
    }
}

/// <summary>Follow-ups are held to the campaign limits, and share them with campaigns: one over a limit waits for
/// the next slot, still scheduled; it is neither dropped nor sent early.</summary>
public sealed class FollowUpLimitTests(LimitedFollowUpApp fixture) : IClassFixture<LimitedFollowUpApp>
{
    private static int numbers = 8600;
    private static int day;

    private static string NextNumber() => $"+1416555{Interlocked.Increment(ref numbers):D4}";

    private DateTime Now => fixture.Clock.GetUtcNow().UtcDateTime;

    /// <summary>A tenant whose agent follows up once, an hour after its reply; the clock at 09:00 Toronto on a new day.</summary>
    private async Task<TenantClient> TenantAsync()
    {
        fixture.Clock.Set(new DateTime(2026, 6, 1, 13, 0, 0, DateTimeKind.Utc).AddDays(Interlocked.Increment(ref day) * 3));
        var tenant = await fixture.App.CreateTenantAsync(number: NextNumber(), credit: 50);
        await tenant.Http.PostJsonAsync("/api/assistants", new { name = "Desk", systemPrompt = "You text for Maple Realty.", maxTurns = 10, isDefault = true, followUpHours = new[] { 1 } });
        return tenant;
    }

    /// <summary>The contact texts and the agent answers: its follow-up is scheduled. Returns the conversation id.</summary>
    private async Task<string> RepliedAsync(TenantClient tenant, string contact, string text)
    {
        await fixture.PostWebhookAsync(fixture.Telnyx.MessageReceivedJson($"evt-{Guid.NewGuid()}", $"msg-{Guid.NewGuid()}", contact, tenant.Number, text, Now));
        await Eventually.GetAsync(() => Task.FromResult(fixture.Telnyx.Sends.Count(s => s.To == contact)), n => n == 1);
        var id = (await tenant.Http.GetJsonAsync($"/api/conversations?search={Uri.EscapeDataString(contact)}"))[0]!["id"]!.GetValue<string>();
        await FollowUpAsync(tenant, id, f => f["status"]!.GetValue<string>() == "Scheduled");
        return id;
    }

    private static async Task<JsonNode> FollowUpAsync(TenantClient tenant, string conversationId, Func<JsonNode, bool> done) =>
        (await Eventually.GetAsync(() => tenant.Http.GetJsonAsync($"/api/conversations/{conversationId}/follow-ups"), l => l.AsArray().Count == 1 && done(l[0]!)))[0]!;

    private static string Status(JsonNode f) => f["status"]!.GetValue<string>();

    private static DateTime DueAt(JsonNode f) => f["dueAt"]!.GetValue<DateTime>().ToUniversalTime();

    private int FollowUpsSentTo(IEnumerable<string> contacts) => contacts.Sum(c => Math.Max(0, fixture.Telnyx.Sends.Count(s => s.To == c) - 1));

    [Fact]
    public async Task Follow_ups_due_together_go_one_a_minute_per_number_and_wait_a_day_past_the_daily_cap()
    {
        var tenant = await TenantAsync();
        var contacts = Enumerable.Range(0, 4).Select(_ => NextNumber()).ToList();
        var texts = new[] { "Hi, this is Robert. Is the condo on Elm still available?", "hey is the 2 bed on king st still for rent", "This is Priya - saw your sign on Bloor, what's the asking price?", "hello? got a missed call from this number" };
        var ids = new List<string>();
        for (var i = 0; i < contacts.Count; i++)
        {
            ids.Add(await RepliedAsync(tenant, contacts[i], texts[i]));
        }

        var due = Now.AddHours(1);
        fixture.Clock.Set(due.AddSeconds(1));

        // The first goes out; the other three wait, still scheduled, for the minute to pass.
        var followUps = await Eventually.GetAsync(
            () => Task.WhenAll(ids.Select(id => FollowUpAsync(tenant, id, _ => true))),
            all => all.Count(f => Status(f) == "Sent") == 1 && all.Count(f => Status(f) == "Scheduled" && DueAt(f) > due.AddSeconds(30)) == 3);
        var firstSentAt = followUps.Single(f => Status(f) == "Sent")["resolvedAt"]!.GetValue<DateTime>().ToUniversalTime();
        Assert.All(followUps.Where(f => Status(f) == "Scheduled"), f => Assert.Equal(firstSentAt.AddMinutes(1), DueAt(f), TimeSpan.FromSeconds(1)));
        await Eventually.GetAsync(() => Task.FromResult(FollowUpsSentTo(contacts)), n => n == 1); // the outbox sends it

        fixture.Clock.Set(firstSentAt.AddMinutes(1).AddSeconds(1));
        await Eventually.GetAsync(() => Task.WhenAll(ids.Select(id => FollowUpAsync(tenant, id, _ => true))), all => all.Count(f => Status(f) == "Sent") == 2);
        fixture.Clock.Set(firstSentAt.AddMinutes(2).AddSeconds(2));
        followUps = await Eventually.GetAsync(
            () => Task.WhenAll(ids.Select(id => FollowUpAsync(tenant, id, _ => true))),
            all => all.Count(f => Status(f) == "Sent") == 3 && all.Any(f => Status(f) == "Scheduled" && DueAt(f) > firstSentAt.AddHours(23)));

        // Three a day: the fourth waits until the first of them is a day old, then goes out.
        var last = followUps.Single(f => Status(f) == "Scheduled");
        Assert.Equal(firstSentAt.AddDays(1), DueAt(last), TimeSpan.FromSeconds(1));
        await Eventually.GetAsync(() => Task.FromResult(FollowUpsSentTo(contacts)), n => n == 3);
        fixture.Clock.Set(firstSentAt.AddDays(1).AddSeconds(1));
        await Eventually.GetAsync(() => Task.FromResult(FollowUpsSentTo(contacts)), n => n == 4);
        Assert.Equal(4, await fixture.App.QueryAsync(db => db.FollowUps.CountAsync(f => f.Status == Parley.FollowUps.FollowUpStatus.Sent && f.Segments == 1), tenant.Id));
    }

    [Fact]
    public async Task A_follow_up_waits_for_the_room_a_campaign_text_used_from_the_same_number()
    {
        var tenant = await TenantAsync();
        var contact = NextNumber();
        var id = await RepliedAsync(tenant, contact, "Is the townhouse on Queen still available? this is Dana");
        var due = Now.AddHours(1);

        // Half a minute before the follow-up is due, a campaign text goes out from the same number.
        fixture.Clock.Set(due.AddSeconds(-30));
        var recipient = NextNumber();
        var campaign = await tenant.Http.PostJsonAsync("/api/campaigns", new { name = "Open house", message = "Hi {firstName}, open house Sat at {company}. Reply STOP to opt out.", aiEnabled = true, recipients = new[] { new { phone = recipient, firstName = "Ana" } } });
        (await tenant.Http.PostAsync($"/api/campaigns/{campaign["id"]}/start", null)).EnsureSuccessStatusCode();
        await Eventually.GetAsync(() => Task.FromResult(fixture.Telnyx.Sends.Count(s => s.To == recipient)), n => n == 1);

        fixture.Clock.Set(due.AddSeconds(1));
        var waiting = await FollowUpAsync(tenant, id, f => Status(f) == "Scheduled" && DueAt(f) > due);
        Assert.Equal(due.AddSeconds(30), DueAt(waiting), TimeSpan.FromSeconds(1)); // a minute after the campaign text
        Assert.Equal(1, fixture.Telnyx.Sends.Count(s => s.To == contact));

        fixture.Clock.Set(due.AddSeconds(31));
        await FollowUpAsync(tenant, id, f => Status(f) == "Sent");
        await Eventually.GetAsync(() => Task.FromResult(fixture.Telnyx.Sends.Count(s => s.To == contact)), n => n == 2);
    }
}
