using Microsoft.AspNetCore.Http.HttpResults;

namespace Parley.Diagnostics;

/// <summary><c>GET /api/diagnostics</c>: the Settings → Diagnostics page's findings, for API clients too.</summary>
public static class DiagnosticsApi
{
    public static void AddDiagnostics(this IServiceCollection services) => services.AddScoped<TenantDiagnostics>();

    public static void MapDiagnosticsApi(this RouteGroupBuilder api) =>
        api.MapGet("/diagnostics", GetAsync).WithName("GetDiagnostics")
            .WithSummary("Why the agent may not be replying: the carrier and its key, each number's last webhook, recent webhook events and send errors, the model's last error, and the gates closed now.");

    internal static async Task<Ok<DiagnosticsView>> GetAsync(TenantDiagnostics diagnostics, CancellationToken cancellationToken) =>
        TypedResults.Ok(await diagnostics.ReadAsync(cancellationToken));
}
