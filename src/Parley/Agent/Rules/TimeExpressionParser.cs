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

    private static readonly string[] HourWords =
        ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"];

    private static readonly string[] Months =
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

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

    private static PartOfDay FindPartOfDay(string text)
    {
        var match = PartOfDayWord().Match(text);
        if (!match.Success)
        {
            return PartOfDay.None;
        }

        return match.Groups[1].Value switch
        {
            var w when w.StartsWith("morning", StringComparison.Ordinal) => PartOfDay.Morning,
            var w when w.StartsWith("afternoon", StringComparison.Ordinal) => PartOfDay.Afternoon,
            _ => PartOfDay.Evening,
        };
    }

    private static int DefaultHour(PartOfDay partOfDay) => partOfDay switch
    {
        PartOfDay.Morning => 9,
        PartOfDay.Afternoon => 14,
        _ => 18,
    };

    private static TimeOnly? FindClock(string text, PartOfDay partOfDay)
    {
        var meridiem = WithMeridiem().Match(text);
        if (meridiem.Success)
        {
            return WithAmPm(Number(meridiem.Groups["h"].Value), Minutes(meridiem.Groups["m"]), meridiem.Groups["ap"].Value[0] == 'p');
        }

        var noon = Noon().Match(text);
        if (noon.Success)
        {
            return new TimeOnly(noon.Value.StartsWith("after", StringComparison.Ordinal) ? 13 : 12, 0);
        }

        var past = PastOrTo().Match(text);
        if (past.Success)
        {
            var hour = Number(past.Groups["h"].Value);
            return past.Groups["to"].Success
                ? Bare(hour - 1 == 0 ? 12 : hour - 1, 45, partOfDay)
                : Bare(hour, past.Groups["half"].Success ? 30 : 15, partOfDay);
        }

        var colon = Colon().Match(text);
        if (colon.Success)
        {
            var hour = Number(colon.Groups["h"].Value);
            var minute = Minutes(colon.Groups["m"]);
            if (hour is >= 13 and <= 23 || hour == 0)
            {
                return minute is >= 0 and < 60 ? new TimeOnly(hour, minute) : null;
            }

            return Bare(hour, minute, partOfDay);
        }

        Regex[] barePatterns = [OClock(), AfterPreposition(), NextToDay(), BeforeApproval(), WholeMessage()];
        foreach (var pattern in barePatterns)
        {
            var match = pattern.Match(text);
            if (match.Success)
            {
                return Bare(Number(match.Groups["h"].Value), Minutes(match.Groups["m"]), partOfDay);
            }
        }

        return null;
    }

    private static TimeOnly? WithAmPm(int hour, int minute, bool pm)
    {
        if (minute is < 0 or >= 60)
        {
            return null;
        }

        return hour switch
        {
            >= 1 and <= 12 => new TimeOnly(hour % 12 + (pm ? 12 : 0), minute),
            >= 13 and <= 23 when pm => new TimeOnly(hour, minute),
            _ => null,
        };
    }

    private static TimeOnly? Bare(int hour, int minute, PartOfDay partOfDay)
    {
        if (hour is < 1 or > 12 || minute is < 0 or >= 60)
        {
            return null;
        }

        if (hour == 12)
        {
            return new TimeOnly(12, minute);
        }

        var pm = partOfDay switch
        {
            PartOfDay.Morning => false,
            PartOfDay.Afternoon or PartOfDay.Evening => true,
            _ => hour <= 7,
        };
        return new TimeOnly(pm ? hour + 12 : hour, minute);
    }

    private static int Number(string value)
    {
        var index = Array.IndexOf(HourWords, value);
        return index >= 0 ? index : int.Parse(value, CultureInfo.InvariantCulture);
    }

    private static int Minutes(Group group) => group.Value switch
    {
        "" => 0,
        "fifteen" => 15,
        "thirty" => 30,
        "forty five" => 45,
        var digits => int.Parse(digits, CultureInfo.InvariantCulture),
    };

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

    private const string Hour = "(?<h>[0-9]{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)";

    private const string HourDigits = "(?<h>[0-9]{1,2})";

    // A bare number followed by one of these counts something else: "3 kids", "2 weeks", "10 years".
    private const string NotACount = """
        (?!\ ?(?:minutes?|mins?|hours?|hrs?|days?|weeks?|wks?|months?|years?|yrs?|kids|children|people|persons
            |bedrooms?|beds?|baths?|bathrooms?|br|ba|units?|houses?|homes?|properties|acres?|k|percent|dollars|bucks
            |grand|times|of|or\ more|more|sq|square|ft|feet|foot|miles?|blocks?|st|nd|rd|th|x|point|thing|things|[0-9/:]
            |(?:\ [a-z]+)?\ (?:st|street|ave|avenue|rd|road|dr|drive|blvd|boulevard|ln|lane|way|ct|court|pl|place|cir|circle
              |pkwy|parkway|hwy|highway|ter|terrace)\b))
        """;

    [GeneratedRegex(@"\b(?:yesterday|ago|last\ (?:night|week|month|year|time|" + Weekdays + @"))\b", RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex PastReference();

    [GeneratedRegex(@"\b(?:weekend|weekends|week|weeks|month|months|year|years)\b")]
    private static partial Regex VaguePeriod();

    [GeneratedRegex(@"\b(?:today|tonight|tomorrow|weekend|week|morning|afternoon|evening|noon|" + Weekdays + @")s?\b")]
    private static partial Regex DayWords();

    [GeneratedRegex(@"\bgood\ (?:morning|afternoon|evening|night)\b", RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex Greetings();

    // "sat", "sun" and "wed" (also "we'd" without its apostrophe) are ordinary words too; they name a day
    // only after "on/this/next", alone, or right before a time.
    [GeneratedRegex("""
        \b(?:(?:on|this|next)\ (?<d>sat|sun|wed)\b
        | ^(?<d>sat|sun|wed)$
        | (?<d>sat|sun|wed)(?=\ (?:[0-9]|(?:at|around|morning|afternoon|evening|night|noon)\b)))
        """, RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex ShortDayName();

    [GeneratedRegex("""
        \bin\ (?:about\ |like\ |around\ |maybe\ )?
        (?<amount>[0-9]{1,3}|half\ an|a\ couple\ of|a\ couple|couple\ of|couple|an|a|one|two|three|four|five|six|ten
            |fifteen|twenty|thirty|forty\ five|forty|fifty)
        \ ?(?<unit>hours?|hrs?|minutes?|mins?)\b
        """, RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex Relative();

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

    [GeneratedRegex(@"\b(morning|mornings|afternoon|afternoons|evening|evenings|tonight|night|nights)\b")]
    private static partial Regex PartOfDayWord();

    [GeneratedRegex(@"\b(?<h>[0-9]{1,2})(?::(?<m>[0-9]{2}))?(?:\ ?(?<ap>am|pm|a\ m|p\ m)|(?<ap>a|p))\b", RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex WithMeridiem();

    [GeneratedRegex(@"\b(?:after\ )?(?:noon|midday|lunchtime|lunch\ time)\b", RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex Noon();

    [GeneratedRegex(@"\b(?:(?<half>half)\ past|quarter\ past|(?<to>quarter\ (?:to|till|til|of)))\ " + Hour + @"\b", RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex PastOrTo();

    [GeneratedRegex(@"\b(?<h>[0-9]{1,2}):(?<m>[0-9]{2})\b")]
    private static partial Regex Colon();

    [GeneratedRegex(@"\b" + Hour + @"\ ?(?:oclock|o\ clock|ish)\b", RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex OClock();

    // Hours in words ("at three") only after "at"/"around": "about one thing" is not a time.
    [GeneratedRegex($$"""
        (?:\b(?:at|around|round)\ {{Hour}}
          | \b(?:about|by|after|say|like|maybe|approx|approximately|between|do)\ {{HourDigits}})
        (?:\ (?<m>thirty|fifteen|forty\ five|[0-5][0-9]))?\b
        {{NotACount}}
        """, RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex AfterPreposition();

    // "tmrw 3", "monday 11", "3 tomorrow", "3 in the afternoon".
    [GeneratedRegex($$"""
        \b(?:{{DayMarker}}|morning|afternoon|evening|tonight|night)\ {{HourDigits}}\b{{NotACount}}
        | \b{{HourDigits}}\ (?:{{DayMarker}}|tonight|in\ the\ (?:morning|afternoon|evening))\b
        """, RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex NextToDay();

    // "3 works", "4 is good".
    [GeneratedRegex($$"""
        \b{{HourDigits}}\ (?:works|work|is\ good|is\ fine|is\ great|is\ perfect|is\ best|is\ better|is\ ok|sounds\ good
            |would\ work|would\ be|should\ work|ok|please|then|good|fine|perfect|better|best)\b
        """, RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex BeforeApproval();

    // The whole message is an hour with a few words around it: "5", "ok 3", "how about 4 then".
    [GeneratedRegex($$"""
        ^(?:(?:ok|sure|yes|yeah|yep|yup|how\ about|what\ about|lets\ do|lets\ say|maybe|call\ me|then|please|around|like|say
            |hmm|um|uh|at|{{DayMarker}})\ )*
        {{Hour}}
        (?:\ (?:ok|please|thanks|then|works|is\ good|is\ fine|{{DayMarker}}))*$
        """, RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex WholeMessage();

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
