using System.Globalization;
using System.Text.RegularExpressions;

namespace Parley.Agent.Rules;

/// <summary>
/// Reads a texter's ask to be texted again later ("text me next week", "try me again tomorrow afternoon",
/// "hit me up in a few days") into the local wall-clock time to follow up. Pure: the same text and "now"
/// always give the same answer. Null when the text asks for no later contact, or names no time
/// ("text me later" leaves it to the assistant's own schedule). Vague periods land on a business hour:
/// "next week" is the coming Monday, "next month" the 1st, a day without a time ("tomorrow", "Friday")
/// 10:00, "this weekend" Saturday 10:00; exact times ("tomorrow afternoon", "Friday at 2", "in 2 hours")
/// are read by <see cref="TimeExpressionParser"/>.
/// </summary>
public static partial class FollowUpRequest
{
    private static readonly TimeSpan BusinessHour = TimeSpan.FromHours(10);

    public static DateTime? Read(string text, DateTime localNow)
    {
        ArgumentNullException.ThrowIfNull(text);
        var normalized = TextNormalizer.Normalize(text);
        if (!AsksForLaterContact().IsMatch(normalized) || Refusal().IsMatch(normalized))
        {
            return null;
        }

        var today = localNow.Date;
        if (Period().Match(normalized) is { Success: true } period)
        {
            return DateTime.SpecifyKind(PeriodStart(period, today) + BusinessHour, localNow.Kind);
        }

        if (TimeExpressionParser.Parse(normalized, localNow) is { } exact)
        {
            return exact;
        }

        if (Tomorrow().IsMatch(normalized))
        {
            return DateTime.SpecifyKind(today.AddDays(1) + BusinessHour, localNow.Kind);
        }

        if (Weekday().Match(normalized) is { Success: true } weekday)
        {
            var day = Enum.Parse<DayOfWeek>(weekday.Groups["day"].Value, ignoreCase: true);
            var ahead = ((int)day - (int)today.DayOfWeek + 7) % 7;
            return DateTime.SpecifyKind(today.AddDays(ahead == 0 ? 7 : ahead) + BusinessHour, localNow.Kind);
        }

        return null;
    }

    private static DateTime PeriodStart(Match period, DateTime today)
    {
        if (period.Groups["unit"].Success)
        {
            var count = Count(period.Groups["count"].Value);
            return period.Groups["unit"].Value.StartsWith('w') ? today.AddDays(7 * count)
                : period.Groups["unit"].Value.StartsWith('m') ? today.AddMonths(count)
                : today.AddDays(count);
        }

        var words = period.Value;
        if (words.Contains("month", StringComparison.Ordinal))
        {
            var next = today.AddMonths(1);
            return new DateTime(next.Year, next.Month, 1, 0, 0, 0, today.Kind);
        }

        if (words.Contains("weekend", StringComparison.Ordinal))
        {
            var toSaturday = ((int)DayOfWeek.Saturday - (int)today.DayOfWeek + 7) % 7;
            return today.AddDays(toSaturday == 0 ? 1 : toSaturday); // on a Saturday, the rest of it: Sunday
        }

        // "next week": the coming Monday (a week from today when today is Monday).
        var toMonday = ((int)DayOfWeek.Monday - (int)today.DayOfWeek + 7) % 7;
        return today.AddDays(toMonday == 0 ? 7 : toMonday);
    }

    private static int Count(string value) => value switch
    {
        "" or "a" or "an" or "one" => 1,
        "a couple of" or "a couple" or "couple of" or "couple" or "two" => 2,
        "a few" or "few" or "three" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        _ => Math.Clamp(int.Parse(value, CultureInfo.InvariantCulture), 1, 365),
    };

    // "text me", "try me again", "hit me up", "reach out", "check back", "ask me again", "circle back"…
    [GeneratedRegex(@"\b(?:(?:text|txt|msg|message|ping|try|hit|contact|bug|remind)\ (?:me|us)|reach\ (?:out|back)|check\ (?:back|in)|get\ back\ to\ me|circle\ back|follow\ up|ask\ (?:me\ )?again|try\ again|talk\ (?:later|then|next|in|on|tomorrow)|get\ in\ touch)\b",
        RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex AsksForLaterContact();

    [GeneratedRegex(@"\b(?:dont|do\ not|never|stop|no\ need\ to)\ (?:\w+\ )?(?:text|txt|msg|message|contact|reach|try|hit|bug)\w*\b", RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex Refusal();

    [GeneratedRegex(@"\b(?:next\ (?:week|wk|month)|(?:this|the|next)\ (?:coming\ )?weekend|in\ (?:(?<count>\d{1,3}|a\ couple\ of|a\ couple|couple\ of|couple|a\ few|few|a|an|one|two|three|four|five|six)\ )?(?<unit>days?|weeks?|wks?|months?))\b",
        RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex Period();

    [GeneratedRegex(@"\btomorrow\b")]
    private static partial Regex Tomorrow();

    [GeneratedRegex(@"\b(?<day>monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b")]
    private static partial Regex Weekday();
}
