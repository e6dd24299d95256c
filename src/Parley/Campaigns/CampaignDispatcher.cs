using Microsoft.EntityFrameworkCore;
using Parley.Conversations;
using Parley.Data;
using Parley.Messaging;
using Parley.Work;

namespace Parley.Campaigns;

/// <summary>Payload of a campaign's dispatch work.</summary>
public sealed record CampaignWork(Guid CampaignId);

/// <summary>
/// Sends a running campaign's due recipients, one batch per work item, then queues the next batch. Each
/// recipient's new state, its queued text and the next batch commit with the work item's completion, so a
/// crash mid-campaign resumes where it stopped and nobody gets a second copy. Rates are a sliding minute
/// per sending number and per tenant plus a rolling daily cap, counted in segments and shared with follow-ups
/// (<see cref="SendingLimits"/>); carrier back-pressure
/// halves the rates for a while; quiet hours, opt-outs and "verified owner" are checked per recipient.
/// </summary>
public sealed partial class CampaignDispatcher(
    ParleyDb db,
    ConversationFinder finder,
    OutboundMessages outbound,
    WorkQueue work,
    TimeProvider time,
    SendingLimits sending,
    ILogger<CampaignDispatcher> logger) : IWorkHandler
{
    /// <summary>One key for all of a tenant's campaigns: the limits are the tenant's and its numbers', counted from
    /// the sends already recorded, so two dispatches of one tenant must never run at once (on one instance or two),
    /// or each would spend the same room.</summary>
    public static readonly WorkKind<CampaignWork> Work = new("campaign.dispatch", (_, tenantId) => $"campaigns:{tenantId:N}", WorkPriority.Bulk);

    public const string EmptyWallet = "Wallet balance is empty";
    public const string VerifiedOwnerElsewhere = "Verified owner reached on another number";

    /// <summary>Queues a dispatch now (or at <paramref name="dueAtUtc"/>), or brings a pending one forward. The
    /// campaign's pending dispatch is found by its payload, whatever key it was queued under.</summary>
    public static async Task ScheduleAsync(ParleyDb db, WorkQueue work, Campaign campaign, DateTime dueAtUtc, CancellationToken cancellationToken)
    {
        var payload = Work.Serialize(new CampaignWork(campaign.Id));
        var pending = await db.WorkItems.FirstOrDefaultAsync(w => w.Kind == Work.Name && w.Payload == payload && w.Status == WorkStatus.Pending, cancellationToken);
        if (pending is null)
        {
            work.Enqueue(Work, new CampaignWork(campaign.Id), campaign.TenantId, dueAtUtc);
        }
        else if (pending.DueAtUtc > dueAtUtc)
        {
            pending.DueAtUtc = dueAtUtc;
        }
    }

    public async Task<WorkResult> HandleAsync(WorkItem item, CancellationToken cancellationToken)
    {
        var campaignId = Work.Read(item).CampaignId;
        var campaign = await db.Campaigns.FirstOrDefaultAsync(c => c.Id == campaignId, cancellationToken);
        if (campaign is not { Status: CampaignStatus.Running })
        {
            return WorkResult.Done;
        }

        var now = Now;
        if (campaign.ScheduledAtUtc > now)
        {
            Next(campaign, campaign.ScheduledAtUtc.Value);
            return WorkResult.Done;
        }

        var limits = sending.Options;
        var tenant = await db.Tenants.FirstAsync(t => t.Id == campaign.TenantId, cancellationToken);
        var balance = await db.WalletEntries.SumAsync(e => e.AmountMicros, cancellationToken);
        if (balance <= 0)
        {
            Pause(campaign, EmptyWallet);
            return WorkResult.Done;
        }

        if (await sending.CarrierIsPushingBackAsync(campaign.TenantId, cancellationToken))
        {
            if (!(campaign.SlowedUntilUtc > now))
            {
                LogSlowed(logger, campaign.Id);
            }

            campaign.SlowedUntilUtc = now + limits.SlowDownFor;
        }

        var divisor = campaign.SlowedUntilUtc > now ? 2 : 1;
        var perNumber = Math.Max(1, limits.PerNumberPerMinute / divisor);
        var perTenant = Math.Max(1, limits.PerTenantPerMinute / divisor);
        var used = await sending.UsedAsync(now, cancellationToken);
        var numberLeft = campaign.Numbers.ToDictionary(n => n, n => perNumber - used.MinuteFrom(n));
        var tenantLeft = perTenant - used.Minute;
        var dayLeft = limits.DailyCap - used.Day;

        var batch = await db.CampaignRecipients
            .Where(r => r.CampaignId == campaign.Id && r.State == RecipientState.Queued && r.DueAtUtc <= now)
            .OrderBy(r => r.DueAtUtc).ThenBy(r => r.Id)
            .Take(limits.BatchSize)
            .ToListAsync(cancellationToken);
        var numbers = batch.Select(r => r.Phone).ToList();
        var optedOut = (await db.ContactPhones.Where(p => numbers.Contains(p.Number) && p.OptedOutAtUtc != null).Select(p => p.Number).ToListAsync(cancellationToken)).ToHashSet();
        var undeliverable = (await db.ContactPhones.Where(p => numbers.Contains(p.Number) && p.UndeliverableAtUtc != null).Select(p => p.Number).ToListAsync(cancellationToken)).ToHashSet();
        var confirmedOn = await ConfirmedNumbersAsync(batch.Select(r => r.ContactId).Distinct().ToList(), cancellationToken);
        var conversations = new Dictionary<Guid, Conversation>();
        var spent = 0L;
        var throttled = false;
        foreach (var recipient in batch)
        {
            if (optedOut.Contains(recipient.Phone))
            {
                Skip(recipient, "Opted out");
                continue;
            }

            if (undeliverable.Contains(recipient.Phone))
            {
                Skip(recipient, "Undeliverable number");
                continue;
            }

            if (confirmedOn.TryGetValue(recipient.ContactId, out var owners) && !owners.Contains(recipient.Phone))
            {
                Skip(recipient, VerifiedOwnerElsewhere);
                continue;
            }

            var (contact, _) = await finder.FindOrCreateContactAsync(campaign.TenantId, recipient.Phone, cancellationToken);
            var allowed = QuietHours.NextAllowedUtc(recipient.Phone, now, tenant.TimeZone, contact.TimeZone);
            if (allowed > now)
            {
                recipient.DueAtUtc = allowed;
                continue;
            }

            var text = CampaignTemplate.Render(campaign.MessageTemplate, recipient.FirstName ?? contact.FirstName, tenant.Name);
            var segments = Parley.Messaging.SmsSegments.Measure(text).Segments;
            var cost = segments * limits.SegmentPriceMicros;
            var from = numberLeft.OrderByDescending(n => n.Value).Select(n => n.Key).FirstOrDefault();
            if (from is null || numberLeft[from] < segments || tenantLeft < segments || dayLeft < segments)
            {
                throttled = true;
                break;
            }

            if (balance - spent < cost)
            {
                Pause(campaign, EmptyWallet);
                break;
            }

            if (!conversations.TryGetValue(contact.Id, out var conversation))
            {
                conversation = await finder.FindOrOpenAsync(contact, recipient.Phone, from, cancellationToken);
                conversations[contact.Id] = conversation;
            }
            else if (conversation.Phones.All(p => p.Number != recipient.Phone))
            {
                conversation = await finder.FindOrOpenAsync(contact, recipient.Phone, from, cancellationToken);
            }

            from = conversation.TenantNumber;
            if (numberLeft.GetValueOrDefault(from, perNumber - used.MinuteFrom(from)) < segments)
            {
                throttled = true;
                break;
            }

            conversation.CampaignId = campaign.Id;
            recipient.Message = outbound.Queue(conversation, recipient.Phone, text, MessageAuthor.Campaign);
            recipient.State = RecipientState.Sent;
            recipient.SentAtUtc = now;
            recipient.SentFrom = from;
            recipient.Segments = segments;
            numberLeft[from] = numberLeft.GetValueOrDefault(from, perNumber - used.MinuteFrom(from)) - segments;
            tenantLeft -= segments;
            dayLeft -= segments;
            spent += cost;
        }

        if (campaign.Status != CampaignStatus.Running)
        {
            return WorkResult.Done;
        }

        var handled = batch.Count(r => r.State != RecipientState.Queued || r.DueAtUtc > now);
        if (throttled)
        {
            Next(campaign, await sending.NextSlotAsync(dayLeft <= 0, now, cancellationToken));
        }
        else if (batch.Count == limits.BatchSize && handled > 0)
        {
            Next(campaign, now);
        }
        else
        {
            var deferred = batch.Where(r => r.State == RecipientState.Queued).Select(r => r.DueAtUtc).ToList();
            var handledIds = batch.Select(r => r.Id).ToList();
            var later = await db.CampaignRecipients
                .Where(r => r.CampaignId == campaign.Id && r.State == RecipientState.Queued && !handledIds.Contains(r.Id))
                .MinAsync(r => (DateTime?)r.DueAtUtc, cancellationToken);
            var next = deferred.Concat(later is { } l ? [l] : []).DefaultIfEmpty().Min();
            if (next == default)
            {
                campaign.Status = CampaignStatus.Completed;
                campaign.FinishedAtUtc = now;
                LogCompleted(logger, campaign.Id);
            }
            else
            {
                Next(campaign, next < now ? now : next);
            }
        }

        return WorkResult.Done;
    }

    /// <summary>For contacts whose identity was confirmed in a conversation: the numbers they confirmed on.</summary>
    private async Task<Dictionary<Guid, HashSet<string>>> ConfirmedNumbersAsync(List<Guid> contactIds, CancellationToken cancellationToken)
    {
        var confirmed = await db.Conversations.Where(c => contactIds.Contains(c.ContactId) && c.IdentityConfirmed)
            .Select(c => new
            {
                c.ContactId,
                Number = db.Messages.Where(m => m.ConversationId == c.Id && m.Direction == MessageDirection.Inbound)
                    .OrderByDescending(m => m.Id).Select(m => m.ContactNumber).FirstOrDefault(),
            })
            .ToListAsync(cancellationToken);
        return confirmed.Where(c => c.Number is not null).GroupBy(c => c.ContactId)
            .ToDictionary(g => g.Key, g => g.Select(c => c.Number!).ToHashSet());
    }

    private void Next(Campaign campaign, DateTime dueAtUtc) =>
        work.Enqueue(Work, new CampaignWork(campaign.Id), campaign.TenantId, dueAtUtc);

    private void Pause(Campaign campaign, string reason)
    {
        campaign.Status = CampaignStatus.Paused;
        campaign.PausedReason = reason;
        LogPaused(logger, campaign.Id, reason);
    }

    private static void Skip(CampaignRecipient recipient, string reason)
    {
        recipient.State = RecipientState.Skipped;
        recipient.SkipReason = reason;
    }

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    [LoggerMessage(Level = LogLevel.Information, Message = "Campaign {CampaignId} paused: {Reason}")]
    private static partial void LogPaused(ILogger logger, Guid campaignId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Campaign {CampaignId} completed")]
    private static partial void LogCompleted(ILogger logger, Guid campaignId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Campaign {CampaignId} slowed to half rate: the carrier asked to hold back")]
    private static partial void LogSlowed(ILogger logger, Guid campaignId);
}
