using System.Globalization;
using System.Text.RegularExpressions;

namespace Parley.Agent.Rules;

/// <summary>The clock time a time expression names: "3pm", "half past four", "at three", "tmrw 3", a part of day.</summary>
public static partial class TimeExpressionParser
{
    private static readonly string[] HourWords =
        ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"];

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
}
