using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Parley.Accounts;

/// <summary>
/// Per-key rate limiting on <c>/api</c>: a token bucket per tenant (its API key and its signed-in users share it),
/// one for the platform admin, and one per address for requests without a valid key. Beyond it: 429 with
/// <c>Retry-After</c> and a problem naming the setting.
/// </summary>
public static class ApiRateLimits
{
    public static void AddApiRateLimits(this IServiceCollection services) =>
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = RejectAsync;
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(PartitionFor);
        });

    private static RateLimitPartition<string> PartitionFor(HttpContext context)
    {
        if (!context.Request.Path.StartsWithSegments("/api"))
        {
            return RateLimitPartition.GetNoLimiter("");
        }

        var limits = context.RequestServices.GetRequiredService<IOptions<ParleyLimits>>().Value;
        var user = context.User;
        var key = user.FindFirst(ApiKeyAuthentication.TenantClaim)?.Value is { } tenant ? $"tenant:{tenant}"
            : user.IsInRole(ApiKeyAuthentication.AdminRole) ? "admin"
            : $"address:{context.Connection.RemoteIpAddress}";
        // Refilled every second at a sixtieth of the minute's rate (or one token at a time for slow rates).
        var perMinute = limits.ApiRequestsPerMinute;
        return RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = limits.ApiBurst,
            TokensPerPeriod = perMinute >= 60 ? perMinute / 60 : 1,
            ReplenishmentPeriod = perMinute >= 60 ? TimeSpan.FromSeconds(1) : TimeSpan.FromMinutes(1) / perMinute,
            QueueLimit = 0,
            AutoReplenishment = true,
        });
    }

    private static async ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        var limits = context.RequestServices.GetRequiredService<IOptions<ParleyLimits>>().Value;
        var wait = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromMinutes(1) / limits.ApiRequestsPerMinute;
        context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        await TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests",
                detail: $"This key may make {limits.ApiRequestsPerMinute} API requests a minute, with bursts of {limits.ApiBurst} (Parley:Limits:ApiRequestsPerMinute, ApiBurst); wait as Retry-After says.")
            .ExecuteAsync(context);
    }
}
