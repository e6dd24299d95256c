using System.Net;
using Parley.Tests.Web;

namespace Parley.Tests.Security;

/// <summary>Every response tells the browser to run only Parley's own scripts, never to frame the page, not
/// to sniff types and not to leak URLs; behind a configured TLS proxy cookies are Secure and HSTS is sent,
/// and forwarded headers from anyone else are ignored.</summary>
public sealed class AuthHeadersTests
{
    private static HttpRequestMessage ViaProxy(HttpMethod method, string path, string clientAddress) => new(method, path)
    {
        Headers =
        {
            { "X-Forwarded-Proto", "https" },
            { "X-Forwarded-For", clientAddress },
            { "Host", "parley.example" },
        },
    };

    [Fact]
    public async Task Pages_forbid_inline_script_eval_and_framing()
    {
        using var app = new Infrastructure.ParleyApp();
        foreach (var path in new[] { "/signin", "/signup", "/settings", "/admin/signin", "/health", "/css/parley.css", "/api/conversations" })
        {
            await AssertHeadersAsync(await app.CreateClient().GetAsync(path));
        }
    }

    private static Task AssertHeadersAsync(HttpResponseMessage response)
    {
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        var directives = csp.Split(';', StringSplitOptions.TrimEntries).ToDictionary(d => d.Split(' ')[0], d => d);
        Assert.Equal("script-src 'self'", directives["script-src"]);
        Assert.Equal("style-src 'self'", directives["style-src"]);
        Assert.Equal("frame-ancestors 'none'", directives["frame-ancestors"]);
        Assert.Equal("object-src 'none'", directives["object-src"]);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("same-origin", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.False(response.Headers.Contains("Strict-Transport-Security"), "HSTS over plain HTTP");
        return Task.CompletedTask;
    }

    [Fact]
    public async Task The_layout_runs_htmx_with_eval_off_and_has_no_inline_script()
    {
        using var app = new Infrastructure.ParleyApp();
        var html = await app.CreateClient().GetStringAsync("/signin");

        Assert.Contains("\"allowEval\":false", html, StringComparison.Ordinal);
        Assert.DoesNotMatch("<script(?![^>]*\\bsrc=)", html);
        Assert.DoesNotMatch("\\son[a-z]+=\"", html);
    }

    [Fact]
    public async Task Behind_a_configured_proxy_cookies_are_secure_hsts_is_sent_and_throttling_counts_the_real_client()
    {
        using var app = new AuthKestrelApp(new Dictionary<string, string?>
        {
            ["Parley:ForwardedHeaders:KnownProxies:0"] = "127.0.0.1",
            ["Parley:SignIn:MaxFailuresPerAddress"] = "3",
        });
        using (var owner = app.Browser())
        {
            await Forms.SignUpAsync(owner, "proxied@birch.example");
        }

        using var client = app.Browser(followRedirects: false);
        var page = await client.SendAsync(ViaProxy(HttpMethod.Get, "/signin", "203.0.113.9"));
        Assert.Contains("max-age=", page.Headers.GetValues("Strict-Transport-Security").Single(), StringComparison.Ordinal);
        Assert.All(page.Headers.GetValues("Set-Cookie"), c => Assert.Contains("secure", c, StringComparison.OrdinalIgnoreCase));

        var signIn = await SignInViaProxyAsync(app, "203.0.113.9", "correct horse battery");
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        var session = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("parley=", StringComparison.Ordinal));
        Assert.Contains("secure", session, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", session, StringComparison.OrdinalIgnoreCase);

        // Three wrong passwords from one client behind the proxy lock that client, not everyone behind the proxy.
        for (var i = 0; i < 3; i++)
        {
            await SignInViaProxyAsync(app, "198.51.100.7", $"wrong guess {i}", email: $"guess{i}@birch.example");
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await SignInViaProxyAsync(app, "198.51.100.7", "correct horse battery")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await SignInViaProxyAsync(app, "203.0.113.9", "correct horse battery")).StatusCode);
    }

    [Fact]
    public async Task Forwarded_headers_from_an_address_not_configured_as_a_proxy_are_ignored()
    {
        using var app = new AuthKestrelApp(new Dictionary<string, string?> { ["Parley:SignIn:MaxFailuresPerAddress"] = "3" });
        using var client = app.Browser(followRedirects: false);

        var page = await client.SendAsync(ViaProxy(HttpMethod.Get, "/signin", "203.0.113.9"));

        Assert.False(page.Headers.Contains("Strict-Transport-Security"), page.ToString());
        Assert.All(page.Headers.GetValues("Set-Cookie"), c => Assert.DoesNotContain("secure", c, StringComparison.OrdinalIgnoreCase));
        // A client cannot dodge the address lockout by inventing a new X-Forwarded-For each time.
        for (var i = 0; i < 3; i++)
        {
            await SignInViaProxyAsync(app, $"192.0.2.{i + 1}", $"wrong guess {i}", email: $"guess{i}@birch.example");
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await SignInViaProxyAsync(app, "192.0.2.99", "anything at all")).StatusCode);
    }

    /// <summary>Cookies carried by hand: the client speaks plain HTTP to the app, as a proxy does, so a cookie
    /// jar would hold back the Secure ones.</summary>
    private static async Task<HttpResponseMessage> SignInViaProxyAsync(AuthKestrelApp app, string clientAddress, string password, string email = "proxied@birch.example")
    {
        using var client = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = app.BaseAddress };
        var form = await client.SendAsync(ViaProxy(HttpMethod.Get, "/signin", clientAddress));
        var html = await form.Content.ReadAsStringAsync();
        var token = System.Text.RegularExpressions.Regex.Match(html, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        var post = ViaProxy(HttpMethod.Post, "/signin", clientAddress);
        post.Headers.Add("Cookie", string.Join("; ", form.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0])));
        post.Content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Email"] = email,
            ["Password"] = password,
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token),
        });
        return await client.SendAsync(post);
    }
}
