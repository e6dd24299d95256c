namespace Parley.Tests.Infrastructure;

/// <summary>A fixed-offset time zone where it is early afternoon now. A contact saved with it is inside every quiet-hours
/// window whenever a test runs on the real clock (a contact's own zone overrides the area code's).</summary>
public static class Afternoon
{
    public static string Zone()
    {
        var offset = 13 - DateTime.UtcNow.Hour; // −10 … +13 hours
        return offset switch
        {
            0 => "Etc/GMT",
            > 0 => $"Etc/GMT-{offset}", // POSIX names: the sign is inverted
            _ => $"Etc/GMT+{-offset}",
        };
    }
}
