using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Parley.Messaging.Sandbox;
using Parley.Messaging.Telnyx;
using Parley.Telemetry;

namespace Parley.Messaging;

/// <summary>
/// <c>POST /webhooks/telnyx</c>: verify, parse, hand to the <see cref="WebhookIngestBatcher"/> (which deduplicates
/// and stores many events in one durable commit), answer once stored. The agent never runs inside the request;
/// the durable queue takes it from here.
/// </summary>
public static partial class TelnyxWebhookApi
{
    public const int MaxBodyBytes = 256 * 1024;

    /// <summary>The verifier (whose key exists from start-up), the batcher that stores events, and the pruning of stored bodies.</summary>
    public static void AddTelnyxWebhooks(this IServiceCollection services)
    {
        services.AddSingleton<WebhookIngestBatcher>();
        services.AddSingleton<WebhookRequestLoad>();
        services.AddSingleton<Work.IForegroundLoad>(sp => sp.GetRequiredService<WebhookRequestLoad>());
        services.AddHostedService(sp => sp.GetRequiredService<WebhookIngestBatcher>());
        services.AddSingleton<SandboxWebhookKey>();
        services.AddSingleton<TelnyxWebhookVerifier>();
        services.AddHostedService<TelnyxWebhookVerifierWarmUp>();
        services.AddHostedService<WebhookEventPruner>();
    }

    public static void MapTelnyxWebhooks(this IEndpointRouteBuilder app) =>
        app.MapPost("/webhooks/telnyx", ReceiveAsync).AllowAnonymous().DisableAntiforgery()
            .WithName("ReceiveTelnyxWebhook").WithSummary("Telnyx messaging events (inbound texts, delivery reports), signed with Ed25519.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithWebhookTelemetry("telnyx");

    public sealed record Acknowledgement(string Status);

    private static async Task<Results<Ok<Acknowledgement>, ProblemHttpResult>> ReceiveAsync(
        HttpRequest request,
        WebhookIngestBatcher batcher,
        WebhookRequestLoad load,
        TelnyxWebhookVerifier verifier,
        IOptions<WebhookIngestOptions> ingest,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        using var receipt = load.Receive();
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

        if (!batcher.TryEnqueue(evt, Encoding.UTF8.GetString(body), Activity.Current?.Id, out var stored))
        {
            LogBusy(logger, evt.EventId);
            request.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(ingest.Value.RetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            return Problem(503, "Busy", "Parley is storing as many webhooks as it holds at once; send this one again shortly.");
        }

        // Answered only once the commit holding the event is durable: a 200 is never a promise kept in memory.
        var outcome = await stored;
        return outcome switch
        {
            IngestOutcome.Duplicate => TypedResults.Ok(new Acknowledgement("duplicate")),
            IngestOutcome.NoTenant => TypedResults.Ok(new Acknowledgement("ignored: no tenant owns the number texted")),
            _ => TypedResults.Ok(new Acknowledgement("accepted")),
        };
    }

    internal static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telnyx event {EventId} answered 503: the webhook batcher is full")]
    private static partial void LogBusy(ILogger logger, string eventId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Telnyx event {EventId} has type {EventType}, which Parley does not handle; acknowledged, nothing stored")]
    private static partial void LogUnhandledType(ILogger logger, string eventId, string eventType);

}
