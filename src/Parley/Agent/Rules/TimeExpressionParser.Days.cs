using System.Globalization;
using System.Text.RegularExpressions;

namespace Parley.Agent.Rules;

/// <summary>The day a time expression names: a date, a weekday, today or tomorrow.</summary>
public static partial class TimeExpressionParser
{
    private static readonly string[] Months =
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

    private static (DayRef Day, string Remainder) FindDay(string text, DateTime now)
    {
        var today = now.Date;

        var numeric = NumericDate().Match(text);
        if (numeric.Success)
        {
            var month = int.Parse(numeric.Groups[1].Value, CultureInfo.InvariantCulture);
            var dayOfMonth = int.Parse(numeric.Groups[2].Value, CultureInfo.InvariantCulture);
            int? year = numeric.Groups[3].Success ? int.Parse(numeric.Groups[3].Value, CultureInfo.InvariantCulture) : null;
            if (year is < 100)
            {
                year += 2000;
            }

            return (DateOf(year, month, dayOfMonth, today), Mark(text, numeric));
        }

        var named = MonthDayDate().Match(text);
        if (named.Success)
        {
            var month = MonthNumber(named.Groups["month"].Value);
            var dayOfMonth = int.Parse(named.Groups["day"].Value, CultureInfo.InvariantCulture);
            return (DateOf(null, month, dayOfMonth, today), Mark(text, named));
        }

        var ordinal = OrdinalDay().Match(text);
        if (ordinal.Success)
        {
            var dayOfMonth = int.Parse(ordinal.Groups[1].Value, CultureInfo.InvariantCulture);
            var thisMonth = new DateTime(today.Year, today.Month, 1);
            var candidate = dayOfMonth >= today.Day ? thisMonth : thisMonth.AddMonths(1);
            return dayOfMonth <= DateTime.DaysInMonth(candidate.Year, candidate.Month)
                ? (new DayRef(DayKind.Exact, candidate.AddDays(dayOfMonth - 1)), Mark(text, ordinal))
                : (DayRef.Invalid, text);
        }

        var relativeDay = RelativeDay().Match(text);
        if (relativeDay.Success)
        {
            var offset = relativeDay.Value.StartsWith("day after", StringComparison.Ordinal) ? 2 : 1;
            return (new DayRef(DayKind.Exact, today.AddDays(offset)), Mark(text, relativeDay));
        }

        var todayWord = Today().Match(text);
        if (todayWord.Success)
        {
            // "tonight" / "this evening" keep their part-of-day word; only "today" / "this" become the marker.
            var rest = todayWord.Groups["word"].Success ? Mark(text, todayWord.Groups["word"]) : text;
            return (new DayRef(DayKind.Exact, today), rest);
        }

        var weekday = Weekday().Match(text);
        if (weekday.Success)
        {
            var target = Enum.Parse<DayOfWeek>(weekday.Groups["day"].Value, ignoreCase: true);
            var ahead = ((int)target - (int)today.DayOfWeek + 7) % 7;
            if (ahead == 0 && weekday.Groups["next"].Success)
            {
                ahead = 7;
            }

            return (new DayRef(DayKind.Weekday, today.AddDays(ahead)), Mark(text, weekday));
        }

        return (new DayRef(DayKind.None, today), text);
    }

    private static DayRef DateOf(int? year, int month, int dayOfMonth, DateTime today)
    {
        if (month is < 1 or > 12 || dayOfMonth < 1)
        {
            return DayRef.Invalid;
        }

        var y = year ?? today.Year;
        if (dayOfMonth > DateTime.DaysInMonth(y, month))
        {
            return DayRef.Invalid;
        }

        var date = new DateTime(y, month, dayOfMonth);
        if (year is null && date < today)
        {
            date = dayOfMonth <= DateTime.DaysInMonth(y + 1, month) ? new DateTime(y + 1, month, dayOfMonth) : date;
        }

        return date < today ? DayRef.Invalid : new DayRef(DayKind.Exact, date);
    }

    /// <summary>Replaces the day words with a marker, so their digits are not read as an hour but
    /// "tmrw 3" still sees the 3 next to a day.</summary>
    private static string Mark(string text, Group match)
    {
        var before = text[..match.Index].TrimEnd();
        var after = text[(match.Index + match.Length)..].TrimStart();
        return string.Join(' ', new[] { before, DayMarker, after }.Where(p => p.Length > 0));
    }

    private static int MonthNumber(string name) => Array.IndexOf(Months, name[..3]) + 1;

    private static string ExpandShortDayName(Match match)
    {
        var day = match.Groups["d"];
        var full = day.Value switch
        {
            "sat" => "saturday",
            "sun" => "sunday",
            _ => "wednesday",
        };
        return string.Concat(match.Value.AsSpan(0, day.Index - match.Index), full, match.Value.AsSpan(day.Index - match.Index + day.Length));
    }

    private const string Weekdays = "monday|tuesday|wednesday|thursday|friday|saturday|sunday";

    private const string MonthNames =
        "jan|january|feb|february|mar|march|apr|april|may|jun|june|jul|july|aug|august|sep|sept|september|oct|october|nov|november|dec|december";

    // "sat", "sun" and "wed" (also "we'd" without its apostrophe) are ordinary words too; they name a day
    // only after "on/this/next", alone, or right before a time.
    [GeneratedRegex("""
        \b(?:(?:on|this|next)\ (?<d>sat|sun|wed)\b
        | ^(?<d>sat|sun|wed)$
        | (?<d>sat|sun|wed)(?=\ (?:[0-9]|(?:at|around|morning|afternoon|evening|night|noon)\b)))
        """, RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex ShortDayName();

    [GeneratedRegex(@"\b([0-9]{1,2})/([0-9]{1,2})(?:/([0-9]{4}|[0-9]{2}))?\b")]
    private static partial Regex NumericDate();

    // "may" is also a verb, so "2 may work" is not a date: only "may 2" is.
    [GeneratedRegex($$"""
        \b(?:
            (?<month>{{MonthNames}})\ (?:the\ )?(?<day>[0-9]{1,2})(?:st|nd|rd|th)?\b(?!\ ?(?:am|pm|a\ m|p\ m|oclock)\b|:)
          | (?:the\ )?(?<day>[0-9]{1,2})(?:st|nd|rd|th)?\ (?:of\ )?(?!may\b)(?<month>{{MonthNames}})\b
        )
        """, RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex MonthDayDate();

    [GeneratedRegex(@"\b(?:the\ )?([0-9]{1,2})(?:st|nd|rd|th)\b", RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex OrdinalDay();

    [GeneratedRegex(@"\b(?:(?:the\ )?day\ after\ tomorrow|tomorrow)\b", RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex RelativeDay();

    [GeneratedRegex(@"\b(?:(?<word>today|this)(?=\ (?:morning|afternoon|evening|night)\b)|(?<word>today)|tonight)\b", RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex Today();

    [GeneratedRegex(@"\b(?:(?<next>next)\ |(?:this|coming|this\ coming|on)\ )?(?<day>" + Weekdays + @")s?\b", RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex Weekday();
}
