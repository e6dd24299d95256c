using Microsoft.Extensions.Options;

namespace Parley.Knowledge.Import;

internal sealed class KnowledgeLimitsValidator : IValidateOptions<KnowledgeLimits>
{
    public ValidateOptionsResult Validate(string? name, KnowledgeLimits options)
    {
        const string s = KnowledgeLimits.Section;
        var errors = new List<string>();
        if (options.MaxDocumentBytes is < 1024 or > 100 * 1024 * 1024)
        {
            errors.Add($"{s}:MaxDocumentBytes must be between 1024 and 104857600 (100 MB); got {options.MaxDocumentBytes}.");
        }

        if (options.MaxPassagesPerSource is < 1 or > 100_000)
        {
            errors.Add($"{s}:MaxPassagesPerSource must be between 1 and 100000; got {options.MaxPassagesPerSource}.");
        }

        if (options.MaxPassageChars is < 200 or > KnowledgeLimits.MaxTextLength)
        {
            errors.Add($"{s}:MaxPassageChars must be between 200 and {KnowledgeLimits.MaxTextLength}; got {options.MaxPassageChars}.");
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
