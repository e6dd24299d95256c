using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Parley.Billing;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.Web;

/// <summary>Self-serve billing on the /billing page, signed in with a cookie, with the Sandbox payment provider.</summary>
public sealed class BillingPageTests(ParleyApp app) : IClassFixture<ParleyApp>
{
    private async Task<(HttpClient Client, Guid TenantId)> SignedInAsync(string email)
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = true, HandleCookies = true });
        (await Forms.SignUpAsync(client, email)).EnsureSuccessStatusCode();
        var tenantId = await app.QueryAsync(db => db.Users.IgnoreQueryFilters().Where(u => u.Email == email).Select(u => u.TenantId).SingleAsync());
        return (client, tenantId);
    }

    [Fact]
    public async Task An_owner_upgrades_tops_up_with_a_preset_and_a_custom_amount_and_sees_the_receipts()
    {
        var (client, tenantId) = await SignedInAsync("owner@pay.example");
        var page = await client.GetStringAsync("/billing");
        Assert.DoesNotContain("Credits are added by the Parley team", page, StringComparison.Ordinal);
        Assert.Contains("id=\"choose-growth\"", page, StringComparison.Ordinal);

        var upgraded = await Forms.PostAsync(client, "/billing", new Dictionary<string, string> { ["plan"] = "Growth" }, "Plan");
        var html = await upgraded.Content.ReadAsStringAsync();
        Assert.Contains("You are on the Growth plan.", html, StringComparison.Ordinal);
        Assert.Contains("<strong id=\"plan\">Growth</strong>", html, StringComparison.Ordinal);

        html = await (await Forms.PostAsync(client, "/billing", new Dictionary<string, string> { ["Amount"] = "20.00" }, "TopUp")).Content.ReadAsStringAsync();
        Assert.Contains("Added $20.00 to the wallet.", html, StringComparison.Ordinal);
        html = await (await Forms.PostAsync(client, "/billing", new Dictionary<string, string> { ["Amount"] = "12.34" }, "TopUp")).Content.ReadAsStringAsync();
        Assert.Contains("<strong id=\"balance\">$32.34</strong>", html, StringComparison.Ordinal);
        Assert.Contains("Wallet funds", html, StringComparison.Ordinal);
        Assert.Contains("TopUp", html, StringComparison.Ordinal); // the ledger lines

        var entries = await app.QueryAsync(db => db.WalletEntries.Where(e => e.Kind == WalletEntryKind.TopUp).CountAsync(), tenantId);
        Assert.Equal(2, entries);
    }

    [Theory]
    [InlineData("1.00")]
    [InlineData("abc")]
    [InlineData("")]
    public async Task A_custom_amount_outside_the_limits_is_explained_and_charges_nothing(string amount)
    {
        var (client, tenantId) = await SignedInAsync($"limits-{Guid.NewGuid():N}@pay.example");
        var response = await Forms.PostAsync(client, "/billing", new Dictionary<string, string> { ["Amount"] = amount }, "TopUp");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("A top-up is an amount in US dollars", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(await app.QueryAsync(db => db.Payments.ToListAsync(), tenantId));
    }

    [Fact]
    public async Task Auto_recharge_is_set_from_the_page_and_bad_values_are_explained()
    {
        var (client, _) = await SignedInAsync("recharge@pay.example");
        var saved = await Forms.PostAsync(client, "/billing", new Dictionary<string, string>
        {
            ["Recharge.Enabled"] = "true",
            ["Recharge.ThresholdUsd"] = "5.00",
            ["Recharge.AmountUsd"] = "25.00",
            ["Recharge.MaxPerDay"] = "2",
        }, "AutoRecharge");
        Assert.Contains("Auto-recharge is on.", await saved.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("value=\"25.00\"", await client.GetStringAsync("/billing"), StringComparison.Ordinal);

        var refused = await Forms.PostAsync(client, "/billing", new Dictionary<string, string>
        {
            ["Recharge.Enabled"] = "true",
            ["Recharge.ThresholdUsd"] = "5.00",
            ["Recharge.AmountUsd"] = "1.00",
            ["Recharge.MaxPerDay"] = "2",
        }, "AutoRecharge");
        Assert.Contains("The recharge is an amount in US dollars", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
