using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Parley.Tests.Infrastructure;
using Parley.Tests.Web;

namespace Parley.Tests.Security;

/// <summary>Sign-up answers the same whether or not an email has an account, and every new password
/// follows the policy: long enough, not the email or the business's name, not a common password.</summary>
public sealed partial class AuthSignUpTests(ParleyApp app) : IClassFixture<ParleyApp>
{
    private HttpClient Browser(bool followRedirects = true) =>
        app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = followRedirects, HandleCookies = true });

    private static Task<HttpResponseMessage> PostSignUpAsync(HttpClient client, string email, string password, string business = "Birch Dental") =>
        Forms.PostAsync(client, "/signup", new Dictionary<string, string>
        {
            ["BusinessName"] = business,
            ["Email"] = email,
            ["Password"] = password,
            ["TimeZone"] = "America/Toronto",
        });

    [Fact]
    public async Task Signing_up_with_a_taken_email_looks_exactly_like_signing_up_with_a_new_one()
    {
        await Forms.SignUpAsync(Browser(), "taken@birch.example", password: "the first owner's pass");
        var tenantsBefore = await app.QueryAsync(db => db.Tenants.CountAsync());

        var taken = await PostSignUpAsync(Browser(false), "taken@birch.example", "an intruder's own pass");
        var fresh = await PostSignUpAsync(Browser(false), "fresh@birch.example", "a newcomer's own pass");

        Assert.Equal(fresh.StatusCode, taken.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, taken.StatusCode);
        Assert.Equal(fresh.Headers.Location, taken.Headers.Location);
        Assert.Equal("/signin", taken.Headers.Location!.OriginalString);
        Assert.DoesNotContain(taken.Headers, h => h.Key == "Set-Cookie" && h.Value.Any(v => v.StartsWith("parley=", StringComparison.Ordinal)));

        // What each then sees on the sign-in page is the same too, but for the email they typed.
        var takenPage = await FollowAsync(taken, "taken@birch.example");
        var freshPage = await FollowAsync(fresh, "fresh@birch.example");
        Assert.Equal(freshPage, takenPage);
        Assert.Contains("Thanks for signing up", takenPage, StringComparison.Ordinal);

        // The taken account is untouched: its own password still opens it, the intruder's does not.
        Assert.Equal(tenantsBefore + 1, await app.QueryAsync(db => db.Tenants.CountAsync()));
        var intruder = await Forms.PostAsync(Browser(), "/signin", new Dictionary<string, string> { ["Email"] = "taken@birch.example", ["Password"] = "an intruder's own pass" });
        Assert.Contains("do not match an account", await intruder.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var owner = Browser();
        var signedIn = await Forms.PostAsync(owner, "/signin", new Dictionary<string, string> { ["Email"] = "taken@birch.example", ["Password"] = "the first owner's pass" });
        Assert.Equal("/onboarding", signedIn.RequestMessage!.RequestUri!.AbsolutePath);
    }

    private async Task<string> FollowAsync(HttpResponseMessage signUp, string email)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, signUp.Headers.Location);
        foreach (var cookie in signUp.Headers.GetValues("Set-Cookie"))
        {
            request.Headers.Add("Cookie", cookie.Split(';')[0]);
        }

        var html = await (await Browser().SendAsync(request)).Content.ReadAsStringAsync();
        return Token().Replace(html, "token").Replace(email, "EMAIL", StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("short pass", "at least 12 characters")]
    [InlineData("password1234", "most common passwords")]
    [InlineData("Password1234!", "most common passwords")]
    [InlineData("qwertyuiop123", "most common passwords")]
    [InlineData("123456789012", "most common passwords")]
    [InlineData("iloveyou2024!!", "most common passwords")]
    [InlineData("SUNSHINE12345", "most common passwords")]
    [InlineData("!!football!!99", "most common passwords")]
    [InlineData("aaaaaaaaaaaaaa", "most common passwords")]
    [InlineData("abababababab", "most common passwords")]
    [InlineData("birchdental2024", "not your email address or your business's name")]
    [InlineData("Birch Dental rocks!", "not your email address or your business's name")]
    [InlineData("ana.lopez@birch.example", "not your email address or your business's name")]
    [InlineData("AnaLopez_1990", "not your email address or your business's name")]
    public async Task A_weak_password_is_refused_with_the_reason(string password, string reason)
    {
        var email = $"ana.lopez@b{Guid.NewGuid():N}.example";
        var response = await PostSignUpAsync(Browser(), email, password);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

        Assert.Equal("/signup", response.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Contains(reason, html, StringComparison.Ordinal);
        Assert.False(await app.QueryAsync(db => db.Users.IgnoreQueryFilters().AnyAsync(u => u.Email == email)));
    }

    [Theory]
    [InlineData("correct horse battery")]
    [InlineData("lemon tram fiddle 42")]
    [InlineData("Tr0ub4dor&3xyz")]
    [InlineData("my dog rex barks at 6am")]
    public async Task A_strong_password_is_accepted(string password)
    {
        var email = $"strong{Guid.NewGuid():N}@cedar.example";
        var response = await Forms.SignUpAsync(Browser(), email, password, business: "Cedar Clinic");

        Assert.Equal("/onboarding", response.RequestMessage!.RequestUri!.AbsolutePath);
    }

    [Fact]
    public async Task Changing_a_password_follows_the_policy_and_signs_out_the_other_browsers()
    {
        var here = Browser();
        await Forms.SignUpAsync(here, "swap@birch.example", "first pass for me");
        var elsewhere = Browser();
        await Forms.PostAsync(elsewhere, "/signin", new Dictionary<string, string> { ["Email"] = "swap@birch.example", ["Password"] = "first pass for me" });

        var wrongCurrent = await Forms.PostAsync(here, "/settings", new Dictionary<string, string> { ["CurrentPassword"] = "not my pass at all", ["NewPassword"] = "brand new pass phrase" }, "Password");
        Assert.Contains("not your current password", await wrongCurrent.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var weak = await Forms.PostAsync(here, "/settings", new Dictionary<string, string> { ["CurrentPassword"] = "first pass for me", ["NewPassword"] = "password12345" }, "Password");
        Assert.Contains("most common passwords", await weak.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var changed = await Forms.PostAsync(here, "/settings", new Dictionary<string, string> { ["CurrentPassword"] = "first pass for me", ["NewPassword"] = "brand new pass phrase" }, "Password");
        Assert.Contains("Password changed", await changed.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        Assert.Equal("/signin", (await elsewhere.GetAsync("/settings")).RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Equal("/settings", (await here.GetAsync("/settings")).RequestMessage!.RequestUri!.AbsolutePath);
        var old = await Forms.PostAsync(Browser(), "/signin", new Dictionary<string, string> { ["Email"] = "swap@birch.example", ["Password"] = "first pass for me" });
        Assert.Contains("do not match an account", await old.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var renewed = await Forms.PostAsync(Browser(), "/signin", new Dictionary<string, string> { ["Email"] = "swap@birch.example", ["Password"] = "brand new pass phrase" });
        Assert.Equal("/onboarding", renewed.RequestMessage!.RequestUri!.AbsolutePath);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"[^\"]+\"")]
    private static partial Regex Token();
}
