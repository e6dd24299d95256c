using Parley.Tests.Infrastructure;

namespace Parley.Tests.Work;

/// <summary>Parley on Telnyx with the campaign limits out of the way, so a campaign dispatches as fast as it can, and
/// one worker, so the order items are claimed in is the order they run in (with more, the other workers rightly
/// keep sending the campaign while one answers the text, and how many texts that is depends on the machine).</summary>
public sealed class UnthrottledCampaignApp() : TelnyxApp(new Dictionary<string, string?>
{
    ["Parley:Work:Concurrency"] = "1",
    ["Parley:Campaigns:PerNumberPerMinute"] = "1000000",
    ["Parley:Campaigns:PerTenantPerMinute"] = "1000000",
    ["Parley:Campaigns:DailyCap"] = "1000000",
    ["Parley:Campaigns:BatchSize"] = "100",
});

/// <summary>One tenant's campaign never stands in front of another tenant's reply.</summary>
public sealed class FairnessTests(UnthrottledCampaignApp fixture) : IClassFixture<UnthrottledCampaignApp>
{
    private const int CampaignSize = 400;

    [Fact]
    public async Task Another_tenant_s_inbound_text_is_answered_while_a_big_campaign_dispatches()
    {
        var busy = await fixture.App.CreateTenantAsync(number: "+14165557001", name: "Campaign Realty", credit: 100);
        var other = await fixture.App.CreateTenantAsync(number: "+14165557002", name: "Quiet Realty");
        var recipients = Enumerable.Range(0, CampaignSize).Select(i => new { phone = $"{AudiencePrefix()}{1000 + i:D4}", firstName = "Sam" }).ToArray();
        var created = await busy.Http.PostJsonAsync("/api/campaigns", new { name = "Open house", message = "Hi {firstName}, open house Saturday. Reply STOP to opt out.", aiEnabled = false, recipients });
        var campaignId = created["id"]!.GetValue<string>();
        (await busy.Http.PostAsync($"/api/campaigns/{campaignId}/start", null)).EnsureSuccessStatusCode();
        await Eventually.GetAsync(() => Task.FromResult(CampaignSent(busy)), n => n > 0, TimeSpan.FromSeconds(60));

        // A campaign batch of 100 texts is queued and going out when the other tenant's contact writes.
        const string contact = "+14165557099";
        var response = await fixture.PostWebhookAsync(fixture.Telnyx.MessageReceivedJson($"evt-{Guid.NewGuid()}", $"msg-{Guid.NewGuid()}", contact, other.Number, "Hi, is the condo still available?"));
        response.EnsureSuccessStatusCode();
        var sentWhenTextArrived = CampaignSent(busy);
        var sends = await Eventually.GetAsync(() => Task.FromResult(fixture.Telnyx.Sends.ToList()), s => s.Any(x => x.To == contact), TimeSpan.FromSeconds(60));

        var reply = sends.FindIndex(s => s.To == contact);
        var sentBeforeReply = sends.Take(reply).Count(s => s.From == busy.Number);
        Assert.True(sentBeforeReply < CampaignSize, "the reply went out while the campaign was still dispatching");
        // The text's three items (inbound text, turn, reply) each go before the campaign's queued sends: at most the
        // campaign text being sent when the webhook was answered goes out in between, not the batch of 100.
        Assert.True(
            sentBeforeReply - sentWhenTextArrived < 5,
            $"{sentBeforeReply - sentWhenTextArrived} campaign texts went out between the text and its reply: the reply queued behind the campaign");
        await Eventually.GetAsync(() => Task.FromResult(CampaignSent(busy)), n => n == CampaignSize, TimeSpan.FromSeconds(120));
    }

    private int CampaignSent(TenantClient tenant) => fixture.Telnyx.Sends.Count(s => s.From == tenant.Number);

    /// <summary>Recipients whose local time is mid-day now, so quiet hours hold none of the texts back.</summary>
    private static string AudiencePrefix()
    {
        var zones = new (string Prefix, string Zone)[]
        {
            ("+1416555", "America/Toronto"), ("+1808555", "Pacific/Honolulu"), ("+44207946", "Europe/London"),
            ("+8133123", "Asia/Tokyo"), ("+91226612", "Asia/Kolkata"), ("+6129876", "Australia/Sydney"),
        };
        return zones.First(z => TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById(z.Zone)).Hour is >= 10 and < 19).Prefix;
    }
}
