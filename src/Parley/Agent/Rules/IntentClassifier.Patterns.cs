using System.Text.RegularExpressions;

namespace Parley.Agent.Rules;

/// <summary>The patterns the classifier reads where a phrase table would need too many entries.</summary>
public static partial class IntentClassifier
{
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
        | \b(?:do|does)\ (?:you|u|yall|you\ guys|your\ company)\ (?:do|offer|handle|work\ with)\b
        | \b(?:do|does)\ (?:you|u|yall|you\ guys|your\ company)\ have\ (?:an?\ )?(?:office|location|website|license|reviews|references)\b
        | \bcan\ (?:i|we)\ (?:rent|lease|stay|keep\ living)\b
        | \b(?:what|which)\ (?:company|business|kind\ of\ company)\b | \bwhat\ do\ (?:you|u|yall|you\ guys)\ do\b
        | \b(?:are\ you|is\ this|r\ you)\ (?:a\ )?(?:legit|legitimate|real\ company|licensed|a\ realtor|an\ agent|investors?|wholesalers?)\b
        | \bwhere\ are\ (?:you|u|yall|you\ guys)\ (?:located|based|from)\b | \bany\ (?:fees|commission|closing\ costs|catch)\b
        | \bhow\ (?:do|did|would)\ (?:you|u)\ (?:come\ up\ with|figure|calculate|determine)\b
        """, RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex BusinessQuestion();

    [GeneratedRegex("""
        \b(?:do|does|did|can|could|will|would|are|have)\ (?:you|yall|your\ (?:company|business|team))\b
        | \b(?:what|where|which|who|how|when|why)\b.*\b(?:you|your|yall)\b
        | ^(?:can|could|may)\ (?:i|we)\ (?:see|get|have|ask|visit|check)\b
        """, RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex QuestionToUs();

    [GeneratedRegex("""
        \bhow\ (?:are|is)\ (?:you|yall|it\ going)\b | \b(?:are\ )?you\ (?:still\ )?there\b | \bdid\ you\ (?:get|see|receive)\ my\b
        | \bwhat\ (?:did|do)\ you\ (?:say|mean)\b | \bare\ you\ (?:ok|okay|sure|kidding|serious)\b
        """, RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex SmallTalk();

    [GeneratedRegex(@"\b(?:is\ that\ (?:ok|okay|fine|a\ problem|an\ issue|alright)|still\ (?:interested|buy|want\ it)|doable|possible|right)$", RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex QuestionTag();

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
