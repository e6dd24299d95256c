using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using MimeKit;
using SmtpServer;
using SmtpServer.ComponentModel;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace Parley.Tests.Fakes;

/// <summary>A real SMTP server on 127.0.0.1 (the SmtpServer package) that keeps every message it is handed, so Parley's
/// MailKit client runs against the protocol, not a stub.</summary>
public sealed class SmtpInbox : IAsyncDisposable
{
    private readonly ConcurrentQueue<MimeMessage> messages = new();
    private readonly CancellationTokenSource stop = new();
    private Task running = Task.CompletedTask;

    public int Port { get; private set; }

    public IReadOnlyList<MimeMessage> Messages => messages.ToList();

    /// <summary>The messages addressed to <paramref name="address"/>.</summary>
    public IReadOnlyList<MimeMessage> To(string address) =>
        messages.Where(m => m.To.Mailboxes.Any(b => string.Equals(b.Address, address, StringComparison.OrdinalIgnoreCase))).ToList();

    public Dictionary<string, string?> AppSettings() => new()
    {
        ["Parley:Email:Host"] = "127.0.0.1",
        ["Parley:Email:Port"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Parley:Email:Security"] = "None",
        ["Parley:Email:From"] = "Parley <alerts@parley.test>",
        ["Parley:DashboardUrl"] = "https://parley.test",
    };

    public static Task<SmtpInbox> StartAsync()
    {
        var inbox = new SmtpInbox();
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            inbox.Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        var options = new SmtpServerOptionsBuilder().ServerName("localhost")
            .Endpoint(e => e.Endpoint(new IPEndPoint(IPAddress.Loopback, inbox.Port))).Build();
        var services = new ServiceProvider();
        services.Add(new Store(inbox.messages));
        inbox.running = new SmtpServer.SmtpServer(options, services).StartAsync(inbox.stop.Token);
        return Task.FromResult(inbox);
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        try
        {
            await running;
        }
        catch (OperationCanceledException)
        {
        }

        stop.Dispose();
    }

    private sealed class Store(ConcurrentQueue<MimeMessage> messages) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            using var stream = new MemoryStream(buffer.ToArray());
            messages.Enqueue(await MimeMessage.LoadAsync(stream, cancellationToken));
            return SmtpResponse.Ok;
        }
    }
}
