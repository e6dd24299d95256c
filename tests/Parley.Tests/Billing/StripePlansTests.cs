using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Parley.Billing;
using Parley.Tests.Fakes;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.Billing;

/// <summary>Plans as Stripe subscriptions: a Checkout for the first, prorated price changes after, and the AI gate
/// following the subscription's state as its events report it, in whatever order they come.</summary>
public sealed class StripePlansTests(StripeApp fixture) : IClassFixture<StripeApp>
{
    private static int numbers = 3000;

    private ParleyApp App => fixture.App;

    private static string NextNumber() => $"+1416559{Interlocked.Increment(ref numbers):D4}";

    private static async Task<JsonNode> PlanAsync(TenantClient tenant) => await tenant.Http.GetJsonAsync("/api/billing/plan");

    /// <summary>Subscribes to Growth through Checkout and completes it as Stripe would; returns the subscription.</summary>
    private async Task<(TenantClient Tenant, JsonObject Subscription)> SubscribedAsync()
    {
        var tenant = await App.CreateTenantAsync(number: NextNumber(), plan: "Free", credit: 0);
        var started = await tenant.Http.PostJsonAsync("/api/billing/plan", new { plan = "Growth" });
        Assert.Equal("Incomplete", started["status"]!.GetValue<string>());
        Assert.StartsWith("https://checkout.stripe.test/", started["checkoutUrl"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("Free", (await tenant.Http.GetJsonAsync("/api/account"))["plan"]!.GetValue<string>());

        var request = fixture.Stripe.Requests.Last(r => r.Path == "/v1/checkout/sessions");
        Assert.Equal("subscription", request.Form["mode"]);
        Assert.Equal("price_growth", request.Form["line_items[0][price]"]);
        var payment = await App.QueryAsync(db => db.Payments.AsNoTracking().SingleAsync(p => p.Kind == PaymentKind.Plan), tenant.Id);
        var customer = request.Form["customer"];
        var subscription = fixture.Stripe.AddSubscription(customer, "price_growth");
        await fixture.DeliverAsync(FakeStripe.Event("checkout.session.completed", new JsonObject
        {
            ["id"] = payment.Reference,
            ["object"] = "checkout.session",
            ["mode"] = "subscription",
            ["status"] = "complete",
            ["payment_status"] = "paid",
            ["customer"] = customer,
            ["subscription"] = subscription["id"]!.GetValue<string>(),
            ["metadata"] = new JsonObject { ["parley_tenant_id"] = tenant.Id.ToString("N"), ["parley_plan"] = "Growth" },
        }));
        return (tenant, subscription);
    }

    private static JsonObject Invoice(string customer, string subscriptionId, string id, long amount) => new()
    {
        ["id"] = id,
        ["object"] = "invoice",
        ["customer"] = customer,
        ["amount_paid"] = amount,
        ["amount_due"] = amount,
        ["currency"] = "usd",
        ["hosted_invoice_url"] = $"https://invoice.stripe.test/{id}",
        ["parent"] = new JsonObject
        {
            ["type"] = "subscription_details",
            ["subscription_details"] = new JsonObject { ["subscription"] = subscriptionId, ["metadata"] = new JsonObject() },
        },
    };

    [Fact]
    public async Task A_subscription_checkout_moves_the_plan_and_upgrades_are_prorated_by_stripe()
    {
        var (tenant, subscription) = await SubscribedAsync();
        var plan = await PlanAsync(tenant);
        Assert.Equal("Growth", plan["plan"]!.GetValue<string>());
        Assert.Equal("Active", plan["status"]!.GetValue<string>());
        Assert.True(plan["aiAllowed"]!.GetValue<bool>());

        var upgraded = await tenant.Http.PostJsonAsync("/api/billing/plan", new { plan = "Scale" });
        Assert.Equal("Scale", upgraded["plan"]!.GetValue<string>());
        Assert.Null(upgraded["checkoutUrl"]);
        var update = fixture.Stripe.Requests.Last(r => r.Path == $"/v1/subscriptions/{subscription["id"]}" && r.Method == "POST");
        Assert.Equal("price_scale", update.Form["items[0][price]"]);
        Assert.Equal("create_prorations", update.Form["proration_behavior"]);
    }

    [Fact]
    public async Task The_customer_portal_opens_for_the_tenant_s_own_stripe_customer_and_not_before_it_has_one()
    {
        var fresh = await App.CreateTenantAsync(number: NextNumber(), plan: "Free", credit: 0);
        var none = await fresh.Http.PostAsync("/api/billing/portal", null);
        Assert.Contains("no cards or invoices", await none.AssertProblemAsync(409), StringComparison.Ordinal);

        var (tenant, subscription) = await SubscribedAsync();
        var portal = await tenant.Http.PostJsonAsync("/api/billing/portal", new { });

        Assert.StartsWith("https://billing.stripe.test/p/session/", portal["url"]!.GetValue<string>(), StringComparison.Ordinal);
        var request = fixture.Stripe.Requests.Last(r => r.Path == "/v1/billing_portal/sessions");
        Assert.Equal(subscription["customer"]!.GetValue<string>(), request.Form["customer"]);
        Assert.EndsWith("/billing", request.Form["return_url"], StringComparison.Ordinal);
        Assert.Equal(409, (int)(await fresh.Http.PostAsync("/api/billing/portal", null)).StatusCode); // still none for the other tenant
    }

    [Fact]
    public async Task A_downgrade_to_free_keeps_the_paid_plan_to_the_period_end_then_ai_stops()
    {
        var (tenant, subscription) = await SubscribedAsync();
        var downgraded = await tenant.Http.PostJsonAsync("/api/billing/plan", new { plan = "Free" });
        Assert.Equal("Growth", downgraded["plan"]!.GetValue<string>());
        Assert.True(downgraded["cancelAtPeriodEnd"]!.GetValue<bool>());
        Assert.True(downgraded["aiAllowed"]!.GetValue<bool>());

        subscription["status"] = "canceled";
        await fixture.DeliverAsync(FakeStripe.Event("customer.subscription.deleted", subscription));
        var plan = await PlanAsync(tenant);
        Assert.Equal("Free", plan["plan"]!.GetValue<string>());
        Assert.Equal("Canceled", plan["status"]!.GetValue<string>());
        Assert.False(plan["aiAllowed"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_failed_renewal_is_past_due_with_grace_shown_in_the_ledger_and_an_older_event_changes_nothing()
    {
        var (tenant, subscription) = await SubscribedAsync();
        var customer = subscription["customer"]!.GetValue<string>();
        var id = subscription["id"]!.GetValue<string>();
        await fixture.DeliverAsync(FakeStripe.Event("invoice.payment_failed", Invoice(customer, id, "in_fail1", 14900)));

        var plan = await PlanAsync(tenant);
        Assert.Equal("PastDue", plan["status"]!.GetValue<string>());
        Assert.True(plan["aiAllowed"]!.GetValue<bool>()); // within the grace period
        var failed = Assert.Single(await App.QueryAsync(db => db.WalletEntries.AsNoTracking().ToListAsync(), tenant.Id));
        Assert.Equal(WalletEntryKind.PaymentFailed, failed.Kind);
        Assert.Equal(0, failed.AmountMicros);

        var past = subscription.DeepClone().AsObject();
        past["status"] = "past_due";
        await fixture.DeliverAsync(FakeStripe.Event("customer.subscription.updated", past));
        var stale = subscription.DeepClone().AsObject();
        stale["status"] = "active";
        await fixture.DeliverAsync(FakeStripe.Event("customer.subscription.updated", stale, DateTimeOffset.UtcNow.AddHours(-1)));
        Assert.Equal("PastDue", (await PlanAsync(tenant))["status"]!.GetValue<string>());

        await fixture.DeliverAsync(FakeStripe.Event("invoice.paid", Invoice(customer, id, "in_fail1", 14900)));
        plan = await PlanAsync(tenant);
        Assert.Equal("Active", plan["status"]!.GetValue<string>());
        var receipt = Assert.Single((await tenant.Http.GetJsonAsync("/api/billing/payments")).AsArray(), p => p!["receiptUrl"] is not null);
        Assert.Equal("Succeeded", receipt!["status"]!.GetValue<string>());
        Assert.Equal(149m, receipt["amount"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task Auto_recharge_charges_the_card_saved_at_checkout_off_session()
    {
        var tenant = await TenantWithSavedCardAsync();

        await tenant.Http.PostJsonAsync("/api/conversations", new { to = NextNumber(), message = "Your showing is confirmed." });
        var recharge = await Eventually.GetAsync(
            () => App.QueryAsync(db => db.Payments.AsNoTracking().Where(p => p.Kind == PaymentKind.AutoRecharge).ToListAsync(), tenant.Id),
            list => list.Count == 1 && list[0].Status == PaymentStatus.Succeeded);
        var charge = fixture.Stripe.Requests.Last(r => r.Path == "/v1/payment_intents");
        Assert.Equal("pm_saved1", charge.Form["payment_method"]);
        Assert.Equal("true", charge.Form["off_session"]);
        Assert.Equal("2000", charge.Form["amount"]);
        Assert.Equal(recharge[0].Id.ToString("N"), charge.Form["metadata[parley_payment_id]"]);
        Assert.Equal(30m - 0.008m, (await tenant.Http.GetJsonAsync("/api/account"))["walletBalance"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task A_declined_saved_card_is_a_failed_payment_with_its_reason_and_credits_nothing()
    {
        var tenant = await TenantWithSavedCardAsync();
        fixture.Stripe.DeclineNextCharge = true;
        var charges = fixture.Stripe.Requests.Count(r => r.Path == "/v1/payment_intents");

        await tenant.Http.PostJsonAsync("/api/conversations", new { to = NextNumber(), message = "Your showing is confirmed." });

        var declined = await Eventually.GetAsync(
            () => App.QueryAsync(db => db.Payments.AsNoTracking().Where(p => p.Kind == PaymentKind.AutoRecharge).ToListAsync(), tenant.Id),
            list => list.Count == 1 && list[0].Status != PaymentStatus.Pending);
        Assert.Equal(PaymentStatus.Failed, declined[0].Status);
        Assert.Contains("insufficient funds", declined[0].FailureReason, StringComparison.OrdinalIgnoreCase);
        await App.WorkDrainedAsync(tenant.Id);
        Assert.Equal(charges + 1, fixture.Stripe.Requests.Count(r => r.Path == "/v1/payment_intents")); // one try for the dip
        Assert.Equal(10m - 0.008m, (await tenant.Http.GetJsonAsync("/api/account"))["walletBalance"]!.GetValue<decimal>());
        var receipt = Assert.Single((await tenant.Http.GetJsonAsync("/api/billing/payments")).AsArray(), p => p!["kind"]!.GetValue<string>() == "AutoRecharge");
        Assert.Equal("Failed", receipt!["status"]!.GetValue<string>());
    }

    /// <summary>A tenant that topped up $10 through Checkout, saving its card, with auto-recharge of $20 below $10.</summary>
    private async Task<TenantClient> TenantWithSavedCardAsync()
    {
        var tenant = await App.CreateTenantAsync(number: NextNumber(), credit: 0);
        var refused = await tenant.Http.PutAsJsonAsync("/api/billing/auto-recharge", new { enabled = true, thresholdUsd = 5m, amountUsd = 20m, maxPerDay = 2 });
        await refused.AssertProblemAsync(400); // no saved card yet

        var topUp = await tenant.Http.PostJsonAsync("/api/billing/topups", new { amount = 10m });
        var id = topUp["id"]!.GetValue<Guid>();
        await fixture.DeliverAsync(FakeStripe.Event("payment_intent.succeeded", new JsonObject
        {
            ["id"] = $"pi_saved_{Guid.NewGuid():N}",
            ["object"] = "payment_intent",
            ["status"] = "succeeded",
            ["amount"] = 1000,
            ["currency"] = "usd",
            ["payment_method"] = "pm_saved1",
            ["setup_future_usage"] = "off_session",
            ["metadata"] = new JsonObject { ["parley_payment_id"] = id.ToString("N"), ["parley_tenant_id"] = tenant.Id.ToString("N") },
        }));
        (await tenant.Http.PutAsJsonAsync("/api/billing/auto-recharge", new { enabled = true, thresholdUsd = 10m, amountUsd = 20m, maxPerDay = 2 }))
            .EnsureSuccessStatusCode();
        return tenant;
    }
}
