using System.Text.RegularExpressions;

namespace Parley.Agent.Rules;

/// <summary>
/// Finds the first name a texter gives ("this is Robert", "my name is Ana", "Robert here", or a bare
/// "robert" right after the agent asked) and refuses words that only look like one ("I'm interested").
/// </summary>
public static partial class NameExtractor
{
    /// <summary>Common words that follow "I'm" / "this is" / "it's" and are not names.</summary>
    private static readonly HashSet<string> NotNames = WordSet("""
        yes yeah yep yup no nope nah ok okay hi hello hey thanks thank sure maybe please sorry cool alright great
        nice perfect fine good well bye lol hmm um uh huh wow oh ah yo sup hola stop help info start pass idk omg
        wtf smh nvm np ty thx brb asap ikr whatever nothing depends rather anonymous unknown seriously

        interested uninterested looking busy here there ready not available free home back out outta away off
        done open new old late early glad happy sick ill tired retired confused curious unsure certain aware
        afraid married single divorced widowed still just also very really actually probably definitely already
        currently only even always never usually pretty quite somewhat kinda super totally completely almost
        able unable allowed supposed grateful excited worried upset mad angry annoyed frustrated better best
        worse older younger outside inside abroad overseas vacation work school lunch dinner class church alive
        concerned fed serious kidding joking positive hungry cold hot stuck swamped slammed game local lost sold
        awake asleep pregnant disabled broke rich poor desperate flexible easy chill alone together nervous
        skeptical hesitant unemployed employed deployed okay ridiculous crazy insane annoying stupid nuts absurd
        wild weird strange odd funny urgent important awesome amazing terrible horrible awful bad fake legit
        real correct incorrect wrong right true false sure considering thinking unreal worth vacant empty rented listed
        paid done fine free over

        the a an it its this that these those me him her he she they them we us you your my mine his hers their
        our who whos what whats when where why how which whom one someone somebody anyone anybody nobody noone
        everyone everybody none owner tenant agent realtor landlord wife husband mom mother dad father son
        daughter brother sister friend neighbor neighbour boss manager assistant spouse partner family kid
        mister mr mrs ms miss sir maam dr person guy lady man woman customer client human bot robot spam scam
        number phone house property call text message time at in on with from about for by to into over under
        around like and or but so if because as too up down all set gonna wanna going

        i im ive id ill its were youre theyre hes shes thats dont cant wont isnt

        today tonight tomorrow yesterday now later soon morning afternoon evening night noon week weekend
        monday tuesday wednesday thursday friday saturday sunday may
        """);

    /// <summary>Names given with a strong cue: "my name is Ana", "name's Ana".</summary>
    private static readonly string[][] StrongCues =
    [
        ["my", "name", "is"], ["my", "names"], ["the", "name", "is"], ["name", "is"], ["names"], ["you", "can", "call", "me"],
    ];

    /// <summary>Names given with a weak cue, which also starts many ordinary sentences ("I'm busy").</summary>
    private static readonly string[][] WeakCues =
    [
        ["this", "is"], ["its"], ["it", "is"], ["im"], ["i", "am"], ["this", "here", "is"], ["thisis"],
    ];

    /// <summary>Words that may follow a name given with a weak cue: "I'm Sarah and I'm interested".</summary>
    private static readonly HashSet<string> AfterName = WordSet("""
        and from here by btw speaking again with calling texting replying responding thanks the i im
        """);

    /// <summary>Words around a bare name answer: "Hi, it's Ana", "sure, Ana".</summary>
    private static readonly HashSet<string> Courtesy = WordSet("""
        hi hey hello sure yes yeah yep ok okay thanks thank you its it is name my names oh um uh hmm sorry of course
        """);

    /// <summary>The texter's first name, properly capitalised, or null when the message does not give one.</summary>
    /// <param name="agentAskedForName">The agent's last message asked who it is speaking with, so a bare
    /// "robert" is an answer.</param>
    public static string? Extract(string text, bool agentAskedForName)
    {
        var words = Tokenize(text);
        for (var i = 0; i < words.Count; i++)
        {
            var strong = MatchCue(words, i, StrongCues);
            if (strong > 0 && i + strong < words.Count && words[i + strong].IsWord && IsPlausibleName(words[i + strong].Text))
            {
                return Capitalize(words[i + strong].Text);
            }

            var weak = MatchCue(words, i, WeakCues);
            if (weak > 0 && i + weak < words.Count && IsNameAfterWeakCue(words, i + weak))
            {
                return Capitalize(words[i + weak].Text);
            }

            if (IsNameHere(words, i))
            {
                return Capitalize(words[i].Text);
            }
        }

        return agentAskedForName ? BareAnswer(words) : null;
    }

    /// <summary>Letters (accents included), hyphen or apostrophe inside, 2–20 characters, not a common word.</summary>
    public static bool IsPlausibleName(string candidate)
    {
        var name = candidate.Replace('\u2019', '\'');
        return name.Length is >= 2 and <= 20
            && NameShape().IsMatch(name)
            && !name.EndsWith("'s", StringComparison.OrdinalIgnoreCase)
            && !NotNames.Contains(name.Replace("'", "", StringComparison.Ordinal).ToLowerInvariant());
    }

    /// <summary>"ana" → "Ana", "o'brien" → "O'Brien", "MARY-JANE" → "Mary-Jane"; "McDonald" stays.</summary>
    public static string Capitalize(string name)
    {
        name = name.Replace('\u2019', '\'');
        var isMixedCase = name.Any(char.IsUpper) && name.Any(char.IsLower) && char.IsUpper(name[0]);
        if (isMixedCase)
        {
            return name;
        }

        var letters = name.ToLowerInvariant().ToCharArray();
        for (var i = 0; i < letters.Length; i++)
        {
            if (i == 0 || letters[i - 1] is '-' or '\'')
            {
                letters[i] = char.ToUpperInvariant(letters[i]);
            }
        }

        return new string(letters);
    }

    private static bool IsNameAfterWeakCue(List<Token> words, int index)
    {
        var candidate = words[index];
        if (!candidate.IsWord || !IsPlausibleName(candidate.Text))
        {
            return false;
        }

        // "I'm exhausted", "this is unreal": a writer who capitalises elsewhere capitalises a name too,
        // and adjective-like endings need the capital to count.
        var capitalised = char.IsUpper(candidate.Text[0]);
        var writesCapitals = Enumerable.Range(0, words.Count).Any(i =>
            i != index && words[i].IsWord && char.IsUpper(words[i].Text[0]) && !IsSentenceStart(words, i) && !IsFirstPerson(words[i]));
        if (!capitalised && (writesCapitals || AdjectiveEnding().IsMatch(candidate.Lower)))
        {
            return false;
        }

        if (index + 1 >= words.Count || !words[index + 1].IsWord)
        {
            return true;
        }

        var next = words[index + 1];
        return AfterName.Contains(next.Lower) || (char.IsUpper(next.Text[0]) && char.IsUpper(candidate.Text[0]));
    }

    private static bool IsSentenceStart(List<Token> words, int index) => index == 0 || words[index - 1].IsBreak;

    private static bool IsFirstPerson(Token word) => word.Bare is "i" or "im" or "ive" or "ill" or "id";

    /// <summary>"Robert here" at the start of the message or of a sentence.</summary>
    private static bool IsNameHere(List<Token> words, int index) =>
        IsSentenceStart(words, index)
        && words[index].IsWord
        && index + 1 < words.Count && words[index + 1].Lower == "here"
        && (index + 2 >= words.Count || !words[index + 2].IsWord || AfterName.Contains(words[index + 2].Lower))
        && IsPlausibleName(words[index].Text);

    /// <summary>After "Who am I speaking with?": "Robert", "robert smith", "Hi, Ana :)", "Robert. Call me at 3".
    /// The first sentence with anything but courtesy words in it must be one or two name-like words.</summary>
    private static string? BareAnswer(List<Token> tokens)
    {
        var sentence = new List<Token>();
        foreach (var token in tokens.Append(Token.Break))
        {
            if (token.IsWord)
            {
                if (!Courtesy.Contains(token.Bare))
                {
                    sentence.Add(token);
                }

                continue;
            }

            if (sentence.Count > 0)
            {
                return sentence.Count <= 2 && sentence.All(w => IsPlausibleName(w.Text)) ? Capitalize(sentence[0].Text) : null;
            }
        }

        return null;
    }

    private static int MatchCue(List<Token> words, int start, string[][] cues)
    {
        foreach (var cue in cues)
        {
            if (start + cue.Length > words.Count)
            {
                continue;
            }

            var matches = true;
            for (var k = 0; k < cue.Length && matches; k++)
            {
                matches = words[start + k].IsWord && words[start + k].Bare == cue[k];
            }

            if (matches)
            {
                return cue.Length;
            }
        }

        return 0;
    }

    private static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        foreach (Match match in TokenPattern().Matches(text.Replace('\u2019', '\'')))
        {
            var value = match.Value.Trim('\'', '-');
            if (value.Length == 0)
            {
                continue;
            }

            var isWord = char.IsLetter(value[0]);
            tokens.Add(new Token(value, value.ToLowerInvariant(), value.Replace("'", "", StringComparison.Ordinal).ToLowerInvariant(), isWord));
        }

        return tokens;
    }

    private static HashSet<string> WordSet(string words) =>
        new(words.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries), StringComparer.Ordinal);

    /// <param name="Text">as written</param>
    /// <param name="Lower">lower case</param>
    /// <param name="Bare">lower case without apostrophes, to compare with cues ("I'm" → "im")</param>
    private sealed record Token(string Text, string Lower, string Bare, bool IsWord)
    {
        public static readonly Token Break = new(".", ".", ".", IsWord: false);

        public bool IsBreak => !IsWord && !char.IsAsciiDigit(Text[0]);
    }

    [GeneratedRegex("(?:ing|ed|ly|ous|ful|ive|ish|less|able)$")]
    private static partial Regex AdjectiveEnding();

    [GeneratedRegex(@"^\p{L}(?:[\p{L}]|['-](?=\p{L}))*$")]
    private static partial Regex NameShape();

    // Words (letters, with inner apostrophes and hyphens), numbers, and sentence punctuation as breaks.
    [GeneratedRegex(@"\p{L}[\p{L}'-]*|[0-9]+|[.,!?;:\n()]")]
    private static partial Regex TokenPattern();
}
