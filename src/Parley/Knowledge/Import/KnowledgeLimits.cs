using Microsoft.Extensions.Options;

namespace Parley.Knowledge.Import;

/// <summary>Bound from <c>Parley:Knowledge</c>: how much one file or page may bring in, and how URL sources are fetched.</summary>
public sealed class KnowledgeLimits
{
    public const string Section = "Parley:Knowledge";

    /// <summary>Largest file or web page read, in bytes; a page is cut off (and refused) past it.</summary>
    public long MaxBytes { get; set; } = 5 * 1024 * 1024;

    /// <summary>Most passages one file or page may become.</summary>
    public int MaxPassages { get; set; } = 500;

    /// <summary>Longest passage, in characters; longer sections are split at paragraph, then sentence boundaries.</summary>
    public int MaxPassageChars { get; set; } = 1200;

    /// <summary>Whole time a web page fetch may take, redirects included.</summary>
    public TimeSpan FetchTimeout { get; set; } = TimeSpan.FromSeconds(20);

    public int MaxRedirects { get; set; } = 5;

    /// <summary>How often a URL source is fetched again to pick up changes on the page.</summary>
    public TimeSpan RefetchInterval { get; set; } = TimeSpan.FromDays(1);
}

internal sealed class KnowledgeLimitsValidator : IValidateOptions<KnowledgeLimits>
{
    public ValidateOptionsResult Validate(string? name, KnowledgeLimits options)
    {
        const string s = KnowledgeLimits.Section;
        var errors = new List<string>();
        if (options.MaxBytes is < 1024 or > 100 * 1024 * 1024)
        {
            errors.Add($"{s}:MaxBytes must be between 1024 and 104857600 (100 MB); got {options.MaxBytes}.");
        }

        if (options.MaxPassages is < 1 or > 100_000)
        {
            errors.Add($"{s}:MaxPassages must be between 1 and 100000; got {options.MaxPassages}.");
        }

        if (options.MaxPassageChars is < 200 or > 20_000)
        {
            errors.Add($"{s}:MaxPassageChars must be between 200 and 20000; got {options.MaxPassageChars}.");
        }

        if (options.FetchTimeout <= TimeSpan.Zero || options.FetchTimeout > TimeSpan.FromMinutes(5))
        {
            errors.Add($"{s}:FetchTimeout must be positive and at most 00:05:00; got {options.FetchTimeout}.");
        }

        if (options.MaxRedirects is < 0 or > 20)
        {
            errors.Add($"{s}:MaxRedirects must be between 0 and 20; got {options.MaxRedirects}.");
        }

        if (options.RefetchInterval < TimeSpan.FromMinutes(5))
        {
            errors.Add($"{s}:RefetchInterval must be at least 00:05:00; got {options.RefetchInterval}.");
        }

        return OptionsValidators.Result(errors);
    }
}
