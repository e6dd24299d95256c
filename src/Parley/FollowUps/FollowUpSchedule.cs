using System.Globalization;

namespace Parley.FollowUps;

/// <summary>An assistant's follow-up schedule: the hours of quiet before each follow-up, each counted from the
/// agent's previous text (so 1, 24, 72 texts an hour after the agent's reply, a day after that, three days after
/// that). Stored as a comma-separated list.</summary>
public static class FollowUpSchedule
{
    public const int MaxSteps = 5;
    public const int MaxHours = 24 * 90;

    public static IReadOnlyList<int> Parse(string? stored) =>
        string.IsNullOrWhiteSpace(stored) ? [] : stored.Split(',').Select(h => int.Parse(h, CultureInfo.InvariantCulture)).ToList();

    public static string? Store(IReadOnlyList<int> hours) =>
        hours.Count == 0 ? null : string.Join(',', hours.Select(h => h.ToString(CultureInfo.InvariantCulture)));

    /// <summary>The error to show for a schedule Parley will not keep, else null.</summary>
    public static string? Validate(IReadOnlyList<int> hours) =>
        hours.Count > MaxSteps || hours.Any(h => h is < 1 or > MaxHours)
            ? $"At most {MaxSteps} follow-ups, each 1 to {MaxHours} hours after the text before it."
            : null;
}
