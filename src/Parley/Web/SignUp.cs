using System.Net.Mail;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Parley.Accounts;
using Parley.Data;

namespace Parley.Web;

/// <summary>Creating people: a new business with its owner, or a teammate invited by the owner; and
/// changing one's own password. New passwords follow <see cref="PasswordPolicy"/>.</summary>
public sealed partial class SignUp(ParleyDb db, PasswordHashing hashing, TimeProvider time, ILogger<SignUp> logger)
{
    public const int MinPasswordLength = PasswordPolicy.MinLength;

    /// <summary>A new business starts on the Free plan with A2P not started: the platform decides plans and
    /// registration, so nobody gets AI replies or carrier traffic by signing up alone.</summary>
    /// <remarks>An email that already has an account gets the same answer as a new one, after the same
    /// password hashing, and nothing is created or changed: sign-up never says which emails have accounts.
    /// Neither case signs in; the person signs in next with the password they chose, which opens the new
    /// business, or their existing account if the password is that account's.</remarks>
    public async Task<Dictionary<string, string[]>> CreateBusinessAsync(
        string? businessName, string? email, string? password, string? timeZone, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var normalized = Normalize(email);
        if (normalized is null)
        {
            errors["email"] = ["Enter a valid email address."];
        }

        if (string.IsNullOrWhiteSpace(businessName) || businessName.Trim().Length > 200)
        {
            errors["businessName"] = ["A name of 1 to 200 characters is required."];
        }

        var zone = string.IsNullOrWhiteSpace(timeZone) ? "America/New_York" : timeZone.Trim();
        if (!TimeZones.IsKnown(zone))
        {
            errors["timeZone"] = [$"'{zone}' is not an IANA time zone such as America/Toronto."];
        }

        if (PasswordPolicy.Check(password, normalized ?? email, businessName) is { } weak)
        {
            errors["password"] = [weak];
        }

        if (errors.Count > 0)
        {
            return errors;
        }

        var user = NewUser(Guid.Empty, normalized!, UserRole.Owner);
        user.PasswordHash = await hashing.HashAsync(user, password!, cancellationToken);
        if (await db.Users.IgnoreQueryFilters().AnyAsync(u => u.Email == normalized, cancellationToken))
        {
            LogExistingEmail(logger);
            return errors;
        }

        var tenantResult = await AdminApi.CreateAsync(new AdminApi.CreateTenant(businessName, Plan.Free, zone, A2pStatus.NotStarted, null), db, time, cancellationToken);
        if (tenantResult.Result is not Created<AdminApi.CreatedTenant> { Value: { } tenant })
        {
            throw new InvalidOperationException("A business that passed sign-up's checks was refused.");
        }

        user.TenantId = tenant.Id;
        db.Users.Add(user);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (UniqueViolation.Matches(ex))
        {
            // The same email signed up twice at once: the first keeps it, this one gets the same answer.
            db.Users.Entry(user).State = EntityState.Detached;
            await db.Tenants.Where(t => t.Id == tenant.Id).ExecuteDeleteAsync(cancellationToken);
        }

        return errors;
    }

    /// <summary>An owner adds a teammate with a temporary password to pass on.</summary>
    public async Task<(User? User, Dictionary<string, string[]> Errors)> InviteAsync(Guid tenantId, string? email, string? password, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var normalized = Normalize(email);
        if (normalized is null)
        {
            errors["email"] = ["Enter a valid email address."];
        }
        else if (await db.Users.IgnoreQueryFilters().AnyAsync(u => u.Email == normalized, cancellationToken))
        {
            errors["email"] = ["An account with this email already exists."];
        }

        var business = await db.Tenants.Where(t => t.Id == tenantId).Select(t => t.Name).FirstOrDefaultAsync(cancellationToken);
        if (PasswordPolicy.Check(password, normalized ?? email, business) is { } weak)
        {
            errors["password"] = [weak];
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        var user = NewUser(tenantId, normalized!, UserRole.Member);
        user.PasswordHash = await hashing.HashAsync(user, password!, cancellationToken);
        db.Users.Add(user);
        await db.SaveChangesAsync(cancellationToken);
        return (user, errors);
    }

    /// <summary>The signed-in person changes their own password, proving the current one first.</summary>
    public async Task<Dictionary<string, string[]>> ChangePasswordAsync(Guid userId, string? current, string? replacement, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var user = await db.Users.IgnoreQueryFilters().FirstAsync(u => u.Id == userId, cancellationToken);
        if (string.IsNullOrEmpty(current) || current.Length > PasswordPolicy.MaxLength
            || await hashing.VerifyAsync(user, current, cancellationToken) == Microsoft.AspNetCore.Identity.PasswordVerificationResult.Failed)
        {
            errors["current"] = ["That is not your current password."];
            return errors;
        }

        var business = await db.Tenants.Where(t => t.Id == user.TenantId).Select(t => t.Name).FirstOrDefaultAsync(cancellationToken);
        if (PasswordPolicy.Check(replacement, user.Email, business) is { } weak)
        {
            errors["password"] = [weak];
            return errors;
        }

        user.PasswordHash = await hashing.HashAsync(user, replacement!, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return errors;
    }

    private User NewUser(Guid tenantId, string email, UserRole role) => new()
    {
        Id = Guid.CreateVersion7(),
        TenantId = tenantId,
        Email = email,
        PasswordHash = "",
        Role = role,
        CreatedAtUtc = time.GetUtcNow().UtcDateTime,
    };

    public static string? Normalize(string? email)
    {
        var trimmed = email?.Trim().ToLowerInvariant();
        return trimmed is { Length: > 3 and <= 254 } && MailAddress.TryCreate(trimmed, out var address) && address.Address == trimmed && trimmed.Contains('.', StringComparison.Ordinal)
            ? trimmed
            : null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sign-up for an email that already has an account; nothing was created")]
    private static partial void LogExistingEmail(ILogger logger);
}
