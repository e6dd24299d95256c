using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Parley.Data;

namespace Parley.Accounts;

/// <summary>
/// Server-side sessions behind the dashboard cookie. Signing in writes a <see cref="UserSession"/> and puts
/// its id in the cookie; every request checks the session still exists (trusted for
/// <see cref="SignInLimitOptions.SessionCheckInterval"/> once found); signing out deletes it, so a copy of the
/// cookie stops working too. A platform-admin cookie also carries a fingerprint of the admin key and stops
/// working once the key is changed.
/// </summary>
public sealed class SignInSessions(ParleyDb db, SignInSessionCache cache, IOptions<SignInLimitOptions> options, IOptions<ParleyOptions> parley, TimeProvider time)
{
    public const string SessionClaim = "sid";
    public const string AdminKeyClaim = "admin_key";

    /// <summary>As long as the cookie itself lives; a session unseen for this long is deleted.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(7);

    private static readonly TimeSpan LastSeenPrecision = TimeSpan.FromHours(1);

    public async Task SignInAsync(HttpContext http, User user)
    {
        var session = await StartAsync(user.Id, http.RequestAborted);
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, Principal(
            session,
            new Claim(ClaimTypes.NameIdentifier, user.Id.ToString()),
            new Claim(ClaimTypes.Name, user.Email),
            new Claim(ClaimTypes.Role, user.Role.ToString()),
            new Claim(ApiKeyAuthentication.TenantClaim, user.TenantId.ToString())));
    }

    /// <summary>The platform operator signs in to the admin pages with the admin API key; the cookie then
    /// carries the admin role, no tenant, and which key it was.</summary>
    public async Task SignInAdminAsync(HttpContext http)
    {
        var session = await StartAsync(null, http.RequestAborted);
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, Principal(
            session,
            new Claim(ClaimTypes.Name, "Platform admin"),
            new Claim(ClaimTypes.Role, ApiKeyAuthentication.AdminRole),
            new Claim(AdminKeyClaim, AdminKeyFingerprint(parley.Value.AdminApiKey))));
    }

    /// <summary>Ends this browser's session, and with it every copy of its cookie.</summary>
    public async Task SignOutAsync(HttpContext http)
    {
        if (SessionId(http.User) is { } id)
        {
            await db.Sessions.Where(s => s.Id == id).ExecuteDeleteAsync(http.RequestAborted);
            cache.Forget(id);
        }

        await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
    }

    /// <summary>Ends every other session of the signed-in user; returns how many.</summary>
    public async Task<int> SignOutOthersAsync(ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        if (SessionId(principal) is not { } current || UserId(principal) is not { } userId)
        {
            return 0;
        }

        var others = await db.Sessions.Where(s => s.UserId == userId && s.Id != current).Select(s => s.Id).ToListAsync(cancellationToken);
        await db.Sessions.Where(s => s.UserId == userId && s.Id != current).ExecuteDeleteAsync(cancellationToken);
        others.ForEach(cache.Forget);
        return others.Count;
    }

    public Task<int> CountAsync(ClaimsPrincipal principal, CancellationToken cancellationToken) =>
        UserId(principal) is { } userId ? db.Sessions.CountAsync(s => s.UserId == userId, cancellationToken) : Task.FromResult(0);

    /// <summary>Whether the cookie's session is still open (and, for the admin, signed in with today's key).</summary>
    public async Task<bool> IsValidAsync(ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        if (SessionId(principal) is not { } id)
        {
            return false;
        }

        if (principal.IsInRole(ApiKeyAuthentication.AdminRole)
            && (string.IsNullOrEmpty(parley.Value.AdminApiKey) || principal.FindFirstValue(AdminKeyClaim) != AdminKeyFingerprint(parley.Value.AdminApiKey)))
        {
            return false;
        }

        if (cache.IsKnownValid(id))
        {
            return true;
        }

        var lastSeen = await db.Sessions.Where(s => s.Id == id).Select(s => (DateTime?)s.LastSeenAtUtc).FirstOrDefaultAsync(cancellationToken);
        if (lastSeen is null)
        {
            return false;
        }

        var now = time.GetUtcNow().UtcDateTime;
        if (now - lastSeen > LastSeenPrecision)
        {
            await db.Sessions.Where(s => s.Id == id).ExecuteUpdateAsync(u => u.SetProperty(s => s.LastSeenAtUtc, now), cancellationToken);
        }

        cache.RememberValid(id, options.Value.SessionCheckInterval);
        return true;
    }

    private async Task<Guid> StartAsync(Guid? userId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var stale = now - Lifetime;
        await db.Sessions.Where(s => s.LastSeenAtUtc < stale).ExecuteDeleteAsync(cancellationToken);
        var session = new UserSession { Id = Guid.CreateVersion7(), UserId = userId, CreatedAtUtc = now, LastSeenAtUtc = now };
        db.Sessions.Add(session);
        await db.SaveChangesAsync(cancellationToken);
        return session.Id;
    }

    private static ClaimsPrincipal Principal(Guid session, params Claim[] claims) =>
        new(new ClaimsIdentity([.. claims, new Claim(SessionClaim, session.ToString())], CookieAuthenticationDefaults.AuthenticationScheme));

    private static Guid? SessionId(ClaimsPrincipal principal) =>
        Guid.TryParse(principal.FindFirstValue(SessionClaim), out var id) ? id : null;

    private static Guid? UserId(ClaimsPrincipal principal) =>
        Guid.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null;

    /// <summary>A one-way fingerprint: the cookie (readable by whoever holds the data-protection keys) never
    /// carries the key itself.</summary>
    private static string AdminKeyFingerprint(string? key) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes("parley-admin-session:" + key)))[..32];

    /// <summary>The cookie handler's per-request check.</summary>
    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var sessions = context.HttpContext.RequestServices.GetRequiredService<SignInSessions>();
        if (context.Principal is null || !await sessions.IsValidAsync(context.Principal, context.HttpContext.RequestAborted))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        }
    }
}

/// <summary>Sessions recently found valid, so most requests do not ask the database.</summary>
public sealed class SignInSessionCache : IDisposable
{
    private readonly MemoryCache valid = new(new MemoryCacheOptions { SizeLimit = 100_000 });

    public bool IsKnownValid(Guid id) => valid.TryGetValue(id, out _);

    public void RememberValid(Guid id, TimeSpan interval)
    {
        if (interval > TimeSpan.Zero)
        {
            valid.Set(id, true, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = interval });
        }
    }

    public void Forget(Guid id) => valid.Remove(id);

    public void Dispose() => valid.Dispose();
}
