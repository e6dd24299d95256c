using System.Net;
using Parley.Tests.Web;

namespace Parley.Tests.Security;

/// <summary>Wrong passwords lock an email, and an address, out for a while: after the limit even the right
/// password waits. An email with no account locks the same way, so the lockout names no account.</summary>
public sealed class AuthSignInThrottleTests
{
    private const string Locked = "Too many failed sign-ins";

    private static Task<HttpResponseMessage> SignInAsync(HttpClient client, string email, string password) =>
        Forms.PostAsync(client, "/signin", new Dictionary<string, string> { ["Email"] = email, ["Password"] = password });

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_and_the_right_one_then_waits()
    {
        using var app = new AuthKestrelApp(new Dictionary<string, string?> { ["Parley:SignIn:MaxFailuresPerAddress"] = "1000" });
        using var owner = app.Browser();
        await Forms.SignUpAsync(owner, "locked@birch.example");
        using var attacker = app.Browser();

        string[] guesses = ["password123!", "Birch2024", "letmein please", "birchdental", "Correct Horse Battery"];
        var answers = new List<(HttpResponseMessage Response, string Html)>();
        foreach (var guess in guesses)
        {
            var response = await SignInAsync(attacker, "LOCKED@birch.example", guess);
            answers.Add((response, await response.Content.ReadAsStringAsync()));
        }

        Assert.All(answers[..4], a => Assert.Contains("do not match an account", a.Html, StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.TooManyRequests, answers[4].Response.StatusCode);
        Assert.Contains(Locked, answers[4].Html, StringComparison.Ordinal);
        Assert.True(answers[4].Response.Headers.RetryAfter?.Delta > TimeSpan.Zero);

        // The owner, from another browser, has the right password and still waits out the lockout.
        using var later = app.Browser();
        var right = await SignInAsync(later, "locked@birch.example", "correct horse battery");
        Assert.Equal(HttpStatusCode.TooManyRequests, right.StatusCode);
        Assert.Contains("15 minutes", await right.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("/signin", (await later.GetAsync("/settings")).RequestMessage!.RequestUri!.AbsolutePath);
    }

    [Fact]
    public async Task An_email_without_an_account_locks_out_exactly_like_one_with()
    {
        using var app = new AuthKestrelApp(new Dictionary<string, string?> { ["Parley:SignIn:MaxFailuresPerAddress"] = "1000" });
        using (var owner = app.Browser())
        {
            await Forms.SignUpAsync(owner, "real@birch.example");
        }

        async Task<List<(HttpStatusCode, string)>> GuessAsync(string email)
        {
            using var client = app.Browser();
            var seen = new List<(HttpStatusCode, string)>();
            for (var i = 0; i < 7; i++)
            {
                var response = await SignInAsync(client, email, $"guess number {i} here");
                var html = await response.Content.ReadAsStringAsync();
                seen.Add((response.StatusCode, html.Contains(Locked, StringComparison.Ordinal) ? "locked" : html.Contains("do not match", StringComparison.Ordinal) ? "wrong" : "other"));
            }

            return seen;
        }

        var real = await GuessAsync("real@birch.example");
        var nobody = await GuessAsync("nobody@birch.example");

        Assert.Equal(real, nobody);
        Assert.Equal((HttpStatusCode.TooManyRequests, "locked"), real[^1]);
    }

    [Fact]
    public async Task One_address_guessing_at_many_emails_is_locked_out_for_all_of_them()
    {
        using var app = new AuthKestrelApp(new Dictionary<string, string?> { ["Parley:SignIn:MaxFailuresPerAddress"] = "6" });
        using (var owner = app.Browser())
        {
            await Forms.SignUpAsync(owner, "spray@birch.example");
        }

        using var attacker = app.Browser();
        HttpResponseMessage last = null!;
        foreach (var email in new[] { "ana@birch.example", "bo@birch.example", "cy@birch.example", "di@birch.example", "ed@birch.example", "fay@birch.example" })
        {
            last = await SignInAsync(attacker, email, "Summer2024!!");
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, last.StatusCode);
        // Even a real account with its right password is refused from that address until the lockout ends.
        var right = await SignInAsync(attacker, "spray@birch.example", "correct horse battery");
        Assert.Equal(HttpStatusCode.TooManyRequests, right.StatusCode);
    }

    [Fact]
    public async Task Admin_sign_in_is_throttled_too()
    {
        using var app = new AuthKestrelApp();
        using var attacker = app.Browser();
        HttpResponseMessage last = null!;
        for (var i = 0; i < 5; i++)
        {
            last = await Forms.PostAsync(attacker, "/admin/signin", new Dictionary<string, string> { ["Key"] = $"pk_guess_{i}" });
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, last.StatusCode);
        var right = await Forms.PostAsync(attacker, "/admin/signin", new Dictionary<string, string> { ["Key"] = Infrastructure.ParleyApp.AdminKey });
        Assert.Equal(HttpStatusCode.TooManyRequests, right.StatusCode);
        Assert.Equal("/admin/signin", right.RequestMessage!.RequestUri!.AbsolutePath);
    }

    [Fact]
    public async Task A_flood_of_long_password_sign_ins_is_turned_away_while_the_api_keeps_answering()
    {
        using var app = new AuthKestrelApp(new Dictionary<string, string?>
        {
            ["Parley:SignIn:MaxConcurrentHashes"] = "1",
            ["Parley:SignIn:HashQueueTimeout"] = "00:00:00",
            ["Parley:SignIn:MaxFailuresPerAddress"] = "100000",
        });
        var tenant = await app.CreateTenantAsync();
        using var api = new HttpClient { BaseAddress = app.BaseAddress };
        api.DefaultRequestHeaders.Authorization = new("Bearer", tenant.ApiKey);
        var longPassword = new string('x', 190) + "9";

        var flood = Enumerable.Range(0, 40).Select(async i =>
        {
            using var client = app.Browser();
            var response = await SignInAsync(client, $"flood{i}@birch.example", longPassword);
            return (response.StatusCode, Html: await response.Content.ReadAsStringAsync());
        }).ToList();
        var apiCalls = Enumerable.Range(0, 10).Select(_ => api.GetAsync("/api/account")).ToList();
        var answers = await Task.WhenAll(flood);
        var apiAnswers = await Task.WhenAll(apiCalls);

        var busy = answers.Where(a => a.StatusCode == HttpStatusCode.ServiceUnavailable).ToList();
        Assert.NotEmpty(busy);
        Assert.All(busy, a => Assert.Contains("Parley is busy checking other sign-ins", a.Html, StringComparison.Ordinal));
        Assert.All(answers.Except(busy), a => Assert.Contains("do not match an account", a.Html, StringComparison.Ordinal));
        Assert.All(apiAnswers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
    }
}
