using System.Text.Json;
using System.Threading.Channels;
using Npgsql;
using Parley.Data;

namespace Parley.Conversations;

/// <summary>
/// Carries live events between app instances on PostgreSQL: each change made here is sent with
/// <c>pg_notify</c>, and notifications from other instances are handed to this instance's subscribers, so a
/// dashboard or <c>GET /api/events</c> stream sees every change whichever instance made it. On SQLite (one
/// instance) it does nothing. Events are a "look again" hint, never the data: one lost while reconnecting
/// costs a refresh, not a message.
/// </summary>
public sealed partial class PostgresEventRelay(ConversationEvents events, IConfiguration configuration, ILogger<PostgresEventRelay> logger) : BackgroundService
{
    public const string Channel = "parley_events";

    private readonly string instance = Guid.NewGuid().ToString("N");
    private readonly Channel<Notice> outbox = System.Threading.Channels.Channel.CreateBounded<Notice>(
        new BoundedChannelOptions(4096) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    private sealed record Notice(string I, Guid T, string E, Guid C, long? M);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (configuration.GetSection("Parley:Database").Get<DatabaseOptions>()?.Provider != DatabaseProvider.Postgres)
        {
            return;
        }

        var connectionString = configuration.GetConnectionString("Parley")!;
        events.Relay = (tenant, change) => outbox.Writer.TryWrite(new Notice(instance, tenant, change.Type, change.ConversationId, change.MessageId));
        await Task.WhenAll(ListenAsync(connectionString, stoppingToken), SendAsync(connectionString, stoppingToken));
    }

    private async Task ListenAsync(string connectionString, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(stoppingToken);
                connection.Notification += (_, e) => Receive(e.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                while (!stoppingToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogRelayError(logger, ex);
                await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken);
            }
        }
    }

    private void Receive(string payload)
    {
        try
        {
            if (JsonSerializer.Deserialize<Notice>(payload) is { } notice && notice.I != instance)
            {
                events.PublishLocal(notice.T, new ConversationEvent(notice.E, notice.C, notice.M));
            }
        }
        catch (JsonException)
        {
            // Not ours: ignore.
        }
    }

    private async Task SendAsync(string connectionString, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(stoppingToken);
                while (await outbox.Reader.WaitToReadAsync(stoppingToken))
                {
                    while (outbox.Reader.TryRead(out var notice))
                    {
                        await using var notify = new NpgsqlCommand("SELECT pg_notify(@channel, @payload)", connection);
                        notify.Parameters.AddWithValue("channel", Channel);
                        notify.Parameters.AddWithValue("payload", JsonSerializer.Serialize(notice));
                        await notify.ExecuteNonQueryAsync(stoppingToken);
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogRelayError(logger, ex);
                await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The PostgreSQL event relay lost its connection; reconnecting")]
    private static partial void LogRelayError(ILogger logger, Exception ex);
}
