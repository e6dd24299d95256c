using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Parley.Billing;
using Parley.Tests.Fakes;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.Billing;

/// <summary>Top-ups through Stripe Checkout: the wallet is credited from signed events only, once however they
/// repeat or reorder; failures, refunds and disputes reach the ledger; forged events are refused.</summary>
public sealed class StripePaymentsTests(StripeApp fixture) : IClassFixture<StripeApp>
{
    private static int numbers = 2000;

    private ParleyApp App => fixture.App;

    private static string NextNumber() => $"+1416558{Interlocked.Increment(ref numbers):D4}";

    private Task<List<WalletEntry>> LedgerAsync(TenantClient tenant) =>
        App.QueryAsync(db => db.WalletEntries.AsNoTracking().OrderBy(e => e.Id).ToListAsync(), tenant.Id);

    private Task<Payment> PaymentAsync(TenantClient tenant, Guid id) =>
        App.QueryAsync(db => db.Payments.AsNoTracking().FirstAsync(p => p.Id == id), tenant.Id);

    private async Task<(TenantClient Tenant, Guid PaymentId)> StartTopUpAsync(decimal amount = 20m)
    {
        var tenant = await App.CreateTenantAsync(number: NextNumber(), credit: 0);
        var response = await tenant.Http.PostAsJsonAsync("/api/billing/topups", new { amount });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.ReadJsonAsync();
        Assert.Equal("Pending", body["status"]!.GetValue<string>());
        return (tenant, body["id"]!.GetValue<Guid>());
    }

    private static JsonObject Metadata(Guid paymentId, TenantClient tenant) =>
        new() { ["parley_payment_id"] = paymentId.ToString("N"), ["parley_tenant_id"] = tenant.Id.ToString("N") };

    private static JsonObject CompletedSession(Payment payment, TenantClient tenant, string intent) => new()
    {
        ["id"] = payment.Reference,
        ["object"] = "checkout.session",
        ["mode"] = "payment",
        ["status"] = "complete",
        ["payment_status"] = "paid",
        ["payment_intent"] = intent,
        ["amount_total"] = 2000,
        ["currency"] = "usd",
        ["metadata"] = Metadata(payment.Id, tenant),
    };

    private static JsonObject Intent(Payment payment, TenantClient tenant, string id, string status = "succeeded") => new()
    {
        ["id"] = id,
        ["object"] = "payment_intent",
        ["status"] = status,
        ["amount"] = 2000,
        ["currency"] = "usd",
        ["payment_method"] = "pm_card_visa",
        ["setup_future_usage"] = "off_session",
        ["metadata"] = Metadata(payment.Id, tenant),
    };

    [Fact]
    public async Task A_top_up_opens_a_stripe_checkout_and_credits_nothing_until_its_signed_event()
    {
        var (tenant, id) = await StartTopUpAsync(20m);
        var payment = await PaymentAsync(tenant, id);
        Assert.StartsWith("https://checkout.stripe.test/", payment.CheckoutUrl, StringComparison.Ordinal);

        var session = fixture.Stripe.Requests.Last(r => r.Path == "/v1/checkout/sessions");
        Assert.Equal("payment", session.Form["mode"]);
        Assert.Equal("2000", session.Form["line_items[0][price_data][unit_amount]"]);
        Assert.Equal("usd", session.Form["line_items[0][price_data][currency]"]);
        Assert.Equal("off_session", session.Form["payment_intent_data[setup_future_usage]"]);
        Assert.Equal(id.ToString("N"), session.Form["metadata[parley_payment_id]"]);
        Assert.Equal($"parley-topup-{id:N}", session.IdempotencyKey);
        Assert.Empty(await LedgerAsync(tenant));
    }

    [Fact]
    public async Task Duplicated_and_reordered_payment_events_credit_the_wallet_once()
    {
        var (tenant, id) = await StartTopUpAsync(20m);
        var payment = await PaymentAsync(tenant, id);
        var succeeded = FakeStripe.Event("payment_intent.succeeded", Intent(payment, tenant, "pi_reorder1"));
        var completed = FakeStripe.Event("checkout.session.completed", CompletedSession(payment, tenant, "pi_reorder1"));

        // The payment intent's event before the session's, each delivered twice, and the session's again under a new event id.
        await fixture.DeliverAsync(succeeded);
        await fixture.DeliverAsync(succeeded);
        await fixture.DeliverAsync(completed);
        await fixture.DeliverAsync(completed);
        await fixture.DeliverAsync(FakeStripe.Event("checkout.session.completed", CompletedSession(payment, tenant, "pi_reorder1")));

        var credit = Assert.Single(await LedgerAsync(tenant));
        Assert.Equal(WalletEntryKind.TopUp, credit.Kind);
        Assert.Equal(20_000_000, credit.AmountMicros);
        var paid = await PaymentAsync(tenant, id);
        Assert.Equal(PaymentStatus.Succeeded, paid.Status);
        Assert.Null(paid.CheckoutUrl);
        Assert.Equal("pi_reorder1", paid.PaymentIntentId);
        Assert.Equal(20m, (await tenant.Http.GetJsonAsync("/api/account"))["walletBalance"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task A_failed_payment_is_shown_in_the_ledger_and_credits_nothing()
    {
        var (tenant, id) = await StartTopUpAsync(20m);
        var payment = await PaymentAsync(tenant, id);
        var intent = Intent(payment, tenant, "pi_failed1", "requires_payment_method");
        intent["last_payment_error"] = new JsonObject { ["type"] = "card_error", ["message"] = "Your card was declined." };
        await fixture.DeliverAsync(FakeStripe.Event("payment_intent.payment_failed", intent));

        var line = Assert.Single(await LedgerAsync(tenant));
        Assert.Equal(WalletEntryKind.PaymentFailed, line.Kind);
        Assert.Equal(0, line.AmountMicros);
        Assert.Contains("Your card was declined.", line.Note, StringComparison.Ordinal);
        var failed = await tenant.Http.GetJsonAsync($"/api/billing/topups/{id}");
        Assert.Equal("Failed", failed["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Refunds_and_disputes_take_the_payment_back_out_of_the_wallet_once()
    {
        var (tenant, id) = await StartTopUpAsync(20m);
        var payment = await PaymentAsync(tenant, id);
        await fixture.DeliverAsync(FakeStripe.Event("checkout.session.completed", CompletedSession(payment, tenant, "pi_refund1")));

        JsonObject Charge(long refunded) => new()
        {
            ["id"] = "ch_refund1",
            ["object"] = "charge",
            ["amount"] = 2000,
            ["amount_refunded"] = refunded,
            ["payment_intent"] = "pi_refund1",
            ["refunded"] = refunded == 2000,
            ["currency"] = "usd",
        };
        var partial = FakeStripe.Event("charge.refunded", Charge(500));
        await fixture.DeliverAsync(partial);
        await fixture.DeliverAsync(FakeStripe.Event("charge.refunded", Charge(500))); // the same refund, another event id
        JsonObject Dispute() => new()
        {
            ["id"] = "dp_1",
            ["object"] = "dispute",
            ["amount"] = 1500,
            ["charge"] = "ch_refund1",
            ["payment_intent"] = "pi_refund1",
            ["reason"] = "fraudulent",
            ["status"] = "needs_response",
            ["currency"] = "usd",
        };
        await fixture.DeliverAsync(FakeStripe.Event("charge.dispute.created", Dispute()));
        await fixture.DeliverAsync(FakeStripe.Event("charge.dispute.created", Dispute()));

        var ledger = await LedgerAsync(tenant);
        Assert.Equal([WalletEntryKind.TopUp, WalletEntryKind.PaymentRefund, WalletEntryKind.Dispute], ledger.Select(e => e.Kind));
        Assert.Equal(-5_000_000, ledger[1].AmountMicros);
        Assert.Equal(-15_000_000, ledger[2].AmountMicros);
        Assert.Equal(0, ledger.Sum(e => e.AmountMicros));
        Assert.Equal(PaymentStatus.Disputed, (await PaymentAsync(tenant, id)).Status);
    }

    [Fact]
    public async Task A_refund_that_arrives_before_its_payment_is_known_waits_and_then_applies()
    {
        var (tenant, id) = await StartTopUpAsync(20m);
        var payment = await PaymentAsync(tenant, id);
        var refund = new JsonObject
        {
            ["id"] = "ch_early1",
            ["object"] = "charge",
            ["amount"] = 2000,
            ["amount_refunded"] = 2000,
            ["payment_intent"] = "pi_early1",
            ["refunded"] = true,
        };
        await fixture.DeliverAsync(FakeStripe.Event("charge.refunded", refund));
        Assert.Empty(await LedgerAsync(tenant));

        await fixture.DeliverAsync(FakeStripe.Event("checkout.session.completed", CompletedSession(payment, tenant, "pi_early1")));
        var ledger = await Eventually.GetAsync(() => LedgerAsync(tenant), l => l.Count == 2);
        Assert.Equal(0, ledger.Sum(e => e.AmountMicros));
        Assert.Equal(PaymentStatus.Refunded, (await PaymentAsync(tenant, id)).Status);
    }

    [Fact]
    public async Task Forged_stale_or_unsigned_events_are_refused_and_change_nothing()
    {
        var (tenant, id) = await StartTopUpAsync(20m);
        var payment = await PaymentAsync(tenant, id);
        var json = FakeStripe.Event("checkout.session.completed", CompletedSession(payment, tenant, "pi_forged1"));

        await (await fixture.PostEventAsync(json, FakeStripe.Sign(json, secret: "whsec_someone_else"))).AssertProblemAsync(400);
        await (await fixture.PostEventAsync(json, FakeStripe.Sign(json, DateTimeOffset.UtcNow.AddMinutes(-10)))).AssertProblemAsync(400);
        await (await fixture.PostEventAsync(json, "")).AssertProblemAsync(400);
        await (await fixture.PostEventAsync(json, "t=abc,v1")).AssertProblemAsync(400);
        await (await fixture.PostEventAsync(json, "garbage")).AssertProblemAsync(400);
        await (await fixture.PostEventAsync(json.Replace("2000", "200000", StringComparison.Ordinal), FakeStripe.Sign(json))).AssertProblemAsync(400);

        Assert.Empty(await LedgerAsync(tenant));
        Assert.Equal(0, await App.QueryAsync(db => db.WebhookEvents.CountAsync(e => e.Provider == "stripe" && e.Body.Contains("pi_forged1"))));
    }
}
