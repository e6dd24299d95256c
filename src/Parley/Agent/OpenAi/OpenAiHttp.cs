using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Parley.Web;
using Polly;

namespace Parley.Agent.OpenAi;

/// <summary>
/// The model's HttpClient and its resilience handler: a timeout per attempt, <see cref="OpenAiModelOptions.MaxRetries"/>
/// quick retries with jittered backoff for dropped connections, timeouts, 408, 5xx and short rate limits, and a circuit
/// breaker, so a model that is down fails each turn at once (the conversation goes to Needs Attention) instead of
/// every turn waiting out its own timeouts. A rate limit that asks for a longer pause is not waited out in a worker:
/// the turn fails and the person at the business sees why.
/// </summary>
public static partial class OpenAiHttp
{
    public const string PipelineName = "openai";

    /// <summary>Longer Retry-After waits than this are not retried inside the turn.</summary>
    public static readonly TimeSpan MaxInProcessRetryAfter = TimeSpan.FromSeconds(2);

    /// <summary>Registers the model client (named <see cref="OpenAiModel.HttpClientName"/>) and the model on it.</summary>
    public static IServiceCollection AddOpenAiModel(this IServiceCollection services)
    {
        services.AddHttpClient(OpenAiModel.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .AddResilienceHandler(PipelineName, static (builder, context) =>
            {
                var options = context.ServiceProvider.GetRequiredService<IOptions<OpenAiModelOptions>>().Value;
                var time = context.ServiceProvider.GetRequiredService<TimeProvider>();
                builder.TimeProvider = time;
                Configure(builder, options, time, context.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(OpenAiHttp)));
            });
        services.AddSingleton(sp => new OpenAiModel(
            sp.GetRequiredService<IOptions<OpenAiModelOptions>>().Value,
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(OpenAiModel.HttpClientName),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<OpenAiModel>>(), sp.GetRequiredService<ILoggerFactory>()));
        return services;
    }

    /// <summary>The same pipeline around a plain handler, for a model made outside dependency injection.</summary>
    public static HttpClient CreateClient(OpenAiModelOptions options, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time };
        Configure(builder, options, time, logger);
#pragma warning disable CA2000 // The HttpClient owns and disposes its handlers.
        var handler = new ResilienceHandler(builder.Build()) { InnerHandler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) } };
#pragma warning restore CA2000
        return new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
    }

    private static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> builder, OpenAiModelOptions options, TimeProvider time, ILogger logger) =>
        builder.AddRetryBreakerAndTimeout(
            new HttpPipelineSettings(
                options.MaxRetries, options.RetryBaseDelay, options.CircuitMinimumThroughput,
                TimeSpan.FromSeconds(60), options.CircuitBreakDuration, options.Timeout),
            (outcome, context) => IsWorthRetryingNow(outcome, time, context.CancellationToken),
            (retry, status, failure, delay) => LogRetrying(logger, retry, status, failure, delay),
            breakDuration => LogCircuitOpened(logger, breakDuration));

    private static bool IsWorthRetryingNow(Outcome<HttpResponseMessage> outcome, TimeProvider time, CancellationToken cancellationToken)
    {
        if (outcome.Exception is { } ex)
        {
            return ex is not Polly.CircuitBreaker.BrokenCircuitException && HttpFailures.IsTransient(ex, cancellationToken);
        }

        var response = outcome.Result!;
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            return HttpFailures.RetryAfter(response, time) is not { } wait || wait <= MaxInProcessRetryAfter;
        }

        return (int)response.StatusCode >= 500 || response.StatusCode == HttpStatusCode.RequestTimeout;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Model retry {Retry} after HTTP {Status} {ExceptionType}, waiting {Delay}")]
    private static partial void LogRetrying(ILogger logger, int retry, int? status, string? exceptionType, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The model endpoint keeps failing: turns fail at once for {BreakDuration}")]
    private static partial void LogCircuitOpened(ILogger logger, TimeSpan breakDuration);
}
