using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Parley.Billing;
using Parley.Data;

namespace Parley.Accounts;

public static class AccountApi
{
    /// <param name="UnansweredQuestionsNeedAttention">whether a question the knowledge does not answer also puts the
    /// conversation in Needs Attention (the knowledge gap is recorded either way)</param>
    public sealed record AccountView(Guid Id, string Name, Plan Plan, string TimeZone, A2pStatus A2pStatus, string DefaultCountry,
        IReadOnlyList<string> PhoneNumbers, decimal WalletBalance, bool UnansweredQuestionsNeedAttention);

    /// <summary>The settings a tenant changes itself; a field left out keeps its value.</summary>
    public sealed record AccountSettings(bool? UnansweredQuestionsNeedAttention);

    public static void MapAccountApi(this RouteGroupBuilder api)
    {
        api.MapGet("/account", GetAsync).WithName("GetAccount").WithSummary("The signed-in tenant: plan, numbers, wallet balance and settings.");
        api.MapPatch("/account", UpdateAsync).WithName("UpdateAccount").WithSummary("Changes the signed-in tenant's own settings.");
    }

    private static async Task<Ok<AccountView>> GetAsync(ParleyDb db, TenantScope scope, CancellationToken cancellationToken) =>
        TypedResults.Ok(await ViewAsync(db, await db.Tenants.FirstAsync(t => t.Id == scope.TenantId(), cancellationToken), cancellationToken));

    internal static async Task<Ok<AccountView>> UpdateAsync(AccountSettings body, ParleyDb db, TenantScope scope, CancellationToken cancellationToken)
    {
        var tenant = await db.Tenants.FirstAsync(t => t.Id == scope.TenantId(), cancellationToken);
        if (body.UnansweredQuestionsNeedAttention is { } attention)
        {
            tenant.UnansweredQuestionsNeedAttention = attention;
        }

        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(await ViewAsync(db, tenant, cancellationToken));
    }

    private static async Task<AccountView> ViewAsync(ParleyDb db, Tenant tenant, CancellationToken cancellationToken)
    {
        var numbers = await db.PhoneNumbers.OrderBy(n => n.CreatedAtUtc).Select(n => n.Number).ToListAsync(cancellationToken);
        var balance = await db.WalletEntries.SumAsync(e => e.AmountMicros, cancellationToken);
        return new AccountView(tenant.Id, tenant.Name, tenant.Plan, tenant.TimeZone, tenant.A2pStatus, tenant.DefaultCountry,
            numbers, new Money(balance).Dollars, tenant.UnansweredQuestionsNeedAttention);
    }
}
