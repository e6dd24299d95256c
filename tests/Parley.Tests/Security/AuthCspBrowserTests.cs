using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Parley.Tests.Web;
using static Microsoft.Playwright.Assertions;

namespace Parley.Tests.Security;

/// <summary>The dashboard works under its Content-Security-Policy: no page, live update or form makes the
/// browser report a violation, and htmx runs with eval off.</summary>
public sealed class AuthCspBrowserTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    private static readonly string[] Pages =
        ["/", "/needs-attention", "/onboarding", "/callbacks", "/agents", "/knowledge", "/analytics", "/tester", "/activity", "/simulator", "/billing", "/a2p", "/settings", "/settings/diagnostics", "/webhooks", "/signin", "/signup", "/admin/signin"];

    [ChromiumFact]
    public async Task No_page_of_the_dashboard_breaks_the_content_security_policy()
    {
        SetDefaultExpectTimeout(15_000);
        var context = await app.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.BaseAddress.ToString() });
        // Recorded by the page itself (an init script is the browser's, not subject to the policy).
        await context.AddInitScriptAsync("window.__csp = []; document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sourceFile + ':' + e.lineNumber + ':' + e.columnNumber + ' ' + e.sample));");
        var console = new List<string>();
        var page = await context.NewPageAsync();
        page.Console += (_, message) => console.Add($"{page.Url} {message.Location}: {message.Text}");
        page.Dialog += async (_, dialog) => await dialog.AcceptAsync();

        await page.GotoAsync("/signup");
        await page.FillAsync("#BusinessName", "Spruce Homes");
        await page.FillAsync("#Email", "csp@spruce.example");
        await page.FillAsync("#Password", "correct horse battery");
        await page.ClickAsync("main button[type=submit]");
        await Expect(page).ToHaveURLAsync(new Regex("/signin$"));
        await page.FillAsync("#Password", "correct horse battery");
        await page.ClickAsync("main button[type=submit]");
        await Expect(page).ToHaveURLAsync(new Regex("/onboarding$"));
        Assert.False(await page.EvaluateAsync<bool>("htmx.config.allowEval"));

        await page.FillAsync("#Number", "+1 416 555 0170");
        await page.ClickAsync("text=Add number");
        var tenantId = await app.QueryAsync(db => db.Users.IgnoreQueryFilters().Where(u => u.Email == "csp@spruce.example").Select(u => u.TenantId).SingleAsync());
        using (var admin = app.AdminClient())
        {
            (await admin.PatchAsJsonAsync($"/api/admin/tenants/{tenantId}", new { plan = "Growth", a2pStatus = "Live" })).EnsureSuccessStatusCode();
            (await admin.PostAsJsonAsync($"/api/admin/tenants/{tenantId}/wallet/credits", new { amount = 5 })).EnsureSuccessStatusCode();
        }

        // A thread updated live through the event stream and htmx, with eval off.
        await page.GotoAsync("/");
        await page.FillAsync("#Start_To", "(416) 555-0171");
        await page.FillAsync("#Start_ContactName", "Dana Reyes");
        await page.FillAsync("#Start_Message", "Hi Dana, Spruce Homes here about your viewing.");
        await page.PressAsync("#Start_Message", "Enter");
        await Expect(page).ToHaveURLAsync(new Regex("/conversations/[0-9a-f-]+$"));
        var phone = await context.NewPageAsync();
        await phone.GotoAsync("/simulator");
        await phone.FillAsync("#From", "+14165550171");
        await phone.FillAsync("#Text", "hey can u do thursday after 5");
        await phone.ClickAsync("main button[type=submit]");
        await Expect(page.Locator("#messages")).ToContainTextAsync("thursday after 5");
        await Expect(page.Locator(".msg.outbound .meta", new() { HasTextRegex = new Regex("^AI ") }).First).ToBeVisibleAsync();
        await AssertNoViolationsAsync(page, console, "the thread");
        await AssertNoViolationsAsync(phone, console, "/simulator");

        foreach (var path in Pages)
        {
            await page.GotoAsync(path);
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            await AssertNoViolationsAsync(page, console, path);
        }

        // And the policy is in force: a script injected into the page (as stored XSS would be) does not run.
        await page.GotoAsync("/settings");
        await page.EvaluateAsync("() => { const s = document.createElement('script'); s.textContent = 'window.__injected = true'; document.head.appendChild(s); }");
        Assert.False(await page.EvaluateAsync<bool>("window.__injected === true"), "an inline script ran");
        Assert.Contains(await page.EvaluateAsync<string[]>("window.__csp"), v => v.StartsWith("script-src", StringComparison.Ordinal));

        await context.CloseAsync();
    }

    private static async Task AssertNoViolationsAsync(IPage page, List<string> console, string where)
    {
        var violations = await page.EvaluateAsync<string[]>("window.__csp");
        Assert.True(violations.Length == 0, $"{where}: {string.Join("; ", violations)}");
        var reported = console.Where(m => m.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase) || m.Contains("evalDisallowed", StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.True(reported.Count == 0, $"{where}: {string.Join("; ", reported)}");
    }
}
