using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Parley.Messaging.Telnyx;

/// <summary>
/// The Telnyx HttpClient and its resilience handler: a few quick retries with jittered backoff (only for requests
/// that are safe to repeat), a circuit breaker that stops hammering a failing Telnyx, and a timeout per attempt.
/// Anything slower (a long Retry-After, an outage) is handed back as a <see cref="SendResult"/> so the durable
/// queue waits instead of a worker.
/// </summary>
public static partial class TelnyxHttp
{
    public const string PipelineName = "telnyx";

    /// <summary>Longer waits than this go back to the durable queue instead of holding a worker.</summary>
    public static readonly TimeSpan MaxInProcessRetryAfter = TimeSpan.FromSeconds(2);

    public static IHttpClientBuilder AddTelnyxCarrier(this IServiceCollection services)
    {
        var client = services.AddHttpClient<TelnyxCarrier>();
        client.AddResilienceHandler(PipelineName, static (builder, context) =>
        {
            var settings = context.ServiceProvider.GetRequiredService<IOptions<TelnyxOptions>>().Value;
            var time = context.ServiceProvider.GetRequiredService<TimeProvider>();
            var logger = context.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(TelnyxHttp));
            builder.TimeProvider = time;
            Configure(builder, settings, time, logger);
        });
        return client;
    }

    private static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> builder, TelnyxOptions settings, TimeProvider time, ILogger logger)
    {
        if (settings.InProcessRetries > 0)
        {
            builder.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = settings.InProcessRetries,
                Delay = settings.RetryBaseDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldRetryAfterHeader = true,
                ShouldHandle = args => ValueTask.FromResult(IsWorthRetryingNow(args.Outcome, args.Context, time)),
                OnRetry = args =>
                {
                    var status = args.Outcome.Result is { } r ? (int)r.StatusCode : (int?)null;
                    var failure = args.Outcome.Exception?.GetType().Name;
                    LogRetrying(logger, args.AttemptNumber + 1, status, failure, args.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            });
        }

        builder.AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
        {
            FailureRatio = 0.5,
            MinimumThroughput = settings.CircuitMinimumThroughput,
            SamplingDuration = TimeSpan.FromSeconds(30),
            BreakDuration = settings.CircuitBreakDuration,
            // An outage opens it; a rate limit is Telnyx working as designed and does not.
            ShouldHandle = args => ValueTask.FromResult(args.Outcome switch
            {
                { Exception: { } ex } => ex is HttpRequestException or TimeoutRejectedException or IOException,
                { Result: { } r } => (int)r.StatusCode >= 500 || r.StatusCode == HttpStatusCode.RequestTimeout,
                _ => false,
            }),
            OnOpened = args =>
            {
                LogCircuitOpened(logger, args.BreakDuration);
                return ValueTask.CompletedTask;
            },
        });

        builder.AddTimeout(new HttpTimeoutStrategyOptions { Timeout = settings.RequestTimeout });
    }

    private static bool IsWorthRetryingNow(Outcome<HttpResponseMessage> outcome, ResilienceContext context, TimeProvider time)
    {
        // Repeating a POST is safe only because the carrier dedupes on the Idempotency-Key.
        var request = outcome.Result?.RequestMessage ?? context.GetRequestMessage();
        if (request is null || (request.Method != HttpMethod.Get && !request.Headers.Contains(TelnyxCarrier.IdempotencyHeader)))
        {
            return false;
        }

        if (outcome.Exception is { } ex)
        {
            return ex is not BrokenCircuitException && IsTransient(ex, context.CancellationToken);
        }

        var response = outcome.Result!;
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            // Telnyx asked for a pause longer than we want to hold a worker: hand it to the durable queue.
            return RetryAfter(response, time) is not { } wait || wait <= MaxInProcessRetryAfter;
        }

        return (int)response.StatusCode >= 500 || response.StatusCode == HttpStatusCode.RequestTimeout;
    }

    internal static bool IsTransient(Exception ex, CancellationToken cancellationToken) => ex switch
    {
        HttpRequestException or TimeoutRejectedException or IOException => true,
        // HttpClient.Timeout surfaces as a cancellation the caller did not ask for.
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        _ => false,
    };

    internal static TimeSpan? RetryAfter(HttpResponseMessage response, TimeProvider timeProvider)
    {
        if (response.Headers.RetryAfter is not { } header)
        {
            return null;
        }

        if (header.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (header.Date is { } date)
        {
            var wait = date - timeProvider.GetUtcNow();
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Telnyx retry {Retry} after HTTP {Status} {ExceptionType}, waiting {Delay}")]
    private static partial void LogRetrying(ILogger logger, int retry, int? status, string? exceptionType, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telnyx keeps failing: sends pause for {BreakDuration}")]
    private static partial void LogCircuitOpened(ILogger logger, TimeSpan breakDuration);
}
