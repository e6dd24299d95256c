using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.Accounts;

/// <summary>The A2P 10DLC wizard against the Telnyx fake's 10DLC registry: brand, campaign, number assignment, and the
/// gate set Live only when the campaign is approved and the numbers assigned.</summary>
public sealed class A2pRegistrationTests(TelnyxApp fixture) : IClassFixture<TelnyxApp>
{
    private static int numbers = 4000;

    private static string NextNumber() => $"+1416560{Interlocked.Increment(ref numbers):D4}";

    public static object Details(string description = "Maple Realty answers people who text about its listings and books viewings with an agent.") => new
    {
        entityType = "PRIVATE_PROFIT",
        displayName = "Maple Realty",
        companyName = "Maple Realty LLC",
        ein = "12-3456789",
        phone = "+12125550100",
        email = "ops@maplerealty.example",
        street = "1 Main St",
        city = "Albany",
        state = "NY",
        postalCode = "12207",
        website = "https://maplerealty.example",
        vertical = "REAL_ESTATE",
        useCase = "CUSTOMER_CARE",
        description,
        messageFlow = "People text our listed number first, from signs and our website; we only answer.",
        sample1 = "Hi, this is Maple Realty. The house on Elm is still available; would you like a viewing?",
        sample2 = "Thanks Ana, your viewing is booked for Tuesday at 4 pm. Reply STOP to opt out.",
    };

    private static string A2p(JsonNode view) => view["a2pStatus"]!.GetValue<string>();

    private static string Step(JsonNode view, string name) => view["steps"]!.AsArray().Single(s => s!["name"]!.GetValue<string>() == name)!["status"]!.GetValue<string>();

    [Fact]
    public async Task The_wizard_registers_brand_then_campaign_and_goes_live_only_once_approved_and_numbers_assigned()
    {
        var tenant = await fixture.App.CreateTenantAsync(number: NextNumber(), a2pStatus: "NotStarted");
        var submitted = await tenant.Http.PostJsonAsync("/api/a2p/registration", Details());
        Assert.Equal("Pending", A2p(submitted));
        Assert.Equal("VERIFIED", Step(submitted, "brand"));
        Assert.Equal("TCR_PENDING", Step(submitted, "campaign"));

        var brand = fixture.Telnyx.TenDlcRequests.Last(r => r.Path == "/v2/10dlc/brand").Body;
        Assert.Equal("PRIVATE_PROFIT", brand["entityType"]!.GetValue<string>());
        Assert.Equal("Maple Realty LLC", brand["companyName"]!.GetValue<string>());
        Assert.Equal("12207", brand["postalCode"]!.GetValue<string>());
        Assert.Equal("US", brand["country"]!.GetValue<string>());
        var campaign = fixture.Telnyx.TenDlcRequests.Last(r => r.Path == "/v2/10dlc/campaignBuilder").Body;
        Assert.Equal("CUSTOMER_CARE", campaign["usecase"]!.GetValue<string>());
        Assert.NotNull(campaign["sample1"]);
        Assert.NotNull(campaign["messageFlow"]);

        var pending = await tenant.Http.GetJsonAsync("/api/a2p/registration");
        Assert.Equal("Pending", A2p(pending));
        Assert.DoesNotContain(fixture.Telnyx.TenDlcRequests, r => r.Path == "/v2/10dlc/phone_number_campaigns" && r.Body["phoneNumber"]!.GetValue<string>() == tenant.Number);

        var campaignId = submitted["steps"]!.AsArray().Single(s => s!["name"]!.GetValue<string>() == "campaign")!["id"]!.GetValue<string>();
        fixture.Telnyx.SetCampaignStatus(campaignId, "MNO_PROVISIONED");
        var live = await tenant.Http.GetJsonAsync("/api/a2p/registration");
        Assert.Equal("Live", A2p(live));
        Assert.Equal("ASSIGNED", Step(live, $"number {tenant.Number}"));
        Assert.Equal("Live", (await tenant.Http.GetJsonAsync("/api/account"))["a2pStatus"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_rejected_campaign_is_explained_and_a_corrected_resubmission_keeps_the_brand()
    {
        var tenant = await fixture.App.CreateTenantAsync(number: NextNumber(), a2pStatus: "NotStarted");
        var submitted = await tenant.Http.PostJsonAsync("/api/a2p/registration", Details());
        var campaignId = submitted["steps"]!.AsArray().Single(s => s!["name"]!.GetValue<string>() == "campaign")!["id"]!.GetValue<string>();
        fixture.Telnyx.SetCampaignStatus(campaignId, "TCR_FAILED");

        var rejected = await tenant.Http.GetJsonAsync("/api/a2p/registration");
        Assert.Equal("Rejected", A2p(rejected));
        Assert.Contains("carriers rejected the campaign", rejected["problem"]!.GetValue<string>(), StringComparison.Ordinal);

        var brands = fixture.Telnyx.TenDlcRequests.Count(r => r.Path == "/v2/10dlc/brand");
        var again = await tenant.Http.PostJsonAsync("/api/a2p/registration", Details());
        Assert.Equal("Pending", A2p(again));
        Assert.Equal(brands, fixture.Telnyx.TenDlcRequests.Count(r => r.Path == "/v2/10dlc/brand"));
        Assert.NotEqual(campaignId, again["steps"]!.AsArray().Single(s => s!["name"]!.GetValue<string>() == "campaign")!["id"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("ein", """{"ein":"123"}""")]
    [InlineData("state", """{"state":"New York"}""")]
    [InlineData("description", """{"description":"texts"}""")]
    [InlineData("entityType", """{"entityType":"CORPORATION"}""")]
    public async Task Bad_details_are_a_400_naming_the_field_and_nothing_is_submitted(string field, string patch)
    {
        var tenant = await fixture.App.CreateTenantAsync(number: NextNumber(), a2pStatus: "NotStarted");
        var body = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(Details()))!.AsObject();
        foreach (var (key, value) in JsonNode.Parse(patch)!.AsObject())
        {
            body[key] = value?.DeepClone();
        }

        var before = fixture.Telnyx.TenDlcRequests.Count;
        var response = await tenant.Http.PostAsync("/api/a2p/registration", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        Assert.Contains($"\"{field}\"", await response.AssertProblemAsync(400), StringComparison.Ordinal);
        Assert.Equal("NotStarted", (await tenant.Http.GetJsonAsync("/api/account"))["a2pStatus"]!.GetValue<string>());
        Assert.True(fixture.Telnyx.TenDlcRequests.Count >= before);
    }

    [Fact]
    public async Task Another_tenant_sees_nothing_of_a_registration()
    {
        var owner = await fixture.App.CreateTenantAsync(number: NextNumber(), a2pStatus: "NotStarted");
        var other = await fixture.App.CreateTenantAsync(number: NextNumber(), a2pStatus: "NotStarted");
        await owner.Http.PostJsonAsync("/api/a2p/registration", Details());
        var view = await other.Http.GetJsonAsync("/api/a2p/registration");
        Assert.Equal("NotStarted", A2p(view));
        Assert.Empty(view["steps"]!.AsArray());
    }
}

/// <summary>With the Sandbox carrier the registration completes at once.</summary>
public sealed class SandboxA2pRegistrationTests(ParleyApp app) : IClassFixture<ParleyApp>
{
    [Fact]
    public async Task In_sandbox_mode_the_registration_is_live_at_once()
    {
        var tenant = await app.CreateTenantAsync(number: "+14165609999", a2pStatus: "NotStarted");
        var response = await tenant.Http.PostAsJsonAsync("/api/a2p/registration", A2pRegistrationTests.Details());
        var view = await response.ReadJsonAsync();
        Assert.Equal("Live", view["a2pStatus"]!.GetValue<string>());
    }
}
