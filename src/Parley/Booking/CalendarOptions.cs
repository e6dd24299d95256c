using Microsoft.Extensions.Options;

namespace Parley.Booking;

/// <summary>Bound from <c>Parley:Calendar</c>.</summary>
public sealed class CalendarOptions
{
    public const string Section = "Parley:Calendar";

    /// <summary>Where the Data Protection keys that encrypt calendar passwords (and sign-in cookies) are kept; a
    /// relative path is taken from the app folder.</summary>
    public string KeysFolder { get; set; } = Path.Combine("data", "keys");

    /// <summary>How long one call to a CalDAV server may take.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How often events moved or deleted on the calendar side are picked up.</summary>
    public TimeSpan SyncInterval { get; set; } = TimeSpan.FromMinutes(15);
}

public sealed class CalendarOptionsValidator : IValidateOptions<CalendarOptions>
{
    public ValidateOptionsResult Validate(string? name, CalendarOptions options)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.KeysFolder))
        {
            errors.Add("Parley:Calendar:KeysFolder must name a folder.");
        }

        if (options.RequestTimeout <= TimeSpan.Zero || options.RequestTimeout > TimeSpan.FromMinutes(2))
        {
            errors.Add("Parley:Calendar:RequestTimeout must be between 0 and 2 minutes.");
        }

        if (options.SyncInterval < TimeSpan.FromMinutes(1) || options.SyncInterval > TimeSpan.FromDays(1))
        {
            errors.Add("Parley:Calendar:SyncInterval must be between 00:01:00 and 1.00:00:00.");
        }

        return OptionsValidators.Result(errors);
    }
}
