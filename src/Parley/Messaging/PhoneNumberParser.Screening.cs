using System.Globalization;
using System.Text.RegularExpressions;

namespace Parley.Messaging;

/// <summary>What is refused before libphonenumber is asked: input a text message cannot use (an extension,
/// letters) or no phone number could be (empty, too long, too few digits).</summary>
public sealed partial class PhoneNumberParser
{
    // What the library would accept but a text message cannot use, and input no phone number could be.
    private static string? Screen(string? input)
    {
        if (string.IsNullOrWhiteSpace(input))
        {
            return "A phone number is required.";
        }

        var trimmed = input.AsSpan().Trim();
        if (trimmed.Length > MaxInputLength)
        {
            return $"A phone number has at most {MaxInputLength} characters; this one has {trimmed.Length}.";
        }

        var shown = trimmed.ToString();
        var text = shown.StartsWith("tel:", StringComparison.OrdinalIgnoreCase) ? shown[4..] : shown;
        if (HasExtension(text))
        {
            return $"'{shown}' has an extension; a text message can't reach an extension, so leave it off.";
        }

        // Letters would be read as a keypad word (1-800-FLOWERS); people text digits.
        if (!TryCountDigits(text, out var digits))
        {
            return $"'{shown}' contains characters that are not part of a phone number.";
        }

        return digits < MinDigits ? $"'{shown}' is too short to be a phone number." : null;
    }

    private static bool HasExtension(string text)
    {
        var match = ExtensionSuffix().Match(text);
        if (!match.Success)
        {
            return false;
        }

        var number = text.AsSpan(0, match.Index);
        return number.ContainsAnyInRange('0', '9') && !number.ContainsAnyInRange('A', 'Z') && !number.ContainsAnyInRange('a', 'z');
    }

    // Digits of any script (full-width, Arabic-Indic…) count; a '+' may come only before the first digit.
    private static bool TryCountDigits(string text, out int digits)
    {
        digits = 0;
        var plus = false;
        foreach (var c in text)
        {
            if (char.IsDigit(c))
            {
                digits++;
            }
            else if (c is '+' or '\uFF0B')
            {
                if (plus || digits > 0)
                {
                    return false;
                }

                plus = true;
            }
            else if (!IsSeparator(c))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsSeparator(char c) =>
        char.IsWhiteSpace(c)
        || c is '-' or '.' or '(' or ')' or '[' or ']' or '/'
        || c is (>= '\u2010' and <= '\u2015') or '\u2212' // hyphens and dashes, minus
        || c is '\uFF08' or '\uFF09' or '\uFF0D' or '\uFF0E' or '\uFF0F' // full-width ( ) - . /
        || char.GetUnicodeCategory(c) == UnicodeCategory.Format; // zero-width and direction marks from copy-paste

    [GeneratedRegex(@"(?:ext(?:ension)?\.?|x|#)\s*\d{1,7}\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex ExtensionSuffix();
}
