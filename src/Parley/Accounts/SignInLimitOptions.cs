using Microsoft.Extensions.Options;

namespace Parley.Accounts;

/// <summary>Bound from <c>Parley:SignIn</c>: how many wrong passwords lock an email or an address out, and
/// for how long; how many passwords are hashed at once; how long a session check is trusted.</summary>
public sealed class SignInLimitOptions
{
    public const string Section = "Parley:SignIn";

    /// <summary>Wrong passwords for one email within <see cref="FailureWindow"/> before it is locked.</summary>
    public int MaxFailuresPerAccount { get; set; } = 5;

    /// <summary>Wrong passwords from one client address, across all emails, before that address is locked.</summary>
    public int MaxFailuresPerAddress { get; set; } = 20;

    public TimeSpan FailureWindow { get; set; } = TimeSpan.FromMinutes(15);

    public TimeSpan Lockout { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Password hashes computed at once across the instance; the rest wait, so sign-ins cannot take
    /// every core from the API.</summary>
    public int MaxConcurrentHashes { get; set; } = Math.Max(1, Environment.ProcessorCount / 2);

    /// <summary>How long a sign-in waits for a hashing slot before it is told to try again.</summary>
    public TimeSpan HashQueueTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a session found valid is trusted before the database is asked again; a sign-out on
    /// this instance takes effect at once, on another instance within this time.</summary>
    public TimeSpan SessionCheckInterval { get; set; } = TimeSpan.FromSeconds(30);
}

internal sealed class SignInLimitOptionsValidator : IValidateOptions<SignInLimitOptions>
{
    public ValidateOptionsResult Validate(string? name, SignInLimitOptions options)
    {
        var errors = new List<string>();
        if (options.MaxFailuresPerAccount < 1)
        {
            errors.Add($"{SignInLimitOptions.Section}:MaxFailuresPerAccount must be at least 1.");
        }

        if (options.MaxFailuresPerAddress < 1)
        {
            errors.Add($"{SignInLimitOptions.Section}:MaxFailuresPerAddress must be at least 1.");
        }

        if (options.FailureWindow <= TimeSpan.Zero || options.Lockout <= TimeSpan.Zero)
        {
            errors.Add($"{SignInLimitOptions.Section}:FailureWindow and Lockout must be positive durations (00:15:00).");
        }

        if (options.MaxConcurrentHashes < 1)
        {
            errors.Add($"{SignInLimitOptions.Section}:MaxConcurrentHashes must be at least 1.");
        }

        if (options.HashQueueTimeout < TimeSpan.Zero || options.SessionCheckInterval < TimeSpan.Zero)
        {
            errors.Add($"{SignInLimitOptions.Section}:HashQueueTimeout and SessionCheckInterval cannot be negative.");
        }

        return OptionsValidators.Result(errors);
    }
}
