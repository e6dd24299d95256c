using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Parley.Tests.Web;

/// <summary>The platform admin's pages in a real browser: readable and usable at desktop and phone width.</summary>
public sealed class AdminPagesBrowserTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [ChromiumFact]
    public async Task The_admin_pages_pass_axe_and_fit_a_phone()
    {
        SetDefaultExpectTimeout(15_000);
        await app.CreateTenantAsync(number: "+14165557801", name: "Lakeshore Property Management & Rentals International");
        await app.CreateTenantAsync(number: "+14165557802", name: "Maple Realty", plan: "Free", a2pStatus: "Pending");

        var inaccessible = new List<string>();
        foreach (var (width, viewport, mobile) in new[] { ("desktop", new ViewportSize { Width = 1280, Height = 860 }, false), ("phone", new ViewportSize { Width = 390, Height = 844 }, true) })
        {
            var context = await app.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.BaseAddress.ToString(), ViewportSize = viewport, IsMobile = mobile });
            var page = await context.NewPageAsync();

            // Signing in with a wrong key says so; the page with its error is checked too.
            await page.GotoAsync("/admin/signin");
            await CheckAsync(page, "/admin/signin", width, "admin-signin", inaccessible);
            await page.FillAsync("#Key", "not-the-admin-key");
            await page.ClickAsync("main button[type=submit]");
            await Expect(page.GetByText("That is not the admin API key.")).ToBeVisibleAsync();
            await CheckAsync(page, "/admin/signin (refused)", width, "admin-signin-refused", inaccessible);

            await page.FillAsync("#Key", Infrastructure.ParleyApp.AdminKey);
            await page.ClickAsync("main button[type=submit]");
            await Expect(page).ToHaveURLAsync(new Regex("/admin/tenants$"));
            var lakeshore = page.Locator(".card", new() { HasText = "Lakeshore Property Management" });
            await Expect(lakeshore.Locator("[data-fact=plan]")).ToContainTextAsync("Growth");
            await CheckAsync(page, "/admin/tenants", width, "admin-tenants", inaccessible);

            // The operator can use the forms by their labels at either width.
            await lakeshore.GetByLabel("Wallet credit (USD)").FillAsync("25");
            await lakeshore.GetByLabel("Note").FillAsync("goodwill");
            await lakeshore.GetByRole(AriaRole.Button, new() { Name = "Add credit" }).ClickAsync();
            await Expect(page.Locator(".card", new() { HasText = "Lakeshore Property Management" }).Locator("[data-fact=wallet]")).ToContainTextAsync(width == "desktop" ? "$35.00" : "$60.00");
            var maple = page.Locator(".card", new() { HasText = "Maple Realty" }).Last;
            var plan = width == "desktop" ? "Growth" : "Scale";
            await maple.GetByLabel("Plan").SelectOptionAsync(plan);
            await maple.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
            await Expect(page.Locator(".card", new() { HasText = "Maple Realty" }).Last.Locator("[data-fact=plan]")).ToContainTextAsync(plan);
            await CheckAsync(page, "/admin/tenants (after saving)", width, "admin-tenants-saved", inaccessible);

            await context.CloseAsync();
        }

        Assert.True(inaccessible.Count == 0, string.Join('\n', inaccessible));
    }

    /// <summary>A screenshot, then axe and a check that nothing pushes the page wider than the screen.</summary>
    private static async Task CheckAsync(IPage page, string what, string width, string name, List<string> inaccessible)
    {
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserApp.Screenshots, $"{width}-{name}.png"), FullPage = true });
        inaccessible.AddRange((await Axe.SeriousViolationsAsync(page)).Select(v => $"{what} at {width} width: {v}"));
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
        if (overflow > 0)
        {
            inaccessible.Add($"{what} at {width} width: the page scrolls sideways by {overflow}px");
        }
    }
}
