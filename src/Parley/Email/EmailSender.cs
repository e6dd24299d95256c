using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Parley.Email;

/// <summary>A plain-text email to some people.</summary>
public sealed record OutgoingEmail(IReadOnlyList<string> To, string Subject, string Body);

/// <summary>Sends email over SMTP with MailKit. A failure throws, so the queued work that called it is tried again later.</summary>
public sealed partial class EmailSender(IOptions<EmailOptions> options, ILogger<EmailSender> logger)
{
    public bool Enabled => options.Value.Enabled;

    public async Task SendAsync(OutgoingEmail email, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(email);
        var settings = options.Value;
        if (!settings.Enabled || email.To.Count == 0)
        {
            return;
        }

        using var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(settings.From!));
        foreach (var to in email.To)
        {
            message.To.Add(MailboxAddress.Parse(to));
        }

        message.Subject = email.Subject;
        message.Body = new TextPart("plain") { Text = email.Body };

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.Timeout);
        using var client = new SmtpClient();
        var security = settings.Security switch
        {
            SmtpSecurity.None => SecureSocketOptions.None,
            SmtpSecurity.StartTls => SecureSocketOptions.StartTls,
            SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
            _ => SecureSocketOptions.Auto,
        };
        await client.ConnectAsync(settings.Host!, settings.Port, security, timeout.Token);
        if (!string.IsNullOrEmpty(settings.Username))
        {
            await client.AuthenticateAsync(settings.Username, settings.Password ?? string.Empty, timeout.Token);
        }

        await client.SendAsync(message, timeout.Token);
        await client.DisconnectAsync(true, timeout.Token);
        LogSent(logger, email.To.Count, email.Subject);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Emailed {Recipients} recipient(s): {Subject}")]
    private static partial void LogSent(ILogger logger, int recipients, string subject);
}
