using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Parley.Conversations;
using Parley.Data;
using Parley.Messaging.Sandbox;
using Parley.Messaging.Telnyx;
using Parley.Telemetry;
using Parley.Work;

namespace Parley.Messaging;

/// <summary>
/// <c>POST /webhooks/telnyx</c>: verify, parse, deduplicate, persist, answer. The agent never runs inside the
/// request; the durable queue takes it from here. One small transaction per event keeps the answer far
/// inside Telnyx's two seconds.
/// </summary>
public static partial class TelnyxWebhookApi
{
    public const int MaxBodyBytes = 256 * 1024;

    /// <summary>The verifier (whose key exists from start-up) and the pruning of stored bodies.</summary>
    public static void AddTelnyxWebhooks(this IServiceCollection services)
    {
        services.AddSingleton<SandboxWebhookKey>();
        services.AddSingleton<TelnyxWebhookVerifier>();
        services.AddHostedService<TelnyxWebhookVerifierWarmUp>();
        services.AddHostedService<WebhookEventPruner>();
    }

    public static void MapTelnyxWebhooks(this IEndpointRouteBuilder app) =>
        app.MapPost("/webhooks/telnyx", ReceiveAsync).AllowAnonymous().DisableAntiforgery()
            .WithName("ReceiveTelnyxWebhook").WithSummary("Telnyx messaging events (inbound texts, delivery reports), signed with Ed25519.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .WithWebhookTelemetry("telnyx");

    public sealed record Acknowledgement(string Status);

    private static async Task<Results<Ok<Acknowledgement>, ProblemHttpResult>> ReceiveAsync(
        HttpRequest request,
        ParleyDb db,
        WorkQueue work,
        TelnyxWebhookVerifier verifier,
        TimeProvider time,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger(typeof(TelnyxWebhookApi));
        var body = await ReadBodyAsync(request, cancellationToken);
        if (body is null)
        {
            return Problem(413, "Payload too large", $"Webhook bodies are limited to {MaxBodyBytes / 1024} KiB.");
        }

        var check = verifier.Verify(request.Headers["telnyx-signature-ed25519"], request.Headers["telnyx-timestamp"], body);
        if (check is not null)
        {
            LogRejected(logger, check);
            return Problem(401, "Invalid webhook signature", check);
        }

        var parsed = TelnyxWebhook.Parse(body);
        if (parsed.Event is not { } evt)
        {
            return Problem(400, "Malformed webhook", parsed.Error ?? "The body is not a Telnyx webhook event.");
        }

        if (!TelnyxWebhook.IsHandled(evt.EventType))
        {
            LogUnhandledType(logger, evt.EventId, evt.EventType);
            return TypedResults.Ok(new Acknowledgement("ignored: Parley does not handle this event type"));
        }

        var dedupeKey = evt.Inbound is not null ? $"message.received:{evt.MessageId}" : $"event:{evt.EventId}";
        if (await db.WebhookEvents.AnyAsync(e => e.Provider == "telnyx" && e.DedupeKey == dedupeKey, cancellationToken))
        {
            LogDuplicate(logger, evt.EventId);
            return TypedResults.Ok(new Acknowledgement("duplicate"));
        }

        if (evt.ReplacedNulCharacters > 0)
        {
            LogNulReplaced(logger, evt.EventId, evt.ReplacedNulCharacters);
        }

        var now = time.GetUtcNow().UtcDateTime;
        if (evt.Inbound is { } sms)
        {
            var tenantId = await db.PhoneNumbers.IgnoreQueryFilters().Where(n => n.Number == sms.To)
                .Select(n => (Guid?)n.TenantId).FirstOrDefaultAsync(cancellationToken);
            if (tenantId is null)
            {
                LogUnknownNumber(logger, evt.EventId);
                return TypedResults.Ok(new Acknowledgement("ignored: no tenant owns the number texted"));
            }

            work.Enqueue(InboundTextProcessor.Work, await InboundWork.ForAsync(db, tenantId.Value, sms, cancellationToken), tenantId);
        }
        else if (evt.Delivery is { } report)
        {
            work.Enqueue(DeliveryStatusUpdater.Work, report, null);
        }

        db.WebhookEvents.Add(new WebhookEvent
        {
            Provider = "telnyx",
            EventId = evt.EventId,
            EventType = evt.EventType,
            MessageId = evt.MessageId,
            DedupeKey = dedupeKey,
            Body = System.Text.Encoding.UTF8.GetString(body),
            ReceivedAtUtc = now,
        });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (UniqueViolation.Matches(ex))
        {
            // A retry racing its first copy: that one was stored with its work; this one changes nothing.
            LogDuplicate(logger, evt.EventId);
            return TypedResults.Ok(new Acknowledgement("duplicate"));
        }

        return TypedResults.Ok(new Acknowledgement("accepted"));
    }

    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return null;
        }

        using var buffer = new MemoryStream(request.ContentLength is > 0 and <= MaxBodyBytes ? (int)request.ContentLength.Value : 4096);
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static ProblemHttpResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(statusCode: status, title: title, detail: detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected a Telnyx webhook: {Reason}")]
    private static partial void LogRejected(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Telnyx event {EventId} is a duplicate of one already stored; acknowledged, nothing changed")]
    private static partial void LogDuplicate(ILogger logger, string eventId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Telnyx event {EventId} has type {EventType}, which Parley does not handle; acknowledged, nothing stored")]
    private static partial void LogUnhandledType(ILogger logger, string eventId, string eventType);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telnyx event {EventId}: the inbound text carried {Count} NUL characters, stored as U+FFFD")]
    private static partial void LogNulReplaced(ILogger logger, string eventId, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Telnyx event {EventId} is for a number no tenant owns; acknowledged, nothing stored")]
    private static partial void LogUnknownNumber(ILogger logger, string eventId);
}
