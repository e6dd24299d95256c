using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Agent;
using Parley.Data;
using Parley.Web;
using Parley.Work;
using StandardWebhooks;

namespace Parley.Webhooks;

/// <summary>
/// Makes one attempt at one delivery: signs the event's body (Standard Webhooks: <c>webhook-id</c> is the event's id
/// on every attempt), posts it, and records what came back. A 2xx ends the delivery for good; anything else queues the
/// next attempt after a growing wait, in the same transaction as this attempt's record. An endpoint that has failed
/// every attempt for <see cref="WebhookOptions.DisableAfter"/> is disabled and the owner told in the activity log.
/// If the process dies after the receiver answered but before the record is saved, the attempt runs again with the
/// same <c>webhook-id</c>: deliveries are at least once, and receivers drop repeats by that id.
/// </summary>
public sealed partial class WebhookDeliverer(
    ParleyDb db, IHttpClientFactory clients, ActivityLog activity, TimeProvider time,
    IOptions<WebhookOptions> options, IOptions<OutboundUrlOptions> outbound, ILogger<WebhookDeliverer> logger) : IWorkHandler
{
    public const string HttpClientName = "webhooks";

    public sealed record Payload(Guid DeliveryId, Guid EndpointId);

    /// <summary>One endpoint's attempts run one at a time, so a slow receiver is not flooded.</summary>
    public static readonly WorkKind<Payload> Work = new("webhook.deliver", (p, _) => $"webhook:{p.EndpointId:N}");

    public static void AddTo(IServiceCollection services)
    {
        services.AddHttpClient(HttpClientName, c =>
            {
                c.Timeout = Timeout.InfiniteTimeSpan; // each attempt has its own deadline
                c.DefaultRequestHeaders.UserAgent.ParseAdd("Parley-Webhooks/1.0");
            })
            .ConfigurePrimaryHttpMessageHandler(sp => OutboundUrlGuard.CreateHandler(sp.GetRequiredService<IOptions<OutboundUrlOptions>>().Value.AllowPrivateUrls));
        services.AddWorkHandler<WebhookDeliverer>(Work);
    }

    public async Task<WorkResult> HandleAsync(WorkItem item, CancellationToken cancellationToken)
    {
        var payload = Work.Read(item);
        var delivery = await db.WebhookDeliveries.Include(d => d.Event).FirstOrDefaultAsync(d => d.Id == payload.DeliveryId, cancellationToken);
        if (delivery is not { Status: DeliveryStatus.Pending })
        {
            return WorkResult.Done; // delivered (never again), given up, or deleted with its endpoint
        }

        var endpoint = await db.WebhookEndpoints.FirstAsync(e => e.Id == delivery.EndpointId, cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        if (!endpoint.Enabled)
        {
            GiveUp(delivery, "Not sent: the endpoint is disabled.");
            return WorkResult.Done;
        }

        delivery.Attempts++;
        delivery.LastAttemptAtUtc = now;
        var (code, error, refused) = await PostAsync(endpoint, delivery, cancellationToken);
        delivery.ResponseCode = code;
        if (refused)
        {
            GiveUp(delivery, error!);
            LogRefused(logger, delivery.Id, endpoint.Id);
            return WorkResult.Done;
        }

        if (code is >= 200 and < 300)
        {
            delivery.Status = DeliveryStatus.Delivered;
            delivery.DeliveredAtUtc = now;
            delivery.NextAttemptAtUtc = null;
            delivery.Error = null;
            endpoint.FailingSinceUtc = null;
            return WorkResult.Done;
        }

        delivery.Error = error ?? $"The endpoint answered {code}.";
        endpoint.FailingSinceUtc ??= now;
        var limit = options.Value.DisableAfter;
        if (now - endpoint.FailingSinceUtc >= limit)
        {
            Disable(endpoint, now, delivery.Error);
            GiveUp(delivery, delivery.Error);
        }
        else if (now - delivery.CreatedAtUtc >= limit)
        {
            GiveUp(delivery, $"Gave up after {delivery.Attempts} attempts: {delivery.Error}");
        }
        else
        {
            var next = now + options.Value.RetryDelay(delivery.Attempts);
            delivery.NextAttemptAtUtc = next;
            new WorkQueue(db, time).Enqueue(Work, payload, delivery.TenantId, next);
        }

        LogFailedAttempt(logger, delivery.Id, endpoint.Id, delivery.Attempts, code);
        return WorkResult.Done;
    }

    private async Task<(int? Code, string? Error, bool Refused)> PostAsync(WebhookEndpoint endpoint, WebhookDelivery delivery, CancellationToken cancellationToken)
    {
        var url = new Uri(endpoint.Url);
        try
        {
            OutboundUrlGuard.CheckUrl(url, outbound.Value.AllowPrivateUrls);
        }
        catch (OutboundUrlRefusedException ex)
        {
            return (null, ex.Message, true);
        }

        var body = WebhookEvents.Body(delivery.Event);
        var sentAt = time.GetUtcNow();
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("webhook-id", delivery.Event.WebhookId);
        request.Headers.Add("webhook-timestamp", sentAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", new StandardWebhook(endpoint.Secret).Sign(delivery.Event.WebhookId, sentAt, body));

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.Value.Timeout);
        var started = time.GetTimestamp();
        try
        {
            using var response = await clients.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            return ((int)response.StatusCode, null, false);
        }
        catch (HttpRequestException ex) when (Refusal(ex) is { } refusal)
        {
            return (null, refusal.Message, true);
        }
        catch (HttpRequestException ex)
        {
            return (null, $"Could not reach the endpoint: {ex.Message}", false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, $"No answer within {options.Value.Timeout.TotalSeconds:0.#} seconds.", false);
        }
        finally
        {
            delivery.LatencyMs = (int)Math.Round(time.GetElapsedTime(started).TotalMilliseconds);
        }
    }

    private static OutboundUrlRefusedException? Refusal(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is OutboundUrlRefusedException refused)
            {
                return refused;
            }
        }

        return null;
    }

    private static void GiveUp(WebhookDelivery delivery, string reason)
    {
        delivery.Status = DeliveryStatus.Failed;
        delivery.NextAttemptAtUtc = null;
        delivery.Error = reason.Length <= 1000 ? reason : reason[..1000];
    }

    private void Disable(WebhookEndpoint endpoint, DateTime now, string lastError)
    {
        endpoint.Enabled = false;
        endpoint.DisabledAtUtc = now;
        endpoint.DisabledReason = $"Every attempt failed since {endpoint.FailingSinceUtc:yyyy-MM-dd HH:mm} UTC; the last: {lastError}";
        activity.Record(endpoint.TenantId, null, ActivityKind.WebhookDisabled,
            $"Webhook endpoint {endpoint.Url} was disabled after failing since {endpoint.FailingSinceUtc:yyyy-MM-dd HH:mm} UTC ({lastError}). Fix it and enable it again in Settings.");
        LogDisabled(logger, endpoint.Id);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook delivery {DeliveryId} to endpoint {EndpointId} failed attempt {Attempt} (status {StatusCode})")]
    private static partial void LogFailedAttempt(ILogger logger, Guid deliveryId, Guid endpointId, int attempt, int? statusCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook delivery {DeliveryId} to endpoint {EndpointId} refused: the address is not public")]
    private static partial void LogRefused(ILogger logger, Guid deliveryId, Guid endpointId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook endpoint {EndpointId} disabled after failing for too long")]
    private static partial void LogDisabled(ILogger logger, Guid endpointId);
}
