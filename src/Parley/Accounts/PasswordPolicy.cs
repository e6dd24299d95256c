using System.Collections.Frozen;

namespace Parley.Accounts;

/// <summary>
/// What a new password must be, at sign-up, for a teammate and on a change: at least
/// <see cref="MinLength"/> characters, not built from the account's email or the business's name, and not a
/// common password (the 10,000 of <c>CommonPasswords.txt</c>, alone or with digits and symbols around it,
/// ignoring case) nor a run of one or two characters.
/// </summary>
public static class PasswordPolicy
{
    public const int MinLength = 12;
    public const int MaxLength = 200;

    private static readonly FrozenSet<string> Common = LoadCommon();

    /// <summary>The reason the password is refused, or null when it may be used.</summary>
    public static string? Check(string? password, string? email, string? businessName)
    {
        if (password is null || password.Length < MinLength)
        {
            return $"Use a password of at least {MinLength} characters.";
        }

        if (password.Length > MaxLength)
        {
            return $"Use a password of at most {MaxLength} characters.";
        }

        var compact = Compact(password);
        foreach (var personal in Personal(email, businessName))
        {
            if (compact.Contains(personal, StringComparison.Ordinal))
            {
                return "Choose a password that is not your email address or your business's name.";
            }
        }

        var core = compact.Trim(Decorations);
        return compact.Distinct().Count() <= 2 || Common.Contains(compact) || core.Length == 0 || Common.Contains(core)
            ? "That password is one of the most common passwords; choose one that is harder to guess."
            : null;
    }

    private static readonly char[] Decorations = "0123456789!@#$%^&*()-_=+.,;:?~'\"/\\|[]{}<>`".ToCharArray();

    /// <summary>Lower-cased, spaces and dots dropped, so "Birch Dental" and "birch.dental" read the same.</summary>
    private static string Compact(string text) =>
        new(text.ToLowerInvariant().Where(c => !char.IsWhiteSpace(c) && c != '.').ToArray());

    private static IEnumerable<string> Personal(string? email, string? businessName)
    {
        if (!string.IsNullOrWhiteSpace(email))
        {
            var at = email.IndexOf('@', StringComparison.Ordinal);
            yield return Compact(at > 0 ? email[..at] : email) is { Length: >= 4 } local ? local : "\0";
            yield return Compact(email);
        }

        if (Compact(businessName ?? "") is { Length: >= 4 } business)
        {
            yield return business;
        }
    }

    private static FrozenSet<string> LoadCommon()
    {
        using var stream = typeof(PasswordPolicy).Assembly.GetManifestResourceStream("Parley.Accounts.CommonPasswords.txt")
            ?? throw new InvalidOperationException("The common-password list is not embedded in the app.");
        using var reader = new StreamReader(stream);
        var words = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0 && line[0] != '#')
            {
                words.Add(Compact(line));
            }
        }

        return words.ToFrozenSet(StringComparer.Ordinal);
    }
}
