using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Parley.Agent.Rules;

namespace Parley.Agent;

/// <summary>What the safety check found in a burst of contact texts.</summary>
public enum SafetyConcern
{
    None,

    /// <summary>A carrier keyword or a plain-words revocation, in English or Spanish: Not Interested, silent.</summary>
    OptOut,

    /// <summary>An explicit ask for a person, a manager or a call from a human: Needs Human with the hand-off.</summary>
    AsksForPerson,

    /// <summary>A death, illness, divorce, a legal threat or a complaint: Needs Human with a kind closing message.</summary>
    Sensitive,
}

/// <summary>
/// The deterministic safety outcomes, decided before any model is asked, so they hold for the rules model and
/// for any OpenAI-compatible model alike. Questions about price, process, the company or where the number came
/// from are deliberately not here: they are business questions the agent answers, not reasons to hand off.
/// </summary>
public static partial class SafetyCheck
{
    private static readonly PhraseSet PersonRequests = new(
        "real person", "live person", "actual person", "real human", "actual human", "human please", "a human please",
        "someone call me", "somebody call me", "have someone call", "can someone call", "could someone call",
        "someone to call me", "someone give me a call", "have somebody call", "get someone to call", "need someone to call",
        "call me now", "call me right now", "call me asap", "call me right away", "call me immediately",
        "call me back now", "call me back asap", "call me back right away", "give me a call now",
        "connect me", "transfer me", "put me through", "your manager", "your supervisor", "your boss", "customer service", "customer support", "a representative", "a live agent", "real agent",
        "persona real", "una persona", "hablar con alguien", "un humano", "que me llame alguien", "que alguien me llame");

    /// <summary>"are you a real person?" is a question about the agent, not an ask for one.</summary>
    private static readonly PhraseSet BotQuestions = new(
        "are you a bot", "is this a bot", "are you a robot", "is this a robot", "are you human", "are you a human",
        "is this a human", "are you real", "is this real person", "is this a real person", "are you a real person",
        "is this an actual person", "are you an actual person", "is this a live person", "are you a live person",
        "am i talking to a real person", "am i talking to a person", "am i talking to a human", "am i texting a real person",
        "is this automated", "are you automated", "are you ai", "is this ai", "are you an ai", "is this an ai",
        "is this a machine", "are you a machine", "is this a real human", "are you a real human");

    private static readonly PhraseSet SensitivePhrases = new(
        // Death, illness, divorce and hard times.
        "passed away", "has passed", "just passed", "dad passed", "mom passed", "mother passed", "father passed",
        "husband passed", "wife passed", "son passed", "daughter passed", "passed last", "passed recently", "he passed", "she passed", "they passed", "deceased", "died",
        "is dead", "no longer with us", "funeral", "passing of", "lost my", "we lost", "recently lost",
        "in the hospital", "at the hospital", "in hospital", "hospice", "chemo", "chemotherapy", "cancer", "surgery",
        "stroke", "heart attack", "very sick", "really sick", "terminally ill", "icu", "nursing home",
        "divorce", "divorcing", "getting divorced", "separated", "separation", "custody",
        "foreclosure", "bankruptcy", "evicted", "eviction",
        "fallecio", "murio", "en el hospital", "divorcio", "enfermo", "enferma", "cancer",
        // Legal threats and complaints.
        "lawyer", "attorney", "attorneys", "lawsuit", "sue you", "sue your", "suing", "will sue", "going to sue",
        "ill sue", "gonna sue", "sue", "legal action", "cease and desist", "tcpa", "see you in court",
        "take you to court", "litigation", "my legal", "police", "harass", "harassing", "harassment", "harrassment",
        "harrassing", "ridiculous", "terrible service", "horrible service", "awful service", "worst service",
        "worst company", "terrible company", "horrible company", "file a complaint", "filing a complaint", "complaint",
        "complain", "unacceptable", "this is a scam", "scam", "scammer", "scammers", "scamming", "fraud",
        "report you", "reporting you", "reported you", "report this", "reporting this", "bbb", "better business bureau",
        "attorney general", "fcc", "ftc", "fed up", "sick of this", "sick of you", "sick of these", "pissed",
        "this is spam", "abogado", "demanda", "demandar");

    /// <summary>The first concern the texts raise, or <see cref="SafetyConcern.None"/>.</summary>
    public static SafetyConcern Read(string contactTexts)
    {
        if (string.IsNullOrWhiteSpace(contactTexts))
        {
            return SafetyConcern.None;
        }

        if (OptOutWords.Classify(contactTexts) == OptIntent.OptOut)
        {
            return SafetyConcern.OptOut;
        }

        var normalized = Fold(TextNormalizer.Normalize(contactTexts));
        if (IsSensitive(normalized))
        {
            return SafetyConcern.Sensitive;
        }

        return AsksForPerson(normalized) ? SafetyConcern.AsksForPerson : SafetyConcern.None;
    }

    /// <summary>"I want a human", "let me speak to your manager", "have someone call me"; a question whether
    /// the agent is a bot is taken out first, so only an ask for a person remains.</summary>
    public static bool AsksForPerson(string normalized)
    {
        var rest = " " + normalized + " ";
        foreach (var question in BotQuestionsList)
        {
            rest = rest.Replace(" " + question + " ", " | ", StringComparison.Ordinal);
        }

        rest = rest.Trim();
        return PersonRequests.FoundIn(rest) || PersonWanted().IsMatch(rest);
    }

    private static readonly string[] BotQuestionsList =
    [
        "am i talking to a real person", "am i talking to a person", "am i talking to a human", "am i texting a real person",
        "are you a real person", "is this a real person", "is this real person", "are you a real human", "is this a real human",
        "is this an actual person", "are you an actual person", "is this a live person", "are you a live person",
        "are you a human", "is this a human", "are you human", "are you a bot", "is this a bot", "are you real",
    ];

    private static bool IsSensitive(string normalized)
    {
        if (!SensitivePhrases.FoundIn(normalized))
        {
            return false;
        }

        var rest = " " + normalized + " ";
        foreach (var miss in SensitiveNearMissList)
        {
            rest = rest.Replace(" " + miss + " ", " | ", StringComparison.Ordinal);
        }

        return SensitivePhrases.FoundIn(rest.Trim()) && !BotQuestions.IsWhole(normalized);
    }

    private static readonly string[] SensitiveNearMissList =
    [
        "cant complain", "no complaints", "not complaining", "food court", "court date", "tennis court", "no cost to me",
        "sue here", "this is sue", "im sue", "its sue", "sue speaking", "names sue", "name is sue", "died down",
        "lost my keys", "lost my phone", "lost my train of thought", "lost my train",
    ];

    /// <summary>"más" → "mas", "bórrenme" → "borrenme", so Spanish is matched however it is typed.</summary>
    internal static string Fold(string text)
    {
        var decomposed = text.Normalize(NormalizationForm.FormD);
        var folded = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            {
                folded.Append(c);
            }
        }

        return folded.ToString().Normalize(NormalizationForm.FormC);
    }

    [GeneratedRegex("""
        \b(?:speak|talk|chat|text)\ (?:to|with|w)\ (?:a\ |an\ |the\ |your\ |some\ )?(?:real\ |live\ |actual\ )?
            (?:person|human|manager|supervisor|agent|representative|rep|owner|boss|someone|somebody|team\ member|staff|employee|operator|people)\b
        | \b(?:want|need|get\ me|can\ i\ get|could\ i\ get|give\ me|prefer|i\ want\ to\ talk\ to|id\ like)\ (?:a\ |an\ |the\ |your\ |to\ a\ )?(?:real\ |live\ |actual\ )?
            (?:human|manager|supervisor|representative|operator|person)\b
        | \b(?:have|get|ask|want|need)\ (?:someone|somebody|a\ person|a\ human|your\ manager|the\ owner|a\ real\ person)\ (?:to\ )?(?:call|phone|ring|contact)\b
        | \b(?:can|could|would|will|may|please|have|get|let|ask|need|want|like)\ (?:a\ |an\ |the\ |your\ |one\ of\ your\ )?(?:real\ |live\ |actual\ )?
            (?:human(?:\ being)?|person|agent|rep|representative|manager|supervisor|owner|employee|team\ member|staff\ member
                |someone|somebody)(?:\ (?:real|else|there|in\ charge))?(?:\ (?:from|at|in|on)\ (?:your|the)\ (?:office|team|company|business))?
            \ (?:to\ )?(?:call|phone|ring|text|reach|contact|get\ back|give\ me\ a\ (?:call|ring|buzz))\b
        | \bget\ me\ (?:an?\ |your\ )?(?:real\ |live\ )?(?:agent|rep)\b
        | \b(?:is\ there|theres)\ (?:someone|somebody|anyone|anybody|a\ (?:real\ )?(?:person|human|manager))\ (?:i|we)\ (?:can|could)\ (?:talk|speak|chat)\b
        | \bno\ (?:more\ )?(?:bots?|robots?)\b
        """, RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex PersonWanted();
}
