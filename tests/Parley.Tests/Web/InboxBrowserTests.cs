using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Parley.Tests.Web;

/// <summary>The inbox in a real browser: on a desktop the list beside the open thread, a row opening its thread in
/// the pane without a page load; at phone width one pane at a time.</summary>
public sealed class InboxBrowserTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    private const string Oak = "+14165557711";
    private const string Condo = "+14165557712";
    private const string Person = "+14165557713";

    [ChromiumFact]
    public async Task On_a_desktop_the_list_and_the_open_thread_sit_side_by_side()
    {
        SetDefaultExpectTimeout(20_000);
        var context = await app.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.BaseAddress.ToString(), ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        page.Dialog += async (_, dialog) => await dialog.AcceptAsync();
        var tenantId = await SignUpAsync(page, "owner@oak-inbox.example", "+14165557710");

        // Three people text in; one wants a person.
        var phone = await context.NewPageAsync();
        foreach (var (from, text) in new[]
        {
            (Oak, "hi is the 2 bed on Oak st still available?"),
            (Condo, "whats the asking price on the condo"),
            (Person, "Can I talk to a real person please"),
        })
        {
            await TextAsync(phone, from, text);
        }

        await app.WorkDrainedAsync(tenantId);
        var ids = new Dictionary<string, Guid>();
        foreach (var number in new[] { Oak, Condo, Person })
        {
            ids[number] = await app.QueryAsync(db => db.Conversations.Where(c => c.Phones.Any(p => p.Number == number)).Select(c => c.Id).SingleAsync(), tenantId);
        }


        // The list, and beside it a pane waiting for a choice; everything is unread.
        await page.GotoAsync("/");
        await Expect(page.Locator("#rows .item")).ToHaveCountAsync(3);
        await Expect(page.Locator("#rows .item.unread")).ToHaveCountAsync(3);
        await Expect(page.Locator("#pane .pane-hint")).ToBeVisibleAsync();
        await SideBySideAsync(page);

        // A click opens the thread in the pane: the URL follows, the page stays, the row is marked and read.
        await page.EvaluateAsync("window.__sameDocument = true");
        await Row(page, Oak).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/conversations/{ids[Oak]}$"));
        await Expect(page.Locator("#pane #messages")).ToContainTextAsync("2 bed on Oak st");
        await Expect(page).ToHaveTitleAsync(new Regex($"^\\{Oak} "));
        await Expect(Row(page, Oak)).ToHaveAttributeAsync("aria-current", "page");
        await Expect(Row(page, Oak)).Not.ToHaveClassAsync(new Regex("unread"));
        await Expect(page.Locator("#rows .item.unread")).ToHaveCountAsync(2);
        await SideBySideAsync(page);
        Assert.True(await page.EvaluateAsync<bool>("window.__sameDocument === true"), "opening a row reloaded the page");
        await Axe.AssertAccessibleAsync(page, "inbox with a thread open in the pane");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserApp.Screenshots, "desktop-inbox-two-pane.png") });

        // Another row swaps the thread and the URL.
        await Row(page, Condo).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/conversations/{ids[Condo]}$"));
        await Expect(page.Locator("#pane #messages")).ToContainTextAsync("asking price on the condo");
        await Expect(page.Locator("#pane #messages")).Not.ToContainTextAsync("Oak st");
        await Expect(Row(page, Condo)).ToHaveAttributeAsync("aria-current", "page");
        await Expect(Row(page, Oak)).Not.ToHaveAttributeAsync("aria-current", "page");
        Assert.True(await page.EvaluateAsync<bool>("window.__sameDocument === true"), "swapping the thread reloaded the page");

        // The open thread keeps updating live in the pane.
        await TextAsync(phone, Condo, "also is parking included??");
        await Expect(page.Locator("#pane #messages")).ToContainTextAsync("parking included");
        Assert.True(await page.EvaluateAsync<bool>("window.__sameDocument === true"), "the live update reloaded the page");

        // Back goes to the thread before, a reload keeps it, and a deep link opens a thread with the list beside it.
        await page.GoBackAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/conversations/{ids[Oak]}$"));
        await Expect(page.Locator("#pane #messages")).ToContainTextAsync("2 bed on Oak st");
        await page.ReloadAsync();
        await Expect(page.Locator("#pane #messages")).ToContainTextAsync("2 bed on Oak st");
        await Expect(Row(page, Oak)).ToHaveAttributeAsync("aria-current", "page");
        await page.GotoAsync($"/conversations/{ids[Condo]}");
        await Expect(page.Locator("#pane #messages")).ToContainTextAsync("parking included");
        await Expect(Row(page, Condo)).ToHaveAttributeAsync("aria-current", "page");
        await SideBySideAsync(page);
        await Axe.AssertAccessibleAsync(page, "a conversation's own page with the list beside it");

        // Needs Attention from the keyboard: down selects the row, Enter opens it in the pane.
        await page.GotoAsync("/needs-attention");
        await Expect(page.Locator("#rows .item")).ToHaveCountAsync(1);
        await page.EvaluateAsync("window.__sameDocument = true");
        await page.Keyboard.PressAsync("ArrowDown");
        await Expect(Row(page, Person)).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page).ToHaveURLAsync(new Regex($"/conversations/{ids[Person]}\\?attention=true$"));
        await Expect(page.Locator("#pane #messages")).ToContainTextAsync("talk to a real person");
        Assert.True(await page.EvaluateAsync<bool>("window.__sameDocument === true"), "Enter reloaded the page");

        // A reply by hand from the pane (Enter sends): it is in the thread, and Needs Attention is still beside it.
        await page.FillAsync("#pane #Text", "Hi, this is Jordan at Oak Realty. I can call you at 4 today, does that work?");
        await page.PressAsync("#pane #Text", "Enter");
        await Expect(page.Locator("#pane #messages .msg.outbound").Last).ToContainTextAsync("this is Jordan at Oak Realty");
        await Expect(page).ToHaveURLAsync(new Regex($"/conversations/{ids[Person]}\\?attention=true$"));
        await Expect(page.Locator(".inbox-list .tabs a.active")).ToHaveTextAsync("Needs Attention");
        var sent = await app.QueryAsync(db => db.Messages.Where(m => m.ConversationId == ids[Person] && m.Text.StartsWith("Hi, this is Jordan")).Select(m => m.Author).SingleAsync(), tenantId);
        Assert.Equal(Parley.Conversations.MessageAuthor.Human, sent);

        // Handing it back to the AI from the pane.
        await Expect(page.Locator("#ai-badge")).ToHaveTextAsync("AI Paused");
        await page.Locator(".banner.phone button").ClickAsync();
        await Expect(page.Locator("#ai-badge")).ToHaveTextAsync("AI Active");
        await Expect(page.Locator("#attention-badge")).ToHaveTextAsync("0");
        await context.CloseAsync();
    }

    [ChromiumFact]
    public async Task At_phone_width_the_list_and_the_thread_are_one_pane_at_a_time()
    {
        SetDefaultExpectTimeout(20_000);
        var desktop = await app.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.BaseAddress.ToString(), ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        var signUp = await desktop.NewPageAsync();
        var tenantId = await SignUpAsync(signUp, "owner@elm-inbox.example", "+14165557720");
        await TextAsync(signUp, "+14165557721", "hey saw ur sign on elm, how much?");
        await app.WorkDrainedAsync(tenantId);
        var id = await app.QueryAsync(db => db.Conversations.Select(c => c.Id).SingleAsync(), tenantId);
        var mobile = await app.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = app.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 390, Height = 844 },
            IsMobile = true,
            StorageState = await desktop.StorageStateAsync(),
        });
        var page = await mobile.NewPageAsync();

        await page.GotoAsync("/");
        await Expect(page.Locator("#rows .item")).ToHaveCountAsync(1);
        await Expect(page.Locator("#pane .pane-hint")).ToBeHiddenAsync();
        await Expect(page.Locator("#start")).ToBeVisibleAsync();
        await FitsAsync(page, "/");
        await Axe.AssertAccessibleAsync(page, "/ at phone width");

        // Opening goes to the thread's own page, without the list.
        await page.EvaluateAsync("window.__sameDocument = true");
        await page.Locator("#rows .item").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/conversations/{id}$"));
        await Expect(page.Locator("#messages")).ToContainTextAsync("sign on elm");
        Assert.False(await page.EvaluateAsync<bool>("window.__sameDocument === true"), "at phone width the thread is a page of its own");
        await Expect(page.Locator(".inbox-list")).ToBeHiddenAsync();
        await Expect(page.Locator("#rows")).ToBeHiddenAsync();
        await FitsAsync(page, "the thread");
        await Axe.AssertAccessibleAsync(page, "the thread at phone width");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserApp.Screenshots, "phone-inbox-thread.png"), FullPage = true });

        // Back returns to the list, by the page's link or the browser's button.
        await page.Locator("#pane .back a").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/$"));
        await Expect(page.Locator("#rows .item")).ToHaveCountAsync(1);
        await page.GoBackAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/conversations/{id}$"));
        await page.GoBackAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/$"));
        await Expect(page.Locator("#rows .item")).ToBeVisibleAsync();
        await mobile.CloseAsync();
        await desktop.CloseAsync();
    }

    private static ILocator Row(IPage page, string number) => page.Locator("#rows .item", new() { HasText = number });

    /// <summary>The list and the pane both on screen, the list on the left.</summary>
    private static async Task SideBySideAsync(IPage page)
    {
        await Expect(page.Locator(".inbox-list")).ToBeVisibleAsync();
        await Expect(page.Locator("#pane")).ToBeVisibleAsync();
        var list = (await page.Locator(".inbox-list").BoundingBoxAsync())!;
        var pane = (await page.Locator("#pane").BoundingBoxAsync())!;
        Assert.True(list.X + list.Width <= pane.X, $"the list (x {list.X}, width {list.Width}) is not left of the pane (x {pane.X})");
        Assert.True(pane.Y < list.Y + list.Height, "the pane is below the list, not beside it");
    }

    private static async Task FitsAsync(IPage page, string name) =>
        Assert.False(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth + 1"), $"{name} is wider than a phone");

    private static async Task TextAsync(IPage phone, string from, string text)
    {
        await phone.GotoAsync("/simulator");
        await phone.FillAsync("#From", from);
        await phone.FillAsync("#Text", text);
        await phone.ClickAsync("main button[type=submit]");
        await Expect(phone.Locator("#sent")).ToBeVisibleAsync();
    }

    /// <summary>Signs a new business up and in, puts it on Growth with A2P live, a number and credit.</summary>
    private async Task<Guid> SignUpAsync(IPage page, string email, string number)
    {
        await page.GotoAsync("/signup");
        await page.FillAsync("#BusinessName", "Oak Realty");
        await page.FillAsync("#Email", email);
        await page.FillAsync("#Password", "correct horse battery");
        await page.ClickAsync("main button[type=submit]");
        await Expect(page).ToHaveURLAsync(new Regex("/signin$"));
        await page.FillAsync("#Password", "correct horse battery");
        await page.ClickAsync("main button[type=submit]");
        await Expect(page).ToHaveURLAsync(new Regex("/onboarding$"));
        var tenantId = await app.QueryAsync(db => db.Users.IgnoreQueryFilters().Where(u => u.Email == email).Select(u => u.TenantId).SingleAsync());
        using var admin = app.AdminClient();
        (await admin.PatchAsJsonAsync($"/api/admin/tenants/{tenantId}", new { plan = "Growth", a2pStatus = "Live" })).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync($"/api/admin/tenants/{tenantId}/wallet/credits", new { amount = 20 })).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync($"/api/admin/tenants/{tenantId}/phone-numbers", new { number })).EnsureSuccessStatusCode();
        return tenantId;
    }
}
