using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Parley.Agent;
using Parley.Conversations;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.Web;

/// <summary>Suggest mode in the dashboard: the agent's mode picked on the SMS Agents page, the draft in the thread
/// with Send, Edit &amp; send and Discard, all through real form posts with a signed-in person.</summary>
public sealed class SuggestModePageTests(ParleyApp app) : IClassFixture<ParleyApp>
{
    private static int numbers = 7600;

    private static string NextNumber() => $"+1416555{Interlocked.Increment(ref numbers):D4}";

    private async Task<(HttpClient Client, Guid TenantId, Guid ConversationId)> DraftWaitingAsync(string email)
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });
        (await Forms.SignUpAsync(client, email)).EnsureSuccessStatusCode();
        var tenantId = await app.QueryAsync(db => db.Users.IgnoreQueryFilters().Where(u => u.Email == email).Select(u => u.TenantId).SingleAsync());
        using var admin = app.Admin();
        (await admin.PatchAsJsonAsync($"/api/admin/tenants/{tenantId}", new { plan = "Growth", a2pStatus = "Live" })).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync($"/api/admin/tenants/{tenantId}/wallet/credits", new { amount = 20 })).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync($"/api/admin/tenants/{tenantId}/phone-numbers", new { number = NextNumber() })).EnsureSuccessStatusCode();
        (await Forms.PostAsync(client, "/agents", new Dictionary<string, string>
        {
            ["Form.Name"] = "Front desk",
            ["Form.SystemPrompt"] = "You text for Birch Dental.",
            ["Form.MaxTurns"] = "10",
            ["Form.ReplyLengthLimit"] = "160",
            ["Form.Mode"] = "Suggest",
        })).EnsureSuccessStatusCode();
        Assert.Equal(AiMode.Suggest, await app.QueryAsync(db => db.Assistants.Select(a => a.Mode).SingleAsync(), tenantId));
        Assert.Matches("<option (selected=\"selected\" value=\"Suggest\"|value=\"Suggest\" selected=\"selected\")>", await client.GetStringAsync("/agents"));

        (await Forms.PostAsync(client, "/simulator", new Dictionary<string, string> { ["From"] = NextNumber(), ["Text"] = "Hi, do you have openings next week?" })).EnsureSuccessStatusCode();
        var conversationId = await Eventually.GetAsync(
            () => app.QueryAsync(db => db.ReplyDrafts.Select(d => d.ConversationId).FirstOrDefaultAsync(), tenantId), id => id != Guid.Empty);
        await app.WorkDrainedAsync(tenantId);
        return (client, tenantId, conversationId);
    }

    private Task<List<Message>> OutboundAsync(Guid tenantId, Guid conversationId) =>
        app.QueryAsync(db => db.Messages.Where(m => m.ConversationId == conversationId && m.Direction == MessageDirection.Outbound).ToListAsync(), tenantId);

    private Task<List<string>> ActivityAsync(Guid tenantId, Guid conversationId) =>
        app.QueryAsync(db => db.Activity.Where(a => a.ConversationId == conversationId).Select(a => a.Detail).ToListAsync(), tenantId);

    [Fact]
    public async Task The_thread_shows_the_draft_and_send_posts_it_as_the_ai_reply_in_the_persons_name()
    {
        var (client, tenantId, id) = await DraftWaitingAsync("send@suggest.example");
        var draft = await app.QueryAsync(db => db.ReplyDrafts.SingleAsync(), tenantId);

        var page = await client.GetStringAsync($"/conversations/{id}");
        Assert.Contains(draft.Text, WebUtility.HtmlDecode(page), StringComparison.Ordinal);
        Assert.Contains("id=\"send-draft\"", page, StringComparison.Ordinal);
        Assert.Contains("id=\"edit-send-draft\"", page, StringComparison.Ordinal);
        Assert.Contains("id=\"discard-draft\"", page, StringComparison.Ordinal);
        Assert.Contains("AI Suggests", page, StringComparison.Ordinal);
        Assert.Empty(await OutboundAsync(tenantId, id));

        var sent = await Forms.PostAsync(client, $"/conversations/{id}", new Dictionary<string, string>(), "SendDraft");

        sent.EnsureSuccessStatusCode();
        Assert.DoesNotContain("id=\"send-draft\"", await sent.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var message = Assert.Single(await OutboundAsync(tenantId, id));
        Assert.Equal(draft.Text, message.Text);
        Assert.True(message.IsAi);
        Assert.Contains(await ActivityAsync(tenantId, id), d => d.StartsWith("Draft sent by send@suggest.example", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Edit_and_send_posts_the_edited_words()
    {
        var (client, tenantId, id) = await DraftWaitingAsync("edit@suggest.example");

        var sent = await Forms.PostAsync(client, $"/conversations/{id}", new Dictionary<string, string> { ["DraftText"] = "Yes, Tuesday at 10 is open. Who am I texting with?" }, "EditDraft");

        sent.EnsureSuccessStatusCode();
        var message = Assert.Single(await OutboundAsync(tenantId, id));
        Assert.Equal("Yes, Tuesday at 10 is open. Who am I texting with?", message.Text);
        Assert.True(message.IsAi);
        Assert.Contains("Draft edited and sent by edit@suggest.example: Yes, Tuesday at 10 is open. Who am I texting with?", await ActivityAsync(tenantId, id));
    }

    [Fact]
    public async Task An_empty_edit_is_refused_beside_the_draft_and_nothing_is_sent()
    {
        var (client, tenantId, id) = await DraftWaitingAsync("empty@suggest.example");

        var refused = await Forms.PostAsync(client, $"/conversations/{id}", new Dictionary<string, string> { ["DraftText"] = "" }, "EditDraft");

        var html = await refused.Content.ReadAsStringAsync();
        Assert.Contains("field-error field-validation-error", html, StringComparison.Ordinal);
        Assert.Contains("id=\"send-draft\"", html, StringComparison.Ordinal);
        Assert.Empty(await OutboundAsync(tenantId, id));
    }

    [Fact]
    public async Task Discard_throws_the_draft_away_in_the_persons_name()
    {
        var (client, tenantId, id) = await DraftWaitingAsync("discard@suggest.example");

        var discarded = await Forms.PostAsync(client, $"/conversations/{id}", new Dictionary<string, string>(), "DiscardDraft");

        discarded.EnsureSuccessStatusCode();
        Assert.DoesNotContain("id=\"send-draft\"", await discarded.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await app.WorkDrainedAsync(tenantId);
        Assert.Empty(await OutboundAsync(tenantId, id));
        Assert.Contains(await ActivityAsync(tenantId, id), d => d.StartsWith("Draft discarded by discard@suggest.example", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_thread_can_turn_its_ai_off_and_back_to_the_agents_mode()
    {
        var (client, tenantId, id) = await DraftWaitingAsync("mode@suggest.example");

        var off = await Forms.PostAsync(client, $"/conversations/{id}", new Dictionary<string, string> { ["Mode"] = "Off" }, "Mode");

        Assert.Contains("AI Off", await off.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(AiMode.Off, await app.QueryAsync(db => db.Conversations.Select(c => c.Mode).SingleAsync(), tenantId));
        Assert.Contains("AI mode set to Off by mode@suggest.example.", await ActivityAsync(tenantId, id));

        var agents = await Forms.PostAsync(client, $"/conversations/{id}", new Dictionary<string, string> { ["Mode"] = "" }, "Mode");
        Assert.Contains("AI Suggests", await agents.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Null(await app.QueryAsync(db => db.Conversations.Select(c => c.Mode).SingleAsync(), tenantId));

        var bogus = await Forms.PostAsync(client, $"/conversations/{id}", new Dictionary<string, string> { ["Mode"] = "Sometimes" }, "Mode");
        Assert.Equal(HttpStatusCode.BadRequest, bogus.StatusCode);
        Assert.Null(await app.QueryAsync(db => db.Conversations.Select(c => c.Mode).SingleAsync(), tenantId));
    }
}
