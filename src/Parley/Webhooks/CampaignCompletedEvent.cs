using Microsoft.EntityFrameworkCore;
using Parley.Campaigns;
using Parley.Data;

namespace Parley.Webhooks;

/// <summary>The <c>campaign.completed</c> event with the campaign's final counts: its recipients' states as stored,
/// with the changes of the save that completes it laid over them (the last batch is saved with the completion).</summary>
internal static class CampaignCompletedEvent
{
    public static async Task<WebhookEvents.Raised> CountAsync(ParleyDb db, Campaign campaign, CancellationToken cancellationToken)
    {
        var stored = await db.CampaignRecipients.IgnoreQueryFilters().Where(r => r.CampaignId == campaign.Id)
            .GroupBy(r => r.State).Select(g => new { State = g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        var counts = Enum.GetValues<RecipientState>().ToDictionary(s => s, s => stored.Where(x => x.State == s).Sum(x => x.Count));
        foreach (var entry in db.ChangeTracker.Entries<CampaignRecipient>().Where(e => e.Entity.CampaignId == campaign.Id))
        {
            var state = entry.Property(r => r.State);
            if (entry.State is EntityState.Modified or EntityState.Deleted)
            {
                counts[state.OriginalValue]--;
            }

            if (entry.State is EntityState.Modified or EntityState.Added)
            {
                counts[state.CurrentValue]++;
            }
        }

        return new(campaign.TenantId, WebhookEventTypes.CampaignCompleted, new
        {
            campaignId = campaign.Id,
            name = campaign.Name,
            startedAt = campaign.StartedAtUtc,
            finishedAt = campaign.FinishedAtUtc,
            recipients = counts.Values.Sum(),
            sent = counts[RecipientState.Sent] + counts[RecipientState.Delivered],
            delivered = counts[RecipientState.Delivered],
            failed = counts[RecipientState.Failed],
            skipped = counts[RecipientState.Skipped],
        });
    }
}
