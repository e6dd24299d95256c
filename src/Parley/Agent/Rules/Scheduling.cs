using System.Text.RegularExpressions;

namespace Parley.Agent.Rules;

/// <summary>Whether the burst agrees to a callback time, turns one down, or wants a call without a time yet.</summary>
internal sealed partial record Scheduling(DateTime? AgreedTime, bool Declined, bool WantsCall, bool NamedDay)
{
    public static readonly Scheduling None = new(null, false, false, false);

    /// <summary>
    /// A refusal covers what comes before it, so only the clauses after the last one that turns a time down
    /// can agree to a time: "busy now, call me at 5" books 5 PM; "I'm busy tomorrow at 3" and
    /// "tomorrow at 3? I'm busy then" book nothing.
    /// </summary>
    public static Scheduling Read(BurstReading reading, DateTime localNow)
    {
        var clauses = ClauseBreak().Split(Meridiem().Replace(reading.Burst, "$1m"))
            .Select(TextNormalizer.Normalize)
            .Where(c => c.Length > 0)
            .ToList();
        var lastDecline = clauses.FindLastIndex(IntentClassifier.DeclinesTime);
        var rest = string.Join(' ', clauses.Skip(lastDecline + 1));

        var time = rest.Length == 0 ? null : TimeExpressionParser.ParseNormalized(rest, localNow);
        if (time is not null && Agrees(reading, rest))
        {
            return new Scheduling(time, Declined: false, WantsCall: true, NamedDay: true);
        }

        var anyTime = time ?? TimeExpressionParser.ParseNormalized(reading.Text, localNow);
        var namedDay = TimeExpressionParser.MentionsDay(reading.Text);
        var declined = lastDecline >= 0 && (anyTime is not null || namedDay || TalksAboutTiming(reading.Text));
        var wantsCall = !declined
            && (time is not null
                || (namedDay && (IntentClassifier.ExpressesAvailability(reading.Text) || IntentClassifier.AsksForTime(reading.LastAgentText)))
                || OpenToACall(reading.Text));
        return new Scheduling(null, declined, wantsCall, namedDay || anyTime is not null);
    }

    /// <summary>A time counts as agreed when the contact offers it, answers our "when?", or just sends it.</summary>
    private static bool Agrees(BurstReading reading, string clause) =>
        IntentClassifier.ExpressesAvailability(clause)
        || IntentClassifier.AsksForTime(reading.LastAgentText)
        || (clause.Split(' ').Length <= 6 && !IntentClassifier.IsQuestion(clause, reading.Burst));

    private static bool TalksAboutTiming(string text) => TimingWords().IsMatch(text);

    private static bool OpenToACall(string text) => OpenToACallWords().IsMatch(text);

    [GeneratedRegex(@"[.,!?;\n]+|\b(?:but|however|instead|though|although)\b", RegexOptions.IgnoreCase)]
    private static partial Regex ClauseBreak();

    // "p.m." would otherwise be split into clauses at its dots.
    [GeneratedRegex(@"\b([ap])\.\s?m\.?", RegexOptions.IgnoreCase)]
    private static partial Regex Meridiem();

    [GeneratedRegex(@"\b(?:now|busy|available|call|talk|time|free)\b", RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex TimingWords();

    [GeneratedRegex("""
        \b(?:call\ me|give\ me\ a\ call|can\ you\ call|could\ you\ call|ring\ me|anytime|any\ time|whenever
            |im\ flexible|i\ am\ flexible)\b
        """, RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex OpenToACallWords();
}
