using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Parley.Tests.Web;

namespace Parley.Tests.Security;

/// <summary>A dashboard cookie names a session on the server: signing out ends it wherever the cookie was
/// copied, "sign out other sessions" ends the others, and an admin cookie ends when the admin key changes.</summary>
public sealed class AuthSessionTests : IDisposable
{
    private readonly AuthKestrelApp app = new();

    public void Dispose() => app.Dispose();

    private HttpClient WithCookie(string cookie, bool followRedirects = false)
    {
        var client = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = followRedirects }) { BaseAddress = app.BaseAddress };
        client.DefaultRequestHeaders.Add("Cookie", cookie);
        return client;
    }

    private string SessionCookie(CookieContainer jar) =>
        jar.GetCookies(app.BaseAddress).Where(c => c.Name == "parley").Select(c => $"{c.Name}={c.Value}").Single();

    [Fact]
    public async Task A_cookie_saved_before_sign_out_stops_working()
    {
        var jar = new CookieContainer();
        using var browser = app.Browser(cookies: jar);
        await Forms.SignUpAsync(browser, "saved@birch.example");
        var saved = SessionCookie(jar);
        using (var copy = WithCookie(saved))
        {
            Assert.Equal(HttpStatusCode.OK, (await copy.GetAsync("/settings")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await copy.GetAsync("/api/conversations")).StatusCode);
        }

        var signOut = await Forms.PostAsync(browser, "/signout", new Dictionary<string, string>());
        Assert.Equal("/signin", signOut.RequestMessage!.RequestUri!.AbsolutePath);

        using var replay = WithCookie(saved);
        var page = await replay.GetAsync("/settings");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/signin", page.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await replay.GetAsync("/api/conversations")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await replay.GetAsync("/api/events")).StatusCode);
    }

    [Fact]
    public async Task Sign_out_other_sessions_ends_every_other_browser_but_this_one()
    {
        var laptopJar = new CookieContainer();
        using var laptop = app.Browser(cookies: laptopJar);
        await Forms.SignUpAsync(laptop, "many@birch.example");
        using var phone = app.Browser();
        await Forms.PostAsync(phone, "/signin", new Dictionary<string, string> { ["Email"] = "many@birch.example", ["Password"] = "correct horse battery" });
        using var library = app.Browser();
        await Forms.PostAsync(library, "/signin", new Dictionary<string, string> { ["Email"] = "many@birch.example", ["Password"] = "correct horse battery" });
        Assert.Contains("Signed in on 3 browsers", await laptop.GetStringAsync("/settings"), StringComparison.Ordinal);

        var done = await Forms.PostAsync(laptop, "/settings", new Dictionary<string, string>(), "SignOutOthers");

        Assert.Contains("Signed out 2 other sessions.", await done.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("Signed in on 1 browser,", await laptop.GetStringAsync("/settings"), StringComparison.Ordinal);
        Assert.Equal("/signin", (await phone.GetAsync("/settings")).RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Equal("/signin", (await library.GetAsync("/")).RequestMessage!.RequestUri!.AbsolutePath);
        using var stillIn = WithCookie(SessionCookie(laptopJar));
        Assert.Equal(HttpStatusCode.OK, (await stillIn.GetAsync("/settings")).StatusCode);
    }

    [Fact]
    public async Task An_admin_cookie_stops_working_when_the_admin_key_changes()
    {
        var tenant = await app.CreateTenantAsync(credit: 0);
        var jar = new CookieContainer();
        using var admin = app.Browser(cookies: jar);
        var signedIn = await Forms.PostAsync(admin, "/admin/signin", new Dictionary<string, string> { ["Key"] = Infrastructure.ParleyApp.AdminKey });
        Assert.Equal("/admin/tenants", signedIn.RequestMessage!.RequestUri!.AbsolutePath);
        var saved = SessionCookie(jar);

        // The operator replaces a leaked admin key.
        app.Services.GetRequiredService<IOptions<ParleyOptions>>().Value.AdminApiKey = "a-new-admin-key-after-a-leak";

        using var replay = WithCookie(saved);
        var page = await replay.GetAsync("/admin/tenants");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        var credit = await Forms.PostAsync(admin, $"/admin/tenants?id={tenant.Id}", new Dictionary<string, string> { ["amount"] = "500", ["note"] = "free money" }, "Credit");
        Assert.NotEqual("/admin/tenants", credit.RequestMessage!.RequestUri!.AbsolutePath);
        var balance = await tenant.Http.GetStringAsync("/api/account");
        Assert.DoesNotContain("500", balance, StringComparison.Ordinal);
    }
}
