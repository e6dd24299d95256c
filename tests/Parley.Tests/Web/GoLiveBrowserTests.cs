using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Parley.Tests.Web;

/// <summary>A business goes live on its own at night: sign-up, a paid plan, a wallet top-up, A2P registration and its
/// first AI reply, all in the browser, with no call to the platform admin. Runs on the offline defaults: the Sandbox
/// payment provider (a payment completes at once) and the Sandbox carrier, whose 10DLC registry approves at once.</summary>
public sealed class GoLiveBrowserTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [ChromiumFact]
    public async Task A_business_signs_up_upgrades_tops_up_registers_and_gets_its_first_ai_reply_without_the_operator()
    {
        SetDefaultExpectTimeout(15_000);
        var context = await app.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.BaseAddress.ToString(), ViewportSize = new ViewportSize { Width = 1280, Height = 860 } });
        var page = await context.NewPageAsync();
        page.Dialog += async (_, dialog) => await dialog.AcceptAsync();

        await page.GotoAsync("/signup");
        await page.FillAsync("#BusinessName", "Juniper Homes");
        await page.FillAsync("#Email", "owner@juniper.example");
        await page.FillAsync("#Password", "late night sign up");
        await page.ClickAsync("main button[type=submit]");
        await Expect(page).ToHaveURLAsync(new Regex("/signin$"));
        await page.FillAsync("#Password", "late night sign up");
        await page.ClickAsync("main button[type=submit]");
        await Expect(page).ToHaveURLAsync(new Regex("/onboarding$"));
        await page.FillAsync("#Number", "+1 416 555 0142");
        await page.ClickAsync("text=Add number");
        await Expect(page.Locator("li.done", new() { HasText = "Phone number" })).ToBeVisibleAsync();

        // Free has no AI replies: the owner upgrades to Growth, then adds $20.
        await page.GotoAsync("/billing");
        await Expect(page.Locator("#plan")).ToHaveTextAsync("Free");
        await Expect(page.Locator("#low-balance")).ToBeVisibleAsync();
        await page.ClickAsync("#choose-growth");
        await Expect(page.Locator("#plan")).ToHaveTextAsync("Growth");
        await page.ClickAsync("#top-up-20");
        await Expect(page.Locator("#balance")).ToHaveTextAsync("$20.00");
        await Expect(page.Locator("#low-balance")).ToHaveCountAsync(0);

        // A2P 10DLC: a bad EIN is explained beside the field; the corrected registration goes Live.
        await page.GotoAsync("/a2p");
        await Expect(page.Locator("#a2p-status")).ToHaveTextAsync("NotStarted");
        await page.SelectOptionAsync("#a2p-entity", "PRIVATE_PROFIT");
        await page.FillAsync("#a2p-display", "Juniper Homes");
        await page.FillAsync("#a2p-company", "Juniper Homes LLC");
        await page.FillAsync("#a2p-ein", "12345");
        await page.FillAsync("#a2p-street", "40 Pine Rd");
        await page.FillAsync("#a2p-city", "Albany");
        await page.FillAsync("#a2p-state", "NY");
        await page.FillAsync("#a2p-zip", "12207");
        await page.FillAsync("#a2p-phone", "+15185550142");
        await page.FillAsync("#a2p-email", "desk@juniper.example");
        await page.FillAsync("#a2p-website", "https://juniper.example");
        await page.SelectOptionAsync("#a2p-vertical", "REAL_ESTATE");
        await page.SelectOptionAsync("#a2p-usecase", "CUSTOMER_CARE");
        await page.FillAsync("#a2p-description", "Juniper Homes answers home sellers who text about selling their house and books calls.");
        await page.FillAsync("#a2p-flow", "Sellers text our number from our website and yard signs.");
        await page.FillAsync("#a2p-sample1", "Hi, this is Juniper Homes. Would a call Tuesday at 3 pm work to talk about your house?");
        await page.FillAsync("#a2p-sample2", "You're booked for Tuesday at 3 pm. Reply STOP to opt out.");
        await page.ClickAsync("#a2p-submit");
        await Expect(page.Locator("#a2p-form")).ToContainTextAsync("9-digit federal tax id");
        await page.FillAsync("#a2p-ein", "12-3456789");
        await page.ClickAsync("#a2p-submit");
        await Expect(page.Locator("#a2p-status")).ToHaveTextAsync("Live");

        // A seller texts: the agent answers, paid from the wallet.
        var phone = await context.NewPageAsync();
        await phone.GotoAsync("/simulator");
        await phone.FillAsync("#From", "+14165550177");
        await phone.FillAsync("#Text", "Hi, do you buy houses that need work?");
        await phone.ClickAsync("main button[type=submit]");
        await Expect(phone.Locator("#sent")).ToBeVisibleAsync();
        await page.GotoAsync("/");
        await page.ClickAsync("#rows a[href^='/conversations/']");
        await Expect(page.Locator("#messages")).ToContainTextAsync("houses that need work");
        await Expect(page.Locator(".msg.outbound .meta", new() { HasTextRegex = new Regex("^AI ") }).First).ToBeVisibleAsync();
        await page.GotoAsync("/billing");
        await Expect(page.Locator("#balance")).Not.ToHaveTextAsync("$20.00");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserApp.Screenshots, "go-live-billing.png"), FullPage = true });
    }
}
