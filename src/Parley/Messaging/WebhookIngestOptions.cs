using Microsoft.Extensions.Options;

namespace Parley.Messaging;

/// <summary>Bound from <c>Parley:WebhookIngest</c>: how carrier webhooks are grouped into durable commits
/// (<see cref="WebhookIngestBatcher"/>).</summary>
public sealed class WebhookIngestOptions
{
    public const string Section = "Parley:WebhookIngest";

    /// <summary>Most events one transaction holds. A batch is whatever arrived while the last one committed, up to this.</summary>
    public int BatchSize { get; set; } = 256;

    /// <summary>Events waiting for a commit at once (each is a request waiting for its answer). Past it, webhooks
    /// are answered 503 with <c>Retry-After</c> and the carrier sends them again.</summary>
    public int Capacity { get; set; } = 2048;

    /// <summary>What a 503 asks the carrier to wait before it tries again.</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(1);
}

internal sealed class WebhookIngestOptionsValidator : IValidateOptions<WebhookIngestOptions>
{
    public ValidateOptionsResult Validate(string? name, WebhookIngestOptions options)
    {
        const string s = WebhookIngestOptions.Section;
        var errors = new List<string>();
        if (options.BatchSize is < 1 or > 1000)
        {
            errors.Add($"{s}:BatchSize must be between 1 and 1000; got {options.BatchSize}.");
        }

        if (options.Capacity < options.BatchSize || options.Capacity > 100_000)
        {
            errors.Add($"{s}:Capacity must be at least {s}:BatchSize and at most 100000; got {options.Capacity}.");
        }

        if (options.RetryAfter < TimeSpan.FromSeconds(1) || options.RetryAfter > TimeSpan.FromMinutes(5))
        {
            errors.Add($"{s}:RetryAfter must be between 1 second and 5 minutes; got {options.RetryAfter}.");
        }

        return OptionsValidators.Result(errors);
    }
}
