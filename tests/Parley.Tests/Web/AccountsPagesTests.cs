using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Parley.Accounts;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.Web;

public sealed class AccountsPagesTests(ParleyApp app) : IClassFixture<ParleyApp>
{
    private HttpClient Browser(bool followRedirects = true) =>
        app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = followRedirects, HandleCookies = true });

    [Theory]
    [InlineData("/")]
    [InlineData("/needs-attention")]
    [InlineData("/onboarding")]
    [InlineData("/callbacks")]
    [InlineData("/agents")]
    [InlineData("/tester")]
    [InlineData("/activity")]
    [InlineData("/billing")]
    [InlineData("/a2p")]
    [InlineData("/simulator")]
    [InlineData("/settings")]
    [InlineData("/settings/diagnostics")]
    [InlineData("/webhooks")]
    [InlineData("/analytics")]
    [InlineData("/contacts")]
    [InlineData("/contacts/0196f3a0-0000-7000-8000-000000000000")]
    [InlineData("/conversations/0196f3a0-0000-7000-8000-000000000000")]
    public async Task Every_page_needs_sign_in(string path)
    {
        var response = await Browser(followRedirects: false).GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/signin", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sign_up_creates_a_free_tenant_and_its_owner_who_then_signs_in()
    {
        var client = Browser();
        var response = await Forms.SignUpAsync(client, "Owner@Birch.example");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("/onboarding", response.RequestMessage!.RequestUri!.AbsolutePath);
        var user = await app.QueryAsync(db => db.Users.IgnoreQueryFilters().SingleAsync(u => u.Email == "owner@birch.example"));
        var tenant = await app.QueryAsync(db => db.Tenants.SingleAsync(t => t.Id == user.TenantId));
        Assert.Equal(UserRole.Owner, user.Role);
        Assert.DoesNotContain("correct horse", user.PasswordHash, StringComparison.Ordinal);
        Assert.Equal(Plan.Free, tenant.Plan);
        Assert.Equal(A2pStatus.NotStarted, tenant.A2pStatus);
    }

    [Fact]
    public async Task Sign_up_shows_what_is_wrong_with_the_form()
    {
        var response = await Forms.SignUpAsync(Browser(), "not-an-email", password: "short", business: "");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Enter a valid email address.", html, StringComparison.Ordinal);
        Assert.Contains("at least 12 characters", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sign_in_checks_the_password()
    {
        await Forms.SignUpAsync(Browser(), "signin@birch.example");
        var client = Browser();

        var wrong = await Forms.PostAsync(client, "/signin", new Dictionary<string, string> { ["Email"] = "signin@birch.example", ["Password"] = "wrong password!" });
        Assert.Contains("do not match an account", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await Browser(false).GetAsync("/")).StatusCode);

        var right = await Forms.PostAsync(client, "/signin", new Dictionary<string, string> { ["Email"] = "SIGNIN@birch.example", ["Password"] = "correct horse battery" });
        Assert.Equal("/onboarding", right.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/billing")).StatusCode);
    }

    [Fact]
    public async Task A_form_post_without_the_antiforgery_token_is_refused()
    {
        var response = await Browser().PostAsync("/signup", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["BusinessName"] = "Forged",
            ["Email"] = "forged@birch.example",
            ["Password"] = "correct horse battery",
        }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(await app.QueryAsync(db => db.Users.IgnoreQueryFilters().AnyAsync(u => u.Email == "forged@birch.example")));
    }

    [Fact]
    public async Task A_user_sees_only_their_own_tenant()
    {
        var other = await app.CreateTenantAsync(number: "+14165550140", name: "Other Realty");
        var started = await other.Http.PostJsonAsync("/api/conversations", new { to = "+14165550141", message = "Hello from the other tenant" });
        var otherConversation = new { Id = Guid.Parse(started["id"]!.GetValue<string>()) };
        var client = Browser();
        await Forms.SignUpAsync(client, "isolated@birch.example");

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/conversations/{otherConversation.Id}")).StatusCode);
        Assert.DoesNotContain("+14165550141", await client.GetStringAsync("/"), StringComparison.Ordinal);
        Assert.Equal("[]", await client.GetStringAsync("/api/conversations"));
        var write = await client.PostAsync($"/api/conversations/{otherConversation.Id}/ai/pause", null);
        Assert.Equal(HttpStatusCode.Unauthorized, write.StatusCode); // the cookie only reads the API
        var csv = await client.GetStringAsync("/api/conversations/export.csv");
        Assert.DoesNotContain(otherConversation.Id.ToString(), csv, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_owner_invites_a_teammate_who_can_sign_in_to_the_same_tenant()
    {
        var owner = Browser();
        await Forms.SignUpAsync(owner, "boss@maple.example", business: "Maple Team");
        var invite = await Forms.PostAsync(owner, "/settings", new Dictionary<string, string> { ["InviteEmail"] = "mate@maple.example", ["InvitePassword"] = "temporary-pass-1" }, "Invite");
        Assert.Contains("mate@maple.example", await invite.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var mate = Browser();
        await Forms.PostAsync(mate, "/signin", new Dictionary<string, string> { ["Email"] = "mate@maple.example", ["Password"] = "temporary-pass-1" });
        var users = await app.QueryAsync(db => db.Users.IgnoreQueryFilters().Where(u => u.Email.EndsWith("@maple.example")).ToListAsync());
        Assert.Single(users.Select(u => u.TenantId).Distinct());
        Assert.Contains(users, u => u.Role == UserRole.Member);
        Assert.Equal(HttpStatusCode.OK, (await mate.GetAsync("/settings")).StatusCode);
    }

    [Fact]
    public async Task The_platform_admin_signs_in_with_the_admin_key_and_changes_a_plan()
    {
        var owner = Browser();
        await Forms.SignUpAsync(owner, "upgrade@cedar.example", business: "Cedar Clinic");
        var tenantId = await app.QueryAsync(db => db.Users.IgnoreQueryFilters().Where(u => u.Email == "upgrade@cedar.example").Select(u => u.TenantId).SingleAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await Browser(false).GetAsync("/admin/tenants")).StatusCode);
        var ownerTriesAdmin = await owner.GetAsync("/admin/tenants");
        Assert.Equal("/signin", ownerTriesAdmin.RequestMessage!.RequestUri!.AbsolutePath);

        var admin = Browser();
        var wrong = await Forms.PostAsync(admin, "/admin/signin", new Dictionary<string, string> { ["Key"] = "not-the-key" });
        Assert.Contains("not the admin API key", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var page = await Forms.PostAsync(admin, "/admin/signin", new Dictionary<string, string> { ["Key"] = ParleyApp.AdminKey });
        Assert.Contains("Cedar Clinic", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await Forms.PostAsync(admin, $"/admin/tenants?id={tenantId}", new Dictionary<string, string> { ["plan"] = "Growth", ["a2p"] = "Live" }, "Update");
        await Forms.PostAsync(admin, $"/admin/tenants?id={tenantId}", new Dictionary<string, string> { ["amount"] = "12.50", ["note"] = "welcome" }, "Credit");

        var tenant = await app.QueryAsync(db => db.Tenants.SingleAsync(t => t.Id == tenantId));
        Assert.Equal((Plan.Growth, A2pStatus.Live), (tenant.Plan, tenant.A2pStatus));
        Assert.Contains("$12.50", await owner.GetStringAsync("/billing"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_admin_page_shows_each_tenant_s_plan_wallet_a2p_progress_and_payments()
    {
        var owner = Browser();
        await Forms.SignUpAsync(owner, "paid@alder.example", business: "Alder Dental");
        await Forms.PostAsync(owner, "/billing", new Dictionary<string, string> { ["Amount"] = "20.00" }, "TopUp");
        var quiet = Browser();
        await Forms.SignUpAsync(quiet, "nothing@birchwood.example", business: "Birchwood Books");

        var admin = Browser();
        var html = await (await Forms.PostAsync(admin, "/admin/signin", new Dictionary<string, string> { ["Key"] = ParleyApp.AdminKey })).Content.ReadAsStringAsync();
        var page = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(html);
        string Fact(string business, string fact) => page.QuerySelectorAll(".card")
            .Single(c => c.QuerySelector("h2")!.TextContent == business).QuerySelector($"[data-fact={fact}]")!.TextContent;

        Assert.StartsWith("Free", Fact("Alder Dental", "plan"), StringComparison.Ordinal);
        Assert.StartsWith("$20.00", Fact("Alder Dental", "wallet"), StringComparison.Ordinal);
        Assert.StartsWith("1 ($20.00 paid, 0 failed)", Fact("Alder Dental", "payments"), StringComparison.Ordinal);
        Assert.StartsWith("NotStarted", Fact("Alder Dental", "a2p"), StringComparison.Ordinal);
        Assert.Equal("none", Fact("Birchwood Books", "payments"));
        Assert.StartsWith("$0.00", Fact("Birchwood Books", "wallet"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_person_turns_their_own_email_alerts_off_and_on_in_settings()
    {
        var owner = Browser();
        await Forms.SignUpAsync(owner, "alerts@spruce.example", business: "Spruce Law");
        var settings = await owner.GetStringAsync("/settings");
        Assert.Contains("id=\"email-alerts\" checked", settings, StringComparison.Ordinal);
        Assert.Contains("Email is not set up on this Parley server", settings, StringComparison.Ordinal);

        await Forms.PostAsync(owner, "/settings", new Dictionary<string, string>(), "Alerts"); // an unticked box posts nothing
        Assert.DoesNotContain("id=\"email-alerts\" checked", await owner.GetStringAsync("/settings"), StringComparison.Ordinal);
        Assert.False(await app.QueryAsync(db => db.Users.IgnoreQueryFilters().Where(u => u.Email == "alerts@spruce.example").Select(u => u.EmailAlerts).SingleAsync()));

        await Forms.PostAsync(owner, "/settings", new Dictionary<string, string> { ["emailAlerts"] = "true" }, "Alerts");
        Assert.True(await app.QueryAsync(db => db.Users.IgnoreQueryFilters().Where(u => u.Email == "alerts@spruce.example").Select(u => u.EmailAlerts).SingleAsync()));
    }

    [Fact]
    public async Task The_billing_page_warns_while_the_wallet_is_below_the_low_balance_line()
    {
        var owner = Browser();
        await Forms.SignUpAsync(owner, "low@larch.example", business: "Larch Cafe");
        Assert.Contains("id=\"low-balance\"", await owner.GetStringAsync("/billing"), StringComparison.Ordinal);

        await Forms.PostAsync(owner, "/billing", new Dictionary<string, string> { ["Amount"] = "20.00" }, "TopUp");
        Assert.DoesNotContain("id=\"low-balance\"", await owner.GetStringAsync("/billing"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Api_without_credentials_still_answers_401_not_a_redirect()
    {
        var response = await Browser(followRedirects: false).GetAsync("/api/conversations");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
