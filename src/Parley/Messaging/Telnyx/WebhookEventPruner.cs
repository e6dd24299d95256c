using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Data;

namespace Parley.Messaging.Telnyx;

/// <summary>Stored webhook bodies are kept for <see cref="TelnyxOptions.WebhookRetention"/> (long past any carrier
/// retry, so deduplication still holds), then deleted: the table does not grow for ever.</summary>
public sealed partial class WebhookEventPruner(IServiceScopeFactory scopes, IOptions<TelnyxOptions> options, TimeProvider time, ILogger<WebhookEventPruner> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var pruned = await PruneAsync(stoppingToken);
                if (pruned > 0)
                {
                    LogPruned(logger, pruned);
                }

                await Task.Delay(options.Value.WebhookPruneInterval, time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogFailed(logger, ex);
                await Task.Delay(TimeSpan.FromMinutes(1), time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    public async Task<int> PruneAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ParleyDb>();
        var before = time.GetUtcNow().UtcDateTime - options.Value.WebhookRetention;
        return await db.WebhookEvents.Where(e => e.ReceivedAtUtc < before).ExecuteDeleteAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Pruned {Count} stored webhook events past their retention")]
    private static partial void LogPruned(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Pruning stored webhook events failed; trying again in a minute")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
