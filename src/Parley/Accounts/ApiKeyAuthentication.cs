using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Data;

namespace Parley.Accounts;

/// <summary>Bearer API keys: the platform admin key from configuration, or a tenant's key.</summary>
public sealed class ApiKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    ParleyDb db,
    IOptions<ParleyOptions> parley) : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string TenantClaim = "tenant_id";
    public const string AdminRole = "PlatformAdmin";
    public const string AdminPolicy = "PlatformAdmin";
    public const string TenantPolicy = "Tenant";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (header is null || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        var key = header["Bearer ".Length..].Trim();
        if (key.Length is 0 or > 200)
        {
            return AuthenticateResult.Fail("Malformed API key.");
        }

        var adminKey = parley.Value.AdminApiKey;
        if (!string.IsNullOrEmpty(adminKey) && ApiKeys.FixedTimeEquals(key, adminKey))
        {
            return Success(new Claim(ClaimTypes.Role, AdminRole));
        }

        var hash = ApiKeys.Hash(key);
        var tenantId = await db.Tenants.Where(t => t.ApiKeyHash == hash).Select(t => (Guid?)t.Id).FirstOrDefaultAsync(Context.RequestAborted);
        return tenantId is { } id
            ? Success(new Claim(TenantClaim, id.ToString()))
            : AuthenticateResult.Fail("Unknown API key.");
    }

    private static AuthenticateResult Success(Claim claim)
    {
        var identity = new ClaimsIdentity([claim], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        await Results.Problem(statusCode: 401, title: "Unauthorized",
            detail: "Send 'Authorization: Bearer <API key>' with a valid key.").ExecuteAsync(Context);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        await Results.Problem(statusCode: 403, title: "Forbidden", detail: "This key cannot use this endpoint.").ExecuteAsync(Context);
    }
}

/// <summary>Sets the request's <see cref="TenantScope"/> from the authenticated tenant key.</summary>
public static class TenantScopeMiddleware
{
    public static IApplicationBuilder UseTenantScope(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (context.User.FindFirst(ApiKeyAuthentication.TenantClaim)?.Value is { } value && Guid.TryParse(value, out var tenantId))
        {
            context.RequestServices.GetRequiredService<TenantScope>().TenantId = tenantId;
        }

        await next(context);
    });

    public static Guid TenantId(this TenantScope scope) =>
        scope.TenantId ?? throw new InvalidOperationException("No tenant in scope.");
}
