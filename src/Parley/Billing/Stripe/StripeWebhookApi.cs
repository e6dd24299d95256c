using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Data;
using Parley.Messaging;
using Parley.Telemetry;
using Parley.Work;
using Stripe;

namespace Parley.Billing.Stripe;

/// <summary>
/// <c>POST /webhooks/stripe</c>: verify the <c>Stripe-Signature</c>, store the event once by its id, queue it, answer.
/// Stripe delivers at least once and in any order; the handler acts on each event once and on object state.
/// </summary>
public static partial class StripeWebhookApi
{
    public const string Provider = "stripe";
    public const int MaxBodyBytes = 256 * 1024;

    public sealed record Acknowledgement(string Status);

    public static void MapStripeWebhooks(this IEndpointRouteBuilder app) =>
        app.MapPost("/webhooks/stripe", ReceiveAsync).AllowAnonymous().DisableAntiforgery()
            .WithName("ReceiveStripeWebhook").WithSummary("Stripe payment and subscription events, verified by their Stripe-Signature.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .WithWebhookTelemetry(Provider);

    private static async Task<Results<Ok<Acknowledgement>, ProblemHttpResult>> ReceiveAsync(
        HttpRequest request, ParleyDb db, WorkQueue work, IOptions<StripeOptions> options, TimeProvider time, ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger(typeof(StripeWebhookApi));
        var secret = options.Value.WebhookSecret;
        if (string.IsNullOrWhiteSpace(secret))
        {
            return TypedResults.Problem(statusCode: 404, title: "Stripe is not connected", detail: "Set Parley__Stripe__WebhookSecret to receive Stripe events.");
        }

        if (request.ContentLength > MaxBodyBytes)
        {
            return TypedResults.Problem(statusCode: 413, title: "Payload too large", detail: $"Webhook bodies are limited to {MaxBodyBytes / 1024} KiB.");
        }

        using var reader = new StreamReader(request.Body);
        var json = await reader.ReadToEndAsync(cancellationToken);
        if (json.Length > MaxBodyBytes)
        {
            return TypedResults.Problem(statusCode: 413, title: "Payload too large", detail: $"Webhook bodies are limited to {MaxBodyBytes / 1024} KiB.");
        }

        string? signature = request.Headers["Stripe-Signature"];
        if (!LooksLikeSignature(signature))
        {
            return TypedResults.Problem(statusCode: 400, title: "Invalid Stripe signature", detail: "A Stripe-Signature header (t=…,v1=…) is required.");
        }

        Event stripeEvent;
        try
        {
            stripeEvent = EventUtility.ConstructEvent(json, signature, secret,
                (long)options.Value.SignatureTolerance.TotalSeconds, time.GetUtcNow().ToUnixTimeSeconds(), throwOnApiVersionMismatch: false);
        }
        catch (Exception ex) when (ex is StripeException or FormatException or OverflowException or ArgumentException)
        {
            LogRejected(logger, ex.Message);
            return TypedResults.Problem(statusCode: 400, title: "Invalid Stripe signature", detail: "The Stripe-Signature header does not match this body and the endpoint's signing secret, or is too old.");
        }
        catch (Newtonsoft.Json.JsonException)
        {
            return TypedResults.Problem(statusCode: 400, title: "Malformed webhook", detail: "The body is not a Stripe event.");
        }

        if (string.IsNullOrEmpty(stripeEvent.Id) || stripeEvent.Id.Length > 255 || !StripeEventHandler.Handles(stripeEvent.Type))
        {
            return TypedResults.Ok(new Acknowledgement("ignored: Parley does not handle this event type"));
        }

        if (await db.WebhookEvents.AnyAsync(e => e.Provider == Provider && e.DedupeKey == stripeEvent.Id, cancellationToken))
        {
            return TypedResults.Ok(new Acknowledgement("duplicate"));
        }

        var stored = new WebhookEvent
        {
            Provider = Provider,
            EventId = stripeEvent.Id,
            EventType = stripeEvent.Type,
            DedupeKey = stripeEvent.Id,
            Body = json,
            ReceivedAtUtc = time.GetUtcNow().UtcDateTime,
        };
        db.WebhookEvents.Add(stored);
        work.Enqueue(StripeEventHandler.Work, new StripeEventHandler.Payload(stripeEvent.Id), null);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (UniqueViolation.Matches(ex))
        {
            // A retry racing its first copy: that one was stored with its work; this one changes nothing.
            return TypedResults.Ok(new Acknowledgement("duplicate"));
        }

        return TypedResults.Ok(new Acknowledgement("accepted"));
    }

    /// <summary>Every part is <c>key=value</c>, with a numeric <c>t</c> and at least one <c>v1</c>: Stripe.net's own
    /// parser fails with an unhelpful exception on anything else.</summary>
    private static bool LooksLikeSignature(string? header)
    {
        if (string.IsNullOrWhiteSpace(header) || header.Length > 4096)
        {
            return false;
        }

        var parts = header.Split(',').Select(p => p.Split('=', 2)).ToList();
        return parts.All(p => p.Length == 2 && p[0].Trim().Length > 0)
            && parts.Any(p => p[0].Trim() == "t" && long.TryParse(p[1], out _))
            && parts.Any(p => p[0].Trim() == "v1" && p[1].Length > 0);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected a Stripe webhook: {Reason}")]
    private static partial void LogRejected(ILogger logger, string reason);
}
