using Microsoft.EntityFrameworkCore;
using Parley.Billing;
using Parley.Data;

namespace Parley.Web.Pages;

public sealed class BillingModel(ParleyDb db, TimeProvider time) : DashboardPage(db)
{
    public long BalanceMicros { get; private set; }

    public long MonthChargesMicros { get; private set; }

    public IReadOnlyList<WalletEntry> Ledger { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        await LoadTenantAsync(cancellationToken);
        var localNow = TimeZoneInfo.ConvertTimeFromUtc(time.GetUtcNow().UtcDateTime, Zone);
        var monthStartUtc = TimeZoneInfo.ConvertTimeToUtc(new DateTime(localNow.Year, localNow.Month, 1, 0, 0, 0, DateTimeKind.Unspecified), Zone);
        BalanceMicros = await Db.WalletEntries.SumAsync(e => e.AmountMicros, cancellationToken);
        MonthChargesMicros = await Db.WalletEntries.Where(e => e.AmountMicros < 0 && e.CreatedAtUtc >= monthStartUtc).SumAsync(e => e.AmountMicros, cancellationToken);
        Ledger = await Db.WalletEntries.AsNoTracking().OrderByDescending(e => e.Id).Take(100).ToListAsync(cancellationToken);
    }
}
