using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Parley.Accounts;

/// <summary>
/// Counts wrong passwords per email and per client address and locks either out for a while once it has
/// too many. An email is counted whether or not it has an account, and a locked email is refused even with
/// the right password, so the lockout says nothing about which emails exist. Counts live in this instance's
/// memory (bounded in size); with several instances each counts its own share.
/// </summary>
public sealed class SignInThrottle(IOptions<SignInLimitOptions> options, TimeProvider time) : IDisposable
{
    private readonly MemoryCache counters = new(new MemoryCacheOptions { SizeLimit = 200_000 });

    /// <summary>How long the email or the address is still locked out, if it is.</summary>
    public TimeSpan? LockedFor(string account, string? address)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var longest = new[] { Find(AccountKey(account)), address is null ? null : Find(AddressKey(address)) }
            .Select(c => c?.LockedUntil(now) ?? TimeSpan.Zero).Max();
        return longest > TimeSpan.Zero ? longest : null;
    }

    public void RecordFailure(string account, string? address)
    {
        var settings = options.Value;
        Count(AccountKey(account), settings.MaxFailuresPerAccount);
        if (address is not null)
        {
            Count(AddressKey(address), settings.MaxFailuresPerAddress);
        }
    }

    /// <summary>The right password clears the email's count (not the address's: one good account does not
    /// excuse guessing at others).</summary>
    public void RecordSuccess(string account) => counters.Remove(AccountKey(account));

    private static string AccountKey(string account) => "account:" + account.Trim().ToLowerInvariant();

    private static string AddressKey(string address) => "address:" + address;

    private Counter? Find(string key) => counters.TryGetValue(key, out Counter? counter) ? counter : null;

    private void Count(string key, int max)
    {
        var settings = options.Value;
        var now = time.GetUtcNow().UtcDateTime;
        var counter = counters.GetOrCreate(key, entry =>
        {
            entry.Size = 1;
            entry.SlidingExpiration = settings.FailureWindow + settings.Lockout;
            return new Counter(now);
        })!;
        counter.Fail(now, max, settings.FailureWindow, settings.Lockout);
    }

    public void Dispose() => counters.Dispose();

    private sealed class Counter(DateTime windowStart)
    {
        private readonly Lock gate = new();
        private DateTime start = windowStart;
        private int failures;
        private DateTime lockedUntil;

        public TimeSpan LockedUntil(DateTime now)
        {
            lock (gate)
            {
                return lockedUntil - now;
            }
        }

        public void Fail(DateTime now, int max, TimeSpan window, TimeSpan lockout)
        {
            lock (gate)
            {
                if (now - start > window)
                {
                    start = now;
                    failures = 0;
                }

                failures++;
                if (failures >= max)
                {
                    lockedUntil = now + lockout;
                    start = now;
                    failures = 0;
                }
            }
        }
    }
}
