using Microsoft.Extensions.Options;
using Parley.Accounts;
using Parley.Billing.Payments;
using Stripe;
using Stripe.Checkout;
using Plan = Parley.Accounts.Plan;

namespace Parley.Billing.Stripe;

/// <summary>
/// Payments through Stripe with Stripe.net: Checkout Sessions for top-ups (saving the card for auto-recharge) and for
/// new plan subscriptions, subscription updates for upgrades and downgrades (prorated as Stripe computes), and
/// off-session payment intents for auto-recharge. Nothing here credits a wallet from a browser redirect: the
/// signed webhook (<see cref="StripeEventHandler"/>) does, or a saved-card charge Stripe answered as succeeded.
/// </summary>
public sealed class StripePayments(IStripeClient client, IOptions<StripeOptions> options) : IPaymentProvider
{
    public const string ProviderName = "Stripe";
    public const string PaymentIdKey = "parley_payment_id";
    public const string TenantIdKey = "parley_tenant_id";
    public const string PlanKey = "parley_plan";

    public string Name => ProviderName;

    public static long Cents(long micros) => micros / 10_000;

    public static long Micros(long cents) => cents * 10_000;

    public async Task<PaymentStart> StartTopUpAsync(Payment payment, BillingAccount account, PaymentReturn urls, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(payment);
        ArgumentNullException.ThrowIfNull(urls);
        var metadata = Metadata(payment);
        var session = await CallAsync(async () =>
        {
            await EnsureCustomerAsync(account, cancellationToken);
            return await new SessionService(client).CreateAsync(
                new SessionCreateOptions
                {
                    Mode = "payment",
                    Customer = account.CustomerId,
                    ClientReferenceId = payment.Id.ToString("N"),
                    SuccessUrl = urls.SuccessUrl,
                    CancelUrl = urls.CancelUrl,
                    Metadata = metadata,
                    PaymentIntentData = new SessionPaymentIntentDataOptions { SetupFutureUsage = "off_session", Metadata = metadata },
                    LineItems =
                    [
                        new SessionLineItemOptions
                        {
                            Quantity = 1,
                            PriceData = new SessionLineItemPriceDataOptions
                            {
                                Currency = "usd",
                                UnitAmount = Cents(payment.AmountMicros),
                                ProductData = new SessionLineItemPriceDataProductDataOptions { Name = "Parley wallet top-up" },
                            },
                        },
                    ],
                },
                new RequestOptions { IdempotencyKey = $"parley-topup-{payment.Id:N}" },
                cancellationToken);
        });
        return new PaymentStart.Redirect(session.Id, session.Url);
    }

    public async Task<PaymentStart> ChargeSavedCardAsync(Payment payment, BillingAccount account, string idempotencyKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(payment);
        ArgumentNullException.ThrowIfNull(account);
        if (account.CustomerId is null || account.PaymentMethodId is null)
        {
            return new PaymentStart.Declined($"none_{payment.Id:N}", "No saved card: top up once by card to save one.");
        }

        try
        {
            var intent = await CallAsync(() => new PaymentIntentService(client).CreateAsync(
                new PaymentIntentCreateOptions
                {
                    Amount = Cents(payment.AmountMicros),
                    Currency = "usd",
                    Customer = account.CustomerId,
                    PaymentMethod = account.PaymentMethodId,
                    OffSession = true,
                    Confirm = true,
                    Description = "Parley wallet auto-recharge",
                    Metadata = Metadata(payment),
                },
                new RequestOptions { IdempotencyKey = idempotencyKey },
                cancellationToken));
            return intent.Status switch
            {
                "succeeded" => new PaymentStart.Paid(intent.Id, intent.Id),
                "processing" => new PaymentStart.Processing(intent.Id, intent.Id),
                _ => new PaymentStart.Declined(intent.Id, $"The card needs the payer ({intent.Status}): top up by hand once."),
            };
        }
        catch (CardDeclined declined)
        {
            return new PaymentStart.Declined(declined.Error.PaymentIntent?.Id ?? $"declined_{payment.Id:N}", declined.Error.Message ?? "The card was declined.");
        }
    }

    public async Task<PlanStart> ChangePlanAsync(Tenant tenant, BillingAccount account, Plan plan, PaymentReturn urls, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(urls);
        var live = account.SubscriptionId is { } id && account.SubscriptionStatus is SubscriptionStatus.Active or SubscriptionStatus.PastDue ? id : null;
        if (!options.Value.Prices.TryGetValue(plan, out var price))
        {
            if (live is null)
            {
                return new PlanStart.Changed(SubscriptionStatus.None, null, null, CancelAtPeriodEnd: false);
            }

            // A plan without a price (Free): the paid plan runs to the end of the period already paid for.
            var ending = await CallAsync(() => new SubscriptionService(client).UpdateAsync(live, new SubscriptionUpdateOptions { CancelAtPeriodEnd = true },
                cancellationToken: cancellationToken));
            return Changed(ending);
        }

        if (live is not null)
        {
            var updated = await CallAsync(async () =>
            {
                var current = await new SubscriptionService(client).GetAsync(live, cancellationToken: cancellationToken);
                return await new SubscriptionService(client).UpdateAsync(live, new SubscriptionUpdateOptions
                {
                    CancelAtPeriodEnd = false,
                    ProrationBehavior = "create_prorations",
                    Items = [new SubscriptionItemOptions { Id = current.Items.Data[0].Id, Price = price }],
                    Metadata = new() { [TenantIdKey] = tenant.Id.ToString("N"), [PlanKey] = plan.ToString() },
                }, cancellationToken: cancellationToken);
            });
            return Changed(updated);
        }

        var session = await CallAsync(async () =>
        {
            await EnsureCustomerAsync(account, cancellationToken);
            var metadata = new Dictionary<string, string> { [TenantIdKey] = tenant.Id.ToString("N"), [PlanKey] = plan.ToString() };
            return await new SessionService(client).CreateAsync(new SessionCreateOptions
            {
                Mode = "subscription",
                Customer = account.CustomerId,
                ClientReferenceId = tenant.Id.ToString("N"),
                SuccessUrl = urls.SuccessUrl,
                CancelUrl = urls.CancelUrl,
                Metadata = metadata,
                SubscriptionData = new SessionSubscriptionDataOptions { Metadata = metadata },
                LineItems = [new SessionLineItemOptions { Price = price, Quantity = 1 }],
            }, cancellationToken: cancellationToken);
        });
        return new PlanStart.Redirect(session.Id, session.Url);
    }

    public static PlanStart.Changed Changed(Subscription subscription)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        return new(StatusOf(subscription.Status), subscription.Id, PeriodEnd(subscription), subscription.CancelAtPeriodEnd);
    }

    public static SubscriptionStatus StatusOf(string? status) => status switch
    {
        "active" or "trialing" => SubscriptionStatus.Active,
        "past_due" or "unpaid" => SubscriptionStatus.PastDue,
        "canceled" or "incomplete_expired" => SubscriptionStatus.Canceled,
        "incomplete" or "paused" => SubscriptionStatus.Incomplete,
        _ => SubscriptionStatus.Incomplete,
    };

    public static DateTime? PeriodEnd(Subscription subscription) =>
        subscription?.Items?.Data is [{ } item, ..] && item.CurrentPeriodEnd > DateTime.UnixEpoch ? DateTime.SpecifyKind(item.CurrentPeriodEnd, DateTimeKind.Utc) : null;

    private async Task EnsureCustomerAsync(BillingAccount account, CancellationToken cancellationToken)
    {
        if (account.CustomerId is not null)
        {
            return;
        }

        var customer = await new CustomerService(client).CreateAsync(
            new CustomerCreateOptions { Metadata = new() { [TenantIdKey] = account.TenantId.ToString("N") } },
            new RequestOptions { IdempotencyKey = $"parley-customer-{account.TenantId:N}" },
            cancellationToken);
        account.CustomerId = customer.Id;
    }

    private static Dictionary<string, string> Metadata(Payment payment) =>
        new() { [PaymentIdKey] = payment.Id.ToString("N"), [TenantIdKey] = payment.TenantId.ToString("N") };

    /// <summary>A card error is the payer's (<see cref="CardDeclined"/>); anything else Stripe or the network says
    /// is the provider being unavailable.</summary>
    public async Task<string?> CustomerPortalUrlAsync(BillingAccount account, string returnUrl, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        if (account.CustomerId is null)
        {
            return null; // nothing paid through Stripe yet: no cards or invoices to manage
        }

        var session = await CallAsync(() => new global::Stripe.BillingPortal.SessionService(client).CreateAsync(
            new global::Stripe.BillingPortal.SessionCreateOptions { Customer = account.CustomerId, ReturnUrl = returnUrl }, cancellationToken: cancellationToken));
        return session.Url;
    }

    private static async Task<T> CallAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (StripeException ex) when (ex.StripeError?.Type == "card_error")
        {
            throw new CardDeclined(ex.StripeError);
        }
        catch (StripeException ex)
        {
            throw new PaymentProviderException($"Stripe refused the request: {ex.StripeError?.Message ?? ex.Message}", ex);
        }
        catch (HttpRequestException ex)
        {
            throw new PaymentProviderException("Stripe could not be reached; nothing was charged. Try again shortly.", ex);
        }
        catch (TaskCanceledException ex)
        {
            throw new PaymentProviderException("Stripe did not answer in time; nothing was charged. Try again shortly.", ex);
        }
    }

    private sealed class CardDeclined(StripeError error) : Exception(error.Message)
    {
        public StripeError Error { get; } = error;
    }
}
