using System.Text.RegularExpressions;

namespace Parley.Agent.Rules;

/// <summary>
/// Phrase tables for what a texter means. Every method takes text already passed through
/// <see cref="TextNormalizer"/> (lower case, no apostrophes: "dont", "im", "were"), so each phrase
/// is written once, in that form.
/// </summary>
public static partial class IntentClassifier
{
    private static readonly PhraseSet NotInterestedPhrases = new(
        "not interested", "not really interested", "not very interested", "no longer interested", "uninterested",
        "not interesting", "no interest", "zero interest", "not intrested", "not interested anymore",
        "no thanks", "no thank you", "nah thanks", "no thanks you", "no but thanks", "no but thank you",
        "no were good", "nah were good", "were all set", "we are all set", "im all set", "i am all set",
        "all set thanks", "no im good", "nah im good",
        "already sold", "we sold", "i sold", "sold it", "sold the", "its sold", "it sold", "has been sold",
        "was sold", "under contract", "in escrow", "pending sale", "no longer interested", "no longer own", "already have an agent", "already have a realtor",
        "already have someone", "already listed", "already have one", "already got one", "already taken care of",
        "not selling", "not gonna sell", "not going to sell", "wont be selling", "will not be selling",
        "not for sale", "dont want to sell", "do not want to sell", "not planning to sell", "no plans to sell",
        "not buying", "not in the market",
        "dont need it", "dont need this", "dont need that", "dont need your", "dont need any", "dont need anything",
        "do not need it", "do not need your", "do not need any", "dont need one", "dont need the",
        "dont want it", "dont want this", "dont want that", "dont want any", "dont want your", "dont want anything",
        "do not want it", "do not want your", "do not want any", "dont want to talk",
        "not at this time", "not at the moment", "not for me", "not my thing", "not something im interested",
        "ill pass", "i will pass", "well pass", "we will pass", "going to pass", "im going to pass", "hard pass",
        "think ill pass", "pass thanks", "pass for now",
        "changed my mind", "decided not to", "decided to keep", "keeping the house", "keeping the property",
        "im keeping it", "were keeping it", "we are keeping it", "keeping it thanks", "going to keep it",
        "not a chance", "absolutely not", "definitely not", "hard no", "no deal", "not worth it",
        "please dont bother", "dont bother", "not anymore");

    private static readonly PhraseSet NotInterestedWholeMessages = new(
        "no", "nope", "nah", "no sir", "no maam", "never", "pass", "im good", "i am good", "im ok", "im fine",
        "no sorry", "sorry no", "not really", "nope sorry", "all good", "no thx", "nah im ok", "nope not interested",
        "not now", "no not now", "not right now", "never again", "not needed", "no no", "no way", "were ok",
        "were fine", "im good thanks", "im good thank you", "im ok thanks", "i am good thanks", "im fine thanks",
        "no way jose", "nope nope", "nope thanks", "no thanks", "were good", "we are good", "were all good",
        "we are all good", "were good thanks", "were good thank you", "were all good thanks", "were good here");

    private static readonly PhraseSet WrongPersonPhrases = new(
        "wrong number", "wrong person", "wrong guy", "wrong girl", "wrong lady", "wrong contact", "wrong phone",
        "wrong cell", "wrong people", "wrong name", "wrong phone number", "wrong house",
        "have the wrong", "got the wrong", "texting the wrong", "texted the wrong", "messaging the wrong",
        "reached the wrong", "contacted the wrong", "must have the wrong",
        "no one by that name", "nobody by that name", "no one here by that name", "nobody here by that name",
        "no one named", "nobody named", "noone by that name", "no one with that name", "nobody with that name",
        "no one here named", "nobody here named",
        "dont know anyone", "dont know anybody", "dont know who that is", "dont know who this is",
        "dont know who you are talking", "dont know who youre talking", "dont know who youre looking",
        "dont know who you are looking", "dont know that person", "dont know any",
        "do not know anyone", "do not know who", "never heard of", "no idea who",
        "doesnt live here", "does not live here", "dont live here", "no longer lives here", "not live here",
        "moved out", "moved away",
        "not my name", "thats not my name", "not his number", "not her number", "not their number",
        "no longer his", "no longer her", "just got this number", "got this number recently", "new to this number",
        "number was reassigned", "number got reassigned", "recycled number",
        "not the owner", "im not the owner", "dont own", "do not own", "never owned", "not the right person",
        "not the person youre looking", "not the person you are looking", "not who you think",
        "passed away", "has passed", "he passed", "she passed", "deceased", "died", "is dead", "no longer with us");

    private static readonly PhraseSet IdentityYesStarts = new(
        "yes", "yeah", "yep", "yup", "yes maam", "yes sir", "speaking", "thats me", "that is me", "this is she",
        "this is he", "this is her", "this is him", "it is", "correct", "sure is", "affirmative", "indeed",
        "you got it", "you got her", "you got him", "thats right", "that is right", "si", "it is me", "its me",
        "this is me", "you found me", "thats correct", "sure is", "certainly", "of course");

    private static readonly PhraseSet IdentityNoWholeMessages = new(
        "no", "nope", "nah", "no sorry", "sorry no", "nope sorry", "not me", "no its not", "no it is not",
        "no it isnt", "no this isnt", "no this is not", "no thats not me", "thats not me", "that is not me",
        "negative", "no maam", "no sir", "not her", "not him", "no not her", "no not him", "no not me", "no wrong",
        "incorrect", "nope not me", "no who", "no who is this", "no whos this", "no it isnt her", "no it isnt him");

    private static readonly PhraseSet Greetings = new(
        "hi", "hello", "hey", "hey there", "hi there", "hello there", "good morning", "good afternoon",
        "good evening", "yo", "howdy", "hiya", "sup", "whats up", "hola", "hey hey", "hi hi", "greetings",
        "morning", "afternoon", "evening");

    private static readonly PhraseSet ThanksMessages = new(
        "thanks", "thank you", "ok thanks", "ok thank you", "thanks a lot", "thank you so much", "many thanks",
        "appreciate it", "i appreciate it", "thanks so much", "great thanks", "cool thanks", "awesome thanks");

    private static readonly PhraseSet InterestPhrases = new(
        "yes", "yeah", "yep", "yup", "sure", "ok", "sounds good", "interested", "im interested", "i am interested",
        "absolutely", "definitely", "of course", "tell me more", "more info", "more information", "go ahead",
        "lets do it", "lets talk", "possibly", "i might be", "could be", "why not", "alright",
        "please do", "id like that", "i would like that", "id love", "love to", "yes please");

    private static readonly PhraseSet WhoIsThisPhrases = new(
        "who is this", "whos this", "who are you", "who is texting", "whos texting", "what company",
        "who is that", "who dis", "who this", "whos asking", "who is asking", "who wants to know", "who r you",
        "who you are", "what business", "who do you work for");

    private static readonly PhraseSet BotPhrases = new(
        "are you a bot", "is this a bot", "are you a robot", "is this a robot", "are you human", "are you a human",
        "is this a human", "are you real", "is this real person", "is this a real person", "are you a real person",
        "is this automated", "are you automated", "are you ai", "is this ai", "are you an ai", "is this an ai",
        "is this a machine", "are you a machine", "talking to a bot", "talking to a robot", "chatbot", "chat bot");

    private static readonly PhraseSet DeclinePhrases = new(
        "busy", "cant", "cannot", "can not", "couldnt", "wont work", "wont be", "doesnt work", "does not work",
        "dont work", "not work", "not good", "no good", "not great", "not available", "unavailable", "not free",
        "bad time", "bad for me", "booked", "im working", "i work", "at work", "out of town", "not home",
        "in a meeting", "have a meeting", "have an appointment", "conflict", "isnt good", "isnt great", "not ideal",
        "isnt ideal", "rather not", "impossible", "unless", "until", "till", "til", "except", "other than",
        "no not", "tough for me", "hard for me", "not possible", "wont be around", "not around", "away",
        "not then", "cant do", "cant make", "not gonna work", "not going to work", "no can do", "dont text",
        "dont call", "do not text", "do not call", "no calls", "no texts");

    private static readonly PhraseSet AvailabilityPhrases = new(
        "call me", "call at", "give me a call", "ring me", "reach me", "works", "work for me", "works for me",
        "good", "fine", "ok", "sure", "yes", "yeah", "yep", "perfect", "great", "how about", "what about", "lets",
        "let us", "i can do", "can do", "im free", "i am free", "free", "available", "prefer", "best", "better",
        "sounds good", "please", "try me", "anytime", "any time", "after", "talk", "chat", "speak", "schedule",
        "book", "set it up", "set up", "i can", "we can", "id like", "i would like", "want", "can you call",
        "could you call", "you can call", "call then", "im around", "ill be around", "ill be home", "home by",
        "should work", "would work", "is good", "either", "whenever", "open", "we could", "could do");

    private static readonly PhraseSet PersonRequests = new(
        "real person", "live person", "actual person", "real human", "someone call me", "somebody call me",
        "have someone call", "can someone call", "could someone call", "someone to call me", "someone give me a call",
        "call me now", "call me right now", "call me asap", "call me right away", "call me immediately",
        "call me back now", "call me back asap", "call me back right away", "give me a call now",
        "connect me", "transfer me", "put me through", "your manager", "your supervisor", "your boss",
        "customer service", "customer support");

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

    // "no thanks for asking" / "no thank you for the info, ..." is politeness, not a refusal.
    [GeneratedRegex(@"\bno\ thank(?:s|\ you)\ (?:for|to|again)\b", RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex ThanksForSomething();

    // "not interested in a lowball offer but I'd listen", "wasn't interested before but now I am".
    [GeneratedRegex("""
        \bbut\ (?:id|i\ would|i\ might|i\ may|maybe|if|im\ open|i\ am\ open|open|i\ could|could|tell|call|let|send|what|how
            |now|i\ am\ now|im\ now|still|happy|willing)\b
        """, RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex ButStillOpen();

    [GeneratedRegex("""
        \b(?:not|no\ longer|arent|isnt|aint)\ (?:really\ |currently\ |even\ )?(?:looking|interested|selling)\b(?!\ forward)
        """, RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex NotLooking();

    [GeneratedRegex("""
        ^(?:(?:lol|haha|hahaha|lmao|um|uh|well|oh|ok|sorry|man|dude|bro|buddy|honestly|actually)\ )+
        | (?:\ (?:lol|haha|hahaha|lmao|man|dude|bro|buddy|sorry|thanks|thank\ you))+$
        """, RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex Fillers();

    // A "yes" that says no, or that someone else is answering: "yes this is her husband".
    [GeneratedRegex("""
        \b(?:isnt|wasnt|not|nope|no|husband|wife|son|daughter|mom|mother|dad|father|brother|sister|spouse|partner
            |roommate|tenant|friend|assistant)\b
        """, RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex IdentityDenialWords();

    [GeneratedRegex("""
        \b(?:speak|talk|chat)\ (?:to|with)\ (?:a\ |an\ |the\ |your\ )?(?:real\ |live\ |actual\ )?
            (?:person|human|manager|supervisor|agent|representative|rep|owner|boss|someone|somebody|team\ member|staff|employee|operator)\b
        | \b(?:want|need|get\ me|can\ i\ get|give\ me|prefer)\ (?:a\ |an\ |the\ |your\ )?(?:real\ |live\ |actual\ )?
            (?:human|manager|supervisor|representative|operator)\b
        """, RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex PersonWanted();

    [GeneratedRegex("""
        \bnot\ (?:today|tomorrow|tonight|this|next|on|at|then|that\ early|that\ late|so\ early|so\ late|before|after|
            monday|tuesday|wednesday|thursday|friday|saturday|sunday|morning|mornings|afternoon|afternoons|evening|evenings|[0-9])
        """, RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex NotThen();

    [GeneratedRegex("""
        \bhow\ much\b(?!\ (?:time|longer|notice))
        | \b(?:what\ (?:is|s|are|would\ be)|whats)\ (?:the|your)\ (?:best\ |final\ |cash\ |total\ |lowest\ |highest\ )?
            (?:price|prices|pricing|cost|costs|fee|fees|rate|rates|offer|commission)\b
        | \b(?:exact|exactly\ what|ballpark)\ (?:price|number|amount|cost|figure|offer)\b
        | \bwhat\ (?:do|would|will)\ you\ (?:charge|pay|offer)\b
        | \b(?:price|pricing|quote|cost)\ (?:exactly|breakdown)\b
        | \b(?:give|send)\ me\ (?:a|an|the)\ (?:quote|price|offer|number)\b
        """, RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex PricingQuestion();

    [GeneratedRegex("""
        \b(?:how|where|why)\ (?:did|do|does|would|d|come)\ (?:you|u|yall|you\ guys|your\ company)\ (?:get|got|find|found|have|obtain)\ (?:my|this|our)\ (?:number|phone|cell|info|information|contact|name|address)\b
        | \b(?:howd|whered)\ (?:you|u)\ (?:get|find|got)\b | \bwho\ gave\ (?:you|u)\ (?:my|this)\b | \bwhere\ (?:did|do)\ (?:you|u)\ get\ (?:my|this)\b
        | \bhow\ (?:does|do|would|will)\ (?:this|it|that|the\ process|your\ process|you\ guys|yall|you)\ (?:work|go|usually\ work)\b
        | \b(?:whats|what\ is|what\ s)\ (?:the|your)\ (?:process|catch|timeline|next\ step|next\ steps)\b
        | \bhow\ (?:fast|quick|quickly|soon|long)\ (?:can|could|would|will|do|does)\b
        | \b(?:do|would|will|can)\ (?:you|u|yall|you\ guys)\ (?:buy|purchase|take|pay|close|make|cover|need)\b
        | \b(?:what|which)\ (?:company|business|kind\ of\ company)\b | \bwhat\ do\ (?:you|u|yall|you\ guys)\ do\b
        | \b(?:are\ you|is\ this|r\ you)\ (?:a\ )?(?:legit|legitimate|real\ company|licensed|a\ realtor|an\ agent|investors?|wholesalers?)\b
        | \bwhere\ are\ (?:you|u|yall|you\ guys)\ (?:located|based|from)\b | \bany\ (?:fees|commission|closing\ costs|catch)\b
        | \bhow\ (?:do|did|would)\ (?:you|u)\ (?:come\ up\ with|figure|calculate|determine)\b
        """, RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex BusinessQuestion();

    [GeneratedRegex(@"^(?:what|when|where|why|how|who|which|can|could|do|does|did|is|are|will|would|should|may|whats|hows|wheres)\b")]
    private static partial Regex QuestionStart();

    [GeneratedRegex("""
        \b(?:who\ am\ i\ (?:speaking|talking|chatting)\ (?:with|to)|your\ name|who\ is\ this|whos\ this|may\ i\ ask\ who
            |with\ whom|who\ do\ i\ have)\b
        """, RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex NameQuestion();

    [GeneratedRegex("""
        \b(?:good\ time|what\ time|which\ time|when\ (?:is|would|works|can|could|are|should)|works\ best|work\ best
            |day\ and\ time|another\ time|other\ day|what\ day|best\ time)\b
        """, RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex TimeQuestion();

    [GeneratedRegex("""
        \b(?:i\ am\ not|this\ is\ not|this\ isn'?t|this\ aint|it'?s\ not|it\ is\ not|it\ isn'?t|i'?m\ not
            |don'?t\ know\ (?:a|an|any)|(?<bare>not))
        \s+(?<name>\p{L}[\p{L}'-]+)
        """, RegexOptions.IgnorePatternWhitespace | RegexOptions.IgnoreCase)]
    private static partial Regex DeniedName();
}
