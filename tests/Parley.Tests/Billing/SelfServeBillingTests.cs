using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Parley.Billing;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.Billing;

/// <summary>Top-ups and plans through the default Sandbox payment provider, which completes a payment at once.</summary>
public sealed class SelfServeBillingTests(ParleyApp app) : IClassFixture<ParleyApp>
{
    private static int numbers = 7000;

    private static string NextNumber() => $"+1416556{Interlocked.Increment(ref numbers):D4}";

    private Task<List<WalletEntry>> LedgerAsync(TenantClient tenant) =>
        app.QueryAsync(db => db.WalletEntries.AsNoTracking().OrderBy(e => e.Id).ToListAsync(), tenant.Id);

    [Fact]
    public async Task A_sandbox_top_up_completes_at_once_and_credits_the_wallet_once()
    {
        var tenant = await app.CreateTenantAsync(number: NextNumber(), credit: 0);
        var response = await tenant.Http.PostAsJsonAsync("/api/billing/topups", new { amount = 20m });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var payment = await response.ReadJsonAsync();
        Assert.Equal("Succeeded", payment["status"]!.GetValue<string>());
        Assert.Null(payment["checkoutUrl"]);
        Assert.Equal(20m, payment["amount"]!.GetValue<decimal>());
        Assert.Equal("USD", payment["currency"]!.GetValue<string>());

        var id = payment["id"]!.GetValue<Guid>();
        var ledger = await LedgerAsync(tenant);
        var credit = Assert.Single(ledger);
        Assert.Equal(WalletEntryKind.TopUp, credit.Kind);
        Assert.Equal(20_000_000, credit.AmountMicros);
        Assert.Equal(id, credit.PaymentId);
        Assert.Equal(20m, (await tenant.Http.GetJsonAsync("/api/account"))["walletBalance"]!.GetValue<decimal>());
        Assert.Equal("Succeeded", (await tenant.Http.GetJsonAsync($"/api/billing/topups/{id}"))["status"]!.GetValue<string>());
        Assert.Single((await tenant.Http.GetJsonAsync("/api/billing/payments")).AsArray());
    }

    [Theory]
    [InlineData("""{"amount":0}""")]
    [InlineData("""{"amount":4.99}""")]
    [InlineData("""{"amount":2000.01}""")]
    [InlineData("""{"amount":10.005}""")]
    [InlineData("""{"amount":-20}""")]
    [InlineData("""{}""")]
    [InlineData("""{"amount":"lots"}""")]
    [InlineData("""[1,2]""")]
    public async Task A_top_up_outside_the_limits_is_a_clear_400_and_charges_nothing(string json)
    {
        var tenant = await app.CreateTenantAsync(number: NextNumber(), credit: 0);
        var response = await tenant.Http.PostAsync("/api/billing/topups", new StringContent(json, Encoding.UTF8, "application/json"));
        await response.AssertProblemAsync(400);
        Assert.Empty(await LedgerAsync(tenant));
        Assert.Empty(await app.QueryAsync(db => db.Payments.ToListAsync(), tenant.Id));
    }

    [Fact]
    public async Task Another_tenants_payment_is_a_404_and_its_receipts_are_not_listed()
    {
        var owner = await app.CreateTenantAsync(number: NextNumber(), credit: 0);
        var other = await app.CreateTenantAsync(number: NextNumber(), credit: 0);
        var payment = await owner.Http.PostJsonAsync("/api/billing/topups", new { amount = 10m });

        Assert.Equal(HttpStatusCode.NotFound, (await other.Http.GetAsync($"/api/billing/topups/{payment["id"]}")).StatusCode);
        Assert.Empty((await other.Http.GetJsonAsync("/api/billing/payments")).AsArray());
        Assert.Equal(0m, (await other.Http.GetJsonAsync("/api/billing/usage"))["balance"]!.GetValue<decimal>());
        Assert.False((await other.Http.GetJsonAsync("/api/billing/auto-recharge"))["enabled"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_tenant_upgrades_and_downgrades_its_plan_itself_and_the_ai_gate_follows()
    {
        var tenant = await app.CreateTenantAsync(number: NextNumber(), plan: "Free", credit: 0);
        Assert.False((await tenant.Http.GetJsonAsync("/api/billing/plan"))["aiAllowed"]!.GetValue<bool>());

        var upgraded = await tenant.Http.PostJsonAsync("/api/billing/plan", new { plan = "Growth" });
        Assert.Equal("Growth", upgraded["plan"]!.GetValue<string>());
        Assert.Equal("Active", upgraded["status"]!.GetValue<string>());
        Assert.Null(upgraded["checkoutUrl"]);
        Assert.True(upgraded["aiAllowed"]!.GetValue<bool>());
        Assert.Equal("Growth", (await tenant.Http.GetJsonAsync("/api/account"))["plan"]!.GetValue<string>());

        var launch = await tenant.Http.PostJsonAsync("/api/billing/plan", new { plan = "Launch" });
        Assert.Equal("Launch", launch["plan"]!.GetValue<string>());
        Assert.False(launch["aiAllowed"]!.GetValue<bool>());

        var free = await tenant.Http.PostJsonAsync("/api/billing/plan", new { plan = "Free" });
        Assert.Equal("Free", free["plan"]!.GetValue<string>());
        Assert.Equal("None", free["status"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"plan":"Platinum"}""")]
    [InlineData("""{"plan":7}""")]
    [InlineData("""{}""")]
    public async Task An_unknown_plan_is_a_400(string json)
    {
        var tenant = await app.CreateTenantAsync(number: NextNumber(), plan: "Free", credit: 0);
        var response = await tenant.Http.PostAsync("/api/billing/plan", new StringContent(json, Encoding.UTF8, "application/json"));
        await response.AssertProblemAsync(400);
        Assert.Equal("Free", (await tenant.Http.GetJsonAsync("/api/account"))["plan"]!.GetValue<string>());
    }

    [Fact]
    public async Task Billing_needs_a_tenant_key()
    {
        using var anonymous = app.CreateClient();
        await (await anonymous.PostAsJsonAsync("/api/billing/topups", new { amount = 20m })).AssertProblemAsync(401);
        await (await anonymous.PostAsJsonAsync("/api/billing/plan", new { plan = "Growth" })).AssertProblemAsync(401);
        await (await anonymous.GetAsync("/api/billing/auto-recharge")).AssertProblemAsync(401);
    }
}
