using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Parley.Accounts;
using Parley.Accounts.A2p;
using Parley.Billing;
using Parley.Data;

namespace Parley.Web.Pages.Admin;

/// <summary>The platform operator's page: every tenant's plan, subscription, wallet, A2P progress and payments, through the admin API's own logic.</summary>
public sealed class AdminTenantsModel(ParleyDb db, TimeProvider time) : PageModel
{
    public sealed record Row(Tenant Tenant, long BalanceMicros, int Users, BillingAccount? Billing, A2pRegistration? A2p, PaymentSummary Payments);

    /// <summary>A tenant's payments at a glance: how many, how much was paid, how many failed, and the latest.</summary>
    public sealed record PaymentSummary(int Count, long PaidMicros, int Failed, DateTime? LastAtUtc);

    public IReadOnlyList<Row> Tenants { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostUpdateAsync(Guid id, Plan plan, A2pStatus a2p, CancellationToken cancellationToken)
    {
        // An undefined value ("99") fails binding and would arrive as the enum's default: refuse it, change nothing.
        if (!ModelState.IsValid || !Enum.IsDefined(plan) || !Enum.IsDefined(a2p))
        {
            return BadRequest(new ValidationProblemDetails(ModelState) { Detail = "plan must be Free, Launch, Growth or Scale; a2p NotStarted, Pending, Live or Rejected." });
        }

        var result = await AdminApi.UpdateAsync(id, new AdminApi.UpdateTenant(plan, a2p), db, cancellationToken);
        return result.Result is Microsoft.AspNetCore.Http.HttpResults.NotFound ? NotFound() : Redirect("/admin/tenants");
    }

    public async Task<IActionResult> OnPostCreditAsync(Guid id, decimal? amount, string? note, CancellationToken cancellationToken)
    {
        var result = await AdminApi.CreditAsync(id, new AdminApi.AddCredit(amount, note), db, time, cancellationToken);
        if (result.Result is Microsoft.AspNetCore.Http.HttpResults.ValidationProblem problem)
        {
            foreach (var (_, messages) in problem.ProblemDetails.Errors)
            {
                ModelState.AddModelError(string.Empty, string.Join(" ", messages));
            }

            await LoadAsync(cancellationToken);
            return Page();
        }

        return result.Result is Microsoft.AspNetCore.Http.HttpResults.NotFound ? NotFound() : Redirect("/admin/tenants");
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var tenants = await db.Tenants.AsNoTracking().OrderBy(t => t.CreatedAtUtc).Take(500).ToListAsync(cancellationToken);
        var ids = tenants.Select(t => t.Id).ToList();
        var balances = await db.WalletEntries.IgnoreQueryFilters().GroupBy(e => e.TenantId).Select(g => new { g.Key, Sum = g.Sum(e => e.AmountMicros) })
            .ToDictionaryAsync(x => x.Key, x => x.Sum, cancellationToken);
        var users = await db.Users.IgnoreQueryFilters().GroupBy(u => u.TenantId).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.Key, x => x.Count, cancellationToken);
        var billing = await db.BillingAccounts.IgnoreQueryFilters().AsNoTracking().Where(a => ids.Contains(a.TenantId))
            .ToDictionaryAsync(a => a.TenantId, cancellationToken);
        var registrations = await db.A2pRegistrations.IgnoreQueryFilters().AsNoTracking().Where(r => ids.Contains(r.TenantId))
            .ToDictionaryAsync(r => r.TenantId, cancellationToken);
        var payments = await db.Payments.IgnoreQueryFilters().Where(p => ids.Contains(p.TenantId)).GroupBy(p => p.TenantId)
            .Select(g => new
            {
                g.Key,
                Count = g.Count(),
                Paid = g.Sum(p => p.Status == PaymentStatus.Succeeded ? p.AmountMicros : 0),
                Failed = g.Count(p => p.Status == PaymentStatus.Failed),
                Last = g.Max(p => (DateTime?)p.CreatedAtUtc),
            })
            .ToDictionaryAsync(x => x.Key, x => new PaymentSummary(x.Count, x.Paid, x.Failed, x.Last), cancellationToken);
        Tenants = tenants.Select(t => new Row(
            t,
            balances.GetValueOrDefault(t.Id),
            users.GetValueOrDefault(t.Id),
            billing.GetValueOrDefault(t.Id),
            registrations.GetValueOrDefault(t.Id),
            payments.GetValueOrDefault(t.Id) ?? new PaymentSummary(0, 0, 0, null))).ToList();
    }
}
