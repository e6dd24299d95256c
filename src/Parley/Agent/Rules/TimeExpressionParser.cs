using System.Globalization;
using System.Text.RegularExpressions;

namespace Parley.Agent.Rules;

/// <summary>
/// Reads a callback time out of natural English, relative to the tenant's local wall-clock. Pure: the same
/// text and "now" always give the same answer. The rules for ambiguous times:
/// <list type="bullet">
/// <item>A bare hour with no am/pm and no part of day ("at 10", "tmrw 3") is read in business hours:
/// 1–7 are PM, 8–11 are AM, 12 is noon. "4:30" follows the same rule; "15:00" is 24-hour.</item>
/// <item>A part of day turns a bare hour: "morning at 10" is AM, "afternoon around 2" / "tonight at 8" are PM.
/// Alone it means a default hour, but only with a day: morning 9:00, afternoon 14:00, evening / tonight /
/// night 18:00 ("next Monday morning", "this evening"). "Mornings are better" names no day and gives null.
/// "noon", "midday" and "lunchtime" are 12:00.</item>
/// <item>No day named: today if the time is still ahead, otherwise the same time tomorrow.</item>
/// <item>"today" / "this afternoon" with a time already past gives null: there is no sensible reading.</item>
/// <item>A weekday means the next such day; today's own name means today if the time is still ahead,
/// otherwise a week from today. "next Monday" and "this Monday" are the coming Monday (as "Monday");
/// "next" only differs on the day itself, where it means a week from today.</item>
/// <item>A month/day date without a year ("11/25", "Nov 25", "the 25th") is this year's, or next year's once
/// it has passed; that day with a time already past gives null.</item>
/// <item>"in 2 hours", "in 30 minutes" are added to now, seconds dropped.</item>
/// <item>Time-zone words ("3pm EST") are ignored: every time is the tenant's local time.</item>
/// <item>Anything in the past ("yesterday", "3 days ago") or only vague ("next week", "this weekend"),
/// or a day without any time ("tomorrow") gives null.</item>
/// </list>
/// </summary>
public static partial class TimeExpressionParser
{
    private const string DayMarker = "xdayx";

    public static DateTime? Parse(string text, DateTime localNow) =>
        ParseNormalized(TextNormalizer.Normalize(text), localNow);

    /// <summary>True when the normalised text names a day (or a vaguer period) without necessarily a time.</summary>
    internal static bool MentionsDay(string normalized) => DayWords().IsMatch(normalized);

    internal static DateTime? ParseNormalized(string normalized, DateTime localNow)
    {
        try
        {
            return Resolve(normalized, localNow);
        }
        catch (ArgumentOutOfRangeException)
        {
            // A date past the end of the calendar (year 9999) is no callback time.
            return null;
        }
    }

    private static DateTime? Resolve(string normalized, DateTime localNow)
    {
        if (normalized.Length == 0 || PastReference().IsMatch(normalized))
        {
            return null;
        }

        var now = new DateTime(localNow.Year, localNow.Month, localNow.Day, localNow.Hour, localNow.Minute, 0, localNow.Kind);
        var relative = Relative().Match(normalized);
        if (relative.Success)
        {
            return RelativeTo(now, relative);
        }

        var text = Greetings().Replace(ShortDayName().Replace(normalized, ExpandShortDayName), " ");
        var (day, rest) = FindDay(text, now);
        if (day.Kind == DayKind.None && VaguePeriod().IsMatch(rest))
        {
            return null;
        }

        var partOfDay = FindPartOfDay(rest);
        var clock = FindClock(rest, partOfDay);
        if (clock is null)
        {
            if (partOfDay is PartOfDay.None || day.Kind == DayKind.None)
            {
                return null;
            }

            clock = new TimeOnly(DefaultHour(partOfDay), 0);
        }

        return Combine(day, clock.Value, now);
    }

    private static DateTime? Combine(DayRef day, TimeOnly clock, DateTime now)
    {
        var at = day.Date.Date + clock.ToTimeSpan();
        at = DateTime.SpecifyKind(at, now.Kind);
        return day.Kind switch
        {
            DayKind.None => at > now ? at : at.AddDays(1),
            DayKind.Weekday => at > now ? at : at.AddDays(7),
            DayKind.Exact => at > now ? at : null,
            _ => null,
        };
    }

    private static DateTime? RelativeTo(DateTime now, Match match)
    {
        var amount = match.Groups["amount"].Value;
        var minutes = amount switch
        {
            "a" or "an" or "one" => 1.0,
            "half an" or "a half" => 0.5,
            "a couple of" or "a couple" or "couple of" or "couple" or "two" => 2,
            "three" => 3,
            "four" => 4,
            "five" => 5,
            "six" => 6,
            "ten" => 10,
            "fifteen" => 15,
            "twenty" => 20,
            "thirty" => 30,
            "forty" => 40,
            "forty five" => 45,
            "fifty" => 50,
            _ => int.Parse(amount, CultureInfo.InvariantCulture),
        };
        var isHours = match.Groups["unit"].Value.StartsWith('h');
        if (isHours)
        {
            minutes *= 60;
        }

        return minutes is > 0 and <= 72 * 60 ? now.AddMinutes(minutes) : null;
    }

    [GeneratedRegex(@"\b(?:yesterday|ago|last\ (?:night|week|month|year|time|" + Weekdays + @"))\b", RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex PastReference();

    [GeneratedRegex(@"\b(?:weekend|weekends|week|weeks|month|months|year|years)\b")]
    private static partial Regex VaguePeriod();

    [GeneratedRegex(@"\b(?:today|tonight|tomorrow|weekend|week|morning|afternoon|evening|noon|" + Weekdays + @")s?\b")]
    private static partial Regex DayWords();

    [GeneratedRegex(@"\bgood\ (?:morning|afternoon|evening|night)\b", RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex Greetings();

    [GeneratedRegex("""
        \bin\ (?:about\ |like\ |around\ |maybe\ )?
        (?<amount>[0-9]{1,3}|half\ an|a\ couple\ of|a\ couple|couple\ of|couple|an|a|one|two|three|four|five|six|ten
            |fifteen|twenty|thirty|forty\ five|forty|fifty)
        \ ?(?<unit>hours?|hrs?|minutes?|mins?)\b
        """, RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex Relative();

    private enum DayKind
    {
        None,
        Exact,
        Weekday,
        Invalid,
    }

    private enum PartOfDay
    {
        None,
        Morning,
        Afternoon,
        Evening,
    }

    private readonly record struct DayRef(DayKind Kind, DateTime Date)
    {
        public static DayRef Invalid => new(DayKind.Invalid, DateTime.MinValue);
    }
}
