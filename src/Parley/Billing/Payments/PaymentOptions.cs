using Microsoft.Extensions.Options;

namespace Parley.Billing.Payments;

public enum PaymentProviderKind
{
    Sandbox,
    Stripe,
}

/// <summary>Bound from <c>Parley:Payments</c>: which provider takes payments, and the wallet's top-up limits.</summary>
public sealed class PaymentOptions
{
    public const string Section = "Parley:Payments";

    public PaymentProviderKind Provider { get; set; } = PaymentProviderKind.Sandbox;

    /// <summary>Smallest top-up in US dollars: below it card fees eat the payment.</summary>
    public decimal MinTopUpUsd { get; set; } = 5m;

    public decimal MaxTopUpUsd { get; set; } = 2_000m;

    /// <summary>The amounts the billing page offers as one-click buttons.</summary>
    public List<decimal> PresetTopUpsUsd { get; set; } = [10m, 20m, 50m, 100m];

    /// <summary>How long AI replies go on after a plan's renewal payment failed, while the provider retries it.</summary>
    public TimeSpan PastDueGrace { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Most auto-recharges a tenant may allow in one day.</summary>
    public int MaxAutoRechargesPerDay { get; set; } = 10;
}

internal sealed class PaymentOptionsValidator : IValidateOptions<PaymentOptions>
{
    public ValidateOptionsResult Validate(string? name, PaymentOptions options)
    {
        const string s = PaymentOptions.Section;
        var errors = new List<string>();
        if (!Enum.IsDefined(options.Provider))
        {
            errors.Add($"{s}:Provider must be Sandbox or Stripe.");
        }

        if (options.MinTopUpUsd < 1m || options.MaxTopUpUsd < options.MinTopUpUsd || options.MaxTopUpUsd > 100_000m)
        {
            errors.Add($"{s}:MinTopUpUsd must be at least 1 and MaxTopUpUsd between it and 100000; got {options.MinTopUpUsd} and {options.MaxTopUpUsd}.");
        }

        if (options.PresetTopUpsUsd.Any(p => p < options.MinTopUpUsd || p > options.MaxTopUpUsd))
        {
            errors.Add($"{s}:PresetTopUpsUsd must lie between MinTopUpUsd and MaxTopUpUsd.");
        }

        if (options.PastDueGrace < TimeSpan.Zero)
        {
            errors.Add($"{s}:PastDueGrace cannot be negative.");
        }

        if (options.MaxAutoRechargesPerDay is < 1 or > 100)
        {
            errors.Add($"{s}:MaxAutoRechargesPerDay must be between 1 and 100.");
        }

        return OptionsValidators.Result(errors);
    }
}
