using Microsoft.Extensions.Options;
using Parley.Accounts;
using Parley.Billing.Payments;

namespace Parley.Billing.Stripe;

/// <summary>Bound from <c>Parley:Stripe</c>; required only when Stripe is the payment provider.</summary>
public sealed class StripeOptions
{
    public const string Section = "Parley:Stripe";

    /// <summary>The secret key (<c>sk_live_…</c> or <c>sk_test_…</c>), or a restricted key with the same rights.</summary>
    public string? ApiKey { get; set; }

    /// <summary>The signing secret of the webhook endpoint (<c>whsec_…</c>) that points at <c>/webhooks/stripe</c>.</summary>
    public string? WebhookSecret { get; set; }

    public string BaseUrl { get; set; } = "https://api.stripe.com";

    /// <summary>The recurring Price id (<c>price_…</c>) of each paid plan.</summary>
    public Dictionary<Plan, string> Prices { get; set; } = [];

    public TimeSpan SignatureTolerance { get; set; } = TimeSpan.FromMinutes(5);

    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(20);
}

/// <summary>Stripe's settings matter only when it is the provider chosen; a base URL given is checked either way.</summary>
internal sealed class StripeOptionsValidator(IOptions<PaymentOptions> payments) : IValidateOptions<StripeOptions>
{
    public ValidateOptionsResult Validate(string? name, StripeOptions options)
    {
        const string s = StripeOptions.Section;
        var errors = new List<string>();
        if (!Uri.TryCreate(options.BaseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            errors.Add($"{s}:BaseUrl must be an absolute http(s) URL such as https://api.stripe.com; got '{options.BaseUrl}'.");
        }

        if (payments.Value.Provider == PaymentProviderKind.Stripe)
        {
            if (string.IsNullOrWhiteSpace(options.ApiKey))
            {
                errors.Add($"{s}:ApiKey is required when {PaymentOptions.Section}:Provider is Stripe (the secret key, sk_…).");
            }

            if (string.IsNullOrWhiteSpace(options.WebhookSecret))
            {
                errors.Add($"{s}:WebhookSecret is required when {PaymentOptions.Section}:Provider is Stripe: Parley credits wallets only from signed Stripe events (whsec_…).");
            }
        }

        errors.AddRange(options.Prices.Where(p => !p.Value.StartsWith("price_", StringComparison.Ordinal))
            .Select(p => $"{s}:Prices:{p.Key} must be a Stripe Price id (price_…); got '{p.Value}'."));
        return OptionsValidators.Result(errors);
    }
}
