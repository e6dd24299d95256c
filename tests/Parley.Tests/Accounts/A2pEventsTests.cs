using System.Net;
using System.Text.Json.Nodes;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.Accounts;

/// <summary>Parley on the Telnyx fake with a public address (so brands and campaigns name Parley's 10DLC webhook) and a
/// poll too slow to matter within a test: only the webhook can move a registration on.</summary>
public sealed class A2pWebhookApp() : TelnyxApp(new() { ["Parley:DashboardUrl"] = "https://parley.test", ["Parley:A2p:PollInterval"] = "01:00:00" });

/// <summary>Parley on the Telnyx fake with a one-second poll and no public address: no webhook ever comes.</summary>
public sealed class A2pPollApp() : TelnyxApp(new() { ["Parley:A2p:PollInterval"] = "00:00:01" });

/// <summary>A registration moves on from Telnyx's 10DLC events, or by itself on a schedule, with nobody watching the wizard.</summary>
public sealed class A2pEventsTests(A2pWebhookApp fixture) : IClassFixture<A2pWebhookApp>
{
    private static int numbers = 4500;

    private static string NextNumber() => $"+1416560{Interlocked.Increment(ref numbers):D4}";

    private static string CampaignId(JsonNode view) => view["steps"]!.AsArray().Single(s => s!["name"]!.GetValue<string>() == "campaign")!["id"]!.GetValue<string>();

    private static async Task<string> A2pAsync(TenantClient tenant) => (await tenant.Http.GetJsonAsync("/api/account"))["a2pStatus"]!.GetValue<string>();

    private async Task<HttpResponseMessage> PostEventAsync(string json, bool signed = true)
    {
        using var client = fixture.App.CreateClient();
        using var request = fixture.Telnyx.SignedWebhook(json, path: "/webhooks/telnyx/10dlc");
        if (!signed)
        {
            request.Headers.Remove("telnyx-signature-ed25519");
            request.Headers.TryAddWithoutValidation("telnyx-signature-ed25519", Convert.ToBase64String(new byte[64]));
        }

        return await client.SendAsync(request);
    }

    private static string CampaignEvent(string campaignId, string status) => new JsonObject
    {
        ["data"] = new JsonObject
        {
            ["event_type"] = "10dlc.campaign.update",
            ["id"] = Guid.NewGuid().ToString(),
            ["occurred_at"] = DateTimeOffset.UtcNow.ToString("O"),
            ["payload"] = new JsonObject { ["campaignId"] = campaignId, ["status"] = status, ["type"] = "TELNYX_EVENT" },
        },
    }.ToJsonString();

    [Fact]
    public async Task A_campaign_event_makes_the_tenant_live_without_anyone_opening_the_wizard()
    {
        var tenant = await fixture.App.CreateTenantAsync(number: NextNumber(), a2pStatus: "NotStarted");
        var bystander = await fixture.App.CreateTenantAsync(number: NextNumber(), a2pStatus: "NotStarted");
        var submitted = await tenant.Http.PostJsonAsync("/api/a2p/registration", A2pRegistrationTests.Details());
        var waiting = await bystander.Http.PostJsonAsync("/api/a2p/registration", A2pRegistrationTests.Details());
        Assert.Equal("https://parley.test/webhooks/telnyx/10dlc", fixture.Telnyx.TenDlcRequests.Last(r => r.Path == "/v2/10dlc/campaignBuilder").Body["webhookURL"]!.GetValue<string>());
        Assert.Equal("https://parley.test/webhooks/telnyx/10dlc", fixture.Telnyx.TenDlcRequests.Last(r => r.Path == "/v2/10dlc/brand").Body["webhookURL"]!.GetValue<string>());
        var campaignId = CampaignId(submitted);
        fixture.Telnyx.SetCampaignStatus(campaignId, "MNO_PROVISIONED");
        fixture.Telnyx.SetCampaignStatus(CampaignId(waiting), "MNO_PROVISIONED");

        var forged = await PostEventAsync(CampaignEvent(campaignId, "MNO_PROVISIONED"), signed: false);
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        (await PostEventAsync(CampaignEvent("unknown-campaign", "MNO_PROVISIONED"))).EnsureSuccessStatusCode();
        (await PostEventAsync(CampaignEvent(campaignId, "MNO_PROVISIONED"))).EnsureSuccessStatusCode();
        (await PostEventAsync(CampaignEvent(campaignId, "MNO_PROVISIONED"))).EnsureSuccessStatusCode(); // retried by Telnyx

        await Eventually.GetAsync(() => A2pAsync(tenant), s => s == "Live");
        Assert.Single(fixture.Telnyx.TenDlcRequests, r => r.Path == "/v2/10dlc/phone_number_campaigns" && r.Body["phoneNumber"]!.GetValue<string>() == tenant.Number);
        await fixture.App.WorkDrainedAsync(bystander.Id);
        Assert.Equal("Pending", await A2pAsync(bystander)); // its own event has not come, and its hourly look is not due
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_a_client_error_and_changes_nothing()
    {
        var response = await PostEventAsync("not json at all");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}

/// <summary>Without any webhook, a pending registration is read back on a schedule until it settles.</summary>
public sealed class A2pPollTests(A2pPollApp fixture) : IClassFixture<A2pPollApp>
{
    [Fact]
    public async Task A_pending_registration_goes_live_on_its_own_once_the_campaign_is_approved()
    {
        var tenant = await fixture.App.CreateTenantAsync(number: "+14165604900", a2pStatus: "NotStarted");
        var submitted = await tenant.Http.PostJsonAsync("/api/a2p/registration", A2pRegistrationTests.Details());
        Assert.DoesNotContain("webhookURL", fixture.Telnyx.TenDlcRequests.Last(r => r.Path == "/v2/10dlc/brand").Body.ToJsonString(), StringComparison.Ordinal);
        await Task.Delay(1500);
        Assert.Equal("Pending", (await tenant.Http.GetJsonAsync("/api/account"))["a2pStatus"]!.GetValue<string>());

        var campaignId = submitted["steps"]!.AsArray().Single(s => s!["name"]!.GetValue<string>() == "campaign")!["id"]!.GetValue<string>();
        fixture.Telnyx.SetCampaignStatus(campaignId, "MNO_PROVISIONED");

        await Eventually.GetAsync(async () => (await tenant.Http.GetJsonAsync("/api/account"))["a2pStatus"]!.GetValue<string>(), s => s == "Live");
    }
}
