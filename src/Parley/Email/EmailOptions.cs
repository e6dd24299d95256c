using Microsoft.Extensions.Options;

namespace Parley.Email;

/// <summary>How the SMTP connection is secured: <c>Auto</c> lets MailKit pick from the port (465 implicit TLS,
/// otherwise STARTTLS when the server offers it).</summary>
public enum SmtpSecurity
{
    Auto,
    None,
    StartTls,
    SslOnConnect,
}

/// <summary>Bound from <c>Parley:Email</c>. Without a <see cref="Host"/>, Parley sends no email: alerts still show in the
/// dashboard and the activity log.</summary>
public sealed class EmailOptions
{
    public const string Section = "Parley:Email";

    public string? Host { get; set; }

    public int Port { get; set; } = 587;

    public SmtpSecurity Security { get; set; } = SmtpSecurity.Auto;

    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>The sender, e.g. <c>Parley &lt;alerts@example.com&gt;</c>.</summary>
    public string? From { get; set; }

    /// <summary>At most one alert per conversation in this window: a conversation that escalates again soon after
    /// does not fill an inbox.</summary>
    public TimeSpan AlertWindow { get; set; } = TimeSpan.FromMinutes(30);

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    public bool Enabled => !string.IsNullOrWhiteSpace(Host);
}

internal sealed class EmailOptionsValidator : IValidateOptions<EmailOptions>
{
    public ValidateOptionsResult Validate(string? name, EmailOptions options)
    {
        var errors = new List<string>();
        if (options.Enabled)
        {
            if (options.Port is < 1 or > 65535)
            {
                errors.Add("Parley:Email:Port must be between 1 and 65535.");
            }

            if (string.IsNullOrWhiteSpace(options.From) || !MimeKit.MailboxAddress.TryParse(options.From, out _))
            {
                errors.Add("Parley:Email:From must be a sender address such as 'Parley <alerts@example.com>' when Parley:Email:Host is set.");
            }
        }

        if (options.AlertWindow < TimeSpan.Zero)
        {
            errors.Add("Parley:Email:AlertWindow cannot be negative.");
        }

        if (options.Timeout <= TimeSpan.Zero)
        {
            errors.Add("Parley:Email:Timeout must be positive.");
        }

        return OptionsValidators.Result(errors);
    }
}
