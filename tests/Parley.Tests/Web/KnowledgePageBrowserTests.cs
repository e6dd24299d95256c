using System.Text;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Parley.Knowledge;
using static Microsoft.Playwright.Assertions;

namespace Parley.Tests.Web;

/// <summary>A business gives its agent knowledge on the Knowledge page, in a real browser against the real app.</summary>
public sealed class KnowledgePageBrowserTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    private const string Faq = """
        # Maple Key Home Buyers FAQ

        ## Fees and commissions
        There are no fees or commissions. We pay all the usual closing costs, and the price we offer is the amount you receive.

        ## Areas we buy in
        We buy homes across Toronto, Mississauga, Brampton, Vaughan, Markham, Oakville and Hamilton.
        """;

    [ChromiumFact]
    public async Task A_business_adds_imports_tries_and_answers_its_knowledge()
    {
        SetDefaultExpectTimeout(20_000);
        var context = await app.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.BaseAddress.ToString(), ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        page.Dialog += async (_, dialog) => await dialog.AcceptAsync();

        await page.GotoAsync("/signup");
        await page.FillAsync("#BusinessName", "Maple Key Home Buyers");
        await page.FillAsync("#Email", "owner@maplekey.example");
        await page.FillAsync("#Password", "correct horse battery");
        await page.ClickAsync("main button[type=submit]");
        await Expect(page).ToHaveURLAsync(new Regex("/signin$"));
        await page.FillAsync("#Password", "correct horse battery");
        await page.ClickAsync("main button[type=submit]");
        await Expect(page).ToHaveURLAsync(new Regex("/onboarding$"));
        var tenantId = await app.QueryAsync(db => db.Users.IgnoreQueryFilters().Where(u => u.Email == "owner@maplekey.example").Select(u => u.TenantId).SingleAsync());

        // The sidebar leads to the page.
        await page.ClickAsync("nav.sidebar >> text=Knowledge");
        await Expect(page).ToHaveURLAsync(new Regex("/knowledge$"));
        await Expect(page.Locator("#entries")).ToContainTextAsync("No entries yet");

        // Nothing is known yet: a question gets the honest answer.
        await page.FillAsync("#q", "how quick can u close");
        await page.ClickAsync("#try button[type=submit]");
        await Expect(page.Locator("#no-match")).ToContainTextAsync("the team will confirm");

        // An entry typed in, with the ways people ask.
        await page.FillAsync("#Entry_Title", "How fast we close");
        await page.FillAsync("#Entry_Text", "We can close in as little as 7 days, or on any date that suits you. We pay cash, so there is no waiting for bank financing.");
        await page.FillAsync("#Entry_Questions", "How fast can you close?\nHow long does it take to sell?");
        await page.ClickAsync("#entry-form button[type=submit]");
        await Expect(page.Locator("#done")).ToContainTextAsync("Added “How fast we close”");
        var row = page.Locator("#entries tr.entry", new() { HasText = "How fast we close" });
        await Expect(row).ToContainTextAsync("How long does it take to sell?");
        await Expect(row).ToContainTextAsync("Typed in");

        // Asked the way sellers text, not the entry's words, it is what the agent would use.
        foreach (var question in new[] { "how soon can u buy", "can u close in a week", "wen can i get the money" })
        {
            await page.FillAsync("#q", question);
            await page.ClickAsync("#try button[type=submit]");
            await Expect(page.Locator("#try-results tr.passage").First).ToContainTextAsync("How fast we close");
        }

        await page.FillAsync("#q", "do u sell cars");
        await page.ClickAsync("#try button[type=submit]");
        await Expect(page.Locator("#no-match")).ToBeVisibleAsync();

        // A Markdown FAQ uploaded becomes entries of its source.
        await page.SetInputFilesAsync("#files", new FilePayload { Name = "faq.md", MimeType = "text/markdown", Buffer = Encoding.UTF8.GetBytes(Faq) });
        await page.ClickAsync("#upload-form button[type=submit]");
        await Expect(page.Locator("#done")).ToContainTextAsync("Imported faq.md");
        await Expect(page.Locator("#sources")).ToContainTextAsync("faq.md");
        await Expect(page.Locator("#entries tr.entry", new() { HasText = "no fees or commissions" })).ToContainTextAsync("faq.md");
        await page.FillAsync("#q", "wat r ur fees");
        await page.ClickAsync("#try button[type=submit]");
        await Expect(page.Locator("#try-results tr.passage").First).ToContainTextAsync("no fees or commissions");

        // A file it cannot read is refused next to the upload form, and nothing changes.
        await page.SetInputFilesAsync("#files", new FilePayload { Name = "photo.png", MimeType = "image/png", Buffer = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13] });
        await page.ClickAsync("#upload-form button[type=submit]");
        await Expect(page.Locator("#upload-form .field-error")).ToContainTextAsync("photo.png");
        await Expect(page.Locator("#sources tr")).ToHaveCountAsync(2);

        // A question the agent could not answer waits under Unanswered questions; answering it teaches the agent.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<KnowledgeGaps>().RecordAsync(tenantId, null, "do you buy mobile homes?", CancellationToken.None);
        }

        await page.GotoAsync("/knowledge");
        var gap = page.Locator("#gaps .gap", new() { HasText = "do you buy mobile homes?" });
        await gap.Locator("button[type=submit]").ClickAsync();
        await Expect(page.Locator("#gaps .gap", new() { HasText = "do you buy mobile homes?" }).Locator(".field-error")).ToContainTextAsync("A text of 1 to");
        gap = page.Locator("#gaps .gap", new() { HasText = "do you buy mobile homes?" });
        await gap.GetByLabel("Answer this").FillAsync("Yes, we buy mobile homes when the land is owned, not rented.");
        await gap.Locator("button[type=submit]").ClickAsync();
        await Expect(page.Locator("#done")).ToContainTextAsync("Answered");
        await Expect(page.Locator("#gaps")).Not.ToContainTextAsync("do you buy mobile homes?");
        await Expect(page.Locator("#entries tr.entry", new() { HasText = "mobile homes when the land is owned" })).ToBeVisibleAsync();
        await page.FillAsync("#q", "do u guys take mobile homes");
        await page.ClickAsync("#try button[type=submit]");
        await Expect(page.Locator("#try-results tr.passage").First).ToContainTextAsync("mobile homes when the land is owned");

        // Edit, then delete: the list says so at once.
        await page.Locator("#entries tr.entry", new() { HasText = "How fast we close" }).GetByRole(AriaRole.Link, new() { Name = "Edit How fast we close" }).ClickAsync();
        await Expect(page.Locator("#Entry_Text")).ToHaveValueAsync(new Regex("as little as 7 days"));
        await page.FillAsync("#Entry_Text", "We can close in as little as 10 days, or on any date that suits you.");
        await page.ClickAsync("#entry-form button[type=submit]");
        await Expect(page.Locator("#done")).ToContainTextAsync("Saved “How fast we close”");
        await Expect(page.Locator("#entries tr.entry", new() { HasText = "How fast we close" })).ToContainTextAsync("as little as 10 days");
        await page.Locator("#entries tr.entry", new() { HasText = "How fast we close" }).GetByRole(AriaRole.Button, new() { Name = "Delete How fast we close" }).ClickAsync();
        await Expect(page.Locator("#done")).ToContainTextAsync("Deleted");
        await Expect(page.Locator("#entries")).Not.ToContainTextAsync("How fast we close");

        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserApp.Screenshots, "desktop-knowledge.png"), FullPage = true });
        await context.CloseAsync();
    }

    [ChromiumFact]
    public async Task An_upload_larger_than_the_server_accepts_is_refused_with_a_client_error()
    {
        using var client = new HttpClient(new HttpClientHandler { CookieContainer = new System.Net.CookieContainer() }) { BaseAddress = app.BaseAddress };
        (await Forms.SignUpAsync(client, "big-upload@maplekey.example")).EnsureSuccessStatusCode();
        var html = await client.GetStringAsync("/knowledge");
        var token = System.Net.WebUtility.HtmlDecode(Regex.Match(html, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value);
        using var form = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new ByteArrayContent(Encoding.UTF8.GetBytes(new string('a', 31 * 1024 * 1024))), "files", "huge.txt" },
        };
        client.DefaultRequestHeaders.ExpectContinue = true; // the server answers before the body is sent
        var response = await client.PostAsync("/knowledge?handler=Upload", form);
        Assert.InRange((int)response.StatusCode, 400, 499);
        Assert.Equal(0, await app.QueryAsync(db => db.KnowledgeSources.IgnoreQueryFilters().CountAsync(s => s.Name == "huge.txt")));
    }
}
