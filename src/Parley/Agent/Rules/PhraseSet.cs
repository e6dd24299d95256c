namespace Parley.Agent.Rules;

/// <summary>A table of normalised phrases, matched on whole words.</summary>
internal sealed class PhraseSet(params string[] phrases)
{
    private readonly string[] padded = [.. phrases.Select(p => " " + p + " ")];
    private readonly HashSet<string> whole = new(phrases, StringComparer.Ordinal);

    /// <summary>True when one of the phrases occurs anywhere in the normalised text, on word boundaries.</summary>
    public bool FoundIn(string normalized)
    {
        var text = " " + normalized + " ";
        foreach (var phrase in padded)
        {
            if (text.Contains(phrase, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when the whole normalised text is one of the phrases.</summary>
    public bool IsWhole(string normalized) => whole.Contains(normalized);

    /// <summary>True when the normalised text starts with one of the phrases, as whole words.</summary>
    public bool StartsIn(string normalized)
    {
        var text = normalized + " ";
        foreach (var phrase in padded)
        {
            if (text.StartsWith(phrase.AsSpan(1), StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
