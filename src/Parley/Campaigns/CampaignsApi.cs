using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Accounts;
using Parley.Billing;
using Parley.Conversations;
using Parley.Data;
using Parley.Messaging;
using Parley.Work;

namespace Parley.Campaigns;

/// <summary>Bulk sends: create with an audience, upload more as CSV, start, pause, resume, cancel, watch progress.</summary>
public static partial class CampaignsApi
{
    public sealed record RecipientInput(string? Phone, string? FirstName);

    public sealed record CreateCampaign(string? Name, string? Message, bool? AiEnabled, IReadOnlyList<RecipientInput>? Recipients,
        IReadOnlyList<string>? FromNumbers, DateTimeOffset? ScheduledAt, IReadOnlyList<Guid>? ContactIds = null, AudienceFilter? Filter = null);

    /// <summary>An audience picked from the business's contacts: every phone of each matching contact.</summary>
    public sealed record AudienceFilter(bool? ClientsOnly, string? Company);

    public sealed record UpdateCampaign(bool? AiEnabled);

    public sealed record Estimate(int SegmentsPerMessage, long TotalSegments, decimal CostUsd);

    public sealed record Created(Guid Id, int Recipients, int RejectedCount, IReadOnlyList<RejectedRecipient> Rejected, Estimate Estimate);

    public sealed record Counts(int Queued, int Sent, int Delivered, int Failed, int Skipped);

    /// <summary>Why recipients were skipped (opted out, quiet hours ran out, campaign cancelled…), with how many each.</summary>
    public sealed record SkipReason(string Reason, int Count);

    public sealed record CampaignView(Guid Id, string Name, string Message, bool AiEnabled, CampaignStatus Status, string? PausedReason,
        IReadOnlyList<string> FromNumbers, DateTime? ScheduledAt, DateTime CreatedAt, Counts Counts, long Segments, decimal CostUsd, bool Slowed,
        IReadOnlyList<SkipReason> SkipReasons);

    public static void MapCampaignsApi(this RouteGroupBuilder api)
    {
        var campaigns = api.MapGroup("/campaigns");
        campaigns.MapPost("", CreateAsync).WithName("CreateCampaign").WithSummary("Creates a draft campaign.")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status409Conflict);
        campaigns.MapGet("", ListAsync).WithName("ListCampaigns").WithSummary("The business's campaigns, newest first, with their counts and cost.");
        campaigns.MapGet("/{id:guid}", GetAsync).WithName("GetCampaign").WithSummary("A campaign with its counts, segments and cost.");
        campaigns.MapPatch("/{id:guid}", UpdateAsync).WithName("UpdateCampaign").WithSummary("Changes a draft campaign.")
            .ProducesProblem(StatusCodes.Status409Conflict);
        campaigns.MapPost("/{id:guid}/recipients.csv", UploadCsvAsync).WithName("UploadCampaignRecipients").WithSummary("Adds recipients from a CSV file.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        campaigns.MapPost("/{id:guid}/start", StartAsync).WithName("StartCampaign").WithSummary("Starts sending a campaign, now or at its scheduled time.")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status409Conflict);
        campaigns.MapPost("/{id:guid}/resume", ResumeAsync).WithName("ResumeCampaign").WithSummary("Resumes a paused campaign.")
            .ProducesProblem(StatusCodes.Status409Conflict);
        campaigns.MapPost("/{id:guid}/pause", PauseAsync).WithName("PauseCampaign").WithSummary("Pauses a running campaign.")
            .ProducesProblem(StatusCodes.Status409Conflict);
        campaigns.MapPost("/{id:guid}/cancel", CancelAsync).WithName("CancelCampaign").WithSummary("Cancels a campaign; queued recipients are skipped.")
            .ProducesProblem(StatusCodes.Status409Conflict);
    }

    public const int ListSize = 50;

    internal static async Task<Ok<List<CampaignView>>> ListAsync(ParleyDb db, TimeProvider time, IOptions<CampaignOptions> options, CancellationToken cancellationToken)
    {
        var views = new List<CampaignView>();
        foreach (var campaign in await db.Campaigns.OrderByDescending(c => c.CreatedAtUtc).Take(ListSize).ToListAsync(cancellationToken))
        {
            views.Add(await ViewAsync(db, campaign, options.Value, time, cancellationToken));
        }

        return TypedResults.Ok(views);
    }

    internal static async Task<Results<Ok<CampaignView>, NotFound>> GetAsync(
        Guid id, ParleyDb db, TimeProvider time, IOptions<CampaignOptions> options, CancellationToken cancellationToken) =>
        await db.Campaigns.FirstOrDefaultAsync(c => c.Id == id, cancellationToken) is { } campaign
            ? TypedResults.Ok(await ViewAsync(db, campaign, options.Value, time, cancellationToken))
            : TypedResults.NotFound();

    internal static async Task<Results<Created<Created>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        CreateCampaign body, ParleyDb db, TenantScope scope, CampaignAudience audience, TimeProvider time, IOptions<CampaignOptions> options, IOptions<ParleyLimits> limits,
        CancellationToken cancellationToken)
    {
        var tenant = await db.Tenants.FirstAsync(t => t.Id == scope.TenantId(), cancellationToken);
        if (PlanProblem(tenant) is { } planProblem)
        {
            return planProblem;
        }

        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(body.Name) || body.Name.Trim().Length > 200)
        {
            errors["name"] = ["A name of 1 to 200 characters is required."];
        }

        if (string.IsNullOrWhiteSpace(body.Message) || body.Message.Length > 2000)
        {
            errors["message"] = ["A message of 1 to 2000 characters is required."];
        }
        else if (CampaignTemplate.UnknownFields(body.Message) is { Count: > 0 } unknown)
        {
            errors["message"] = [$"Unknown field(s) {string.Join(", ", unknown.Select(f => "{" + f + "}"))}; use {{firstName}} or {{company}}."];
        }
        else if (OutboundMessages.Validate(CampaignTemplate.Render(body.Message, new string('x', 30), tenant.Name)) is { } textError)
        {
            errors["message"] = [textError];
        }

        var cap = limits.Value.CampaignRecipientsPerUpload;
        if (body.Recipients is { } listed && listed.Count > cap)
        {
            errors["recipients"] = [$"At most {cap} recipients per request (Parley:Limits:CampaignRecipientsPerUpload); upload more as CSV."];
        }

        var picked = await ContactsOfAsync(db, body, errors, cap, cancellationToken);
        if ((body.Recipients?.Count ?? 0) + picked.Sum(c => c.Phones.Count) > cap && !errors.ContainsKey("recipients"))
        {
            errors["recipients"] = [$"The recipients and the contacts picked come to more than {cap} phone numbers (Parley:Limits:CampaignRecipientsPerUpload); pick fewer."];
        }

        var tenantNumbers = await db.PhoneNumbers.OrderBy(n => n.Number).Select(n => n.Number).ToListAsync(cancellationToken);
        var from = new List<string>();
        foreach (var raw in body.FromNumbers ?? [])
        {
            if (PhoneNumberParser.Default.TryNormalize(raw, tenant.DefaultCountry, out var number, out _) && tenantNumbers.Contains(number.Value))
            {
                from.Add(number.Value);
            }
            else
            {
                errors["fromNumbers"] = [$"{raw} is not one of this business's numbers."];
            }
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        if (from.Count == 0)
        {
            from.AddRange(tenantNumbers);
        }

        if (from.Count == 0)
        {
            return TypedResults.Problem(statusCode: 409, title: "No number to send from", detail: "Add a phone number to this business before creating a campaign.");
        }

        var campaign = new Campaign
        {
            Id = Guid.CreateVersion7(),
            TenantId = tenant.Id,
            Name = body.Name!.Trim(),
            MessageTemplate = body.Message!,
            AiEnabled = body.AiEnabled ?? false,
            Status = CampaignStatus.Draft,
            SendingNumbers = string.Join(',', from.Distinct()),
            ScheduledAtUtc = body.ScheduledAt?.UtcDateTime,
            CreatedAtUtc = time.GetUtcNow().UtcDateTime,
        };
        db.Campaigns.Add(campaign);
        var rows = (body.Recipients ?? []).Select((r, i) => new AudienceRow(i, r?.FirstName, [r?.Phone ?? ""])).ToList();
        rows.AddRange(picked.Select((c, i) => new AudienceRow(rows.Count + i, c.FirstName, c.Phones.Select(p => p.Number).ToList())));
        var import = await audience.AddAsync(tenant, campaign, rows, [], cancellationToken);
        var estimate = await EstimateAsync(db, campaign, tenant.Name, options.Value, cancellationToken);
        return TypedResults.Created($"/api/campaigns/{campaign.Id}", new Created(campaign.Id, import.Added, import.RejectedCount, import.Rejected, estimate));
    }

    /// <summary>Contacts named by id and/or matching the filter, scoped to the tenant like every query.</summary>
    private static async Task<List<Contact>> ContactsOfAsync(ParleyDb db, CreateCampaign body, Dictionary<string, string[]> errors, int cap, CancellationToken cancellationToken)
    {
        var picked = new List<Contact>();
        if (body.ContactIds is { Count: > 0 } ids)
        {
            if (ids.Count > cap)
            {
                errors["contactIds"] = [$"At most {cap} contacts per request (Parley:Limits:CampaignRecipientsPerUpload)."];
                return picked;
            }

            var distinct = ids.Distinct().ToList();
            picked.AddRange(await db.Contacts.Include(c => c.Phones).Where(c => distinct.Contains(c.Id)).ToListAsync(cancellationToken));
            if (picked.Count < distinct.Count)
            {
                errors["contactIds"] = [$"{distinct.Count - picked.Count} of these contacts do not exist."];
            }
        }

        if (body.Filter is { } filter)
        {
            if (filter.Company is { Length: > 200 })
            {
                errors["filter.company"] = ["At most 200 characters."];
                return picked;
            }

            var query = db.Contacts.Include(c => c.Phones).AsQueryable();
            if (filter.ClientsOnly == true)
            {
                query = query.Where(c => c.IsClient);
            }

            if (!string.IsNullOrWhiteSpace(filter.Company))
            {
                var pattern = $"%{filter.Company.Trim().ToLowerInvariant()}%";
                query = query.Where(c => EF.Functions.Like((c.Company ?? "").ToLower(), pattern));
            }

            var seen = picked.Select(c => c.Id).ToHashSet();
            picked.AddRange((await query.Take(cap + 1).ToListAsync(cancellationToken)).Where(c => seen.Add(c.Id)));
        }

        return picked;
    }

    private static async Task<Results<Ok<AudienceImport>, NotFound, ProblemHttpResult>> UploadCsvAsync(
        Guid id, HttpRequest request, ParleyDb db, CampaignAudience audience, IOptions<ParleyLimits> limits, CancellationToken cancellationToken)
    {
        var campaign = await db.Campaigns.FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (campaign is null)
        {
            return TypedResults.NotFound();
        }

        if (campaign.Status is CampaignStatus.Completed or CampaignStatus.Cancelled)
        {
            return TypedResults.Problem(statusCode: 409, title: "Campaign finished", detail: $"A {campaign.Status} campaign takes no more recipients.");
        }

        if (request.ContentType?.Split(';')[0].Trim() is not ("text/csv" or "application/csv" or "text/plain"))
        {
            return TypedResults.Problem(statusCode: 415, title: "Expected text/csv", detail: "Upload the recipients as a CSV body with Content-Type text/csv.");
        }

        // Read as it arrives, never buffered whole: the caps stop a file at the row that passes them.
        var csv = await AudienceCsv.ReadAsync(request.Body, limits.Value, cancellationToken);
        if (csv.Error is { } error)
        {
            return TypedResults.Problem(statusCode: csv.ErrorStatus, title: csv.ErrorStatus == 413 ? "Too many recipients" : "Unreadable CSV", detail: error);
        }

        var perCampaign = limits.Value.CampaignRecipientsPerCampaign;
        var held = await db.CampaignRecipients.CountAsync(r => r.CampaignId == campaign.Id, cancellationToken);
        if (held + csv.Rows.Sum(r => r.Phones.Count(p => !string.IsNullOrWhiteSpace(p))) > perCampaign)
        {
            return TypedResults.Problem(statusCode: 409, title: "Campaign full",
                detail: $"A campaign holds at most {perCampaign} recipients (Parley:Limits:CampaignRecipientsPerCampaign); this one has {held}, and this file would pass the limit. Start another campaign for the rest.");
        }

        var tenant = await db.Tenants.FirstAsync(t => t.Id == campaign.TenantId, cancellationToken);
        var import = await audience.AddAsync(tenant, campaign, csv.Rows, csv.Unreadable, cancellationToken);
        return TypedResults.Ok(import); // a running campaign's next batch picks the new recipients up
    }

    internal static async Task<Results<Ok<CampaignView>, NotFound, ValidationProblem>> UpdateAsync(
        Guid id, UpdateCampaign body, ParleyDb db, TimeProvider time, IOptions<CampaignOptions> options, CancellationToken cancellationToken)
    {
        var campaign = await db.Campaigns.FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (campaign is null)
        {
            return TypedResults.NotFound();
        }

        if (body.AiEnabled is not { } aiEnabled)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["aiEnabled"] = ["aiEnabled (true or false) is required."] });
        }

        campaign.AiEnabled = aiEnabled;
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(await ViewAsync(db, campaign, options.Value, time, cancellationToken));
    }
}
