using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Parley.Tests.Web;

/// <summary>Walks the dashboard as a business would, in a real browser against the real app.</summary>
public sealed class DashboardBrowserTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    private static readonly string[] MainPages =
        ["/", "/needs-attention", "/onboarding", "/callbacks", "/contacts", "/agents", "/knowledge", "/analytics", "/tester", "/activity", "/simulator", "/billing", "/a2p", "/settings", "/settings/diagnostics", "/webhooks", "/signin", "/signup"];

    [ChromiumFact]
    public async Task A_business_signs_up_texts_and_watches_the_agent_live()
    {
        SetDefaultExpectTimeout(15_000);
        var desktop = await app.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = app.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1280, Height = 860 },
            AcceptDownloads = true,
        });
        var page = await desktop.NewPageAsync();
        page.Dialog += async (_, dialog) => await dialog.AcceptAsync();

        // Sign up: the form says what is wrong, then lands on the onboarding checklist.
        await page.GotoAsync("/");
        await Expect(page).ToHaveURLAsync(new Regex("/signin"));
        await page.GotoAsync("/signup");
        await page.FillAsync("#BusinessName", "Maple Realty");
        await page.FillAsync("#Email", "owner@maple.example");
        await page.FillAsync("#Password", "short");
        await page.ClickAsync("main button[type=submit]");
        await Expect(page.GetByText("Use a password of at least 12 characters.")).ToBeVisibleAsync();
        await page.FillAsync("#Password", "password1234");
        await page.ClickAsync("main button[type=submit]");
        await Expect(page.GetByText("one of the most common passwords")).ToBeVisibleAsync();
        await page.FillAsync("#Password", "correct horse battery");
        await page.ClickAsync("main button[type=submit]");
        // Sign-up never signs in (it would say which emails are new): the person signs in next.
        await Expect(page).ToHaveURLAsync(new Regex("/signin$"));
        await Expect(page.Locator("#signed-up")).ToBeVisibleAsync();
        await Expect(page.Locator("#Email")).ToHaveValueAsync("owner@maple.example");
        await page.FillAsync("#Password", "correct horse battery");
        await page.ClickAsync("main button[type=submit]");
        await Expect(page).ToHaveURLAsync(new Regex("/onboarding$"));
        await Expect(page.Locator("li.todo", new() { HasText = "Phone number" })).ToBeVisibleAsync();
        await page.FillAsync("#Number", "+1 416 555 0100");
        await page.ClickAsync("text=Add number");
        await Expect(page.Locator("li.done", new() { HasText = "Phone number" })).ToBeVisibleAsync();

        // The platform operator puts the business on Growth with A2P live and credits its wallet.
        var tenantId = await app.QueryAsync(db => db.Users.IgnoreQueryFilters().Where(u => u.Email == "owner@maple.example").Select(u => u.TenantId).SingleAsync());
        using (var admin = app.AdminClient())
        {
            (await admin.PatchAsJsonAsync($"/api/admin/tenants/{tenantId}", new { plan = "Growth", a2pStatus = "Live" })).EnsureSuccessStatusCode();
            (await admin.PostAsJsonAsync($"/api/admin/tenants/{tenantId}/wallet/credits", new { amount = 20 })).EnsureSuccessStatusCode();
        }

        // Start a conversation; Enter sends.
        await page.GotoAsync("/");
        await page.FillAsync("#Start_To", "(416) 555-0199");
        await page.FillAsync("#Start_ContactName", "Robert Smith");
        await page.FillAsync("#Start_Message", "Hi Robert, it's Maple Realty about the house on Elm St.");
        await Expect(page.Locator(".composer .counter, #start .counter").First).ToContainTextAsync("1 segment");
        await page.PressAsync("#Start_Message", "Enter");
        await Expect(page).ToHaveURLAsync(new Regex("/conversations/[0-9a-f-]+$"));
        await Expect(page.Locator("#messages")).ToContainTextAsync("house on Elm St");
        await Expect(page.Locator("#ai-badge")).ToHaveTextAsync("AI Active");

        // The contact texts back (phone simulator in a second tab); the AI reply appears without a reload.
        await page.EvaluateAsync("window.__sameDocument = true");
        var phone = await desktop.NewPageAsync();
        await phone.GotoAsync("/simulator");
        await phone.FillAsync("#From", "+14165550199");
        await phone.FillAsync("#Text", "Hi, what are your office hours?");
        await phone.ClickAsync("main button[type=submit]");
        await Expect(phone.Locator("#sent")).ToBeVisibleAsync();
        await Expect(page.Locator("#messages")).ToContainTextAsync("what are your office hours");
        await Expect(page.Locator(".msg.outbound .meta", new() { HasTextRegex = new Regex("^AI ") }).First).ToBeVisibleAsync();
        Assert.True(await page.EvaluateAsync<bool>("window.__sameDocument === true"), "the thread page reloaded");

        // Asking for a person hands off: badge, per-phone banner and Needs Attention count update live.
        await phone.FillAsync("#Text", "Can I talk to a real person please");
        await phone.ClickAsync("main button[type=submit]");
        await Expect(page.Locator("#ai-badge")).ToHaveTextAsync("AI Paused");
        await Expect(page.Locator(".banner.phone")).ToContainTextAsync("Needs Human");
        await Expect(page.Locator("#attention-badge")).ToHaveTextAsync("1");
        Assert.True(await page.EvaluateAsync<bool>("window.__sameDocument === true"), "the thread page reloaded");
        await phone.GotoAsync("/needs-attention");
        await Expect(phone.Locator("#rows .item")).ToHaveCountAsync(1);
        await Expect(phone.Locator("#rows")).ToContainTextAsync("Robert Smith");

        // Resume the one phone, then pause and resume the whole conversation from the badge.
        await page.ClickAsync(".banner.phone button");
        await Expect(page.Locator(".banner.phone")).ToHaveCountAsync(0);
        await Expect(page.Locator("#ai-badge")).ToHaveTextAsync("AI Active");
        await Expect(page.Locator("#attention-badge")).ToHaveTextAsync("0");
        await page.ClickAsync("#ai-badge");
        await Expect(page.Locator("#ai-badge")).ToHaveTextAsync("AI Paused");
        await page.ClickAsync("#ai-badge");
        await Expect(page.Locator("#ai-badge")).ToHaveTextAsync("AI Active");

        // The send box counts segments and warns about UCS-2.
        await page.FillAsync("#Text", "Thanks! 😊");
        await Expect(page.Locator(".composer .counter")).ToContainTextAsync("UCS-2");

        // Tester: a private chat that shows what the agent learned.
        await page.GotoAsync("/tester");
        await page.FillAsync("#Text", "Hi, this is Ana. Is the condo still available?");
        await page.PressAsync("#Text", "Enter");
        await Expect(page.Locator("#transcript .msg.inbound")).ToHaveCountAsync(1);
        await Expect(page.Locator("#tester-name")).ToHaveTextAsync("Ana");
        await Expect(page.Locator("#tester-outcome")).ToHaveTextAsync("Ongoing");

        // CSV export downloads the conversation.
        await page.GotoAsync("/");
        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#export-csv"));
        var csv = await File.ReadAllTextAsync((await download.PathAsync())!);
        Assert.Contains("+14165550199", csv, StringComparison.Ordinal);
        Assert.StartsWith("conversation_id,", csv, StringComparison.Ordinal);

        // Search finds the conversation by words the contact texted, and says so when nothing matches.
        await page.FillAsync("#search", "office HOURS");
        await page.ClickAsync("form.card button[type=submit]");
        await Expect(page.Locator("#rows .item")).ToHaveCountAsync(1);
        await Expect(page.Locator("#rows")).ToContainTextAsync("Robert Smith");
        await page.FillAsync("#search", "swimming pool");
        await page.ClickAsync("form.card button[type=submit]");
        await Expect(page.Locator("#no-match")).ToBeVisibleAsync();

        // Billing after the replies: plan and wallet from the ledger.
        await page.GotoAsync("/billing");
        await Expect(page.Locator("#plan")).ToHaveTextAsync("Growth");
        await Expect(page.Locator("#balance")).ToContainTextAsync("$");
        await Expect(page.Locator("#ledger")).ToContainTextAsync("Credit");
        await Expect(page.Locator("#usage-ai-replies")).ToContainTextAsync("AI replies");
        await Expect(page.Locator("#plan-price")).ToContainTextAsync("/month");
        await Expect(page.Locator("canvas[data-chart=spend][data-drawn=true]")).ToHaveCountAsync(1);
        Assert.True(await page.EvaluateAsync<double>("() => document.querySelector('canvas[data-chart=spend]').chart.data.datasets[0].data.reduce((a, b) => a + b, 0)") > 0,
            "the usage chart shows the AI replies' spend");

        // SMS agent settings: bad input is explained, good input saved and ticked off on the checklist.
        await page.GotoAsync("/agents");
        await Expect(page.Locator("#agent-status")).ToContainTextAsync("Active");
        await page.FillAsync("#Form_SystemPrompt", "");
        await page.ClickAsync("main button[type=submit]");
        await Expect(page.GetByText("A system prompt of 1 to 8,000 characters is required.")).ToBeVisibleAsync();
        await page.FillAsync("#Form_SystemPrompt", "You text for Maple Realty. Be warm and brief, and offer a viewing.");
        await page.FillAsync("#Form_MaxTurns", "8");
        await page.ClickAsync("main button[type=submit]");
        await Expect(page.Locator("#saved")).ToBeVisibleAsync();
        await page.GotoAsync("/onboarding");
        await Expect(page.Locator("li.done", new() { HasText = "Assistant prompt" })).ToBeVisibleAsync();

        // Analytics draws what happened: the conversation started, the contact replied (the tester's chat is not counted).
        await page.GotoAsync("/analytics");
        await Expect(page.Locator("#texted")).ToHaveTextAsync("1");
        await Expect(page.Locator("#reply-rate")).ToHaveTextAsync("100%");
        await Expect(page.Locator("canvas[data-chart][data-drawn=true]")).ToHaveCountAsync(4);
        Assert.Equal(1, await page.EvaluateAsync<int>("() => document.querySelector('canvas[data-chart=funnel]').chart.data.datasets[0].data[1]"));

        // Screenshots of each main page at desktop and phone width.
        var state = await desktop.StorageStateAsync();
        var mobile = await app.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = app.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 390, Height = 844 },
            IsMobile = true,
            StorageState = state,
        });
        var conversationPath = new Uri((await app.QueryAsync(db => db.Conversations.IgnoreQueryFilters().Select(c => c.Id).FirstAsync())).ToString(), UriKind.Relative);
        var contactId = await app.QueryAsync(db => db.Conversations.IgnoreQueryFilters().Select(c => c.ContactId).FirstAsync());
        // Each page is checked with axe-core at both widths: no serious or critical violation.
        var inaccessible = new List<string>();
        foreach (var (context, width) in new[] { (desktop, "desktop"), (mobile, "phone") })
        {
            var shot = await context.NewPageAsync();
            foreach (var path in MainPages.Append("/conversations/" + conversationPath).Append($"/contacts/{contactId}"))
            {
                await shot.GotoAsync(path);
                var name = path.Trim('/').Replace('/', '-') is { Length: > 0 } n ? n : "conversations";
                name = name.StartsWith("conversations-", StringComparison.Ordinal) ? "thread" : name.StartsWith("contacts-", StringComparison.Ordinal) ? "contact" : name;
                await shot.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserApp.Screenshots, $"{width}-{name}.png"), FullPage = true });
                inaccessible.AddRange((await Axe.SeriousViolationsAsync(shot)).Select(v => $"{path} at {width} width: {v}"));
            }

            if (width == "phone")
            {
                // The sidebar is a drawer at phone width.
                await shot.GotoAsync("/");
                await Expect(shot.Locator("nav.sidebar")).ToBeHiddenAsync();
                await shot.ClickAsync("label.menu-button");
                await Expect(shot.Locator("nav.sidebar")).ToBeVisibleAsync();
            }
        }

        Assert.True(inaccessible.Count == 0, string.Join('\n', inaccessible));
        await mobile.CloseAsync();
        await desktop.CloseAsync();
    }

    [ChromiumFact]
    public async Task The_accessibility_check_fails_on_a_page_people_could_not_read_or_use()
    {
        var context = await app.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.SetContentAsync("""
            <html lang="en"><head><title>Low contrast</title></head><body><main>
            <p style="color:#c8c8c8;background:#fff">Pale grey words on white</p>
            <form><input type="text" name="q"><button type="submit"></button></form>
            </main></body></html>
            """);
        var violations = await Axe.SeriousViolationsAsync(page);
        Assert.Contains(violations, v => v.StartsWith("color-contrast (serious)", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.StartsWith("button-name (critical)", StringComparison.Ordinal));
        await Assert.ThrowsAsync<Xunit.Sdk.TrueException>(() => Axe.AssertAccessibleAsync(page, "low contrast"));
        await context.CloseAsync();
    }
}
