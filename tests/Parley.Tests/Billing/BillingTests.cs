using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Parley.Billing;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.Billing;

public sealed class BillingApp() : TelnyxApp(new()
{
    ["Parley:Agent:AutoPauseDuration"] = "00:00:03",
    ["Parley:Agent:FailureThreshold"] = "6",
    ["Parley:Work:Concurrency"] = "4",
});

/// <summary>Charges to the micro-dollar, the overdraft rule under real concurrency, the wallet gate and
/// the agent's self-pause, through webhooks and the Telnyx-format server.</summary>
public sealed class BillingTests(BillingApp fixture) : IClassFixture<BillingApp>
{
    private const long Ai = 20_000, Segment = 8_000, Inbound = 4_000;
    private static int numbers = 5000;

    private static string NextNumber() => $"+1416555{Interlocked.Increment(ref numbers):D4}";

    private async Task InboundAsync(TenantClient tenant, string contact, string text) =>
        (await fixture.PostWebhookAsync(fixture.Telnyx.MessageReceivedJson($"evt-{Guid.NewGuid()}", $"msg-{Guid.NewGuid()}", contact, tenant.Number, text))).EnsureSuccessStatusCode();

    private Task<List<WalletEntry>> LedgerAsync(TenantClient tenant) =>
        fixture.App.QueryAsync(db => db.WalletEntries.AsNoTracking().OrderBy(e => e.Id).ToListAsync(), tenant.Id);

    private static Task<JsonNode> UsageAsync(TenantClient tenant) => tenant.Http.GetJsonAsync("/api/billing/usage");

    private async Task<List<Parley.Tests.Fakes.FakeTelnyxSend>> SendsToAsync(string contact, int count) =>
        await Eventually.GetAsync(() => Task.FromResult(fixture.Telnyx.Sends.Where(s => s.To == contact).ToList()), s => s.Count >= count);

    [Fact]
    public async Task An_ai_reply_costs_the_inbound_rate_one_ai_charge_and_its_segments_exactly()
    {
        var tenant = await fixture.App.CreateTenantAsync(number: NextNumber(), credit: 5m);
        var contact = NextNumber();
        await InboundAsync(tenant, contact, "Hi, is the house on Elm still for sale?");
        var send = (await SendsToAsync(contact, 1))[0];

        var ledger = await Eventually.GetAsync(() => LedgerAsync(tenant), l => l.Any(e => e.Kind == WalletEntryKind.SmsSentCharge));
        Assert.Equal(-Inbound, ledger.Single(e => e.Kind == WalletEntryKind.InboundCharge).AmountMicros);
        Assert.Equal(-Ai, ledger.Single(e => e.Kind == WalletEntryKind.AiReplyCharge).AmountMicros);
        var segments = ledger.Single(e => e.Kind == WalletEntryKind.SmsSentCharge);
        Assert.Equal(send.Parts, segments.Quantity);
        Assert.Equal(-Segment * send.Parts, segments.AmountMicros);

        var usage = await UsageAsync(tenant);
        Assert.Equal(1, usage["aiReplies"]!["count"]!.GetValue<int>());
        Assert.Equal(0.02m, usage["aiReplies"]!["amount"]!.GetValue<decimal>());
        Assert.Equal(send.Parts, usage["segmentsSent"]!["count"]!.GetValue<int>());
        Assert.Equal(1, usage["inboundMessages"]!["count"]!.GetValue<int>());
        Assert.Equal(0.004m, usage["inboundMessages"]!["amount"]!.GetValue<decimal>());
        Assert.Equal(5m - 0.004m - 0.02m - (0.008m * send.Parts), usage["balance"]!.GetValue<decimal>());
        Assert.Equal(149m, usage["planPrice"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task A_manual_text_costs_only_its_segments()
    {
        var tenant = await fixture.App.CreateTenantAsync(number: NextNumber(), credit: 1m);
        var conversation = await tenant.Http.PostJsonAsync("/api/conversations", new { to = NextNumber(), message = new string('x', 200) });
        await Eventually.GetAsync(() => LedgerAsync(tenant), l => l.Any(e => e.Kind == WalletEntryKind.SmsSentCharge));
        var ledger = await LedgerAsync(tenant);
        Assert.DoesNotContain(ledger, e => e.Kind == WalletEntryKind.AiReplyCharge);
        Assert.Equal(-2 * Segment, ledger.Single(e => e.Kind == WalletEntryKind.SmsSentCharge).AmountMicros);
        Assert.NotNull(conversation["id"]);
    }

    [Fact]
    public async Task Concurrent_replies_only_ever_take_an_ai_charge_while_the_balance_is_above_zero()
    {
        // Enough for the 16 inbound charges and a few replies, far from enough for 16 replies.
        var tenant = await fixture.App.CreateTenantAsync(number: NextNumber(), credit: 0.12m);
        var contacts = Enumerable.Range(0, 16).Select(_ => NextNumber()).ToList();
        await Task.WhenAll(contacts.Select(c => InboundAsync(tenant, c, "Hi there, still available?")));

        await Eventually.GetAsync(() => fixture.App.QueryAsync(db => db.Activity.CountAsync(), tenant.Id), n => n >= contacts.Count, TimeSpan.FromSeconds(30));
        await Task.Delay(500);
        var ledger = await LedgerAsync(tenant);
        if (!TestDatabase.IsPostgres)
        {
            // SQLite has one writer, so ledger ids are commit order: replaying them shows each AI charge was
            // taken while the balance stood above zero. (On PostgreSQL ids are handed out before commit, so
            // the order of ids is not the order the sums saw; the bound below holds on both.)
            long running = 0;
            foreach (var entry in ledger)
            {
                if (entry.Kind == WalletEntryKind.AiReplyCharge)
                {
                    Assert.True(running > 0, $"an AI charge was taken at a balance of {running} micro-dollars");
                }

                running += entry.AmountMicros;
            }
        }

        // AI charges are serialised and each needs a positive balance that includes every earlier one, so
        // together they never exceed the credit by more than one charge.
        Assert.True(ledger.Count(e => e.Kind == WalletEntryKind.AiReplyCharge) * Ai <= 120_000 + Ai);

        var aiCharges = ledger.Count(e => e.Kind == WalletEntryKind.AiReplyCharge);
        Assert.InRange(aiCharges, 1, contacts.Count - 1);
        // Each paid reply is sent after its charge is taken: on a busy machine the last sends may still be on their way.
        await Eventually.GetAsync(() => Task.FromResult(fixture.Telnyx.Sends.Count(s => contacts.Contains(s.To))), n => n >= aiCharges);
        await Task.Delay(500);
        Assert.Equal(aiCharges, fixture.Telnyx.Sends.Count(s => contacts.Contains(s.To)));
        var skipped = (await tenant.Http.GetJsonAsync("/api/conversations")).AsArray().Sum(c => c!["skippedReplies"]!.GetValue<int>());
        Assert.Equal(contacts.Count - aiCharges, skipped);
    }

    [Fact]
    public async Task An_empty_wallet_skips_the_reply_counts_it_and_a_top_up_lets_the_next_text_through()
    {
        var tenant = await fixture.App.CreateTenantAsync(number: NextNumber(), credit: 0);
        var contact = NextNumber();
        await InboundAsync(tenant, contact, "Hello?");

        var conversation = (await Eventually.GetAsync(() => tenant.Http.GetJsonAsync("/api/conversations"),
            l => l.AsArray().Count == 1 && l[0]!["skippedReplies"]!.GetValue<int>() == 1))[0]!;
        Assert.Contains("Wallet", conversation["notice"]!.GetValue<string>(), StringComparison.Ordinal);
        var activity = await tenant.Http.GetJsonAsync("/api/activity");
        Assert.Equal("Skipped", activity[0]!["kind"]!.GetValue<string>());
        Assert.DoesNotContain(fixture.Telnyx.Sends, s => s.To == contact);

        using var admin = fixture.App.Admin();
        await admin.PostJsonAsync($"/api/admin/tenants/{tenant.Id}/wallet/credits", new { amount = 2 });
        await InboundAsync(tenant, contact, "Anyone there?");
        await SendsToAsync(contact, 1);
        var after = await tenant.Http.GetJsonAsync($"/api/conversations/{conversation["id"]!.GetValue<string>()}");
        Assert.Null(after["notice"]);
    }

    [Fact]
    public async Task A_reply_the_carrier_refuses_is_refunded()
    {
        var tenant = await fixture.App.CreateTenantAsync(number: NextNumber(), credit: 1m);
        var contact = NextNumber();
        fixture.Telnyx.FailNext(422, "10002", "Invalid phone number", "Not a mobile number");
        await InboundAsync(tenant, contact, "Hi");

        var ledger = await Eventually.GetAsync(() => LedgerAsync(tenant), l => l.Any(e => e.Kind == WalletEntryKind.Refund));
        Assert.Equal(0, ledger.Where(e => e.Kind is WalletEntryKind.AiReplyCharge or WalletEntryKind.Refund).Sum(e => e.AmountMicros));
        Assert.DoesNotContain(ledger, e => e.Kind == WalletEntryKind.SmsSentCharge);
    }

    [Fact]
    public async Task The_carriers_part_count_corrects_the_segment_charge_once()
    {
        var tenant = await fixture.App.CreateTenantAsync(number: NextNumber(), credit: 1m);
        var contact = NextNumber();
        await tenant.Http.PostJsonAsync("/api/conversations", new { to = contact, message = "Short hello" });
        var send = (await SendsToAsync(contact, 1))[0];
        var finalized = JsonNode.Parse(fixture.Telnyx.MessageFinalizedJson($"evt-{Guid.NewGuid()}", send.MessageId, "delivered"))!;
        finalized["data"]!["payload"]!["parts"] = 3;
        await fixture.PostWebhookAsync(finalized.ToJsonString());
        await fixture.PostWebhookAsync(finalized.ToJsonString().Replace("\"id\":\"evt-", "\"id\":\"evt-again-", StringComparison.Ordinal));

        var ledger = await Eventually.GetAsync(() => LedgerAsync(tenant), l => l.Any(e => e.Kind == WalletEntryKind.Adjustment));
        await Task.Delay(300);
        ledger = await LedgerAsync(tenant);
        Assert.Equal(-3 * Segment, ledger.Where(e => e.Kind is WalletEntryKind.SmsSentCharge or WalletEntryKind.Adjustment).Sum(e => e.AmountMicros));
        Assert.Single(ledger, e => e.Kind == WalletEntryKind.Adjustment);
    }

    [Fact]
    public async Task Repeated_delivery_failures_pause_the_agent_which_resumes_after_its_wait_or_by_hand()
    {
        var tenant = await fixture.App.CreateTenantAsync(number: NextNumber(), credit: 5m);
        for (var i = 0; i < 2; i++)
        {
            var contact = NextNumber();
            await InboundAsync(tenant, contact, "Hi");
            var send = (await SendsToAsync(contact, 1))[0];
            await fixture.PostWebhookAsync(fixture.Telnyx.MessageFinalizedJson($"evt-{Guid.NewGuid()}", send.MessageId, "delivery_unconfirmed"));
            await fixture.PostWebhookAsync(fixture.Telnyx.MessageFinalizedJson($"evt-{Guid.NewGuid()}", send.MessageId, "delivery_failed", "40003", "Spam blocked"));
        }

        var assistant = (await Eventually.GetAsync(() => tenant.Http.GetJsonAsync("/api/assistants"), a => a[0]!["autoPausedUntil"] is not null))[0]!;
        var paused = NextNumber();
        await InboundAsync(tenant, paused, "Hello?");
        await Eventually.GetAsync(() => tenant.Http.GetJsonAsync("/api/activity"),
            a => a.AsArray().Any(e => e!["detail"]!.GetValue<string>().Contains("paused itself", StringComparison.Ordinal) && e["kind"]!.GetValue<string>() == "Skipped"));
        Assert.DoesNotContain(fixture.Telnyx.Sends, s => s.To == paused);

        await Task.Delay(3200); // the waiting period (3 s here) passes: the agent answers again on its own
        await InboundAsync(tenant, paused, "Still there?");
        await SendsToAsync(paused, 1);

        var unpaused = await tenant.Http.PostJsonAsync($"/api/assistants/{assistant["id"]!.GetValue<string>()}/unpause", new { });
        Assert.Null(unpaused["autoPausedUntil"]);
        Assert.Equal(0, unpaused["deliveryFailureScore"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("2026-13")]
    [InlineData("November")]
    [InlineData("1999-01")]
    public async Task A_bad_period_is_a_clear_problem(string period)
    {
        var tenant = await fixture.App.CreateTenantAsync(number: NextNumber());
        await (await tenant.Http.GetAsync($"/api/billing/usage?period={period}")).AssertProblemAsync(400);
    }
}
