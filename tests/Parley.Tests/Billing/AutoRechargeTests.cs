using System.Net.Http.Json;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Parley.Agent;
using Parley.Billing;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.Billing;

/// <summary>Auto-recharge through the durable queue and the Sandbox payment provider: one recharge per dip, at most
/// so many a day.</summary>
public sealed class AutoRechargeTests(ParleyApp app) : IClassFixture<ParleyApp>
{
    private static int numbers = 8000;

    private static string NextNumber() => $"+1416557{Interlocked.Increment(ref numbers):D4}";

    private Task<List<Payment>> RechargesAsync(TenantClient tenant) =>
        app.QueryAsync(db => db.Payments.AsNoTracking().Where(p => p.Kind == PaymentKind.AutoRecharge).ToListAsync(), tenant.Id);

    /// <summary>One manual text: one segment charged when the Sandbox carrier accepts it.</summary>
    private static Task<System.Text.Json.Nodes.JsonNode> TextAsync(TenantClient tenant) =>
        tenant.Http.PostJsonAsync("/api/conversations", new { to = NextNumber(), message = "Your showing is confirmed." });

    private Task<long> BalanceAsync(TenantClient tenant) => app.QueryAsync(db => db.WalletEntries.SumAsync(e => e.AmountMicros), tenant.Id);

    [Fact]
    public async Task The_rule_is_read_back_as_set_and_bad_values_are_refused()
    {
        var tenant = await app.CreateTenantAsync(number: NextNumber(), credit: 0);
        var rule = await tenant.Http.GetJsonAsync("/api/billing/auto-recharge");
        Assert.False(rule["enabled"]!.GetValue<bool>());

        var response = await tenant.Http.PutAsJsonAsync("/api/billing/auto-recharge", new { enabled = true, thresholdUsd = 5m, amountUsd = 25m, maxPerDay = 2 });
        var set = await response.ReadJsonAsync();
        Assert.True(set["enabled"]!.GetValue<bool>());
        Assert.Equal(25m, (await tenant.Http.GetJsonAsync("/api/billing/auto-recharge"))["amountUsd"]!.GetValue<decimal>());

        foreach (var json in new[] { """{"amountUsd":1}""", """{"thresholdUsd":-1}""", """{"maxPerDay":0}""", """{"maxPerDay":1000}""", """{"amountUsd":"x"}""" })
        {
            await (await tenant.Http.PutAsync("/api/billing/auto-recharge", new StringContent(json, Encoding.UTF8, "application/json"))).AssertProblemAsync(400);
        }

        Assert.Equal(2, (await tenant.Http.GetJsonAsync("/api/billing/auto-recharge"))["maxPerDay"]!.GetValue<int>());
    }

    [Fact]
    public async Task Many_charges_in_one_dip_below_the_threshold_recharge_once()
    {
        var tenant = await app.CreateTenantAsync(number: NextNumber(), credit: 5m);
        await tenant.Http.PutAsJsonAsync("/api/billing/auto-recharge", new { enabled = true, thresholdUsd = 4.99m, amountUsd = 10m, maxPerDay = 5 });

        await TextAsync(tenant); // the first start makes the default assistant (concurrent first starts race on it)
        await Task.WhenAll(Enumerable.Range(0, 7).Select(_ => TextAsync(tenant)));
        await Eventually.GetAsync(() => app.QueryAsync(db => db.WalletEntries.CountAsync(e => e.Kind == WalletEntryKind.SmsSentCharge), tenant.Id), n => n == 8,
            TimeSpan.FromSeconds(45)); // eight concurrent sends on a machine shared with other suites
        await app.WorkDrainedAsync(tenant.Id);

        var recharge = Assert.Single(await RechargesAsync(tenant));
        Assert.Equal(PaymentStatus.Succeeded, recharge.Status);
        Assert.Equal(15m - (8 * 0.008m), new Money(await BalanceAsync(tenant)).Dollars);
        var credit = Assert.Single(await app.QueryAsync(db => db.WalletEntries.Where(e => e.Kind == WalletEntryKind.TopUp).ToListAsync(), tenant.Id));
        Assert.Equal(recharge.Id, credit.PaymentId);
    }

    [Fact]
    public async Task No_more_than_the_days_limit_is_charged_however_low_the_balance_stays()
    {
        var tenant = await app.CreateTenantAsync(number: NextNumber(), credit: 5m);
        await tenant.Http.PutAsJsonAsync("/api/billing/auto-recharge", new { enabled = true, thresholdUsd = 1000m, amountUsd = 5m, maxPerDay = 2 });

        for (var i = 0; i < 4; i++)
        {
            await TextAsync(tenant);
            await Eventually.GetAsync(() => app.QueryAsync(db => db.WalletEntries.CountAsync(e => e.Kind == WalletEntryKind.SmsSentCharge), tenant.Id), n => n == i + 1);
            await app.WorkDrainedAsync(tenant.Id);
        }

        Assert.Equal(2, (await RechargesAsync(tenant)).Count);
        var skipped = await app.QueryAsync(db => db.Activity.Where(a => a.Kind == ActivityKind.Billing && a.Detail.StartsWith("Auto-recharge skipped")).ToListAsync(), tenant.Id);
        Assert.NotEmpty(skipped);
    }

    [Fact]
    public async Task A_disabled_rule_never_charges()
    {
        var tenant = await app.CreateTenantAsync(number: NextNumber(), credit: 1m);
        await tenant.Http.PutAsJsonAsync("/api/billing/auto-recharge", new { enabled = false, thresholdUsd = 1000m, amountUsd = 5m, maxPerDay = 2 });
        await TextAsync(tenant);
        await Eventually.GetAsync(() => app.QueryAsync(db => db.WalletEntries.CountAsync(e => e.Kind == WalletEntryKind.SmsSentCharge), tenant.Id), n => n == 1);
        await app.WorkDrainedAsync(tenant.Id);
        Assert.Empty(await RechargesAsync(tenant));
    }
}
