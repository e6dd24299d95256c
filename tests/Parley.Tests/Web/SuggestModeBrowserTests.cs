using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Parley.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Parley.Tests.Web;

/// <summary>Suggest mode in a real browser: the draft appears in the open thread live, is edited and sent there,
/// and the thread with its draft passes axe.</summary>
public sealed class SuggestModeBrowserTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [ChromiumFact]
    public async Task A_draft_appears_live_in_the_thread_and_is_edited_and_sent_there()
    {
        SetDefaultExpectTimeout(20_000);
        var context = await app.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.BaseAddress.ToString(), ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        page.Dialog += async (_, dialog) => await dialog.AcceptAsync();
        await page.GotoAsync("/signup");
        await page.FillAsync("#BusinessName", "Birch Dental");
        await page.FillAsync("#Email", "owner@birch-suggest.example");
        await page.FillAsync("#Password", "correct horse battery");
        await page.ClickAsync("main button[type=submit]");
        await Expect(page).ToHaveURLAsync(new Regex("/signin$"));
        await page.FillAsync("#Password", "correct horse battery");
        await page.ClickAsync("main button[type=submit]");
        await Expect(page).ToHaveURLAsync(new Regex("/onboarding$"));
        var tenantId = await app.QueryAsync(db => db.Users.IgnoreQueryFilters().Where(u => u.Email == "owner@birch-suggest.example").Select(u => u.TenantId).SingleAsync());
        using (var admin = app.AdminClient())
        {
            (await admin.PatchAsJsonAsync($"/api/admin/tenants/{tenantId}", new { plan = "Growth", a2pStatus = "Live" })).EnsureSuccessStatusCode();
            (await admin.PostAsJsonAsync($"/api/admin/tenants/{tenantId}/wallet/credits", new { amount = 20 })).EnsureSuccessStatusCode();
            (await admin.PostAsJsonAsync($"/api/admin/tenants/{tenantId}/phone-numbers", new { number = "+14165557901" })).EnsureSuccessStatusCode();
        }

        // The agent only suggests.
        await page.GotoAsync("/agents");
        await page.SelectOptionAsync("#Form_Mode", "Suggest");
        await page.ClickAsync("main button[type=submit]");
        await Expect(page.Locator("#saved")).ToBeVisibleAsync();

        // The contact texts; the thread is open when the draft arrives.
        var phone = await context.NewPageAsync();
        await phone.GotoAsync("/simulator");
        await phone.FillAsync("#From", "+14165557902");
        await phone.FillAsync("#Text", "Hi, do you have openings next week?");
        await phone.ClickAsync("main button[type=submit]");
        await Expect(phone.Locator("#sent")).ToBeVisibleAsync();
        var conversationId = await Eventually.GetAsync(() => app.QueryAsync(db => db.ReplyDrafts.Select(d => d.ConversationId).FirstOrDefaultAsync(), tenantId), id => id != Guid.Empty);
        await page.GotoAsync($"/conversations/{conversationId}");
        await Expect(page.Locator("#messages")).ToContainTextAsync("openings next week");
        // A newer text: its draft replaces the first one in the open thread, without a reload.
        await phone.GotoAsync("/simulator");
        await phone.FillAsync("#From", "+14165557902");
        await phone.FillAsync("#Text", "Are you there?");
        await phone.ClickAsync("main button[type=submit]");
        await Expect(page.Locator("#messages")).ToContainTextAsync("Are you there?");
        await Expect(page.Locator("#send-draft")).ToBeVisibleAsync();
        await Expect(page.Locator("#ai-mode")).ToHaveTextAsync("AI Suggests");
        await Axe.AssertAccessibleAsync(page, "thread with a draft");

        await page.ClickAsync(".draft summary");
        await page.FillAsync("#DraftText", "Hi! Yes, Tuesday at 10 is open. Who am I texting with?");
        await page.ClickAsync("#edit-send-draft");

        await Expect(page.Locator("#messages .msg.outbound")).ToContainTextAsync("Tuesday at 10 is open");
        await Expect(page.Locator("#send-draft")).ToHaveCountAsync(0);
        await context.CloseAsync();
    }
}
