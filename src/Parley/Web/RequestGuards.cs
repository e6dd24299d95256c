using System.Text.Json.Serialization;
using Parley.Accounts;
using Parley.Conversations;

namespace Parley.Web;

/// <summary>What stands between a request and the handlers: rate limits on <c>/api</c>, the event-stream caps,
/// the text check every input passes, defined enum values only, and API keys kept to the API.</summary>
public static class RequestGuards
{
    public static void AddRequestGuards(this IServiceCollection services)
    {
        services.AddApiRateLimits();
        services.AddSingleton<EventStreamGate>();
        // Enums by name only, as the contract says: a number ("plan": 99, or even 2) is a 400, so no value the enum does
        // not define is ever stored. Placed first, it takes precedence over the permissive converter.
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Insert(0, new JsonStringEnumConverter(allowIntegerValues: false)));
    }

    /// <summary>After authentication (limits are per key), before the endpoints.</summary>
    public static void UseRequestGuards(this IApplicationBuilder app)
    {
        app.UseRateLimiter();
        app.Use(RefuseBearerOnPagesAsync);
        app.UseTextInputValidation();
    }

    /// <summary>The dashboard's pages and forms belong to a signed-in person (cookie); a bearer key there gets a clear
    /// 401 rather than reaching a handler that needs a user.</summary>
    private static async Task RefuseBearerOnPagesAsync(HttpContext context, RequestDelegate next)
    {
        var path = context.Request.Path;
        var apiSide = path.StartsWithSegments("/api") || path.StartsWithSegments("/webhooks") || path.StartsWithSegments("/health")
            || path.StartsWithSegments("/openapi") || path.StartsWithSegments("/docs");
        if (!apiSide && context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            await TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "API keys are for the API",
                detail: "Dashboard pages and forms need a signed-in person: sign in at /signin. With an API key, use the /api endpoints.").ExecuteAsync(context);
            return;
        }

        await next(context);
    }
}
