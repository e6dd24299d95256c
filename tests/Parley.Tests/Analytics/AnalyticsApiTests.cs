using System.Net;
using System.Text.Json.Nodes;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.Analytics;

/// <summary>What the analytics say is what happened in the tenant's conversations: drawn from real texts through
/// the Sandbox carrier and the rules model, never from another tenant's.</summary>
public sealed class AnalyticsApiTests(ParleyApp app) : IClassFixture<ParleyApp>
{
    private static int numbers = 7000;

    private static string NextNumber() => $"+1416555{Interlocked.Increment(ref numbers):D4}";

    private async Task TextAsync(TenantClient tenant, string from, string text)
    {
        (await tenant.Http.PostAsync("/api/sandbox/inbound", System.Net.Http.Json.JsonContent.Create(new { from, text }))).EnsureSuccessStatusCode();
        await app.WorkDrainedAsync(tenant.Id);
    }

    /// <summary>Four leads: one books a call, one asks who this is, one opts out, one never answers the business's text.</summary>
    private async Task<TenantClient> BusyTenantAsync()
    {
        var tenant = await app.CreateTenantAsync(number: NextNumber(), credit: 20);
        var booking = NextNumber();
        await TextAsync(tenant, booking, "Hi, is the house on Elm St still available?");
        await TextAsync(tenant, booking, "This is Robert");
        await TextAsync(tenant, booking, "tomorrow at 3pm works for a call");
        await TextAsync(tenant, NextNumber(), "hey who is this");
        await TextAsync(tenant, NextNumber(), "STOP");
        await tenant.Http.PostJsonAsync("/api/conversations", new { to = NextNumber(), message = "Hi, this is Maple Realty about your listing." });
        await app.WorkDrainedAsync(tenant.Id);
        return tenant;
    }

    [Fact]
    public async Task The_funnel_rates_and_spend_follow_the_conversations()
    {
        var tenant = await BusyTenantAsync();

        var report = await tenant.Http.GetJsonAsync("/api/analytics");

        var funnel = report["funnel"]!;
        Assert.Equal((4, 3, 2, 1), (Int(funnel, "texted"), Int(funnel, "replied"), Int(funnel, "qualified"), Int(funnel, "appointments")));
        Assert.Equal(0.75, report["replyRate"]!.GetValue<double>());
        Assert.Equal(0.25, report["optOutRate"]!.GetValue<double>());
        Assert.Equal(1, Int(report["outcomes"]!, "AppointmentScheduled"));
        Assert.Equal(1, Int(report["outcomes"]!, "NotInterested"));
        var aiSpend = report["aiSpend"]!.GetValue<decimal>();
        var smsSpend = report["smsSpend"]!.GetValue<decimal>();
        Assert.True(aiSpend > 0 && smsSpend > 0, report.ToJsonString());
        Assert.Equal(Math.Round(aiSpend + smsSpend, 2), report["costPerAppointment"]!.GetValue<decimal>());

        var days = report["days"]!.AsArray();
        Assert.Equal(30, days.Count);
        Assert.Equal(4, days.Sum(d => Int(d!, "conversations")));
        Assert.Equal(1, days.Sum(d => Int(d!, "appointments")));
        Assert.Equal(1, days.Sum(d => Int(d!, "optOuts")));
        Assert.Equal(5, days.Sum(d => Int(d!, "inboundTexts")));
        Assert.True(days.Sum(d => Int(d!, "aiReplies")) >= 4, report.ToJsonString());
        Assert.Equal(aiSpend, days.Sum(d => d!["aiSpend"]!.GetValue<decimal>()));
    }

    [Fact]
    public async Task A_campaign_or_an_agent_narrows_the_figures_to_its_own_conversations()
    {
        var tenant = await BusyTenantAsync();
        var lee = NextNumber();
        await tenant.Http.PostJsonAsync("/api/contacts", new { firstName = "Lee", phones = new[] { lee }, timeZone = Afternoon.Zone() }); // outside quiet hours
        var campaign = await tenant.Http.PostJsonAsync("/api/campaigns", new { name = "Elm St open house", message = "Hi {firstName}, open house Sat. Reply STOP to opt out.", aiEnabled = true, recipients = new[] { new { phone = lee, firstName = "Lee" } } });
        var campaignId = campaign["id"]!.GetValue<string>();
        (await tenant.Http.PostAsync($"/api/campaigns/{campaignId}/start", null)).EnsureSuccessStatusCode();
        await app.WorkDrainedAsync(tenant.Id);

        var forCampaign = await tenant.Http.GetJsonAsync($"/api/analytics?campaignId={campaignId}");
        Assert.Equal((1, 0), (Int(forCampaign["funnel"]!, "texted"), Int(forCampaign["funnel"]!, "replied")));
        Assert.Equal(0m, forCampaign["aiSpend"]!.GetValue<decimal>());
        Assert.Equal(5, Int((await tenant.Http.GetJsonAsync("/api/analytics"))["funnel"]!, "texted"));

        var other = await tenant.Http.PostJsonAsync("/api/assistants", new { name = "Spanish line", systemPrompt = "Responde en español.", maxTurns = 10, isDefault = false });
        var forOther = await tenant.Http.GetJsonAsync($"/api/analytics?assistantId={other["id"]!.GetValue<string>()}");
        Assert.Equal(0, Int(forOther["funnel"]!, "texted"));
    }

    [Fact]
    public async Task Another_tenant_sees_none_of_it_and_cannot_name_its_campaign()
    {
        var busy = await BusyTenantAsync();
        var campaign = await busy.Http.PostJsonAsync("/api/campaigns", new { name = "Private list", message = "Hi {firstName}. Reply STOP to opt out.", aiEnabled = true, recipients = new[] { new { phone = NextNumber(), firstName = "Kim" } } });
        var quiet = await app.CreateTenantAsync(number: NextNumber());

        var report = await quiet.Http.GetJsonAsync("/api/analytics");
        Assert.Equal(0, Int(report["funnel"]!, "texted"));
        Assert.Equal(0m, report["aiSpend"]!.GetValue<decimal>());
        var named = await quiet.Http.GetAsync($"/api/analytics?campaignId={campaign["id"]!.GetValue<string>()}");
        Assert.Contains("No campaign of yours", await named.AssertProblemAsync(400), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("from=2026-13-01", "from")]
    [InlineData("to=yesterday", "to")]
    [InlineData("from=2026-11-20&to=2026-11-01", "starts after it ends")]
    [InlineData("from=2024-01-01&to=2026-01-01", "at most 366 days")]
    [InlineData("from=1900-01-01&to=1900-01-02", "between 2000 and 2100")]
    public async Task A_bad_range_is_a_clear_problem(string query, string mentioned)
    {
        var tenant = await app.CreateTenantAsync(number: NextNumber());

        var response = await tenant.Http.GetAsync($"/api/analytics?{query}");

        Assert.Contains(mentioned, await response.AssertProblemAsync(400), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_range_gives_one_entry_per_local_day()
    {
        var tenant = await app.CreateTenantAsync(number: NextNumber());

        var report = await tenant.Http.GetJsonAsync("/api/analytics?from=2026-03-07&to=2026-03-09"); // across the spring-forward night

        Assert.Equal(["2026-03-07", "2026-03-08", "2026-03-09"], report["days"]!.AsArray().Select(d => d!["date"]!.GetValue<string>()));
    }

    private static int Int(JsonNode node, string name) => node[name]!.GetValue<int>();
}
