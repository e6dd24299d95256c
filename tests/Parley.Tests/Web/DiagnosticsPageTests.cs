using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.Web;

/// <summary>Settings → Diagnostics answers "my agent is not replying" on one page, and the API says the same:
/// the gate that is closed, a failed send's code in plain words, each number's last webhook, and only the
/// business's own events.</summary>
public sealed partial class DiagnosticsPageTests(TelnyxApp fixture) : IClassFixture<TelnyxApp>
{
    private static int numbers = 6000;

    private static string NextNumber() => $"+1416555{Interlocked.Increment(ref numbers):D4}";

    private sealed record Business(HttpClient Browser, Guid TenantId, string Number);

    private async Task<Business> BusinessAsync(string email, decimal credit = 20)
    {
        var browser = fixture.App.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });
        (await Forms.SignUpAsync(browser, email)).EnsureSuccessStatusCode();
        var tenantId = await fixture.App.QueryAsync(db => db.Users.IgnoreQueryFilters().Where(u => u.Email == email).Select(u => u.TenantId).SingleAsync());
        var number = NextNumber();
        using var admin = fixture.App.Admin();
        (await admin.PatchAsJsonAsync($"/api/admin/tenants/{tenantId}", new { plan = "Growth", a2pStatus = "Live" })).EnsureSuccessStatusCode();
        if (credit > 0)
        {
            (await admin.PostAsJsonAsync($"/api/admin/tenants/{tenantId}/wallet/credits", new { amount = credit })).EnsureSuccessStatusCode();
        }

        (await admin.PostAsJsonAsync($"/api/admin/tenants/{tenantId}/phone-numbers", new { number })).EnsureSuccessStatusCode();
        return new Business(browser, tenantId, number);
    }

    private async Task TextAsync(Business business, string from, string text)
    {
        var response = await fixture.PostWebhookAsync(fixture.Telnyx.MessageReceivedJson($"evt-{Guid.NewGuid()}", $"msg-{Guid.NewGuid()}", from, business.Number, text));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await Eventually.GetAsync(() => fixture.App.QueryAsync(db => db.Messages.IgnoreQueryFilters().CountAsync(m => m.TenantId == business.TenantId && m.ContactNumber == from)), n => n > 0);
        await fixture.App.WorkDrainedAsync(business.TenantId);
    }

    [Fact]
    public async Task A_business_with_an_empty_wallet_sees_the_wallet_named_as_what_stops_replies()
    {
        var business = await BusinessAsync("empty@diagnostics.example", credit: 0);

        var html = await business.Browser.GetStringAsync("/settings/diagnostics");
        var api = await business.Browser.GetJsonAsync("/api/diagnostics");

        Assert.Contains("data-gate=\"wallet-empty\"", html, StringComparison.Ordinal);
        Assert.Contains("Top up the wallet on the Billing page.", html, StringComparison.Ordinal);
        Assert.DoesNotContain("data-gate=\"a2p\"", html, StringComparison.Ordinal);
        var gates = api["gates"]!["closed"]!.AsArray().Select(g => g!["code"]!.GetValue<string>()).ToList();
        Assert.Equal(["wallet-empty"], gates);
        Assert.Contains("href=\"/settings/diagnostics\"", await business.Browser.GetStringAsync("/settings"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failed_send_shows_the_carriers_code_and_what_it_means()
    {
        var business = await BusinessAsync("failed@diagnostics.example");
        fixture.Telnyx.FailNext(400, "40010", "Not 10DLC registered", "The sending number is not registered for 10DLC.");
        var key = await Forms.ApiKeyAsync(business.Browser);
        using var api = fixture.App.CreateClient();
        api.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        (await api.PostAsJsonAsync("/api/conversations", new { to = NextNumber(), message = "Hello from Birch Dental" })).EnsureSuccessStatusCode();

        var report = await Eventually.GetAsync(() => api.GetJsonAsync("/api/diagnostics"), d => d["sendErrors"]!["recent"]!.AsArray().Count > 0);
        var html = await business.Browser.GetStringAsync("/settings/diagnostics");

        var error = report["sendErrors"]!["recent"]![0]!;
        Assert.Equal("40010", error["code"]!.GetValue<string>());
        Assert.Contains("not registered for 10DLC", error["explanation"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("40010", ErrorCode().Match(html).Groups[1].Value);
        Assert.Contains("not registered for 10DLC. Finish A2P registration", html, StringComparison.Ordinal);
        Assert.True(report["carrier"]!["apiKeyConfigured"]!.GetValue<bool>());
        Assert.Equal("Telnyx", report["carrier"]!["name"]!.GetValue<string>());
        Assert.DoesNotContain(fixture.Telnyx.ApiKey, html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_numbers_last_webhook_appears_after_an_inbound_text()
    {
        var business = await BusinessAsync("webhook@diagnostics.example");
        var before = await business.Browser.GetStringAsync("/settings/diagnostics");
        Assert.Equal("none stored", LastWebhook().Match(before).Groups[1].Value);

        await TextAsync(business, NextNumber(), "Is the clinic open Saturday?");

        var html = await business.Browser.GetStringAsync("/settings/diagnostics");
        var api = await business.Browser.GetJsonAsync("/api/diagnostics");
        var number = api["numbers"]!["numbers"]![0]!;
        Assert.Equal(business.Number, number["number"]!.GetValue<string>());
        var at = number["lastWebhookAt"]!.GetValue<DateTime>();
        Assert.True(DateTime.UtcNow - at < TimeSpan.FromMinutes(5), $"{at:o}");
        Assert.NotEqual("none stored", LastWebhook().Match(html).Groups[1].Value);
        Assert.Contains(api["webhooks"]!["recent"]!.AsArray(), e => e!["eventType"]!.GetValue<string>() == "message.received" && e["result"]!.GetValue<string>() == "accepted");
        Assert.Contains("Duplicates", html, StringComparison.Ordinal); // says what is not stored rather than inventing it
    }

    [Fact]
    public async Task Another_businesss_webhooks_and_send_errors_never_appear()
    {
        var busy = await BusinessAsync("busy@diagnostics.example");
        var texter = NextNumber();
        await TextAsync(busy, texter, "Can I book a cleaning?");
        fixture.Telnyx.FailNext(400, "40013", "Invalid source number");
        var key = await Forms.ApiKeyAsync(busy.Browser);
        using var api = fixture.App.CreateClient();
        api.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        var failedTo = NextNumber();
        (await api.PostAsJsonAsync("/api/conversations", new { to = failedTo, message = "Your cleaning is due" })).EnsureSuccessStatusCode();
        await Eventually.GetAsync(() => api.GetJsonAsync("/api/diagnostics"), d => d["sendErrors"]!["recent"]!.AsArray().Count > 0);

        var quiet = await BusinessAsync("quiet@diagnostics.example");
        var html = await quiet.Browser.GetStringAsync("/settings/diagnostics");
        var report = await quiet.Browser.GetJsonAsync("/api/diagnostics");

        Assert.Empty(report["webhooks"]!["recent"]!.AsArray());
        Assert.Empty(report["sendErrors"]!["recent"]!.AsArray());
        Assert.Null(report["numbers"]!["numbers"]![0]!["lastWebhookAt"]);
        foreach (var number in new[] { busy.Number, texter, failedTo })
        {
            Assert.DoesNotContain(number, html, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("40013", html, StringComparison.Ordinal);
    }

    [GeneratedRegex("<span class=\"error-code\">([^<]*)</span>")]
    private static partial Regex ErrorCode();

    [GeneratedRegex("<span class=\"last-webhook\">([^<]*)</span>")]
    private static partial Regex LastWebhook();
}
