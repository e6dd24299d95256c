using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Data;
using Parley.FollowUps;
using Parley.Messaging;
using Parley.Work;

namespace Parley.Campaigns;

/// <summary>Segments sent in bulk or on a schedule (campaign texts and follow-ups) in the sliding minute, per
/// sending number and in all, and in the rolling day.</summary>
public sealed record SendingUsage(IReadOnlyDictionary<string, int> MinuteByNumber, int Minute, int Day)
{
    public int MinuteFrom(string number) => MinuteByNumber.GetValueOrDefault(number);
}

/// <summary>
/// The tenant's sending limits (<see cref="CampaignOptions"/>: per number and per tenant in a sliding minute, a
/// rolling daily cap, all in segments), shared by campaigns and follow-ups and counted from the sends both have
/// recorded, so neither can spend the room the other used. A text over a limit waits for the slot
/// <see cref="NextSlotAsync"/> names; it is never dropped.
/// </summary>
public sealed class SendingLimits(ParleyDb db, SqliteWriteGate writeGate, IOptions<CampaignOptions> options)
{
    public CampaignOptions Options => options.Value;

    public async Task<SendingUsage> UsedAsync(DateTime now, CancellationToken cancellationToken)
    {
        var minuteAgo = now - TimeSpan.FromMinutes(1);
        var dayAgo = now - TimeSpan.FromDays(1);
        var campaigns = await db.CampaignRecipients.Where(r => r.SentAtUtc > dayAgo && r.SentFrom != null)
            .GroupBy(r => r.SentFrom!)
            .Select(g => new Used(g.Key, g.Sum(r => r.SentAtUtc > minuteAgo ? r.Segments : 0), g.Sum(r => r.Segments)))
            .ToListAsync(cancellationToken);
        var followUps = await db.FollowUps.Where(f => f.Status == FollowUpStatus.Sent && f.ResolvedAtUtc > dayAgo && f.SentFrom != null)
            .GroupBy(f => f.SentFrom!)
            .Select(g => new Used(g.Key, g.Sum(f => f.ResolvedAtUtc > minuteAgo ? f.Segments : 0), g.Sum(f => f.Segments)))
            .ToListAsync(cancellationToken);
        var all = campaigns.Concat(followUps).ToList();
        return new SendingUsage(
            all.GroupBy(u => u.Number).ToDictionary(g => g.Key, g => g.Sum(u => u.Minute)),
            all.Sum(u => u.Minute),
            all.Sum(u => u.Day));
    }

    /// <summary>When the oldest send in the limiting window (the minute, or the day) leaves it, a slot frees up.</summary>
    public async Task<DateTime> NextSlotAsync(bool daily, DateTime now, CancellationToken cancellationToken)
    {
        var window = daily ? TimeSpan.FromDays(1) : TimeSpan.FromMinutes(1);
        var since = now - window;
        var campaign = await db.CampaignRecipients.Where(r => r.SentAtUtc > since).MinAsync(r => r.SentAtUtc, cancellationToken);
        var followUp = await db.FollowUps.Where(f => f.Status == FollowUpStatus.Sent && f.SentFrom != null && f.ResolvedAtUtc > since)
            .MinAsync(f => f.ResolvedAtUtc, cancellationToken);
        var oldest = new[] { campaign, followUp }.Min();
        var next = (oldest ?? now) + window;
        return next > now ? next : now + TimeSpan.FromSeconds(1);
    }

    /// <summary>The tenant's texts the carrier pushed back (<see cref="SendResult.RateLimited"/> or <see cref="SendResult.Transient"/>)
    /// are waiting to be retried: sends then go at half rate.</summary>
    public Task<bool> CarrierIsPushingBackAsync(Guid tenantId, CancellationToken cancellationToken) =>
        db.WorkItems.AnyAsync(w => w.TenantId == tenantId && OutboundSender.SendKinds.Contains(w.Kind) && w.Status == WorkStatus.Pending
            && w.BackPressure, cancellationToken);

    /// <summary>Null when one text of <paramref name="segments"/> from <paramref name="from"/> fits the limits now,
    /// else when to try again.</summary>
    public async Task<DateTime?> WaitForRoomAsync(Guid tenantId, string from, int segments, DateTime now, CancellationToken cancellationToken)
    {
        var limits = options.Value;
        var divisor = await CarrierIsPushingBackAsync(tenantId, cancellationToken) ? 2 : 1;
        var used = await UsedAsync(now, cancellationToken);
        if (limits.DailyCap - used.Day < Math.Min(segments, limits.DailyCap))
        {
            return await NextSlotAsync(daily: true, now, cancellationToken);
        }

        // A text longer than a whole minute's room goes out alone in an empty minute rather than never.
        var perNumber = Math.Max(1, limits.PerNumberPerMinute / divisor);
        var perTenant = Math.Max(1, limits.PerTenantPerMinute / divisor);
        return perNumber - used.MinuteFrom(from) < Math.Min(segments, perNumber) || perTenant - used.Minute < Math.Min(segments, perTenant)
            ? await NextSlotAsync(daily: false, now, cancellationToken)
            : null;
    }

    /// <summary>Runs <paramref name="send"/> (which adds the text to the unit of work and saves it) only if the text
    /// fits the limits, in one transaction serialised with every other send of the tenant decided here (SQLite: the
    /// process's write gate; PostgreSQL: a per-tenant advisory lock), so texts due at the same moment cannot each
    /// see the same room. Null when it ran, else when to try again (nothing was saved).</summary>
    public Task<DateTime?> SendIfRoomAsync(Guid tenantId, string from, int segments, DateTime now, Func<Task> send, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(send);
        return db.Database.IsNpgsql()
            ? LockedAsync(lockTenant: true)
            : writeGate.RunAsync(() => LockedAsync(lockTenant: false), cancellationToken);

        async Task<DateTime?> LockedAsync(bool lockTenant)
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            if (lockTenant)
            {
                await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtext({"sending:" + tenantId.ToString()}))", cancellationToken);
            }

            if (await WaitForRoomAsync(tenantId, from, segments, now, cancellationToken) is { } later)
            {
                return later;
            }

            await send();
            await transaction.CommitAsync(cancellationToken);
            return null;
        }
    }

    private sealed record Used(string Number, int Minute, int Day);
}
