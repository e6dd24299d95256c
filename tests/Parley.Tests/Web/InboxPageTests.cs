using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.Web;

/// <summary>The inbox as people work it: each row previews its latest text, and Needs Attention is a queue,
/// longest waiting first, with what is past the target marked.</summary>
public sealed partial class InboxPageTests(ParleyApp app) : IClassFixture<ParleyApp>
{
    private static int numbers = 8000;

    private static string NextNumber() => $"+1416555{Interlocked.Increment(ref numbers):D4}";

    private async Task<(HttpClient Client, Guid TenantId)> LiveBusinessAsync(string email)
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });
        (await Forms.SignUpAsync(client, email)).EnsureSuccessStatusCode();
        var tenantId = await app.QueryAsync(db => db.Users.IgnoreQueryFilters().Where(u => u.Email == email).Select(u => u.TenantId).SingleAsync());
        using var admin = app.Admin();
        (await admin.PatchAsJsonAsync($"/api/admin/tenants/{tenantId}", new { plan = "Growth", a2pStatus = "Live" })).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync($"/api/admin/tenants/{tenantId}/wallet/credits", new { amount = 20 })).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync($"/api/admin/tenants/{tenantId}/phone-numbers", new { number = NextNumber() })).EnsureSuccessStatusCode();
        return (client, tenantId);
    }

    private async Task TextAsync(HttpClient client, Guid tenantId, string from, string text)
    {
        (await Forms.PostAsync(client, "/simulator", new Dictionary<string, string> { ["From"] = from, ["Text"] = text })).EnsureSuccessStatusCode();
        await app.WorkDrainedAsync(tenantId);
    }

    [Fact]
    public async Task Each_row_previews_its_latest_text_and_who_wrote_it()
    {
        var (client, tenantId) = await LiveBusinessAsync("preview@inbox.example");
        await TextAsync(client, tenantId, NextNumber(), "hey who is this");
        await TextAsync(client, tenantId, NextNumber(), "Can I talk to a real person please");

        var html = await client.GetStringAsync("/");

        var previews = Preview().Matches(html).Select(m => System.Net.WebUtility.HtmlDecode(m.Groups[1].Value)).ToList();
        Assert.Equal(2, previews.Count);
        Assert.All(previews, p => Assert.StartsWith("AI: ", p, StringComparison.Ordinal)); // the agent answered both
    }

    [Fact]
    public async Task Needs_attention_lists_the_longest_waiting_first_and_marks_those_past_the_target()
    {
        var (client, tenantId) = await LiveBusinessAsync("queue@inbox.example");
        var (early, late) = (NextNumber(), NextNumber());
        await TextAsync(client, tenantId, late, "I want to speak with the owner");
        await TextAsync(client, tenantId, early, "let me speak to your manager");
        await TextAsync(client, tenantId, NextNumber(), "hey who is this"); // not in the queue

        // The second hand-off has waited three hours (past the one-hour target), the first twenty minutes.
        var now = DateTime.UtcNow;
        await app.QueryAsync(async db =>
        {
            await db.Conversations.IgnoreQueryFilters().Where(c => c.TenantId == tenantId && c.Phones.Any(p => p.Number == early))
                .ExecuteUpdateAsync(u => u.SetProperty(c => c.LastMessageAtUtc, now.AddHours(-3)));
            return await db.Conversations.IgnoreQueryFilters().Where(c => c.TenantId == tenantId && c.Phones.Any(p => p.Number == late))
                .ExecuteUpdateAsync(u => u.SetProperty(c => c.LastMessageAtUtc, now.AddMinutes(-20)));
        });

        var html = await client.GetStringAsync("/needs-attention");

        var waits = Waited().Matches(html).Select(m => (Overdue: m.Groups[1].Value.Length > 0, Text: m.Groups[2].Value)).ToList();
        Assert.Equal(2, waits.Count);
        Assert.True(waits[0].Overdue, html);
        Assert.StartsWith("Waiting 3 h", waits[0].Text, StringComparison.Ordinal);
        Assert.Contains("past the 1 h target", waits[0].Text, StringComparison.Ordinal);
        Assert.False(waits[1].Overdue);
        Assert.StartsWith("Waiting 20 min", waits[1].Text, StringComparison.Ordinal);
        Assert.True(html.IndexOf(early[1..], StringComparison.Ordinal) < html.IndexOf(late[1..], StringComparison.Ordinal), "the longest waiting comes first");
    }

    [Fact]
    public async Task A_thread_opened_from_needs_attention_keeps_that_list_beside_it_through_its_forms()
    {
        var (client, tenantId) = await LiveBusinessAsync("beside@inbox.example");
        var (first, second, calm) = (NextNumber(), NextNumber(), NextNumber());
        await TextAsync(client, tenantId, first, "let me speak to your manager");
        await TextAsync(client, tenantId, second, "Can I talk to a real person please");
        await TextAsync(client, tenantId, calm, "hey who is this");
        var id = await app.QueryAsync(db => db.Conversations.Where(c => c.Phones.Any(p => p.Number == first)).Select(c => c.Id).SingleAsync(), tenantId);

        // Each row of Needs Attention opens its thread with Needs Attention beside it.
        var queue = await client.GetStringAsync("/needs-attention");
        Assert.Equal(2, Row().Count(queue));
        Assert.All(Row().Matches(queue), m => Assert.Equal("?attention=true", System.Net.WebUtility.HtmlDecode(m.Groups[3].Value)));

        var thread = await client.GetStringAsync($"/conversations/{id}?attention=true");
        Assert.Contains("speak to your manager", thread, StringComparison.Ordinal);
        var rows = Row().Matches(thread).ToList();
        Assert.Equal(2, rows.Count); // the queue, not everything
        Assert.Contains(rows, r => r.Groups[1].Value.Contains("open", StringComparison.Ordinal) && r.Groups[2].Value == id.ToString());
        Assert.Contains("<a class=\"active\" href=\"/needs-attention\">Needs Attention</a>", thread, StringComparison.Ordinal);

        // A reply sent from the thread comes back to the thread, the same list still beside it.
        var action = System.Net.WebUtility.HtmlDecode(Composer().Match(thread).Groups[1].Value);
        Assert.Contains("attention=true", action, StringComparison.Ordinal);
        var token = System.Net.WebUtility.HtmlDecode(Token().Match(thread).Groups[1].Value);
        var sent = await client.PostAsync(action, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Text"] = "Hi, this is Dana from the office. Calling you in 5 minutes.",
            ["__RequestVerificationToken"] = token,
        }));
        sent.EnsureSuccessStatusCode();
        Assert.Equal($"/conversations/{id}?attention=true", sent.RequestMessage!.RequestUri!.PathAndQuery);
        var after = await sent.Content.ReadAsStringAsync();
        Assert.Contains("Calling you in 5 minutes", after, StringComparison.Ordinal);
        Assert.Equal(2, Row().Count(after));
    }

    [Fact]
    public async Task Nonsense_in_the_list_beside_a_thread_is_explained_and_another_businesss_thread_is_not_found()
    {
        var (client, tenantId) = await LiveBusinessAsync("nonsense@inbox.example");
        var number = NextNumber();
        await TextAsync(client, tenantId, number, "hi r u open sat");
        var id = await app.QueryAsync(db => db.Conversations.Select(c => c.Id).SingleAsync(), tenantId);

        foreach (var query in new[] { "?from=last-tuesday", "?outcome=Sorta", "?to=31/12/2026&mine=maybe", "?search=%F0%9F%8F%A0%20%3Cscript%3E&attention=yes" })
        {
            var response = await client.GetAsync($"/conversations/{id}{query}");
            var html = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == System.Net.HttpStatusCode.OK, $"{query}: {(int)response.StatusCode}");
            Assert.Contains("hi r u open sat", html, StringComparison.Ordinal);
            Assert.Contains("id=\"filter-problems\"", html, StringComparison.Ordinal);
        }

        var (other, _) = await LiveBusinessAsync("other@inbox.example");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await other.GetAsync($"/conversations/{id}?attention=true")).StatusCode);
    }

    [GeneratedRegex("<a class=\"item([^\"]*)\" href=\"/conversations/([0-9a-f-]+)([^\"]*)\"")]
    private static partial Regex Row();

    [GeneratedRegex("<form method=\"post\" id=\"composer\" action=\"([^\"]+)\"")]
    private static partial Regex Composer();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Token();

    [GeneratedRegex("<div class=\"preview\">([^<]*)</div>")]
    private static partial Regex Preview();

    [GeneratedRegex("<div class=\"waited( overdue)?\">([^<]*)</div>")]
    private static partial Regex Waited();
}
