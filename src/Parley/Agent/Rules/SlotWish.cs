using System.Globalization;
using System.Text.RegularExpressions;

namespace Parley.Agent.Rules;

/// <summary>
/// What a texter's answer says about when, read against times on offer: a choice by number ("the second one",
/// "#2", "first is good"), no preference ("either works"), a day ("tuesday", "tomorrow"), a clock time ("the 3pm",
/// "noon works"), a part of the day ("morning"), a bound ("any time after 5", "before noon"), or a shift of the
/// current booking ("push it an hour later"). Bare hours follow the time parser's rule: 1–7 are PM, 8–11 AM.
/// </summary>
internal sealed partial record SlotWish(
    int? Choice, bool AnyOfThem, DateTime? Day, TimeOnly? Clock, TimeOnly? After, TimeOnly? Before, TimeSpan? Shift)
{
    /// <summary>The 1-based choice <c>-1</c> stands for "the last one".</summary>
    public const int Last = -1;

    /// <summary>Narrows by day or time of day (not a pick by number).</summary>
    public bool Narrows => Day is not null || Clock is not null || After is not null || Before is not null;

    public bool Fits(DateTime local) =>
        (Day is not { } day || local.Date == day.Date)
        && (Clock is not { } clock || TimeOnly.FromDateTime(local) == clock)
        && (After is not { } after || TimeOnly.FromDateTime(local) >= after)
        && (Before is not { } before || TimeOnly.FromDateTime(local) < before);

    public static SlotWish Read(string text, DateTime localNow)
    {
        var normalized = TextNormalizer.Normalize(Meridiem().Replace(text, "$1m"));
        var shift = ShiftOf(normalized);
        var withoutShift = shift is null ? normalized : ShiftWords().Replace(normalized, " ");
        var (after, before) = Bounds(withoutShift);
        var rest = BoundWords().Replace(withoutShift, " ");
        var clock = ClockOf(rest);
        var part = PartOfDay().Match(rest);
        if (part.Success && clock is null)
        {
            (after, before) = part.Groups[1].Value switch
            {
                "morning" or "mornings" => (after, before ?? new TimeOnly(12, 0)),
                "afternoon" or "afternoons" => (after ?? new TimeOnly(12, 0), before ?? new TimeOnly(17, 0)),
                _ => ((TimeOnly?)(after ?? new TimeOnly(17, 0)), before),
            };
        }

        return new SlotWish(ChoiceOf(normalized, clock), AnyWords().IsMatch(normalized), DayOf(rest, localNow), clock, after, before, shift);
    }

    private static int? ChoiceOf(string text, TimeOnly? clock)
    {
        if (Ordinal().Match(text) is { Success: true } ordinal)
        {
            return ordinal.Groups[1].Value switch
            {
                "first" or "1st" or "earliest" or "earlier one" => 1,
                "second" or "2nd" or "middle" => 2,
                "third" or "3rd" => 3,
                _ => Last,
            };
        }

        if (clock is not null)
        {
            return null;
        }

        var numbered = Numbered().Match(text);
        if (!numbered.Success)
        {
            numbered = BareNumber().Match(text);
        }

        return numbered.Success ? numbered.Groups[1].Value switch
        {
            "one" => 1,
            "two" => 2,
            "three" => 3,
            var digits => int.Parse(digits, CultureInfo.InvariantCulture),
        } : null;
    }

    private static DateTime? DayOf(string text, DateTime localNow)
    {
        var match = DayName().Match(text);
        if (!match.Success)
        {
            return null;
        }

        var word = match.Groups[1].Value;
        if (word is "today" or "tonight")
        {
            return localNow.Date;
        }

        if (word == "tomorrow")
        {
            return localNow.Date.AddDays(1);
        }

        var day = word[..3] switch
        {
            "mon" => DayOfWeek.Monday,
            "tue" => DayOfWeek.Tuesday,
            "wed" => DayOfWeek.Wednesday,
            "thu" => DayOfWeek.Thursday,
            "fri" => DayOfWeek.Friday,
            "sat" => DayOfWeek.Saturday,
            _ => DayOfWeek.Sunday,
        };
        return localNow.Date.AddDays(((int)day - (int)localNow.DayOfWeek + 7) % 7);
    }

    private static TimeOnly? ClockOf(string text)
    {
        if (Noon().IsMatch(text))
        {
            return new TimeOnly(12, 0);
        }

        var match = ClockTime().Match(text);
        if (!match.Success)
        {
            match = AtHour().Match(text);
        }

        return match.Success ? Time(match) : null;
    }

    private static (TimeOnly? After, TimeOnly? Before) Bounds(string text)
    {
        TimeOnly? after = null;
        TimeOnly? before = null;
        foreach (Match bound in Bound().Matches(text))
        {
            var at = bound.Groups["noon"].Success ? new TimeOnly(12, 0)
                : bound.Groups["lunch"].Success ? new TimeOnly(13, 0)
                : bound.Groups["work"].Success ? new TimeOnly(17, 0)
                : Time(bound);
            if (at is null)
            {
                continue;
            }

            if (bound.Groups["dir"].Value is "after" or "past" or "from" or "later than")
            {
                after = at;
            }
            else
            {
                before = at;
            }
        }

        return (after, before);
    }

    private static TimeOnly? Time(Match match)
    {
        var hour = int.Parse(match.Groups["h"].Value, CultureInfo.InvariantCulture);
        var minute = match.Groups["m"].Success ? int.Parse(match.Groups["m"].Value, CultureInfo.InvariantCulture) : 0;
        var meridiem = match.Groups["ampm"].Value;
        if (hour > 23 || minute > 59 || (meridiem.Length > 0 && hour is 0 or > 12))
        {
            return null;
        }

        hour = meridiem switch
        {
            "am" or "a" => hour == 12 ? 0 : hour,
            "pm" or "p" => hour == 12 ? 12 : hour + 12,
            _ => hour is >= 1 and <= 7 ? hour + 12 : hour,
        };
        return new TimeOnly(hour, minute);
    }

    private static TimeSpan? ShiftOf(string text)
    {
        var match = ShiftWords().Match(text);
        if (!match.Success)
        {
            return null;
        }

        if (!match.Groups["dir1"].Success && !match.Groups["dir2"].Success && !PushVerb().IsMatch(text))
        {
            return null; // "in 2 hours" is a time, not a move
        }

        var amount = match.Groups["amount"].Value switch
        {
            "a" or "an" or "one" => 1.0,
            "half an" or "half a" => 0.5,
            "two" or "a couple of" or "couple of" or "a couple" => 2,
            "three" => 3,
            var digits => double.Parse(digits, CultureInfo.InvariantCulture),
        };
        var span = match.Groups["unit"].Value.StartsWith('h') ? TimeSpan.FromHours(amount) : TimeSpan.FromMinutes(amount);
        var earlier = match.Groups["dir1"].Value is "earlier" or "sooner" or "before" || match.Groups["dir2"].Value is "up" or "forward" or "earlier";
        return span <= TimeSpan.FromHours(12) && span > TimeSpan.Zero ? (earlier ? -span : span) : null;
    }

    // "p.m." would otherwise lose its letters to the normaliser's punctuation rule.
    [GeneratedRegex(@"\b([ap])\.\s?m\.?", RegexOptions.IgnoreCase)]
    private static partial Regex Meridiem();

    [GeneratedRegex(@"\b(first|1st|second|2nd|third|3rd|last|middle|earliest|latest|earlier one|later one|last one)\b")]
    private static partial Regex Ordinal();

    [GeneratedRegex(@"\b(?:option|number|no|num|choice|slot|do|take|pick|choose|go with|want|lets do)\s+(?:option\s+|number\s+)?([1-9]|one|two|three)\b(?!\s*(?:am|pm|a|p|oclock|o clock|hours?|hrs?|min))")]
    private static partial Regex Numbered();

    [GeneratedRegex(@"^(?:ok |okay |yes |yeah |sure |um |hmm )?(?:the )?([1-9])(?: one)?(?: (?:works|work|is good|is great|is fine|is perfect|please|pls|plz|thanks|thx|ok|okay|for me|sounds good|would be great|would work|is best|best))*$")]
    private static partial Regex BareNumber();

    [GeneratedRegex(@"\b(?:either|any of (?:those|them|these)|any (?:one|is fine|works|of em)|anything works|whichever|whatever works|whatever is easiest|doesnt matter|dont mind|both work|all work|all of them work|they all work|you pick|you choose|your choice|up to you|surprise me)\b")]
    private static partial Regex AnyWords();

    [GeneratedRegex(@"\b(today|tonight|tomorrow|mon|monday|tue|tues|tuesday|wed|weds|wednesday|thu|thur|thurs|thursday|fri|friday|saturday|sunday)s?\b")]
    private static partial Regex DayName();

    [GeneratedRegex(@"\b(morning|mornings|afternoon|afternoons|evening|evenings|tonight|night|after work)\b")]
    private static partial Regex PartOfDay();

    [GeneratedRegex(@"\b(?:noon|midday|lunchtime|lunch time|12 noon)\b")]
    private static partial Regex Noon();

    // 3pm, 3 pm, 3:30, 10:15am, 3p
    [GeneratedRegex(@"\b(?<h>\d{1,2})(?::(?<m>\d{2}))?\s?(?<ampm>am|pm|a|p)\b|\b(?<h>\d{1,2}):(?<m>\d{2})\b")]
    private static partial Regex ClockTime();

    // "at 3", "the 3", "around 4", "3 oclock", "push it to 10"
    [GeneratedRegex(@"\b(?:at|around|about|for|the|by|(?:push|move|bump|shift|slide|change|make) (?:it |the call |that |this )?to)\s+(?<h>\d{1,2})\b(?!\s*(?:st|nd|rd|th|hours?|hrs?|min|minutes?|days?|weeks?|one))|\b(?<h>\d{1,2})\s*(?:oclock|o clock)\b")]
    private static partial Regex AtHour();

    [GeneratedRegex(@"\b(?<dir>after|past|from|later than|before|until|till|til|no later than|by)\s+(?:(?<noon>noon|midday)|(?<lunch>lunch)|(?<work>work)|(?<h>\d{1,2})(?::(?<m>\d{2}))?\s?(?<ampm>am|pm|a|p)?)\b")]
    private static partial Regex Bound();

    [GeneratedRegex(@"\b(?:after|past|from|later than|before|until|till|til|no later than|by)\s+(?:noon|midday|lunch|work|\d{1,2}(?::\d{2})?\s?(?:am|pm|a|p)?)\b")]
    private static partial Regex BoundWords();

    [GeneratedRegex(@"\b(?:push|move|bump|shift|slide)\b")]
    private static partial Regex PushVerb();

    [GeneratedRegex(@"\b(?:(?<dir2>back|up|forward|later|earlier)\s+(?:by\s+)?)?(?<amount>an?|one|two|three|half an?|a couple of|couple of|a couple|\d{1,3})\s?(?<unit>hours?|hrs?|hr|h|minutes?|mins?|min)\s*(?<dir1>later|earlier|sooner|after|before|back)?\b")]
    private static partial Regex ShiftWords();
}
