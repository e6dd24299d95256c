using System.Net.Mail;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Parley.Accounts;
using Parley.Data;

namespace Parley.Web;

/// <summary>Creating people: a new business with its owner, or a teammate invited by the owner.</summary>
public sealed class SignUp(ParleyDb db, IPasswordHasher<User> hasher, TimeProvider time)
{
    public const int MinPasswordLength = 10;

    public sealed record Created(User User, string ApiKey);

    /// <summary>A new business starts on the Free plan with A2P not started: the platform decides plans and
    /// registration, so nobody gets AI replies or carrier traffic by signing up alone.</summary>
    public async Task<(Created? Created, Dictionary<string, string[]> Errors)> CreateBusinessAsync(
        string? businessName, string? email, string? password, string? timeZone, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var normalized = await ValidateAsync(email, password, errors, cancellationToken);
        var tenantResult = errors.Count > 0 ? null : await AdminApi.CreateAsync(
            new AdminApi.CreateTenant(businessName, Plan.Free, string.IsNullOrWhiteSpace(timeZone) ? "America/New_York" : timeZone.Trim(), A2pStatus.NotStarted, null),
            db, time, cancellationToken);
        if (tenantResult?.Result is ValidationProblem problem)
        {
            foreach (var (key, value) in problem.ProblemDetails.Errors)
            {
                errors[key == "name" ? "businessName" : key] = value;
            }
        }

        if (errors.Count > 0 || tenantResult?.Result is not Created<AdminApi.CreatedTenant> { Value: { } tenant })
        {
            if (errors.Count == 0 && businessName is null)
            {
                errors["businessName"] = ["A business name is required."];
            }

            return (null, errors);
        }

        var user = await AddUserAsync(tenant.Id, normalized!, password!, UserRole.Owner, cancellationToken);
        return (new Created(user, tenant.ApiKey), errors);
    }

    /// <summary>An owner adds a teammate with a temporary password to pass on.</summary>
    public async Task<(User? User, Dictionary<string, string[]> Errors)> InviteAsync(Guid tenantId, string? email, string? password, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var normalized = await ValidateAsync(email, password, errors, cancellationToken);
        return errors.Count > 0 ? (null, errors) : (await AddUserAsync(tenantId, normalized!, password!, UserRole.Member, cancellationToken), errors);
    }

    /// <summary>Finds the user across tenants (sign-in comes before any tenant is known) and checks the password.</summary>
    public async Task<User?> CheckPasswordAsync(string? email, string? password, CancellationToken cancellationToken)
    {
        var normalized = Normalize(email);
        if (normalized is null || string.IsNullOrEmpty(password))
        {
            return null;
        }

        var user = await db.Users.IgnoreQueryFilters().FirstOrDefaultAsync(u => u.Email == normalized, cancellationToken);
        if (user is null)
        {
            // Same work either way, so response time does not say which emails exist.
            hasher.HashPassword(new User { Email = normalized, PasswordHash = "" }, password);
            return null;
        }

        var verdict = hasher.VerifyHashedPassword(user, user.PasswordHash, password);
        if (verdict == PasswordVerificationResult.Failed)
        {
            return null;
        }

        if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
        {
            user.PasswordHash = hasher.HashPassword(user, password);
            await db.SaveChangesAsync(cancellationToken);
        }

        return user;
    }

    private async Task<string?> ValidateAsync(string? email, string? password, Dictionary<string, string[]> errors, CancellationToken cancellationToken)
    {
        var normalized = Normalize(email);
        if (normalized is null)
        {
            errors["email"] = ["Enter a valid email address."];
        }
        else if (await db.Users.IgnoreQueryFilters().AnyAsync(u => u.Email == normalized, cancellationToken))
        {
            errors["email"] = ["An account with this email already exists."];
        }

        if (password is null || password.Length < MinPasswordLength || password.Length > 200)
        {
            errors["password"] = [$"Use a password of at least {MinPasswordLength} characters."];
        }

        return normalized;
    }

    private async Task<User> AddUserAsync(Guid tenantId, string email, string password, UserRole role, CancellationToken cancellationToken)
    {
        var user = new User
        {
            Id = Guid.CreateVersion7(),
            TenantId = tenantId,
            Email = email,
            PasswordHash = "",
            Role = role,
            CreatedAtUtc = time.GetUtcNow().UtcDateTime,
        };
        user.PasswordHash = hasher.HashPassword(user, password);
        db.Users.Add(user);
        await db.SaveChangesAsync(cancellationToken);
        return user;
    }

    public static string? Normalize(string? email)
    {
        var trimmed = email?.Trim().ToLowerInvariant();
        return trimmed is { Length: > 3 and <= 254 } && MailAddress.TryCreate(trimmed, out var address) && address.Address == trimmed && trimmed.Contains('.', StringComparison.Ordinal)
            ? trimmed
            : null;
    }
}
