using Microsoft.Extensions.Options;

namespace Parley.Webhooks;

/// <summary>Bound from <c>Parley:Webhooks</c> (the section <see cref="Web.OutboundUrlOptions"/> shares for its private-address switch).</summary>
public sealed class WebhookOptions
{
    public const string Section = "Parley:Webhooks";

    /// <summary>How long one attempt may take before it counts as failed.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Wait before the second attempt; each later wait doubles, up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(2);

    /// <summary>An endpoint that has failed every attempt for this long is disabled and its owner told; a delivery
    /// unacknowledged for this long is given up.</summary>
    public TimeSpan DisableAfter { get; set; } = TimeSpan.FromDays(3);

    public int MaxEndpointsPerTenant { get; set; } = 20;

    /// <summary>The wait before attempt <paramref name="attempt"/> + 1.</summary>
    public TimeSpan RetryDelay(int attempt) =>
        TimeSpan.FromTicks(Math.Min(MaxRetryDelay.Ticks, FirstRetryDelay.Ticks * (long)Math.Pow(2, Math.Clamp(attempt - 1, 0, 30))));
}

internal sealed class WebhookOptionsValidator : IValidateOptions<WebhookOptions>
{
    public ValidateOptionsResult Validate(string? name, WebhookOptions options)
    {
        var errors = new List<string>();
        if (options.Timeout <= TimeSpan.Zero || options.Timeout > TimeSpan.FromMinutes(1))
        {
            errors.Add("Parley:Webhooks:Timeout must be between 0 and 1 minute.");
        }

        if (options.FirstRetryDelay <= TimeSpan.Zero || options.MaxRetryDelay < options.FirstRetryDelay)
        {
            errors.Add("Parley:Webhooks:FirstRetryDelay must be positive and no more than Parley:Webhooks:MaxRetryDelay.");
        }

        if (options.DisableAfter <= TimeSpan.Zero)
        {
            errors.Add("Parley:Webhooks:DisableAfter must be positive.");
        }

        if (options.MaxEndpointsPerTenant < 1)
        {
            errors.Add("Parley:Webhooks:MaxEndpointsPerTenant must be at least 1.");
        }

        return OptionsValidators.Result(errors);
    }
}
