using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Parley.Tests.Web;

/// <summary>A clock running at real speed, moved forward to the next midday UTC: campaigns to Toronto numbers are
/// inside their recipients' allowed hours whenever the test runs, and cookies the browser keeps never look expired.</summary>
public sealed class MiddayClock : TimeProvider
{
    private readonly TimeSpan shift = TimeSpan.FromTicks((TimeSpan.FromHours(16) - DateTime.UtcNow.TimeOfDay + TimeSpan.FromDays(1)).Ticks % TimeSpan.TicksPerDay);

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + shift;
}

/// <summary>The browser app on a clock that stands at midday in Toronto.</summary>
public sealed class MiddayBrowserApp : BrowserApp
{
    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(new MiddayClock());
}

/// <summary>The pages a business works in every day: campaigns, the inbox, contacts and analytics, in a real browser.</summary>
public sealed class WorkspaceBrowserTests(MiddayBrowserApp app) : IClassFixture<MiddayBrowserApp>
{
    private const string Audience = """
        First,Last,Cell number,Company
        Robert,Smith,(416) 555-0181,Elm Street Co
        Ana,Lopez,416-555-0182,
        "Wei, Jr.",Chen,+1 416 555 0183,Harbour Homes
        Bob,Stone,12345,
        Ana,Lopez,416-555-0182,
        """;

    [ChromiumFact]
    public async Task A_business_runs_a_campaign_and_works_its_replies()
    {
        SetDefaultExpectTimeout(20_000);
        var context = await app.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.BaseAddress.ToString(), ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        page.Dialog += async (_, dialog) => await dialog.AcceptAsync();
        var tenantId = await SignUpAsync(page, "Maple Realty", "owner@maple-campaigns.example");

        // Campaigns, contacts, analytics and knowledge are behind sign-in; campaigns are reached from the sidebar.
        var stranger = await app.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.BaseAddress.ToString() });
        var anonymous = await stranger.NewPageAsync();
        foreach (var path in new[] { "/campaigns", "/contacts", "/analytics", "/knowledge" })
        {
            await anonymous.GotoAsync(path);
            await Expect(anonymous).ToHaveURLAsync(new Regex("/signin"));
        }

        await stranger.CloseAsync();
        await page.ClickAsync("nav.sidebar >> text=Campaigns");
        await Expect(page).ToHaveURLAsync(new Regex("/campaigns$"));
        await Expect(page.Locator("#campaigns")).ToContainTextAsync("No campaigns yet");
        await Axe.AssertAccessibleAsync(page, "/campaigns (empty)");

        // A CSV whose phone column the header does not name plainly: preview, map, then create.
        await page.FillAsync("#Form_Name", "Elm Street sellers");
        await page.FillAsync("#Form_Message", "Hi {firstName}, it's Maple Realty. Are you still thinking of selling this spring?");
        await page.SetInputFilesAsync("#Upload", new FilePayload { Name = "sellers.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(Audience) });
        await page.ClickAsync("#preview-csv");
        await Expect(page.Locator("#csv-preview")).ToContainTextAsync("5 rows");
        await Expect(page.Locator("#csv-preview table")).ToContainTextAsync("Wei, Jr.");
        await Expect(page.Locator("#Form_FirstNameColumn")).ToHaveValueAsync("0");
        await Expect(page.Locator("#Form_Name")).ToHaveValueAsync("Elm Street sellers");
        await Expect(page.Locator("#estimate")).ToContainTextAsync("1 segment · 5 recipients · about $0.040");
        await Axe.AssertAccessibleAsync(page, "/campaigns (preview)");

        // Nothing maps a phone yet: the page says so and keeps everything typed.
        await page.ClickAsync("#create-campaign");
        await Expect(page.Locator("#new-campaign")).ToContainTextAsync("Pick at least one phone column.");
        await page.CheckAsync("#csv-preview label:has-text('Cell number') input");
        await page.FillAsync("#Form_Message", "Hi {firstName}, it's Maple Realty. Are you still thinking of selling this spring? 🏡");
        await Expect(page.Locator("#estimate")).ToContainTextAsync("UCS-2");
        await page.FillAsync("#Form_Message", "Hi {firstName}, it's Maple Realty. Are you still thinking of selling this spring?");
        await page.ClickAsync("#create-campaign");
        await Expect(page.Locator("#created-count")).ToHaveTextAsync("3");
        await Expect(page.Locator("#rejected")).ToContainTextAsync("Invalid number");
        await Expect(page.Locator("#rejected")).ToContainTextAsync("Duplicate");
        var campaign = page.Locator("article.campaign", new() { HasText = "Elm Street sellers" });
        await Expect(campaign.Locator("[data-status]")).ToHaveTextAsync("Draft");
        await Expect(campaign.Locator("[data-progress]")).ToContainTextAsync("0 of 3 done");

        // Start it: the progress moves by itself, over the event stream, with no reload.
        await campaign.Locator("button", new() { HasText = "Start" }).ClickAsync();
        await Expect(page.Locator("#done")).ToContainTextAsync("Campaign started");
        await page.EvaluateAsync("window.__sameDocument = true");
        await Expect(campaign.Locator("[data-progress]")).ToContainTextAsync("3 of 3 done");
        await Expect(campaign.Locator("[data-progress]")).ToContainTextAsync("3 delivered");
        Assert.True(await page.EvaluateAsync<bool>("window.__sameDocument === true"), "the campaigns page reloaded");
        await Expect(campaign.Locator("[data-status]")).ToHaveTextAsync("Completed");
        var texted = await app.QueryAsync(db => db.Messages.Where(m => m.ContactNumber == "+14165550183").Select(m => m.Text).SingleAsync(), tenantId);
        Assert.StartsWith("Hi Wei, Jr., it's Maple Realty.", texted, StringComparison.Ordinal);

        // The SMS AI switch: off, then on again, as the API sees it.
        var campaignId = await app.QueryAsync(db => db.Campaigns.Select(c => c.Id).SingleAsync(), tenantId);
        await campaign.Locator("[data-ai-toggle]").ClickAsync();
        await Expect(campaign.Locator("[data-ai-toggle]")).ToHaveTextAsync("SMS AI off");
        await Expect(campaign.Locator("[data-ai-toggle]")).ToHaveAttributeAsync("aria-checked", "false");
        Assert.False(await CampaignAiAsync(page, campaignId));
        await campaign.Locator("[data-ai-toggle]").ClickAsync();
        await Expect(campaign.Locator("[data-ai-toggle]")).ToHaveTextAsync("SMS AI on");
        Assert.True(await CampaignAiAsync(page, campaignId));
        await Axe.AssertAccessibleAsync(page, "/campaigns");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserApp.Screenshots, "desktop-campaigns.png"), FullPage = true });

        // One recipient texts back; analytics draws the campaign's conversations: three texted, one replied.
        var phone = await context.NewPageAsync();
        await phone.GotoAsync("/simulator");
        await phone.FillAsync("#From", "+14165550182");
        await phone.FillAsync("#Text", "maybe.. depends what we'd get for it tbh");
        await phone.ClickAsync("main button[type=submit]");
        await Expect(phone.Locator("#sent")).ToBeVisibleAsync();
        await app.WorkDrainedAsync(tenantId);
        await page.GotoAsync("/analytics");
        await Expect(page.Locator("#texted")).ToHaveTextAsync("3");
        await Expect(page.Locator("#reply-rate")).ToHaveTextAsync("33%");
        await Expect(page.Locator("canvas[data-chart][data-drawn=true]")).ToHaveCountAsync(4);
        Assert.Equal(1, await page.EvaluateAsync<int>("() => document.querySelector('canvas[data-chart=funnel]').chart.data.datasets[0].data[1]"));

        await PhoneWidthAsync(context, "/campaigns");
        await context.CloseAsync();
    }

    [ChromiumFact]
    public async Task A_team_keeps_its_contacts_and_works_a_needs_attention_item_assigned_to_a_teammate()
    {
        SetDefaultExpectTimeout(20_000);
        var context = await app.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.BaseAddress.ToString(), ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        page.Dialog += async (_, dialog) => await dialog.AcceptAsync();
        await SignUpAsync(page, "Birch Dental", "owner@birch-team.example", "+14165550110");

        // The owner adds a teammate.
        await page.GotoAsync("/settings");
        await page.FillAsync("#InviteEmail", "sam@birch-team.example");
        await page.FillAsync("#InvitePassword", "correct horse battery staple");
        await page.ClickAsync("text=Add teammate");
        await Expect(page.Locator("main")).ToContainTextAsync("sam@birch-team.example");

        // A client record, typed in and then edited; the API shows the edit.
        await page.ClickAsync("nav.sidebar >> text=Contacts");
        await Expect(page).ToHaveURLAsync(new Regex("/contacts$"));
        await Expect(page.Locator("#no-contacts")).ToBeVisibleAsync();
        await page.FillAsync("#Form_FirstName", "Maria");
        await page.FillAsync("#Form_LastName", "Lopez");
        await page.FillAsync("#Form_Phones", "(416) 555-0191");
        await page.ClickAsync("#create-contact");
        await Expect(page).ToHaveURLAsync(new Regex("/contacts/[0-9a-f-]+\\?saved=1$"));
        await page.FillAsync("#Form_Company", "Harbour Homes");
        await page.FillAsync("#Form_TimeZone", "Atlantis/Lost");
        await page.ClickAsync("#save-contact");
        await Expect(page.Locator("#edit")).ToContainTextAsync("is not an IANA time zone");
        await page.FillAsync("#Form_TimeZone", "America/Vancouver");
        await page.FillAsync("#Form_Phones", "(416) 555-0191\n416 555 0192");
        await page.ClickAsync("#save-contact");
        await Expect(page.Locator("#saved")).ToBeVisibleAsync();
        await Expect(page.Locator("#numbers tbody tr")).ToHaveCountAsync(2);
        await page.FillAsync("#NoteText", "Prefers a call after 5 pm; asked about whitening.");
        await page.FillAsync("#NoteChannel", "call");
        await page.ClickAsync("#add-note");
        await Expect(page.Locator("#notes")).ToContainTextAsync("asked about whitening");
        var contacts = await page.APIRequest.GetAsync("/api/contacts?search=maria");
        var maria = (await contacts.JsonAsync())!.Value.GetProperty("items")[0];
        Assert.Equal("Harbour Homes", maria.GetProperty("company").GetString());
        Assert.Equal("America/Vancouver", maria.GetProperty("timeZone").GetString());
        Assert.Equal(2, maria.GetProperty("phones").GetArrayLength());
        await Axe.AssertAccessibleAsync(page, "/contacts/{id}");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserApp.Screenshots, "desktop-contact.png"), FullPage = true });

        // An import from a CSV: the good rows are kept, the bad one comes back with why.
        await page.GotoAsync("/contacts");
        await page.SetInputFilesAsync("#Upload", new FilePayload { Name = "patients.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes("First,Last,Phone\nLena,Park,416-555-0193\nOmar,Haddad,12345\n") });
        await page.ClickAsync("#preview-csv");
        await Expect(page.Locator("#csv-preview")).ToContainTextAsync("2 rows");
        await Expect(page.Locator("#Import_FirstNameColumn")).ToHaveValueAsync("0");
        await page.ClickAsync("#import-contacts");
        await Expect(page.Locator("#imported-added")).ToHaveTextAsync("1");
        await Expect(page.Locator("#rejected")).ToContainTextAsync("12345");
        await page.FillAsync("#search", "lena");
        await page.ClickAsync("form[role=search] button");
        await Expect(page.Locator("#contacts tbody tr")).ToHaveCountAsync(1);
        await Axe.AssertAccessibleAsync(page, "/contacts");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserApp.Screenshots, "desktop-contacts.png"), FullPage = true });

        // Maria asks for a person: the item waits in Needs Attention, unread, and the badge counts it.
        var phone = await context.NewPageAsync();
        await phone.GotoAsync("/simulator");
        await phone.FillAsync("#From", "+14165550191");
        await phone.FillAsync("#Text", "Can I talk to a real person please");
        await phone.ClickAsync("main button[type=submit]");
        await Expect(phone.Locator("#sent")).ToBeVisibleAsync();
        await page.GotoAsync("/needs-attention");
        await Expect(page.Locator("#attention-badge")).ToHaveTextAsync("1");
        await Expect(page.Locator("#rows .item.unread")).ToHaveCountAsync(1);
        await Expect(page.Locator("#rows")).ToContainTextAsync("Maria Lopez");

        // The keyboard: "/" goes to search, down selects the row, Enter opens it.
        await page.Keyboard.PressAsync("/");
        await Expect(page.Locator("#search")).ToBeFocusedAsync();
        await page.Locator("#search").BlurAsync();
        await page.Keyboard.PressAsync("ArrowDown");
        await Expect(page.Locator("#rows .item").First).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page).ToHaveURLAsync(new Regex("/conversations/[0-9a-f-]+\\?attention=true$"));

        // The owner gives it to the teammate; the list shows whose it is and that the owner has read it.
        await page.SelectOptionAsync("#assignee", new SelectOptionValue { Label = "sam@birch-team.example" });
        await page.ClickAsync("#assign");
        await Expect(page.Locator("#assigned-to")).ToContainTextAsync("sam@birch-team.example");
        await page.GotoAsync("/needs-attention");
        await Expect(page.Locator("#rows .item.unread")).ToHaveCountAsync(0);
        await Expect(page.Locator("#rows .badge.assignee")).ToContainTextAsync("sam@birch-team.example");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserApp.Screenshots, "desktop-needs-attention-assigned.png"), FullPage = true });

        // The teammate finds it under "assigned to me", still unread for them, answers and hands it back to the AI.
        var teammate = await app.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.BaseAddress.ToString(), ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        var sam = await teammate.NewPageAsync();
        sam.Dialog += async (_, dialog) => await dialog.AcceptAsync();
        await sam.GotoAsync("/signin");
        await sam.FillAsync("#Email", "sam@birch-team.example");
        await sam.FillAsync("#Password", "correct horse battery staple");
        await sam.ClickAsync("main button[type=submit]");
        await sam.GotoAsync("/");
        await sam.CheckAsync("#mine");
        await sam.ClickAsync("form.card button[type=submit]");
        await Expect(sam.Locator("#rows .item")).ToHaveCountAsync(1);
        await Expect(sam.Locator("#rows .item.unread")).ToHaveCountAsync(1);
        await sam.ClickAsync("#rows .item");
        await sam.FillAsync("#Text", "Hi Maria, this is Sam from Birch Dental. I'll call you after 5 pm today.");
        await sam.PressAsync("#Text", "Enter");
        await Expect(sam.Locator("#messages")).ToContainTextAsync("this is Sam");
        await sam.ClickAsync(".banner.phone button");
        await Expect(sam.Locator("#ai-badge")).ToHaveTextAsync("AI Active");
        await Expect(sam.Locator("#attention-badge")).ToHaveTextAsync("0");
        var activity = await sam.APIRequest.GetAsync("/api/activity?kind=Assigned");
        Assert.Contains("Assigned to sam@birch-team.example by owner@birch-team.example", (await activity.TextAsync()), StringComparison.Ordinal);
        await teammate.CloseAsync();

        await PhoneWidthAsync(context, "/contacts");
        await context.CloseAsync();
    }

    private async Task PhoneWidthAsync(IBrowserContext desktop, params string[] paths)
    {
        var mobile = await app.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = app.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 390, Height = 844 },
            IsMobile = true,
            StorageState = await desktop.StorageStateAsync(),
        });
        var page = await mobile.NewPageAsync();
        foreach (var path in paths)
        {
            await page.GotoAsync(path);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserApp.Screenshots, $"phone-{path.Trim('/')}.png"), FullPage = true });
            var overflow = await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth + 1");
            Assert.False(overflow, $"{path} is wider than a phone");
            await Axe.AssertAccessibleAsync(page, $"{path} at phone width");
        }

        await mobile.CloseAsync();
    }

    private static async Task<bool> CampaignAiAsync(IPage page, Guid id)
    {
        var response = await page.APIRequest.GetAsync($"/api/campaigns/{id}");
        Assert.Equal(200, response.Status);
        return (await response.JsonAsync())!.Value.GetProperty("aiEnabled").GetBoolean();
    }

    /// <summary>Signs a new business up and in, puts it on Growth with A2P live, a number and credit.</summary>
    private async Task<Guid> SignUpAsync(IPage page, string business, string email, string number = "+14165550100")
    {
        await page.GotoAsync("/signup");
        await page.FillAsync("#BusinessName", business);
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
