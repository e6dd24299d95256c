using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Parley.Agent;
using Parley.Billing;
using Parley.Conversations;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.Web;

/// <summary>The SMS Agents, Billing and thread pages, signed in with a cookie as a browser would be.</summary>
public sealed class AgentsBillingPagesTests(ParleyApp app) : IClassFixture<ParleyApp>
{
    private async Task<(HttpClient Client, Guid TenantId)> SignedInAsync(string email)
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = true, HandleCookies = true });
        (await Forms.SignUpAsync(client, email)).EnsureSuccessStatusCode();
        var tenantId = await app.QueryAsync(db => db.Users.IgnoreQueryFilters().Where(u => u.Email == email).Select(u => u.TenantId).SingleAsync());
        return (client, tenantId);
    }

    private static async Task SaveAgentAsync(HttpClient client) =>
        (await Forms.PostAsync(client, "/agents", new Dictionary<string, string>
        {
            ["Form.Name"] = "Front desk",
            ["Form.SystemPrompt"] = "You text for Birch Dental.",
            ["Form.MaxTurns"] = "10",
            ["Form.ReplyLengthLimit"] = "160",
        })).EnsureSuccessStatusCode();

    private DateTime UtcNow => app.Services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;

    [Fact]
    public async Task Agents_page_shows_a_self_paused_agent_and_unpause_lifts_it()
    {
        var (client, tenantId) = await SignedInAsync("paused@birch.example");
        Assert.Contains("Delivery failure score 0", await client.GetStringAsync("/agents"), StringComparison.Ordinal);
        await SaveAgentAsync(client);
        var until = UtcNow.AddHours(2);
        await app.QueryAsync(db => db.Assistants.ExecuteUpdateAsync(s => s.SetProperty(a => a.AutoPausedUntilUtc, until).SetProperty(a => a.DeliveryFailureScore, 7)), tenantId);

        var paused = await client.GetStringAsync("/agents");
        Assert.Contains("Paused itself after delivery failures until", paused, StringComparison.Ordinal);
        Assert.Contains("failure score 7", paused, StringComparison.Ordinal);
        Assert.Contains(">Unpause</button>", paused, StringComparison.Ordinal);

        var assistantId = await app.QueryAsync(db => db.Assistants.Select(a => a.Id).SingleAsync(), tenantId);
        var response = await Forms.PostAsync(client, "/agents", new Dictionary<string, string> { ["assistantId"] = assistantId.ToString() }, "Unpause");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("Paused itself", html, StringComparison.Ordinal);
        Assert.Contains("Delivery failure score 0", html, StringComparison.Ordinal);
        var assistant = await app.QueryAsync(db => db.Assistants.SingleAsync(), tenantId);
        Assert.Null(assistant.AutoPausedUntilUtc);
        Assert.True(await app.QueryAsync(db => db.Activity.AnyAsync(e => e.Kind == ActivityKind.Resumed), tenantId));
    }

    [Fact]
    public async Task Unpausing_another_tenants_agent_is_not_found()
    {
        var (other, otherTenant) = await SignedInAsync("other-agent@birch.example");
        await SaveAgentAsync(other);
        var (client, _) = await SignedInAsync("me-agent@birch.example");
        await app.QueryAsync(db => db.Assistants.ExecuteUpdateAsync(s => s.SetProperty(a => a.AutoPausedUntilUtc, UtcNow.AddHours(1))), otherTenant);
        var theirs = await app.QueryAsync(db => db.Assistants.Select(a => a.Id).FirstOrDefaultAsync(), otherTenant);

        var response = await Forms.PostAsync(client, "/agents", new Dictionary<string, string> { ["assistantId"] = theirs.ToString() }, "Unpause");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.NotNull(await app.QueryAsync(db => db.Assistants.Select(a => a.AutoPausedUntilUtc).SingleAsync(), otherTenant));
    }

    [Fact]
    public async Task Billing_page_shows_this_periods_usage_and_pages_the_ledger()
    {
        var (client, tenantId) = await SignedInAsync("usage@birch.example");
        using var admin = app.Admin();
        await admin.PostJsonAsync($"/api/admin/tenants/{tenantId}/wallet/credits", new { amount = 20m, note = "welcome credit" });
        var now = UtcNow;
        await app.QueryAsync(async db =>
        {
            db.WalletEntries.AddRange(
                Entry(tenantId, WalletEntryKind.AiReplyCharge, -0.02m, 1, now),
                Entry(tenantId, WalletEntryKind.AiReplyCharge, -0.02m, 1, now),
                Entry(tenantId, WalletEntryKind.SmsSentCharge, -0.03m, 3, now),
                Entry(tenantId, WalletEntryKind.InboundCharge, -0.01m, 1, now),
                Entry(tenantId, WalletEntryKind.Refund, 0.02m, 1, now));
            for (var i = 0; i < 55; i++)
            {
                db.WalletEntries.Add(Entry(tenantId, WalletEntryKind.InboundCharge, -0.01m, 1, now, $"old {i}"));
            }

            return await db.SaveChangesAsync();
        }, tenantId);

        var html = await client.GetStringAsync("/billing");

        Assert.Contains("id=\"usage-ai-replies\"><td>AI replies</td><td>2</td><td>$0.04</td>", html, StringComparison.Ordinal);
        Assert.Contains("id=\"usage-segments\"><td>Segments sent</td><td>3</td><td>$0.03</td>", html, StringComparison.Ordinal);
        Assert.Contains("id=\"usage-inbound\"><td>Inbound messages</td><td>56</td><td>$0.56</td>", html, StringComparison.Ordinal);
        Assert.Contains("id=\"usage-refunds\"><td>Refunds</td><td></td><td>$0.02</td>", html, StringComparison.Ordinal);
        Assert.Contains("$19.39", html, StringComparison.Ordinal); // 20 - 0.04 - 0.03 - 0.56 + 0.02
        Assert.Contains("id=\"ledger-older\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("welcome credit", html, StringComparison.Ordinal); // the credit is the oldest line, on the next page

        var older = System.Text.RegularExpressions.Regex.Match(html, "href=\"(/billing\\?period=[^\"]+)\" id=\"ledger-older\"").Groups[1].Value;
        var olderHtml = await client.GetStringAsync(WebUtility.HtmlDecode(older));
        Assert.Contains("welcome credit", olderHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"ledger-older\"", olderHtml, StringComparison.Ordinal);

        var lastYear = await client.GetStringAsync($"/billing?period={now.AddYears(-1):yyyy-MM}");
        Assert.Contains("id=\"usage-ai-replies\"><td>AI replies</td><td>0</td>", lastYear, StringComparison.Ordinal);
        Assert.Contains("The period is a month written YYYY-MM", await client.GetStringAsync("/billing?period=nonsense"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Thread_shows_the_conversations_notice_as_a_warning()
    {
        var (client, tenantId) = await SignedInAsync("notice@birch.example");
        var id = Guid.CreateVersion7();
        await app.QueryAsync(async db =>
        {
            var contact = new Contact { Id = Guid.CreateVersion7(), TenantId = tenantId, FirstName = "Nia", CreatedAtUtc = UtcNow };
            db.Contacts.Add(contact);
            db.Conversations.Add(new Conversation
            {
                Id = id,
                TenantId = tenantId,
                ContactId = contact.Id,
                TenantNumber = "+14165550170",
                SkippedReplies = 1,
                Notice = "Wallet balance is empty: reply skipped. Top up to resume AI replies.",
                CreatedAtUtc = UtcNow,
                LastMessageAtUtc = UtcNow,
                Phones = [new ConversationPhone { Id = Guid.CreateVersion7(), TenantId = tenantId, Number = "+14165550171" }],
            });
            return await db.SaveChangesAsync();
        }, tenantId);

        var html = await client.GetStringAsync($"/conversations/{id}");

        Assert.Contains("id=\"notice\"", html, StringComparison.Ordinal);
        Assert.Contains("Wallet balance is empty: reply skipped.", html, StringComparison.Ordinal);
        Assert.Contains("id=\"skipped\"", html, StringComparison.Ordinal);
    }

    private static WalletEntry Entry(Guid tenantId, WalletEntryKind kind, decimal dollars, int quantity, DateTime at, string? note = null) =>
        new() { TenantId = tenantId, Kind = kind, AmountMicros = Money.FromDollars(dollars).Micros, Quantity = quantity, Note = note, CreatedAtUtc = at };
}
