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
public static class CampaignsApi
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

    public sealed record CampaignView(Guid Id, string Name, string Message, bool AiEnabled, CampaignStatus Status, string? PausedReason,
        IReadOnlyList<string> FromNumbers, DateTime? ScheduledAt, DateTime CreatedAt, Counts Counts, long Segments, decimal CostUsd, bool Slowed);

    public static void MapCampaignsApi(this RouteGroupBuilder api)
    {
        var campaigns = api.MapGroup("/campaigns");
        campaigns.MapPost("", CreateAsync).WithName("CreateCampaign").WithSummary("Creates a draft campaign.")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status409Conflict);
        campaigns.MapGet("/{id:guid}", GetAsync).WithName("GetCampaign").WithSummary("A campaign with its counts, segments and cost.");
        campaigns.MapPatch("/{id:guid}", UpdateAsync).WithName("UpdateCampaign").WithSummary("Changes a draft campaign.")
            .ProducesProblem(StatusCodes.Status409Conflict);
        campaigns.MapPost("/{id:guid}/recipients.csv", UploadCsvAsync).WithName("UploadCampaignRecipients").WithSummary("Adds recipients from a CSV file.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        campaigns.MapPost("/{id:guid}/start", StartAsync).WithName("StartCampaign").WithSummary("Starts sending a campaign, now or at its scheduled time.")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status409Conflict);
        campaigns.MapPost("/{id:guid}/resume", ResumeAsync).WithName("ResumeCampaign").WithSummary("Resumes a paused campaign.")
            .ProducesProblem(StatusCodes.Status409Conflict);
        campaigns.MapPost("/{id:guid}/pause", PauseAsync).WithName("PauseCampaign").WithSummary("Pauses a running campaign.")
            .ProducesProblem(StatusCodes.Status409Conflict);
        campaigns.MapPost("/{id:guid}/cancel", CancelAsync).WithName("CancelCampaign").WithSummary("Cancels a campaign; queued recipients are skipped.")
            .ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static async Task<Results<Ok<CampaignView>, NotFound>> GetAsync(
        Guid id, ParleyDb db, TimeProvider time, IOptions<CampaignOptions> options, CancellationToken cancellationToken) =>
        await db.Campaigns.FirstOrDefaultAsync(c => c.Id == id, cancellationToken) is { } campaign
            ? TypedResults.Ok(await ViewAsync(db, campaign, options.Value, time, cancellationToken))
            : TypedResults.NotFound();

    private static Task<Results<Ok<CampaignView>, NotFound, ProblemHttpResult>> PauseAsync(
        Guid id, ParleyDb db, TimeProvider time, IOptions<CampaignOptions> options, CancellationToken cancellationToken) =>
        ChangeAsync(db, id, [CampaignStatus.Running], options.Value, time, c =>
        {
            c.Status = CampaignStatus.Paused;
            c.PausedReason = "Paused by a person";
        }, cancellationToken);

    private static async Task<Results<Created<Created>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        CreateCampaign body, ParleyDb db, TenantScope scope, CampaignAudience audience, TimeProvider time, IOptions<CampaignOptions> options, CancellationToken cancellationToken)
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

        if (body.Recipients is { Count: > CampaignAudience.MaxRows })
        {
            errors["recipients"] = [$"At most {CampaignAudience.MaxRows} recipients per request; upload more as CSV."];
        }

        var picked = await ContactsOfAsync(db, body, errors, cancellationToken);
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
    private static async Task<List<Contact>> ContactsOfAsync(ParleyDb db, CreateCampaign body, Dictionary<string, string[]> errors, CancellationToken cancellationToken)
    {
        var picked = new List<Contact>();
        if (body.ContactIds is { Count: > 0 } ids)
        {
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
            picked.AddRange((await query.Take(CampaignAudience.MaxRows).ToListAsync(cancellationToken)).Where(c => seen.Add(c.Id)));
        }

        return picked;
    }

    private static async Task<Results<Ok<AudienceImport>, NotFound, ProblemHttpResult>> UploadCsvAsync(
        Guid id, HttpRequest request, ParleyDb db, CampaignAudience audience, CancellationToken cancellationToken)
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

        var csv = await AudienceCsv.ReadAsync(request.Body, cancellationToken);
        if (csv.Error is { } error)
        {
            return TypedResults.Problem(statusCode: 400, title: "Unreadable CSV", detail: error);
        }

        var tenant = await db.Tenants.FirstAsync(t => t.Id == campaign.TenantId, cancellationToken);
        var import = await audience.AddAsync(tenant, campaign, csv.Rows, csv.Unreadable, cancellationToken);
        return TypedResults.Ok(import); // a running campaign's next batch picks the new recipients up
    }

    private static async Task<Results<Ok<CampaignView>, NotFound, ValidationProblem>> UpdateAsync(
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

    private static async Task<Results<Ok<CampaignView>, NotFound, ProblemHttpResult>> StartAsync(
        Guid id, ParleyDb db, WorkQueue work, TimeProvider time, IOptions<CampaignOptions> options, CancellationToken cancellationToken)
    {
        var campaign = await db.Campaigns.FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (campaign is null)
        {
            return TypedResults.NotFound();
        }

        var tenant = await db.Tenants.FirstAsync(t => t.Id == campaign.TenantId, cancellationToken);
        if (PlanProblem(tenant) is { } planProblem)
        {
            return planProblem;
        }

        if (campaign.Status != CampaignStatus.Draft)
        {
            return TypedResults.Problem(statusCode: 409, title: "Already started", detail: $"The campaign is {campaign.Status}.");
        }

        var estimate = await EstimateAsync(db, campaign, tenant.Name, options.Value, cancellationToken);
        var balance = await db.WalletEntries.SumAsync(e => e.AmountMicros, cancellationToken);
        if (balance <= 0)
        {
            return TypedResults.Problem(statusCode: 409, title: CampaignDispatcher.EmptyWallet, detail: "Add credit to the wallet before starting a campaign.");
        }

        if (Money.FromDollars(estimate.CostUsd).Micros > balance)
        {
            return TypedResults.Problem(statusCode: 409, title: "Wallet balance too low",
                detail: $"The campaign is estimated at ${estimate.CostUsd:0.00}; the wallet holds ${new Money(balance).Dollars:0.00}.");
        }

        var now = time.GetUtcNow().UtcDateTime;
        campaign.Status = CampaignStatus.Running;
        campaign.StartedAtUtc = now;
        await CampaignDispatcher.ScheduleAsync(db, work, campaign, campaign.ScheduledAtUtc is { } at && at > now ? at : now, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(await ViewAsync(db, campaign, options.Value, time, cancellationToken));
    }

    private static async Task<Results<Ok<CampaignView>, NotFound, ProblemHttpResult>> ResumeAsync(
        Guid id, ParleyDb db, WorkQueue work, TimeProvider time, IOptions<CampaignOptions> options, CancellationToken cancellationToken)
    {
        var campaign = await db.Campaigns.FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (campaign is null)
        {
            return TypedResults.NotFound();
        }

        if (campaign.Status != CampaignStatus.Paused)
        {
            return TypedResults.Problem(statusCode: 409, title: "Not paused", detail: $"The campaign is {campaign.Status}.");
        }

        if (await db.WalletEntries.SumAsync(e => e.AmountMicros, cancellationToken) <= 0)
        {
            return TypedResults.Problem(statusCode: 409, title: CampaignDispatcher.EmptyWallet, detail: "Add credit to the wallet before resuming.");
        }

        campaign.Status = CampaignStatus.Running;
        campaign.PausedReason = null;
        await CampaignDispatcher.ScheduleAsync(db, work, campaign, time.GetUtcNow().UtcDateTime, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(await ViewAsync(db, campaign, options.Value, time, cancellationToken));
    }

    private static async Task<Results<Ok<CampaignView>, NotFound, ProblemHttpResult>> CancelAsync(
        Guid id, ParleyDb db, TimeProvider time, IOptions<CampaignOptions> options, CancellationToken cancellationToken)
    {
        var result = await ChangeAsync(db, id, [CampaignStatus.Draft, CampaignStatus.Running, CampaignStatus.Paused], options.Value, time, c =>
        {
            c.Status = CampaignStatus.Cancelled;
            c.FinishedAtUtc = time.GetUtcNow().UtcDateTime;
        }, cancellationToken);
        if (result.Result is Ok<CampaignView>)
        {
            var queued = await db.CampaignRecipients.Where(r => r.CampaignId == id && r.State == RecipientState.Queued).ToListAsync(cancellationToken);
            foreach (var recipient in queued)
            {
                recipient.State = RecipientState.Skipped;
                recipient.SkipReason = "Campaign cancelled";
            }

            await db.SaveChangesAsync(cancellationToken);
            var campaign = await db.Campaigns.FirstAsync(c => c.Id == id, cancellationToken);
            return TypedResults.Ok(await ViewAsync(db, campaign, options.Value, time, cancellationToken));
        }

        return result;
    }

    private static async Task<Results<Ok<CampaignView>, NotFound, ProblemHttpResult>> ChangeAsync(
        ParleyDb db, Guid id, CampaignStatus[] from, CampaignOptions options, TimeProvider time, Action<Campaign> change, CancellationToken cancellationToken)
    {
        var campaign = await db.Campaigns.FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (campaign is null)
        {
            return TypedResults.NotFound();
        }

        if (!from.Contains(campaign.Status))
        {
            return TypedResults.Problem(statusCode: 409, title: "Not possible now", detail: $"The campaign is {campaign.Status}.");
        }

        change(campaign);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(await ViewAsync(db, campaign, options, time, cancellationToken));
    }

    private static ProblemHttpResult? PlanProblem(Tenant tenant) => tenant.Plan == Plan.Free
        ? TypedResults.Problem(statusCode: 403, title: "Plan does not include campaigns", detail: "Campaigns need the Launch plan or higher.")
        : null;

    private static async Task<Estimate> EstimateAsync(ParleyDb db, Campaign campaign, string company, CampaignOptions options, CancellationToken cancellationToken)
    {
        var names = await db.CampaignRecipients.Where(r => r.CampaignId == campaign.Id && r.State == RecipientState.Queued)
            .GroupBy(r => r.FirstName).Select(g => new { Name = g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        var perMessage = SmsSegments.Measure(CampaignTemplate.Render(campaign.MessageTemplate, null, company)).Segments;
        long total = 0;
        foreach (var group in names)
        {
            var segments = SmsSegments.Measure(CampaignTemplate.Render(campaign.MessageTemplate, group.Name, company)).Segments;
            perMessage = Math.Max(perMessage, segments);
            total += (long)segments * group.Count;
        }

        return new Estimate(perMessage, total, new Money(total * options.SegmentPriceMicros).Dollars);
    }

    private static async Task<CampaignView> ViewAsync(ParleyDb db, Campaign c, CampaignOptions options, TimeProvider time, CancellationToken cancellationToken)
    {
        var states = await db.CampaignRecipients.Where(r => r.CampaignId == c.Id).GroupBy(r => r.State)
            .Select(g => new { State = g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        var sent = await db.CampaignRecipients.Where(r => r.CampaignId == c.Id && r.MessageId != null)
            .Join(db.Messages, r => r.MessageId, m => (long?)m.Id, (r, m) => new { m.Status, m.Segments })
            .GroupBy(x => x.Status).Select(g => new { Status = g.Key, Count = g.Count(), Segments = g.Sum(x => x.Segments) })
            .ToListAsync(cancellationToken);
        int State(RecipientState s) => states.Where(x => x.State == s).Sum(x => x.Count);
        var delivered = sent.Where(s => s.Status == MessageStatus.Delivered).Sum(s => s.Count);
        var failed = sent.Where(s => s.Status == MessageStatus.Failed).Sum(s => s.Count);
        var inFlight = sent.Sum(s => s.Count) - delivered - failed;
        var segments = sent.Where(s => s.Status != MessageStatus.Failed).Sum(s => (long)s.Segments);
        var counts = new Counts(State(RecipientState.Queued), inFlight, delivered, failed + State(RecipientState.Failed), State(RecipientState.Skipped));
        return new CampaignView(c.Id, c.Name, c.MessageTemplate, c.AiEnabled, c.Status, c.PausedReason, c.Numbers, c.ScheduledAtUtc, c.CreatedAtUtc,
            counts, segments, new Money(segments * options.SegmentPriceMicros).Dollars, c.SlowedUntilUtc > time.GetUtcNow().UtcDateTime);
    }
}
