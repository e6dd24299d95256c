using System.Collections.Frozen;

namespace Parley.Knowledge;

/// <summary>How people text, spelled out the way a business writes: contractions, shorthand, and the words
/// texters use in place of the ones in an FAQ.</summary>
internal static class TextingShorthand
{
    /// <summary>A word as texted → the words it stands for.</summary>
    public static readonly FrozenDictionary<string, string> Expansions = new Dictionary<string, string>
    {
        // Contractions, with and without the apostrophe.
        ["don't"] = "do not",
        ["dont"] = "do not",
        ["doesn't"] = "does not",
        ["doesnt"] = "does not",
        ["didn't"] = "did not",
        ["didnt"] = "did not",
        ["can't"] = "can not",
        ["cant"] = "can not",
        ["cannot"] = "can not",
        ["won't"] = "will not",
        ["wont"] = "will not",
        ["isn't"] = "is not",
        ["isnt"] = "is not",
        ["aren't"] = "are not",
        ["arent"] = "are not",
        ["wouldn't"] = "would not",
        ["wouldnt"] = "would not",
        ["what's"] = "what is",
        ["whats"] = "what is",
        ["wats"] = "what is",
        ["how's"] = "how is",
        ["hows"] = "how is",
        ["where's"] = "where is",
        ["wheres"] = "where is",
        ["who's"] = "who is",
        ["whos"] = "who is",
        ["when's"] = "when is",
        ["it's"] = "it is",
        ["that's"] = "that is",
        ["thats"] = "that is",
        ["there's"] = "there is",
        ["theres"] = "there is",
        ["i'm"] = "i am",
        ["im"] = "i am",
        ["i've"] = "i have",
        ["ive"] = "i have",
        ["i'd"] = "i would",
        ["i'll"] = "i will",
        ["you're"] = "you are",
        ["youre"] = "you are",
        ["you'll"] = "you will",
        ["you'd"] = "you would",
        ["youd"] = "you would",
        ["ud"] = "you would",
        ["you've"] = "you have",
        ["y'all"] = "you",
        ["we're"] = "we are",
        ["they're"] = "they are",
        ["theyre"] = "they are",
        ["let's"] = "let us",

        // Texting shorthand.
        ["u"] = "you",
        ["ya"] = "you",
        ["yu"] = "you",
        ["yall"] = "you",
        ["ur"] = "your",
        ["yr"] = "your",
        ["r"] = "are",
        ["ru"] = "are you",
        ["pls"] = "please",
        ["plz"] = "please",
        ["wat"] = "what",
        ["wut"] = "what",
        ["wht"] = "what",
        ["wha"] = "what",
        ["hw"] = "how",
        ["hwo"] = "how",
        ["wen"] = "when",
        ["whn"] = "when",
        ["wher"] = "where",
        ["whr"] = "where",
        ["y"] = "why",
        ["gonna"] = "going to",
        ["wanna"] = "want to",
        ["gotta"] = "got to",
        ["gimme"] = "give me",
        ["lemme"] = "let me",
        ["kinda"] = "kind of",
        ["n"] = "and",
        ["nd"] = "and",
        ["&"] = "and",
        ["b4"] = "before",
        ["cuz"] = "because",
        ["coz"] = "because",
        ["bc"] = "because",
        ["abt"] = "about",
        ["bout"] = "about",
        ["w"] = "with",
        ["wit"] = "with",
        ["thru"] = "through",
        ["tho"] = "though",
        ["ppl"] = "people",
        ["idk"] = "i do not know",
        ["rn"] = "right now",
        ["asap"] = "as soon as possible",
        ["prolly"] = "probably",
        ["2"] = "to",
        ["4"] = "for",
        ["tmrw"] = "tomorrow",
        ["msg"] = "message",
        ["txt"] = "text",
        ["txting"] = "texting",
        ["txted"] = "texted",
        ["num"] = "number",
        ["#"] = "number",
        ["fone"] = "phone",
        ["ph"] = "phone",
        ["info"] = "information",
        ["co"] = "company",
        ["biz"] = "business",
        ["hse"] = "house",
        ["hous"] = "house",
        ["prop"] = "property",
        ["$"] = "money",
        ["$$"] = "money",
        ["k"] = "thousand",
        ["realtor"] = "real estate agent",
        ["relator"] = "real estate agent",
        ["agent's"] = "agent",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Words that mean the same to a texter as the word a business wrote; a question's word also
    /// searches for the others of its group. Stems only where the index would not make them alike.</summary>
    private static readonly string[][] Groups =
    [
        // Not "land", "lot" or "condo": a business that buys houses may not buy those, and "do you buy vacant land"
        // must not read as a question about houses.
        ["house", "home", "property", "place", "houses", "homes", "properties"],
        ["buy", "purchase", "offer", "acquire", "bought", "buying"],
        ["sell", "sale", "selling", "sold"],
        // Not "time": texters mean the clock ("what time works") more often than speed.
        ["fast", "quick", "quickly", "soon", "speed", "rush", "hurry", "long"],
        ["cost", "price", "fee", "fees", "charge", "charges", "commission", "commissions", "pay", "costs", "expensive", "money"],
        ["fix", "repair", "repairs", "fixing", "renovate", "renovation", "damage", "damaged", "condition", "broken", "work", "needs",
            "fixer", "upper", "uppers", "shape", "rough", "bad", "rundown", "mold", "gutted", "falling", "apart", "ugly", "old",
            "roof", "kitchen", "bathroom", "basement", "foundation", "leak", "leaks", "flood", "floods", "flooded", "fire"],
        ["tenant", "tenants", "renter", "renters", "rented", "renting", "rental", "rentals", "occupied", "lease", "leased"],
        ["day", "days", "week", "weeks", "month", "months", "date"],
        ["close", "closing", "closed"],
        ["area", "areas", "location", "locations", "city", "cities", "region", "county", "neighborhood", "neighbourhood", "serve", "cover"],
        ["clean", "cleanout", "empty", "junk", "stuff", "belongings", "furniture", "leave", "things", "cleaning"],
        ["fair", "lowball", "low", "worth", "value", "cheap", "market"],
        ["number", "phone", "contact", "cell", "information", "list"],
        ["company", "business", "who", "yourselves", "firm", "investor", "investors"],
        ["get", "got", "find", "found", "obtain"],
        ["agent", "realtor", "broker"],
        ["cash", "money"],
    ];

    public static readonly FrozenDictionary<string, string[]> Synonyms = BuildSynonyms();

    private static FrozenDictionary<string, string[]> BuildSynonyms()
    {
        var map = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var group in Groups)
        {
            foreach (var word in group)
            {
                if (!map.TryGetValue(word, out var set))
                {
                    map[word] = set = new HashSet<string>(StringComparer.Ordinal);
                }

                set.UnionWith(group);
            }
        }

        return map.ToFrozenDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.Ordinal);
    }

    /// <summary>Words that carry no meaning for a search; the full-text query leaves them out.</summary>
    public static readonly FrozenSet<string> StopWords = new[]
    {
        "a", "an", "the", "and", "or", "but", "if", "of", "to", "in", "on", "at", "by", "for", "with", "about", "from", "as", "into", "up", "out",
        "is", "are", "was", "were", "be", "been", "being", "am", "do", "does", "did", "have", "has", "had", "can", "could", "will", "would",
        "should", "may", "might", "must", "shall", "i", "me", "my", "mine", "we", "us", "our", "you", "your", "yours", "he", "she", "it", "its", "they", "them",
        "their", "this", "that", "these", "those", "what", "which", "how", "when", "why", "there", "here", "so", "just", "not", "no", "yes", "ok", "okay",
        "hi", "hey", "hello", "please", "thanks", "thank", "any", "some", "all", "very", "really", "too", "also", "then", "than", "going", "want",
        "like", "know", "need", "let", "tell", "say", "said", "right", "now", "well", "even", "ever", "much", "many", "one", "it", "guys", "ur",
    }.ToFrozenSet(StringComparer.Ordinal);
}
