using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Accounts;
using Parley.Agent;
using Parley.Data;
using Parley.Email;
using Parley.Work;

namespace Parley.Billing;

/// <summary>
/// Tells a tenant's owners, once per dip, that the wallet fell below <see cref="BillingOptions.LowBalanceMicros"/>: an
/// activity-log line (which the billing page shows as a notice) and an email when email is set up. A charge queues a
/// look a minute later unless one is already waiting, so a busy tenant pays for one ledger sum a minute, not one per
/// text. A look that finds the balance back above the line re-arms the notice for the next dip.
/// </summary>
public sealed class LowBalanceNotice(
    ParleyDb db, Wallet wallet, EmailSender email, ActivityLog activity, IOptions<BillingOptions> billing, IOptions<ParleyOptions> parley,
    TimeProvider time) : IWorkHandler
{
    public sealed record Payload(Guid TenantId);

    public static readonly WorkKind<Payload> Work = new("billing.low-balance", (p, _) => $"low-balance:{p.TenantId:N}");

    /// <summary>Queues a look (in the caller's unit of work) unless one is already waiting.</summary>
    internal static Task QueueAsync(WorkQueue work, TimeProvider time, TimeSpan delay, Guid tenantId, CancellationToken cancellationToken) =>
        work.EnqueueUnlessPendingAsync(Work, new Payload(tenantId), tenantId, time.GetUtcNow().UtcDateTime + delay, cancellationToken);

    public async Task<WorkResult> HandleAsync(WorkItem item, CancellationToken cancellationToken)
    {
        var tenantId = Work.Read(item).TenantId;
        var tenant = await db.Tenants.FirstOrDefaultAsync(t => t.Id == tenantId, cancellationToken);
        if (tenant is null)
        {
            return WorkResult.Done;
        }

        var line = billing.Value.LowBalanceMicros;
        var balance = await wallet.BalanceMicrosAsync(tenantId, cancellationToken);
        if (balance >= line)
        {
            if (tenant.LowBalanceNotifiedAtUtc is not null)
            {
                tenant.LowBalanceNotifiedAtUtc = null;
                await db.SaveChangesAsync(cancellationToken);
            }

            return WorkResult.Done;
        }

        if (tenant.LowBalanceNotifiedAtUtc is not null)
        {
            return WorkResult.Done; // this dip was told already
        }

        var text = string.Create(CultureInfo.InvariantCulture, $"The wallet is down to {new Money(balance).Dollars:0.00} USD, below {new Money(line).Dollars:0.00}. AI replies stop when it reaches zero: add funds under Billing.");
        var owners = await db.Users.AsNoTracking().Where(u => u.Role == UserRole.Owner).OrderBy(u => u.CreatedAtUtc).Select(u => u.Email).ToListAsync(cancellationToken);
        if (email.Enabled && owners.Count > 0)
        {
            await email.SendAsync(
                new OutgoingEmail(owners, $"{tenant.Name}: the Parley wallet is low", $"{text}\n\nAdd funds: {parley.Value.Link("/billing")}\n"),
                cancellationToken);
        }

        tenant.LowBalanceNotifiedAtUtc = time.GetUtcNow().UtcDateTime;
        activity.Record(tenantId, null, ActivityKind.Billing, text);
        await db.SaveChangesAsync(cancellationToken);
        return WorkResult.Done;
    }
}
