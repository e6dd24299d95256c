using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Parley.Web;
using Polly;
using Polly.CircuitBreaker;

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

    private static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> builder, TelnyxOptions settings, TimeProvider time, ILogger logger) =>
        builder.AddRetryBreakerAndTimeout(
            new HttpPipelineSettings(
                settings.InProcessRetries, settings.RetryBaseDelay, settings.CircuitMinimumThroughput,
                TimeSpan.FromSeconds(30), settings.CircuitBreakDuration, settings.RequestTimeout),
            (outcome, context) => IsWorthRetryingNow(outcome, context, time),
            (retry, status, failure, delay) => LogRetrying(logger, retry, status, failure, delay),
            breakDuration => LogCircuitOpened(logger, breakDuration));

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
            return ex is not BrokenCircuitException && HttpFailures.IsTransient(ex, context.CancellationToken);
        }

        var response = outcome.Result!;
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            // Telnyx asked for a pause longer than we want to hold a worker: hand it to the durable queue.
            return HttpFailures.RetryAfter(response, time) is not { } wait || wait <= MaxInProcessRetryAfter;
        }

        return (int)response.StatusCode >= 500 || response.StatusCode == HttpStatusCode.RequestTimeout;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Telnyx retry {Retry} after HTTP {Status} {ExceptionType}, waiting {Delay}")]
    private static partial void LogRetrying(ILogger logger, int retry, int? status, string? exceptionType, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telnyx keeps failing: sends pause for {BreakDuration}")]
    private static partial void LogCircuitOpened(ILogger logger, TimeSpan breakDuration);
}
