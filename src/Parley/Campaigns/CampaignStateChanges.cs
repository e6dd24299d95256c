using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Billing;
using Parley.Data;
using Parley.Work;

namespace Parley.Campaigns;

/// <summary>A campaign's life after it is made: start (checking plan and wallet), pause, resume, cancel.</summary>
public static partial class CampaignsApi
{
    internal static Task<Results<Ok<CampaignView>, NotFound, ProblemHttpResult>> PauseAsync(
        Guid id, ParleyDb db, TimeProvider time, IOptions<CampaignOptions> options, CancellationToken cancellationToken) =>
        ChangeAsync(db, id, [CampaignStatus.Running], options.Value, time, c =>
        {
            c.Status = CampaignStatus.Paused;
            c.PausedReason = "Paused by a person";
        }, cancellationToken);

    internal static async Task<Results<Ok<CampaignView>, NotFound, ProblemHttpResult>> StartAsync(
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

    internal static async Task<Results<Ok<CampaignView>, NotFound, ProblemHttpResult>> ResumeAsync(
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

    internal static async Task<Results<Ok<CampaignView>, NotFound, ProblemHttpResult>> CancelAsync(
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
}
