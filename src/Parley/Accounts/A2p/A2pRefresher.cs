using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Data;
using Parley.Messaging;
using Parley.Messaging.Telnyx;
using Parley.Work;

namespace Parley.Accounts.A2p;

/// <summary>Bound from <c>Parley:A2p</c>.</summary>
public sealed class A2pOptions
{
    public const string Section = "Parley:A2p";

    /// <summary>How often a pending registration is read back from the registry when no 10DLC webhook says it moved.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMinutes(15);
}

internal sealed class A2pOptionsValidator : Microsoft.Extensions.Options.IValidateOptions<A2pOptions>
{
    public ValidateOptionsResult Validate(string? name, A2pOptions options) => OptionsValidators.Result(
        options.PollInterval >= TimeSpan.FromSeconds(1) ? [] : [$"{A2pOptions.Section}:PollInterval must be at least one second."]);
}

/// <summary>
/// Moves a pending 10DLC registration forward without anyone watching the wizard: a durable item per tenant reads the
/// registry back (and takes the next step, such as assigning numbers once the campaign is approved) every
/// <see cref="A2pOptions.PollInterval"/> until the registration is Live or rejected. Telnyx's 10DLC event webhooks
/// (<c>POST /webhooks/telnyx/10dlc</c>, signed like message webhooks) bring the next look forward to now; their
/// content is only a hint of which registration moved — what Parley records is what the registry answers.
/// </summary>
public sealed class A2pRefresher(ParleyDb db, A2pRegistrar registrar, IOptions<A2pOptions> options, TimeProvider time) : IWorkHandler
{
    public sealed record Payload(Guid TenantId);

    public static readonly WorkKind<Payload> Work = new("a2p.refresh", (p, _) => $"a2p:{p.TenantId:N}");

    public static void AddTo(IServiceCollection services) => services.AddWorkHandler<A2pRefresher>(Work);

    /// <summary>Queues the next look at <paramref name="dueAtUtc"/> (in the caller's unit of work), or brings a later one forward.</summary>
    internal static async Task QueueAsync(ParleyDb db, TimeProvider time, Guid tenantId, DateTime dueAtUtc, CancellationToken cancellationToken)
    {
        var key = Work.SerialKey(new Payload(tenantId), tenantId);
        var pending = await db.WorkItems.Where(w => w.Kind == Work.Name && w.SerialKey == key && w.Status == WorkStatus.Pending).ToListAsync(cancellationToken);
        if (pending.Count == 0)
        {
            new WorkQueue(db, time).Enqueue(Work, new Payload(tenantId), tenantId, dueAtUtc);
            return;
        }

        foreach (var item in pending.Where(w => w.DueAtUtc > dueAtUtc))
        {
            item.DueAtUtc = dueAtUtc;
        }
    }

    public async Task<WorkResult> HandleAsync(WorkItem item, CancellationToken cancellationToken)
    {
        var tenantId = Work.Read(item).TenantId;
        var tenant = await db.Tenants.FirstOrDefaultAsync(t => t.Id == tenantId, cancellationToken);
        var registration = await db.A2pRegistrations.FirstOrDefaultAsync(cancellationToken);
        if (tenant is null || registration is null || tenant.A2pStatus != A2pStatus.Pending)
        {
            return WorkResult.Done; // nothing submitted, or it is settled (Live, Rejected, or set by the operator)
        }

        await registrar.AdvanceAsync(tenant, registration, cancellationToken);
        if (tenant.A2pStatus == A2pStatus.Pending)
        {
            await QueueAsync(db, time, tenantId, time.GetUtcNow().UtcDateTime + options.Value.PollInterval, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
        }

        return WorkResult.Done;
    }

    /// <summary>Brand and campaign ids named anywhere in a 10DLC event, whatever its shape (camelCase or snake_case).</summary>
    internal static HashSet<string> NamedIds(JsonElement element)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        Collect(element, ids, 0);
        return ids;
    }

    private static void Collect(JsonElement element, HashSet<string> ids, int depth)
    {
        if (depth > 8)
        {
            return;
        }

        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                var name = property.Name.Replace("_", string.Empty, StringComparison.Ordinal);
                if (property.Value.ValueKind == JsonValueKind.String
                    && (name.Equals("brandId", StringComparison.OrdinalIgnoreCase) || name.Equals("campaignId", StringComparison.OrdinalIgnoreCase)
                        || name.Equals("tcrBrandId", StringComparison.OrdinalIgnoreCase) || name.Equals("tcrCampaignId", StringComparison.OrdinalIgnoreCase)))
                {
                    ids.Add(property.Value.GetString()!);
                }
                else
                {
                    Collect(property.Value, ids, depth + 1);
                }
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var child in element.EnumerateArray())
            {
                Collect(child, ids, depth + 1);
            }
        }
    }
}

/// <summary><c>POST /webhooks/telnyx/10dlc</c>: Telnyx's brand, campaign and number-assignment events.</summary>
public static class TenDlcWebhookApi
{
    public static void MapTenDlcWebhooks(this IEndpointRouteBuilder app) =>
        app.MapPost("/webhooks/telnyx/10dlc", ReceiveAsync).AllowAnonymous().DisableAntiforgery()
            .WithName("ReceiveTenDlcWebhook").WithSummary("Telnyx 10DLC events (brand, campaign, number assignment), signed with Ed25519: the registration is read back at once.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status413PayloadTooLarge);

    private static async Task<Results<Ok<TelnyxWebhookApi.Acknowledgement>, ProblemHttpResult>> ReceiveAsync(
        HttpRequest request, TelnyxWebhookVerifier verifier, ParleyDb db, TimeProvider time, WorkSignal signal, CancellationToken cancellationToken)
    {
        var body = await TelnyxWebhookApi.ReadBodyAsync(request, cancellationToken);
        if (body is null)
        {
            return TypedResults.Problem(statusCode: 413, title: "Payload too large", detail: $"Webhook bodies are limited to {TelnyxWebhookApi.MaxBodyBytes / 1024} KiB.");
        }

        if (verifier.Verify(request.Headers["telnyx-signature-ed25519"], request.Headers["telnyx-timestamp"], body) is { } refused)
        {
            return TypedResults.Problem(statusCode: 401, title: "Invalid webhook signature", detail: refused);
        }

        HashSet<string> ids;
        try
        {
            using var json = JsonDocument.Parse(body);
            ids = A2pRefresher.NamedIds(json.RootElement);
        }
        catch (JsonException)
        {
            return TypedResults.Problem(statusCode: 400, title: "Malformed webhook", detail: "The body is not JSON.");
        }

        var tenants = ids.Count == 0 ? []
            : await db.A2pRegistrations.IgnoreQueryFilters().AsNoTracking()
                .Where(r => (r.BrandId != null && ids.Contains(r.BrandId)) || (r.CampaignId != null && ids.Contains(r.CampaignId)))
                .Select(r => r.TenantId).ToListAsync(cancellationToken);
        foreach (var tenantId in tenants)
        {
            await A2pRefresher.QueueAsync(db, time, tenantId, time.GetUtcNow().UtcDateTime, cancellationToken);
        }

        await db.SaveChangesAsync(cancellationToken);
        if (tenants.Count > 0)
        {
            signal.Wake();
        }

        // Unknown ids are acknowledged too: another system's registration on the same account is not an error to retry.
        return TypedResults.Ok(new TelnyxWebhookApi.Acknowledgement(tenants.Count > 0 ? "refreshing" : "ignored: no registration of Parley's"));
    }
}
