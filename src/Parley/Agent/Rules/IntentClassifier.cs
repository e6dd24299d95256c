using System.Text.RegularExpressions;

namespace Parley.Agent.Rules;

/// <summary>
/// Phrase tables for what a texter means. Every method takes text already passed through
/// <see cref="TextNormalizer"/> (lower case, no apostrophes: "dont", "im", "were"), so each phrase
/// is written once, in that form.
/// </summary>
public static partial class IntentClassifier
{
    /// <summary>Pauses silently: "not interested", "no thanks", "already sold", "pass", a bare "no".</summary>
    public static bool IsNotInterested(string normalized) =>
        NotInterestedWholeMessages.IsWhole(WithoutFillers(normalized))
        || ((NotInterestedPhrases.FoundIn(normalized) || NotLooking().IsMatch(normalized))
            && !ThanksForSomething().IsMatch(normalized) && !ButStillOpen().IsMatch(normalized));

    /// <summary>"lol no" and "no man" are the whole-message "no".</summary>
    private static string WithoutFillers(string normalized) => Fillers().Replace(normalized, "");

    /// <summary>"wrong number", "no one by that name", "I'm not Maria" (when Maria is a name we expect, or
    /// written with a capital).</summary>
    /// <param name="original">the text as written, to see capitals</param>
    /// <param name="expectedNames">names the conversation expects the texter to have</param>
    public static bool IsWrongPerson(string normalized, string original, IEnumerable<string?> expectedNames)
    {
        if (WrongPersonPhrases.FoundIn(normalized))
        {
            return true;
        }

        var expected = expectedNames.OfType<string>().Select(n => n.ToLowerInvariant()).ToHashSet();
        foreach (Match match in DeniedName().Matches(original.Replace('\u2019', '\'')))
        {
            var name = match.Groups["name"].Value;
            if (expected.Contains(name.ToLowerInvariant())
                || (!match.Groups["bare"].Success && char.IsUpper(name[0]) && NameExtractor.IsPlausibleName(name)))
            {
                return true;
            }
        }

        foreach (var name in expected)
        {
            var asked = " " + normalized + " ";
            if (asked.Contains(" who is " + name + " ", StringComparison.Ordinal)
                || asked.Contains(" whos " + name + " ", StringComparison.Ordinal)
                || asked.Contains(" no " + name + " here ", StringComparison.Ordinal)
                || asked.Contains(" theres no " + name + " ", StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Asks for a person or a call right now.</summary>
    public static bool AsksForHuman(string normalized) =>
        (PersonRequests.FoundIn(normalized) || PersonWanted().IsMatch(normalized)) && !BotPhrases.FoundIn(normalized);

    /// <summary>A question about price, the process, the company or where the number came from: the agent
    /// answers it (or says the team will confirm), it is not a reason to hand off.</summary>
    public static bool IsBusinessQuestion(string normalized) =>
        PricingQuestion().IsMatch(normalized) || BusinessQuestion().IsMatch(normalized);

    /// <summary>A question put to the business about itself ("are you hiring", "what title company do you use",
    /// "can i see proof of funds"), not small talk ("how are you", "you there?").</summary>
    /// <param name="original">the text as written, to see a question mark</param>
    public static bool AsksAboutUs(string normalized, string original) =>
        LooksLikeQuestion(normalized, original) && (QuestionToUs().IsMatch(normalized) || Parley.Knowledge.KnowledgeTopic.AsksToBuyFromUs(normalized))
        && !SmallTalk().IsMatch(normalized);

    /// <summary>An answer to "is this Maria?" that says yes.</summary>
    public static bool IsIdentityYes(string normalized) =>
        IdentityYesStarts.StartsIn(normalized) && !IsIdentityNo(normalized)
        && !IdentityDenialWords().IsMatch(normalized);

    /// <summary>An answer to "is this Maria?" that is only a no.</summary>
    public static bool IsIdentityNo(string normalized) => IdentityNoWholeMessages.IsWhole(normalized);

    public static bool IsGreeting(string normalized) => Greetings.IsWhole(normalized);

    public static bool IsThanks(string normalized) => ThanksMessages.IsWhole(normalized);

    public static bool ShowsInterest(string normalized) => InterestPhrases.FoundIn(normalized);

    public static bool AsksWhoIsThis(string normalized) => WhoIsThisPhrases.FoundIn(normalized);

    public static bool AsksIfBot(string normalized) => BotPhrases.FoundIn(normalized);

    /// <summary>Turns a time down: "I'm busy tomorrow at 3", "not tomorrow", "3 doesn't work".</summary>
    public static bool DeclinesTime(string normalized) => DeclinePhrases.FoundIn(normalized) || NotThen().IsMatch(normalized);

    /// <summary>Offers or accepts a time: "call me", "works", "how about", "sure".</summary>
    public static bool ExpressesAvailability(string normalized) => AvailabilityPhrases.FoundIn(normalized);

    /// <param name="original">the text as written, to see a question mark</param>
    public static bool IsQuestion(string normalized, string original) =>
        original.Contains('?', StringComparison.Ordinal) || QuestionStart().IsMatch(normalized);

    /// <summary>A question even without a question word up front: a "?", a sentence that starts like one, or a
    /// tag at the end ("i have renters in there, is that ok").</summary>
    /// <param name="original">the text as written, to see a question mark and sentence breaks</param>
    public static bool LooksLikeQuestion(string normalized, string original) =>
        IsQuestion(normalized, original)
        || QuestionTag().IsMatch(normalized)
        || original.Split(['.', '!', '\n', ',', ';'], StringSplitOptions.RemoveEmptyEntries).Any(s => QuestionStart().IsMatch(TextNormalizer.Normalize(s)));

    /// <summary>The agent's message asked who it is speaking with.</summary>
    public static bool AsksForName(string normalizedAgentText) => NameQuestion().IsMatch(normalizedAgentText);

    /// <summary>The agent's message asked when to call.</summary>
    public static bool AsksForTime(string normalizedAgentText) => TimeQuestion().IsMatch(normalizedAgentText);

    /// <summary>The agent's message asked "is this Maria?".</summary>
    public static bool AsksIdentity(string normalizedAgentText, string clientFirstName)
    {
        var name = TextNormalizer.Normalize(clientFirstName);
        var text = " " + normalizedAgentText + " ";
        return name.Length > 0
            && (text.Contains(" is this " + name + " ", StringComparison.Ordinal)
                || text.Contains(" am i speaking with " + name + " ", StringComparison.Ordinal)
                || text.Contains(" am i talking to " + name + " ", StringComparison.Ordinal)
                || text.Contains(" are you " + name + " ", StringComparison.Ordinal));
    }
}
