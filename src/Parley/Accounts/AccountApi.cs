using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Parley.Billing;
using Parley.Data;

namespace Parley.Accounts;

public static class AccountApi
{
    public sealed record AccountView(Guid Id, string Name, Plan Plan, string TimeZone, A2pStatus A2pStatus, string DefaultCountry,
        IReadOnlyList<string> PhoneNumbers, decimal WalletBalance);

    public static void MapAccountApi(this RouteGroupBuilder api) =>
        api.MapGet("/account", GetAsync).WithName("GetAccount").WithSummary("The signed-in tenant: plan, numbers and wallet balance.");

    private static async Task<Ok<AccountView>> GetAsync(ParleyDb db, TenantScope scope, CancellationToken cancellationToken)
    {
        var tenant = await db.Tenants.FirstAsync(t => t.Id == scope.TenantId(), cancellationToken);
        var numbers = await db.PhoneNumbers.OrderBy(n => n.CreatedAtUtc).Select(n => n.Number).ToListAsync(cancellationToken);
        var balance = await db.WalletEntries.SumAsync(e => e.AmountMicros, cancellationToken);
        return TypedResults.Ok(new AccountView(tenant.Id, tenant.Name, tenant.Plan, tenant.TimeZone, tenant.A2pStatus, tenant.DefaultCountry,
            numbers, new Money(balance).Dollars));
    }
}
