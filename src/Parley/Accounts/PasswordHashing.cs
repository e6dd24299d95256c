using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Parley.Accounts;

/// <summary>
/// Every password hash and check goes through here: at most <see cref="SignInLimitOptions.MaxConcurrentHashes"/>
/// at once, the rest waiting without holding a thread, and those that wait too long told to try again. A
/// flood of sign-ins then slows sign-ins, not every tenant's API.
/// </summary>
public sealed class PasswordHashing(IPasswordHasher<User> hasher, IOptions<SignInLimitOptions> options) : IDisposable
{
    private readonly SemaphoreSlim slots = new(options.Value.MaxConcurrentHashes, options.Value.MaxConcurrentHashes);

    /// <summary>Thrown when no hashing slot came free in time.</summary>
    public sealed class BusyException() : Exception("Too many sign-ins are being checked at once.");

    public Task<string> HashAsync(User user, string password, CancellationToken cancellationToken) =>
        RunAsync(() => hasher.HashPassword(user, password), cancellationToken);

    public Task<PasswordVerificationResult> VerifyAsync(User user, string password, CancellationToken cancellationToken) =>
        RunAsync(() => hasher.VerifyHashedPassword(user, user.PasswordHash, password), cancellationToken);

    private async Task<T> RunAsync<T>(Func<T> work, CancellationToken cancellationToken)
    {
        if (!await slots.WaitAsync(options.Value.HashQueueTimeout, cancellationToken))
        {
            throw new BusyException();
        }

        try
        {
            return work();
        }
        finally
        {
            slots.Release();
        }
    }

    public void Dispose() => slots.Dispose();
}
