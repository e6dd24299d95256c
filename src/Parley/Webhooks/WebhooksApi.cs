using System.Security.Cryptography;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Accounts;
using Parley.Data;
using Parley.Web;
using Parley.Work;

namespace Parley.Webhooks;

/// <summary>The tenant's webhook endpoints, their deliveries, retries, test events and secrets.</summary>
public static class WebhooksApi
{
    public sealed record EndpointBody(string? Url, List<string>? Events);

    public sealed record EndpointView(Guid Id, string Url, IReadOnlyList<string> Events, bool Enabled, DateTime? DisabledAt, string? DisabledReason,
        DateTime? FailingSince, DateTime CreatedAt);

    public sealed record CreatedEndpoint(Guid Id, string Url, IReadOnlyList<string> Events, bool Enabled, string Secret, DateTime CreatedAt);

    public sealed record SecretView(Guid Id, string Secret);

    public sealed record DeliveryView(Guid Id, string WebhookId, string Type, DeliveryStatus Status, int Attempts, int? ResponseCode, int? LatencyMs,
        string? Error, DateTime CreatedAt, DateTime? LastAttemptAt, DateTime? NextAttemptAt, DateTime? DeliveredAt);

    public static void MapWebhooksApi(this RouteGroupBuilder api)
    {
        var webhooks = api.MapGroup("/webhooks");
        webhooks.MapGet("", ListAsync).WithName("ListWebhooks").WithSummary("The tenant's webhook endpoints (never their secrets).");
        webhooks.MapPost("", CreateAsync).WithName("CreateWebhook")
            .WithSummary("Adds an endpoint for event types (or \"*\"); answers its Standard Webhooks signing secret, shown this once.")
            .ProducesProblem(StatusCodes.Status409Conflict);
        webhooks.MapGet("/{id:guid}", GetAsync).WithName("GetWebhook").WithSummary("One webhook endpoint.");
        webhooks.MapDelete("/{id:guid}", DeleteAsync).WithName("DeleteWebhook").WithSummary("Removes an endpoint; its pending deliveries are dropped.");
        webhooks.MapPost("/{id:guid}/enable", EnableAsync).WithName("EnableWebhook").WithSummary("Enables an endpoint again after it was disabled for failing.");
        webhooks.MapPost("/{id:guid}/secret", RotateSecretAsync).WithName("RotateWebhookSecret")
            .WithSummary("Replaces the endpoint's signing secret; later attempts are signed with the new one.");
        webhooks.MapPost("/{id:guid}/test", SendTestAsync).WithName("SendWebhookTest").WithSummary("Queues a webhook.test event to this endpoint.")
            .ProducesProblem(StatusCodes.Status409Conflict);
        webhooks.MapGet("/{id:guid}/deliveries", DeliveriesAsync).WithName("ListWebhookDeliveries").WithSummary("The endpoint's latest deliveries, newest first.");
        webhooks.MapPost("/{id:guid}/deliveries/{deliveryId:guid}/retry", RetryAsync).WithName("RetryWebhookDelivery")
            .WithSummary("Tries a delivery that was not acknowledged again now, with the same webhook-id.")
            .ProducesProblem(StatusCodes.Status409Conflict);
    }

    public static EndpointView View(WebhookEndpoint e) =>
        new(e.Id, e.Url, e.EventTypes, e.Enabled, e.DisabledAtUtc, e.DisabledReason, e.FailingSinceUtc, e.CreatedAtUtc);

    public static DeliveryView View(WebhookDelivery d) =>
        new(d.Id, d.Event.WebhookId, d.Event.Type, d.Status, d.Attempts, d.ResponseCode, d.LatencyMs, d.Error, d.CreatedAtUtc, d.LastAttemptAtUtc,
            d.NextAttemptAtUtc, d.DeliveredAtUtc);

    public static string NewSecret() => "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    internal static async Task<Ok<List<EndpointView>>> ListAsync(ParleyDb db, CancellationToken cancellationToken) =>
        TypedResults.Ok((await db.WebhookEndpoints.AsNoTracking().OrderBy(e => e.CreatedAtUtc).ToListAsync(cancellationToken)).Select(View).ToList());

    private static async Task<Results<Ok<EndpointView>, NotFound>> GetAsync(Guid id, ParleyDb db, CancellationToken cancellationToken) =>
        await db.WebhookEndpoints.AsNoTracking().FirstOrDefaultAsync(e => e.Id == id, cancellationToken) is { } endpoint
            ? TypedResults.Ok(View(endpoint))
            : TypedResults.NotFound();

    internal static async Task<Results<Created<CreatedEndpoint>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        EndpointBody body, ParleyDb db, TenantScope scope, TimeProvider time, IOptions<WebhookOptions> options, IOptions<OutboundUrlOptions> outbound,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var url = await ValidateUrlAsync(body.Url, outbound.Value.AllowPrivateUrls, cancellationToken);
        if (url.Error is { } urlError)
        {
            errors["url"] = [urlError];
        }

        var (events, eventsError) = ValidateEvents(body.Events);
        if (eventsError is not null)
        {
            errors["events"] = [eventsError];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        if (await db.WebhookEndpoints.CountAsync(cancellationToken) >= options.Value.MaxEndpointsPerTenant)
        {
            return TypedResults.Problem(statusCode: 409, title: "Too many endpoints",
                detail: $"A business can have at most {options.Value.MaxEndpointsPerTenant} webhook endpoints; delete one first.");
        }

        var endpoint = new WebhookEndpoint
        {
            Id = Guid.CreateVersion7(),
            TenantId = scope.TenantId(),
            Url = url.Value!.AbsoluteUri,
            Events = string.Join(',', events),
            Secret = NewSecret(),
            CreatedAtUtc = time.GetUtcNow().UtcDateTime,
        };
        db.WebhookEndpoints.Add(endpoint);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/webhooks/{endpoint.Id}",
            new CreatedEndpoint(endpoint.Id, endpoint.Url, endpoint.EventTypes, endpoint.Enabled, endpoint.Secret, endpoint.CreatedAtUtc));
    }

    public static async Task<(Uri? Value, string? Error)> ValidateUrlAsync(string? text, bool allowPrivate, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return (null, "The endpoint's url is required.");
        }

        if (text.Length > 2048 || !Uri.TryCreate(text.Trim(), UriKind.Absolute, out var url))
        {
            return (null, "The url must be a full http or https address of at most 2048 characters.");
        }

        try
        {
            await OutboundUrlGuard.CheckUrlAndHostAsync(url, allowPrivate, cancellationToken);
            return (url, null);
        }
        catch (OutboundUrlRefusedException ex)
        {
            return (null, ex.Message);
        }
    }

    public static (List<string> Events, string? Error) ValidateEvents(IReadOnlyList<string?>? events)
    {
        if (events is null || events.Count == 0)
        {
            return ([], $"Name the event types to send (\"*\" for all): {string.Join(", ", WebhookEventTypes.Known)}.");
        }

        var unknown = events.Where(e => e != WebhookEventTypes.All && !WebhookEventTypes.Known.Contains(e)).Select(e => $"\"{e}\"").ToList();
        if (unknown.Count > 0)
        {
            return ([], $"Unknown event type {string.Join(", ", unknown.Take(5))}; the types are {string.Join(", ", WebhookEventTypes.Known)}, or \"*\".");
        }

        return events.Contains(WebhookEventTypes.All) ? ([WebhookEventTypes.All], null) : (events.Distinct().Select(e => e!).ToList(), null);
    }

    internal static async Task<Results<NoContent, NotFound>> DeleteAsync(Guid id, ParleyDb db, CancellationToken cancellationToken) =>
        await db.WebhookEndpoints.Where(e => e.Id == id).ExecuteDeleteAsync(cancellationToken) > 0 ? TypedResults.NoContent() : TypedResults.NotFound();

    internal static async Task<Results<Ok<EndpointView>, NotFound>> EnableAsync(Guid id, ParleyDb db, CancellationToken cancellationToken)
    {
        if (await db.WebhookEndpoints.FirstOrDefaultAsync(e => e.Id == id, cancellationToken) is not { } endpoint)
        {
            return TypedResults.NotFound();
        }

        endpoint.Enabled = true;
        endpoint.DisabledAtUtc = null;
        endpoint.DisabledReason = null;
        endpoint.FailingSinceUtc = null;
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(View(endpoint));
    }

    internal static async Task<Results<Ok<SecretView>, NotFound>> RotateSecretAsync(Guid id, ParleyDb db, CancellationToken cancellationToken)
    {
        if (await db.WebhookEndpoints.FirstOrDefaultAsync(e => e.Id == id, cancellationToken) is not { } endpoint)
        {
            return TypedResults.NotFound();
        }

        endpoint.Secret = NewSecret();
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(new SecretView(endpoint.Id, endpoint.Secret));
    }

    internal static async Task<Results<Accepted<DeliveryView>, NotFound, ProblemHttpResult>> SendTestAsync(Guid id, ParleyDb db, TimeProvider time, CancellationToken cancellationToken)
    {
        if (await db.WebhookEndpoints.AsNoTracking().FirstOrDefaultAsync(e => e.Id == id, cancellationToken) is not { } endpoint)
        {
            return TypedResults.NotFound();
        }

        if (!endpoint.Enabled)
        {
            return TypedResults.Problem(statusCode: 409, title: "Endpoint disabled", detail: "Enable the endpoint before sending it a test event.");
        }

        WebhookEvents.RecordTest(db, time, endpoint);
        await db.SaveChangesAsync(cancellationToken);
        var delivery = db.ChangeTracker.Entries<WebhookDelivery>().Single().Entity;
        return TypedResults.Accepted($"/api/webhooks/{id}/deliveries", View(delivery));
    }

    internal static async Task<Results<Ok<List<DeliveryView>>, NotFound>> DeliveriesAsync(Guid id, ParleyDb db, int? limit, CancellationToken cancellationToken)
    {
        if (!await db.WebhookEndpoints.AnyAsync(e => e.Id == id, cancellationToken))
        {
            return TypedResults.NotFound();
        }

        var deliveries = await db.WebhookDeliveries.AsNoTracking().Include(d => d.Event).Where(d => d.EndpointId == id)
            .OrderByDescending(d => d.CreatedAtUtc).ThenByDescending(d => d.Id).Take(Math.Clamp(limit ?? 100, 1, 500)).ToListAsync(cancellationToken);
        return TypedResults.Ok(deliveries.Select(View).ToList());
    }

    internal static async Task<Results<Accepted<DeliveryView>, NotFound, ProblemHttpResult>> RetryAsync(
        Guid id, Guid deliveryId, ParleyDb db, WorkQueue queue, TimeProvider time, CancellationToken cancellationToken)
    {
        var delivery = await db.WebhookDeliveries.Include(d => d.Event).FirstOrDefaultAsync(d => d.Id == deliveryId && d.EndpointId == id, cancellationToken);
        if (delivery is null)
        {
            return TypedResults.NotFound();
        }

        if (delivery.Status == DeliveryStatus.Delivered)
        {
            return TypedResults.Problem(statusCode: 409, title: "Already delivered", detail: "The endpoint acknowledged this delivery; it is not sent again.");
        }

        if (!await db.WebhookEndpoints.AnyAsync(e => e.Id == id && e.Enabled, cancellationToken))
        {
            return TypedResults.Problem(statusCode: 409, title: "Endpoint disabled", detail: "Enable the endpoint before retrying its deliveries.");
        }

        var now = time.GetUtcNow().UtcDateTime;
        delivery.Status = DeliveryStatus.Pending;
        delivery.NextAttemptAtUtc = now;
        queue.Enqueue(WebhookDeliverer.Work, new WebhookDeliverer.Payload(delivery.Id, id), delivery.TenantId, now);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Accepted($"/api/webhooks/{id}/deliveries", View(delivery));
    }
}
