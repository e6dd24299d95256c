using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Parley.Accounts;
using Parley.Data;
using Parley.Web;
using Parley.Webhooks;
using Parley.Work;

namespace Parley.Web.Pages;

/// <summary>The tenant's event webhooks: add an endpoint, watch its deliveries, retry one, send a test, rotate the
/// secret, enable a disabled endpoint again, delete. Every change goes through the same handlers as the API;
/// only owners change anything, since a secret gives whoever holds it the power to forge Parley's events.</summary>
public sealed class WebhooksModel(ParleyDb db, TenantScope scope, TimeProvider time) : DashboardPage(db)
{
    [BindProperty]
    public string? EndpointUrl { get; set; }

    [BindProperty]
    public List<string> Events { get; set; } = [];

    public bool IsOwner => User.IsInRole(nameof(UserRole.Owner));

    public IReadOnlyList<WebhooksApi.EndpointView> Endpoints { get; private set; } = [];

    public IReadOnlyDictionary<Guid, List<WebhooksApi.DeliveryView>> Deliveries { get; private set; } = new Dictionary<Guid, List<WebhooksApi.DeliveryView>>();

    /// <summary>A secret just made (new endpoint or rotation): shown this once.</summary>
    public (Guid Endpoint, string Secret)? NewSecret { get; private set; }

    public string? Done { get; private set; }

    public static IReadOnlyList<string> EventTypes => WebhookEventTypes.Known;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Done = TempData["Done"] as string;
        if (TempData["SecretFor"] is Guid endpoint && TempData["Secret"] is string secret)
        {
            NewSecret = (endpoint, secret);
        }

        await LoadAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostAsync([FromServices] IOptions<WebhookOptions> options, [FromServices] IOptions<OutboundUrlOptions> outbound,
        CancellationToken cancellationToken)
    {
        if (Forbidden() is { } forbidden)
        {
            return forbidden;
        }

        var result = await WebhooksApi.CreateAsync(new WebhooksApi.EndpointBody(EndpointUrl, Events), Db, scope, time, options, outbound, cancellationToken);
        if (result.Result is Created<WebhooksApi.CreatedEndpoint> { Value: { } created })
        {
            return Finish($"Added {created.Url}. Copy its signing secret now: it is not shown again.", (created.Id, created.Secret));
        }

        return await AgainAsync(result.Result, cancellationToken);
    }

    public async Task<IActionResult> OnPostTestAsync(Guid id, CancellationToken cancellationToken) =>
        Forbidden() ?? await AfterAsync((await WebhooksApi.SendTestAsync(id, Db, time, cancellationToken)).Result, "Queued a webhook.test event; its delivery shows below.", cancellationToken);

    public async Task<IActionResult> OnPostRetryAsync(Guid id, Guid deliveryId, [FromServices] WorkQueue queue, CancellationToken cancellationToken) =>
        Forbidden() ?? await AfterAsync((await WebhooksApi.RetryAsync(id, deliveryId, Db, queue, time, cancellationToken)).Result, "Trying that delivery again, with the same webhook-id.", cancellationToken);

    public async Task<IActionResult> OnPostEnableAsync(Guid id, CancellationToken cancellationToken) =>
        Forbidden() ?? await AfterAsync((await WebhooksApi.EnableAsync(id, Db, cancellationToken)).Result, "Enabled: events are sent to it again.", cancellationToken);

    public async Task<IActionResult> OnPostDeleteAsync(Guid id, CancellationToken cancellationToken) =>
        Forbidden() ?? await AfterAsync((await WebhooksApi.DeleteAsync(id, Db, cancellationToken)).Result, "Deleted the endpoint; nothing more is sent to it.", cancellationToken);

    public async Task<IActionResult> OnPostRotateAsync(Guid id, CancellationToken cancellationToken)
    {
        if (Forbidden() is { } forbidden)
        {
            return forbidden;
        }

        var result = await WebhooksApi.RotateSecretAsync(id, Db, cancellationToken);
        return result.Result is Ok<WebhooksApi.SecretView> { Value: { } rotated }
            ? Finish("New signing secret made: later deliveries are signed with it. Copy it now.", (rotated.Id, rotated.Secret))
            : await AgainAsync(result.Result, cancellationToken);
    }

    private StatusCodeResult? Forbidden() => IsOwner ? null : StatusCode(StatusCodes.Status403Forbidden);

    private async Task<IActionResult> AfterAsync(IResult result, string done, CancellationToken cancellationToken) =>
        result is ValidationProblem or ProblemHttpResult or Microsoft.AspNetCore.Http.HttpResults.NotFound ? await AgainAsync(result, cancellationToken) : Finish(done, null);

    private RedirectResult Finish(string message, (Guid Id, string Secret)? secret)
    {
        TempData["Done"] = message;
        if (secret is { } made)
        {
            TempData["SecretFor"] = made.Id;
            TempData["Secret"] = made.Secret;
        }

        return Redirect("/webhooks");
    }

    /// <summary>The page again with the handler's messages beside the form that failed; nothing it staged is kept.</summary>
    private async Task<IActionResult> AgainAsync(IResult result, CancellationToken cancellationToken)
    {
        Accept(result, "Endpoint");
        Db.ChangeTracker.Clear();
        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        await LoadTenantAsync(cancellationToken);
        Endpoints = (await WebhooksApi.ListAsync(Db, cancellationToken)).Value ?? [];
        var deliveries = new Dictionary<Guid, List<WebhooksApi.DeliveryView>>();
        foreach (var endpoint in Endpoints)
        {
            if ((await WebhooksApi.DeliveriesAsync(endpoint.Id, Db, 20, cancellationToken)).Result is Ok<List<WebhooksApi.DeliveryView>> { Value: { } list })
            {
                deliveries[endpoint.Id] = list;
            }
        }

        Deliveries = deliveries;
    }
}
