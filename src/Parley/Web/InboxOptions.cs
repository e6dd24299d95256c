using Microsoft.Extensions.Options;

namespace Parley.Web;

/// <summary>How the dashboard's inbox reads (<c>Parley:Inbox</c>).</summary>
public sealed class InboxOptions
{
    public const string Section = "Parley:Inbox";

    /// <summary>A conversation in Needs Attention longer than this is highlighted as overdue.</summary>
    public TimeSpan AttentionSla { get; set; } = TimeSpan.FromHours(1);
}

public sealed class InboxOptionsValidator : IValidateOptions<InboxOptions>
{
    public ValidateOptionsResult Validate(string? name, InboxOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.AttentionSla <= TimeSpan.Zero || options.AttentionSla > TimeSpan.FromDays(30)
            ? ValidateOptionsResult.Fail("Parley:Inbox:AttentionSla must be more than zero and at most 30 days (e.g. 01:00:00).")
            : ValidateOptionsResult.Success;
    }
}
