using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Parley.Data;

namespace Parley.Accounts;

/// <summary>Checks an email and password, behind the throttle and the bounded hashing: a locked email or
/// address is refused before any hashing, and an email without an account costs the same hashing as one
/// with, so neither the answer nor its time says which emails exist.</summary>
public sealed class PasswordSignIn(ParleyDb db, PasswordHashing hashing, SignInThrottle throttle, IPasswordHasher<User> hasher)
{
    public abstract record Result;

    public sealed record SignedIn(User User) : Result;

    public sealed record Refused : Result;

    public sealed record LockedOut(TimeSpan RetryAfter) : Result;

    public sealed record Busy : Result;

    /// <summary>The hash every unknown email is checked against: real work, never a match.</summary>
    private readonly Lazy<string> decoy = new(() => hasher.HashPassword(new User { Email = "", PasswordHash = "" }, Guid.NewGuid().ToString()));

    public async Task<Result> CheckAsync(string? email, string? password, string? address, CancellationToken cancellationToken)
    {
        var account = Web.SignUp.Normalize(email) ?? (email ?? "").Trim().ToLowerInvariant();
        if (account.Length > 254)
        {
            account = account[..254];
        }

        if (throttle.LockedFor(account, address) is { } locked)
        {
            return new LockedOut(locked);
        }

        if (string.IsNullOrEmpty(password) || password.Length > PasswordPolicy.MaxLength)
        {
            throttle.RecordFailure(account, address);
            return new Refused();
        }

        var user = account.Length == 0 ? null : await db.Users.IgnoreQueryFilters().FirstOrDefaultAsync(u => u.Email == account, cancellationToken);
        PasswordVerificationResult verdict;
        try
        {
            verdict = await hashing.VerifyAsync(user ?? new User { Email = account, PasswordHash = decoy.Value }, password, cancellationToken);
        }
        catch (PasswordHashing.BusyException)
        {
            return new Busy();
        }

        if (user is null || verdict == PasswordVerificationResult.Failed)
        {
            throttle.RecordFailure(account, address);
            return throttle.LockedFor(account, address) is { } now ? new LockedOut(now) : new Refused();
        }

        throttle.RecordSuccess(account);
        if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
        {
            user.PasswordHash = await hashing.HashAsync(user, password, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
        }

        return new SignedIn(user);
    }
}
