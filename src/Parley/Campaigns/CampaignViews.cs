using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Accounts;
using Parley.Billing;
using Parley.Data;
using Parley.Messaging;

namespace Parley.Campaigns;

/// <summary>What a campaign shows: its counts, segments and cost, and the estimate before it starts.</summary>
public static partial class CampaignsApi
{
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
        var reasons = await db.CampaignRecipients.Where(r => r.CampaignId == c.Id && r.State == RecipientState.Skipped)
            .GroupBy(r => r.SkipReason).Select(g => new { Reason = g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        var counts = new Counts(State(RecipientState.Queued), inFlight, delivered, failed + State(RecipientState.Failed), State(RecipientState.Skipped));
        return new CampaignView(c.Id, c.Name, c.MessageTemplate, c.AiEnabled, c.Status, c.PausedReason, c.Numbers, c.ScheduledAtUtc, c.CreatedAtUtc,
            counts, segments, new Money(segments * options.SegmentPriceMicros).Dollars, c.SlowedUntilUtc > time.GetUtcNow().UtcDateTime,
            [.. reasons.OrderByDescending(r => r.Count).Select(r => new SkipReason(r.Reason ?? "Skipped", r.Count))]);
    }
}
