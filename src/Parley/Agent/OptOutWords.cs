using System.Text.RegularExpressions;
using Parley.Agent.Rules;

namespace Parley.Agent;

public enum OptIntent
{
    None,
    OptOut,
    OptIn,
    Help,
}

/// <summary>
/// The deterministic opt-out guard that runs before any model. Carrier keywords count only as the whole
/// message ("Stop." yes, "stop by tomorrow?" no); revocation phrases a reasonable person would understand
/// (FCC 2025) count anywhere in the message ("please stop texting me"). When in doubt between a keyword
/// standing alone as a sentence and ordinary use, the standalone sentence wins: "Wrong number. STOP".
/// </summary>
public static partial class OptOutWords
{
    private static readonly PhraseSet CarrierKeywords = new(
        "stop", "stopall", "stop all", "unsubscribe", "cancel", "end", "quit", "start", "unstop", "help");

    private static readonly PhraseSet OptOutKeywords = new(
        "stop", "stopall", "stop all", "unsubscribe", "cancel", "end", "quit", "revoke", "opt out", "optout",
        "stop it", "stop now", "stop stop", "remove", "remove me", "unsubscribe me", "opt me out");

    /// <summary>Keywords that also opt out when they stand alone as one sentence of a longer message.</summary>
    private static readonly PhraseSet OptOutSentences = new(
        "stop", "stopall", "stop all", "unsubscribe", "revoke", "opt out", "optout", "stop it", "stop now",
        "please stop", "stop please");

    private static readonly PhraseSet OptInKeywords = new("start", "unstop");

    private static readonly PhraseSet HelpKeywords = new("help", "info");

    private static readonly PhraseSet Courtesy = new("please", "thanks", "thank you", "now", "asap", "ok");

    public static OptIntent Classify(string text)
    {
        var normalized = SafetyCheck.Fold(TextNormalizer.Normalize(text));
        var core = StripCourtesy(normalized);
        if (OptOutKeywords.IsWhole(core) || IsOptOutSentence(text) || RevocationPhrase().IsMatch(normalized))
        {
            return OptIntent.OptOut;
        }

        if (OptInKeywords.IsWhole(core))
        {
            return OptIntent.OptIn;
        }

        return HelpKeywords.IsWhole(core) ? OptIntent.Help : OptIntent.None;
    }

    /// <summary>
    /// Exactly the keywords Telnyx handles itself (it already sent its own confirmation for these),
    /// so Parley must not send a second one.
    /// </summary>
    public static bool IsCarrierKeyword(string text) => CarrierKeywords.IsWhole(TextNormalizer.Normalize(text));

    private static bool IsOptOutSentence(string text)
    {
        foreach (var sentence in SentenceBreak().Split(text))
        {
            if (OptOutSentences.IsWhole(TextNormalizer.Normalize(sentence)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>"stop please", "please stop", "cancel thanks" are the keyword with manners around it.</summary>
    private static string StripCourtesy(string normalized)
    {
        var words = normalized.Split(' ');
        var first = 0;
        var last = words.Length - 1;
        while (first < last && Courtesy.IsWhole(words[first]))
        {
            first++;
        }

        while (last > first && (Courtesy.IsWhole(words[last]) || (words[last] == "you" && words[last - 1] == "thank")))
        {
            last -= words[last] == "you" ? 2 : 1;
        }

        return last < first ? "" : string.Join(' ', words[first..(last + 1)]);
    }

    [GeneratedRegex(@"[.!?;,\n\r]+")]
    private static partial Regex SentenceBreak();

    // Each alternative is a way a reasonable person says "stop contacting me"; the time-of-day
    // exceptions keep "don't text me before 9" a preference rather than a revocation.
    [GeneratedRegex("""
        (?<!\b(?:dont|do\ not|never|not)\ )\b(?:stop|quit|cease|end)\ (?:all\ )?(?:the\ |these\ |your\ |those\ )?
            (?:texting|texts|messaging|messages|text\ messages|contacting|calling|sending|bothering|harassing|spamming
              |emailing|reaching\ out)\b
        | \b(?:dont|do\ not|never|please\ dont|please\ do\ not)\ (?:ever\ )?(?:text|message|contact|sms|email|spam|bother)
            \ (?:me|us|this\ number|my\ number|my\ phone|again)\b
            (?!\ (?:before|after|until|till|til|during|at|on|in|between|while|when|so\ early|so\ late|this\ early|this\ late
              |late|early)\b)
        | \b(?:remove|delete|take|drop|erase|scratch)
            \ (?:me|my\ number|my\ phone\ number|my\ phone|my\ cell|this\ number|us|my\ info|my\ information|my\ name|my\ contact)
            \ (?:from|off)\b
        | \bremove\ me\b | \b(?:take|put|get)\ me\ off\b | \btake\ (?:my\ number|this\ number)\ off\b
        | \bget\ off\ (?:your|this|the)\ (?:list|texting\ list|mailing\ list|contact\ list)\b
        | \b(?:go\ away|get\ lost|f\ off|fuck\ off|piss\ off|bugger\ off|buzz\ off)\b
        | \bunsubscribe\b | \bopt\ ?(?:me\ )?out\b | \boptout\b
        | \blose\ (?:my|this)\ (?:number|phone\ number|contact|info)\b
        | \b(?:delete|remove|erase)\ (?:my|this)\ (?:number|phone\ number|info|information|contact)\b
        | \bleave\ (?:me|us)\ alone\b
        | \bno\ more\ (?:texts|text|messages|message|texting|text\ messages)\b
        | \b(?:dont|do\ not)\ (?:want|need)\ (?:any\ ?more\ |more\ |your\ |these\ |those\ |any\ )?(?:texts|messages|text\ messages)\b
        | \b(?:do\ not|dont)\ (?:call|contact|text)\ list\b | \bdnc\b
        | \brevoke\b | \b(?:withdraw|cancel)\ (?:my\ )?consent\b
        | \boff\ (?:your|the|this|ur|yall|you)\ (?:list|texting\ list|call\ list|contact\ list|mailing\ list|lists)\b
        | \bstop\ (?:with\ )?(?:the\ )?(?:text|message|texts|messages)\ (?:me|us|this)\b
        | \bstop\ with\ (?:the\ |these\ |your\ )?(?:texts|messages)\b
        | \b(?:dont|do\ not)\ (?:want\ to\ )?(?:receive|get)\ (?:any\ )?(?:more\ )?(?:of\ )?(?:these\ |your\ )?(?:texts|messages|text\ messages)\b
        | \b(?:dont|do\ not)\ (?:want\ to\ )?be\ (?:contacted|texted|messaged)\b
        | \b(?:im\ |i\ am\ |i\ will\ |ill\ )?block(?:ing)?\ (?:you|this\ number|your\ number)\b
        | \bno\ me\ (?:vuelvas?\ a\ |vuelvan\ a\ |vuelva\ a\ )?(?:escrib|mand|envi|text|contact|molest)\w*
        | \b(?:deja|dejen|deje|dejar|para|paren|pare)\ de\ (?:escribir|mandar|enviar|textear|contactar|molestar|llamar)\w*
        | \b(?:borr|quit|sac|elimin)\w*\ (?:de\ (?:su|tu|la|sus)\ (?:lista|listas|contactos)|mi\ numero|mi\ telefono|mi\ celular|este\ numero)\b
        | \b(?:borrenme|borrame|quitenme|quitame|saquenme|eliminenme|eliminame)\b
        | \b(?:ya\ )?no\ (?:quiero|deseo)\ (?:recibir\ )?(?:mas\ )?(?:sus\ |tus\ )?(?:mensajes|textos)\b
        | \bno\ mas\ (?:mensajes|textos)\b
        | \b(?:dar(?:me)?|denme|deme)\ de\ baja\b
        """, RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex RevocationPhrase();
}
