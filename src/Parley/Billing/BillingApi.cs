using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Accounts;
using Parley.Data;

namespace Parley.Billing;

/// <summary>Usage for a billing period (a calendar month in the tenant's time zone), the balance, and the ledger.</summary>
public static class BillingApi
{
    public sealed record UsageLine(int Count, decimal Amount);

    public sealed record LedgerLine(long Id, WalletEntryKind Kind, decimal Amount, int Quantity, string? Note, long? MessageId, DateTime CreatedAt);

    public sealed record Usage(
        string Period,
        DateTimeOffset From,
        DateTimeOffset To,
        Plan Plan,
        decimal PlanPrice,
        UsageLine AiReplies,
        UsageLine SegmentsSent,
        UsageLine InboundMessages,
        decimal Refunds,
        decimal Balance,
        IReadOnlyList<LedgerLine> Entries,
        long? NextCursor);

    public static void MapBillingApi(this RouteGroupBuilder api) =>
        api.MapGet("/billing/usage", UsageAsync).WithName("GetBillingUsage").WithSummary("Wallet balance and usage over a period.");

    internal static async Task<Results<Ok<Usage>, ValidationProblem>> UsageAsync(
        ParleyDb db, TenantScope scope, IOptions<BillingOptions> options, TimeProvider time,
        string? period, long? cursor, int? limit, CancellationToken cancellationToken)
    {
        var tenant = await db.Tenants.FirstAsync(t => t.Id == scope.TenantId(), cancellationToken);
        var zone = TimeZoneInfo.FindSystemTimeZoneById(tenant.TimeZone);
        DateTime month;
        if (period is null)
        {
            var local = TimeZoneInfo.ConvertTime(time.GetUtcNow(), zone);
            month = new DateTime(local.Year, local.Month, 1, 0, 0, 0, DateTimeKind.Unspecified);
        }
        else if (!DateTime.TryParseExact(period, "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out month) || month.Year < 2000 || month.Year > 2100)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["period"] = ["The period is a month written YYYY-MM, e.g. 2026-11."] });
        }

        if (limit is < 1 or > 500)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = ["The limit is 1 to 500."] });
        }

        var fromUtc = TimeZoneInfo.ConvertTimeToUtc(month, zone);
        var toUtc = TimeZoneInfo.ConvertTimeToUtc(month.AddMonths(1), zone);
        var inPeriod = db.WalletEntries.AsNoTracking().Where(e => e.CreatedAtUtc >= fromUtc && e.CreatedAtUtc < toUtc);
        var totals = await inPeriod.GroupBy(e => e.Kind)
            .Select(g => new { Kind = g.Key, Count = g.Count(), Quantity = g.Sum(e => e.Quantity), Micros = g.Sum(e => e.AmountMicros) })
            .ToListAsync(cancellationToken);

        UsageLine Line(WalletEntryKind kind, bool byQuantity = false)
        {
            var row = totals.FirstOrDefault(t => t.Kind == kind);
            return row is null ? new UsageLine(0, 0m) : new UsageLine(byQuantity ? row.Quantity : row.Count, -new Money(row.Micros).Dollars);
        }

        var segments = Line(WalletEntryKind.SmsSentCharge, byQuantity: true);
        var adjustments = totals.FirstOrDefault(t => t.Kind == WalletEntryKind.Adjustment);
        if (adjustments is not null)
        {
            segments = new UsageLine(segments.Count + adjustments.Quantity, segments.Amount - new Money(adjustments.Micros).Dollars);
        }

        var page = inPeriod.OrderByDescending(e => e.Id);
        var take = limit ?? 50;
        var entries = await (cursor is { } before ? page.Where(e => e.Id < before) : page).Take(take + 1).ToListAsync(cancellationToken);
        var balance = await db.WalletEntries.SumAsync(e => e.AmountMicros, cancellationToken);
        return TypedResults.Ok(new Usage(
            month.ToString("yyyy-MM", CultureInfo.InvariantCulture),
            new DateTimeOffset(month, zone.GetUtcOffset(fromUtc)),
            new DateTimeOffset(month.AddMonths(1), zone.GetUtcOffset(toUtc)),
            tenant.Plan,
            options.Value.PlanPricesUsd.GetValueOrDefault(tenant.Plan),
            Line(WalletEntryKind.AiReplyCharge),
            segments,
            Line(WalletEntryKind.InboundCharge),
            new Money(totals.FirstOrDefault(t => t.Kind == WalletEntryKind.Refund)?.Micros ?? 0).Dollars,
            new Money(balance).Dollars,
            entries.Take(take).Select(e => new LedgerLine(e.Id, e.Kind, new Money(e.AmountMicros).Dollars, e.Quantity, e.Note, e.MessageId, e.CreatedAtUtc)).ToList(),
            entries.Count > take ? entries[take - 1].Id : null));
    }
}
