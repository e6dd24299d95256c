using System.Globalization;
using System.Text;
using Parley.Knowledge;

namespace Parley.Agent.Rules;

/// <summary>What the rules model says, kept short, plain and GSM-7 safe. Each reply is a list of
/// candidates, longest first; the first that fits the length limit is sent.</summary>
internal sealed class ReplyWriter(string businessName, string? firstName, int lengthLimit, int variant)
{
    private const string FallbackAsk = "When is a good time for a quick call?";

    private readonly string business = GsmSafe(businessName).Trim();

    private readonly int limit = lengthLimit > 0 ? lengthLimit : 160;

    private string Comma => firstName is null ? "" : ", " + firstName;

    public string AskName() => Fit(
        $"Thanks for reaching out to {business}! Who am I speaking with?",
        "Thanks for reaching out! Who am I speaking with?");

    public string AskIdentity(string clientFirstName) => Fit(
        $"Hi, is this {clientFirstName}? This is {business}.",
        $"Hi, is this {clientFirstName}?");

    public string Opening() => Fit(
        $"Hi{Comma}, this is {business}. When is a good time for a quick call?",
        $"Hi{Comma}! When is a good time for a quick call?");

    /// <param name="zone">the zone the time is in ("ET"), so a texter elsewhere reads it right</param>
    public string Booked(DateTime callbackAtLocal, string zone)
    {
        var when = callbackAtLocal.ToString("ddd MMM d 'at' h:mm tt", CultureInfo.InvariantCulture) + (zone.Length > 0 ? " " + zone : "");
        return Fit(
            $"Perfect{Comma}, you're booked for a call {when}. Talk soon!",
            $"Perfect, you're booked for a call {when}.",
            $"Booked: {when}.");
    }

    public string WrongPerson() => Fit("Sorry about that, we'll update our records. Have a good day!", "Sorry about that!");

    public string HandOff() => Fit(
        $"Got it, someone from {business} will reach out to you shortly.",
        "Got it, someone from our team will reach out to you shortly.",
        "Got it, someone will reach out shortly.");

    /// <summary>A death, an illness, a divorce, a legal threat or a complaint: kind, and a person follows up.</summary>
    public string KindHandOff() => Fit(SafetyReplies.Kind(business), SafetyReplies.Kind("our team"), "I'm sorry. Someone will reach out to you personally.");

    /// <summary>The answer to a business question, then the conversation goes on: the name if we do not
    /// have it, else a time to call.</summary>
    public string Answered(string answer, bool askName)
    {
        var next = askName ? "Who am I speaking with?" : "When is a good time for a quick call?";
        return Fit($"{answer} {next}", answer, next);
    }

    /// <summary>A passage's own words answer the question, then the conversation goes on when there is room;
    /// null when not even its first sentence fits.</summary>
    /// <param name="lead">what comes first ("Thanks, Ana!", "This is Acme."), or null</param>
    public string? Quoted(string? lead, KnowledgePassage passage, bool askName)
    {
        var next = askName ? "Who am I speaking with?" : FallbackAsk;
        var prefix = lead is null ? "" : GsmSafe(lead) + " ";
        if (KnowledgeAnswer.Quote(passage, limit - prefix.Length - next.Length - 1) is { } withNext)
        {
            return $"{prefix}{withNext} {next}";
        }

        if (KnowledgeAnswer.Quote(passage, limit - prefix.Length) is { } alone)
        {
            return prefix + alone;
        }

        return KnowledgeAnswer.Quote(passage, limit);
    }

    /// <param name="lead">an opening already chosen ("Nice to meet you, Ana!"), or null for the topic's own</param>
    public string Ongoing(Topic topic, string? lead)
    {
        var comma = lead is null ? Comma : "";
        var (ownLead, body) = topic switch
        {
            Topic.Help => ($"This is {business}.", "Reply STOP to opt out. When is a good time for a quick call?"),
            Topic.Bot => ($"I'm an automated assistant for {business}.", "A team member can go over everything on a quick call. When is a good time?"),
            Topic.WhoIsThis => ($"This is {business}{comma}.", "We'd love to set up a quick call. When is a good time for you?"),
            Topic.DeclinedTime => Pick(
                ($"No problem{comma}.", "What other day and time would work for a quick call?"),
                ($"Understood{comma}.", "Is there another day or time that works better for a quick call?")),
            Topic.NeedsDayAndTime => ($"Sounds good{comma}!", "What day and time work best for a quick call?"),
            Topic.NeedsTime => ($"Sounds good{comma}!", "What time works best for you?"),
            Topic.Question => Pick(
                ($"Good question{comma}.", $"Someone from {business} can go over the details on a quick call. When is a good time?"),
                ($"Happy to help{comma}.", "The details are easiest to cover on a quick call. What time works for you?")),
            Topic.Greeting => Pick(
                ($"Hi{comma}!", $"Thanks for getting back to {business}. When is a good time for a quick call?"),
                ($"Hi{comma}!", "Good to hear from you. When would be a good time for a quick call?")),
            Topic.Thanks => ($"You're welcome{comma}!", "When is a good time for a quick call?"),
            Topic.Interest => Pick(
                ($"Great{comma}!", $"The easiest next step is a quick call with someone from {business}. When works best for you?"),
                ($"Glad to hear it{comma}.", "What day and time work best for a quick call?")),
            _ => Pick(
                ($"Thanks{comma}!", $"When is a good time for a quick call with {business}?"),
                ($"Got it{comma}.", "What day and time work best for a quick call?"),
                ($"Thanks for the reply{comma}.", "When would be a good time to connect by phone?")),
        };

        // Who we are and how to opt out must survive a personal lead ("Thanks, Maria! This is Acme...").
        var informative = topic is Topic.Help or Topic.Bot or Topic.WhoIsThis;
        var opening = lead is null ? ownLead : informative ? $"{lead} {ownLead}" : lead;
        return Fit($"{opening} {body}", $"{opening} {FallbackAsk}", $"{ownLead} {FallbackAsk}", FallbackAsk);
    }

    private (string Lead, string Body) Pick(params (string Lead, string Body)[] choices) => choices[variant % choices.Length];

    private string Fit(params string[] candidates)
    {
        foreach (var candidate in candidates)
        {
            var text = GsmSafe(candidate);
            if (text.Length <= limit)
            {
                return text;
            }
        }

        var last = GsmSafe(candidates[^1]);
        var cut = last.LastIndexOf(' ', Math.Min(last.Length - 1, limit));
        return cut > 0 ? last[..cut] : last[..Math.Min(last.Length, limit)];
    }

    /// <summary>Straight quotes and dashes for typographic ones, plain letters for accented ones outside
    /// Telnyx's GSM-7 set ("Zoë" → "Zoe"), anything else outside it dropped, so one stray character never
    /// turns a reply into UCS-2.</summary>
    internal static string GsmSafe(string text)
    {
        var safe = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            var replacement = c switch
            {
                '\u2018' or '\u2019' or '\u201a' or '\u2032' or '`' or '\u00b4' => "'",
                '\u201c' or '\u201d' or '\u201e' or '\u2033' => "\"",
                '\u2013' or '\u2014' or '\u2012' or '\u2015' or '\u2212' => "-",
                '\u2026' => "...",
                '\u00a0' or '\t' => " ",
                _ when IsGsm(c) => c.ToString(),
                _ => WithoutAccent(c),
            };
            safe.Append(replacement);
        }

        return string.Join(' ', safe.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }

    private static bool IsGsm(char c) =>
        (c is >= ' ' and <= '~' && c != '`')
        || "£¥èéùìòØøÅåÆæßÉ¡ÄÖÑÜ¿äöñüà".Contains(c, StringComparison.Ordinal);

    private static string WithoutAccent(char c)
    {
        if (char.IsSurrogate(c))
        {
            return "";
        }

        var decomposed = c.ToString().Normalize(NormalizationForm.FormD);
        return decomposed.Length > 1 && char.IsAsciiLetter(decomposed[0]) ? decomposed[..1] : "";
    }
}

/// <summary>What an ongoing reply responds to.</summary>
internal enum Topic
{
    Other,
    Help,
    Bot,
    WhoIsThis,
    DeclinedTime,
    NeedsDayAndTime,
    NeedsTime,
    Question,
    Greeting,
    Thanks,
    Interest,
}
