using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace Parley.Web;

/// <summary>The shape every outbound client's resilience pipeline has: quick jittered retries (when allowed), then a
/// circuit breaker that only outages open, then a timeout per attempt.</summary>
public sealed record HttpPipelineSettings(
    int Retries,
    TimeSpan RetryBaseDelay,
    int CircuitMinimumThroughput,
    TimeSpan CircuitSamplingDuration,
    TimeSpan CircuitBreakDuration,
    TimeSpan AttemptTimeout);

public static class HttpPipeline
{
    /// <param name="shouldRetry">Whether this outcome may be tried again now (the caller knows what is safe to repeat).</param>
    /// <param name="onRetry">Told the retry number, the HTTP status or exception type, and the wait.</param>
    /// <param name="onOpened">Told how long the circuit stays open.</param>
    public static void AddRetryBreakerAndTimeout(
        this ResiliencePipelineBuilder<HttpResponseMessage> builder,
        HttpPipelineSettings settings,
        Func<Outcome<HttpResponseMessage>, ResilienceContext, bool> shouldRetry,
        Action<int, int?, string?, TimeSpan> onRetry,
        Action<TimeSpan> onOpened)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Retries > 0)
        {
            builder.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = settings.Retries,
                Delay = settings.RetryBaseDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldRetryAfterHeader = true,
                ShouldHandle = args => ValueTask.FromResult(shouldRetry(args.Outcome, args.Context)),
                OnRetry = args =>
                {
                    var status = args.Outcome.Result is { } r ? (int)r.StatusCode : (int?)null;
                    onRetry(args.AttemptNumber + 1, status, args.Outcome.Exception?.GetType().Name, args.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            });
        }

        builder.AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
        {
            FailureRatio = 0.5,
            MinimumThroughput = settings.CircuitMinimumThroughput,
            SamplingDuration = settings.CircuitSamplingDuration,
            BreakDuration = settings.CircuitBreakDuration,
            // An outage opens it; a rate limit is the server working as designed and does not.
            ShouldHandle = args => ValueTask.FromResult(HttpFailures.IsOutage(args.Outcome)),
            OnOpened = args =>
            {
                onOpened(args.BreakDuration);
                return ValueTask.CompletedTask;
            },
        });

        builder.AddTimeout(new HttpTimeoutStrategyOptions { Timeout = settings.AttemptTimeout });
    }
}
