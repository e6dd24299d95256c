using System.Text;

namespace Parley.Agent.Rules;

/// <summary>
/// One canonical spelling of a text message so that phrase tables need one entry per phrase:
/// lower case, apostrophes dropped ("don't" → "dont"), other punctuation turned into spaces
/// (":" and "/" survive between digits, for "4:30" and "11/25"), runs of a repeated letter squeezed
/// ("stooop" → "stop"), whitespace collapsed, and a few common texting spellings fixed ("tmrw" → "tomorrow").
/// </summary>
internal static class TextNormalizer
{
    private static readonly Dictionary<string, string> Spellings = new(StringComparer.Ordinal)
    {
        ["intrested"] = "interested",
        ["intersted"] = "interested",
        ["interseted"] = "interested",
        ["interestd"] = "interested",
        ["intereted"] = "interested",
        ["inerested"] = "interested",
        ["interessted"] = "interested",
        ["insterested"] = "interested",
        ["intrest"] = "interest",
        ["intrestd"] = "interested",
        ["intetested"] = "interested",
        ["tmrw"] = "tomorrow",
        ["tmr"] = "tomorrow",
        ["tmrow"] = "tomorrow",
        ["tmro"] = "tomorrow",
        ["tmw"] = "tomorrow",
        ["tomorow"] = "tomorrow",
        ["tommorow"] = "tomorrow",
        ["tommorrow"] = "tomorrow",
        ["tomorro"] = "tomorrow",
        ["tomoro"] = "tomorrow",
        ["tomrw"] = "tomorrow",
        ["tomm"] = "tomorrow",
        ["2morrow"] = "tomorrow",
        ["2morow"] = "tomorrow",
        ["2moro"] = "tomorrow",
        ["2mrw"] = "tomorrow",
        ["tmrrw"] = "tomorrow",
        ["tomorrw"] = "tomorrow",
        ["tonite"] = "tonight",
        ["2nite"] = "tonight",
        ["2night"] = "tonight",
        ["2day"] = "today",
        ["thx"] = "thanks",
        ["thnx"] = "thanks",
        ["thanx"] = "thanks",
        ["thks"] = "thanks",
        ["ty"] = "thanks",
        ["tks"] = "thanks",
        ["thankyou"] = "thank you",
        ["pls"] = "please",
        ["plz"] = "please",
        ["plse"] = "please",
        ["pleas"] = "please",
        ["u"] = "you",
        ["ur"] = "your",
        ["r"] = "are",
        ["txt"] = "text",
        ["txts"] = "texts",
        ["txting"] = "texting",
        ["texing"] = "texting",
        ["txted"] = "texted",
        ["msg"] = "message",
        ["msgs"] = "messages",
        ["msging"] = "messaging",
        ["mesage"] = "message",
        ["wrng"] = "wrong",
        ["numbr"] = "number",
        ["nmbr"] = "number",
        ["numba"] = "number",
        ["num"] = "number",
        ["iam"] = "i am",
        ["dnt"] = "dont",
        ["nothanks"] = "no thanks",
        ["nothx"] = "no thanks",
        ["helo"] = "hello",
        ["hellow"] = "hello",
        ["heyy"] = "hey",
        ["hii"] = "hi",
        ["k"] = "ok",
        ["kk"] = "ok",
        ["okk"] = "ok",
        ["okey"] = "ok",
        ["okie"] = "ok",
        ["oky"] = "ok",
        ["okay"] = "ok",
        ["yea"] = "yeah",
        ["ya"] = "yeah",
        ["yah"] = "yeah",
        ["yeh"] = "yeah",
        ["yas"] = "yeah",
        ["naw"] = "nah",
        ["nop"] = "nope",
        ["gonna"] = "going to",
        ["wanna"] = "want to",
        ["abt"] = "about",
        ["arnd"] = "around",
        ["b4"] = "before",
        ["l8r"] = "later",
        ["mon"] = "monday",
        ["tue"] = "tuesday",
        ["tues"] = "tuesday",
        ["weds"] = "wednesday",
        ["thu"] = "thursday",
        ["thur"] = "thursday",
        ["thurs"] = "thursday",
        ["thrs"] = "thursday",
        ["fri"] = "friday",
        ["mornin"] = "morning",
        ["evenin"] = "evening",
        ["aftnoon"] = "afternoon",
        ["afternon"] = "afternoon",
    };

    public static string Normalize(string text)
    {
        var chars = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = char.ToLowerInvariant(text[i]);
            if (c is '\'' or '\u2019' or '\u2018' or '`' or '\u00b4')
            {
                continue;
            }

            if (char.IsAsciiDigit(c) || char.IsLetter(c))
            {
                chars.Append(c);
            }
            else if (c is ':' or '/' && i > 0 && i + 1 < text.Length && char.IsAsciiDigit(text[i - 1]) && char.IsAsciiDigit(text[i + 1]))
            {
                chars.Append(c);
            }
            else
            {
                chars.Append(c switch
                {
                    '#' => " number ",
                    '&' => " and ",
                    '@' => " at ",
                    _ => " ",
                });
            }
        }

        var words = chars.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var result = new StringBuilder(chars.Length);
        foreach (var raw in words)
        {
            var word = SqueezeRepeats(raw);
            if (result.Length > 0)
            {
                result.Append(' ');
            }

            result.Append(Spellings.TryGetValue(word, out var fixedWord) ? fixedWord : word);
        }

        return result.ToString();
    }

    /// <summary>Three or more of the same letter become one: "nooo" → "no", "pleaseee" → "please".</summary>
    private static string SqueezeRepeats(string word)
    {
        if (word.Length < 3)
        {
            return word;
        }

        var squeezed = new StringBuilder(word.Length);
        for (var i = 0; i < word.Length; i++)
        {
            var run = 1;
            while (i + run < word.Length && word[i + run] == word[i])
            {
                run++;
            }

            var keep = run >= 3 && char.IsLetter(word[i]) ? 1 : run;
            squeezed.Append(word[i], keep);
            i += run - 1;
        }

        return squeezed.ToString();
    }
}
