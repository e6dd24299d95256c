using System.Net;
using Polly;
using Polly.Timeout;

namespace Parley.Web;

/// <summary>How Parley's outbound clients (the carrier, the model) tell a passing hiccup from an outage, and read a
/// server's Retry-After. One reading, so every resilience pipeline agrees on what "failing" means.</summary>
public static class HttpFailures
{
    /// <summary>A failure worth trying again: a dropped connection, a timed-out attempt, or an HttpClient timeout
    /// the caller did not ask for.</summary>
    public static bool IsTransient(Exception ex, CancellationToken cancellationToken) => ex switch
    {
        HttpRequestException or TimeoutRejectedException or IOException => true,
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        _ => false,
    };

    /// <summary>What opens a circuit breaker: the server is down or not answering. A rate limit is the server working
    /// as designed and does not count.</summary>
    public static bool IsOutage(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: { } ex } => ex is HttpRequestException or TimeoutRejectedException or IOException,
        { Result: { } r } => (int)r.StatusCode >= 500 || r.StatusCode == HttpStatusCode.RequestTimeout,
        _ => false,
    };

    /// <summary>The wait a server asked for (delta or date), never negative; null when it asked for none.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response, TimeProvider timeProvider)
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
}
