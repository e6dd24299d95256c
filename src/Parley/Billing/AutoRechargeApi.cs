using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Parley.Accounts;
using Parley.Billing.Payments;
using Parley.Data;

namespace Parley.Billing;

/// <summary>The auto-recharge rule: when a charge takes the balance below the threshold, charge the amount, at most
/// so many times a day.</summary>
public static class AutoRechargeApi
{
    public sealed record AutoRechargeSettings(bool? Enabled, decimal? ThresholdUsd, decimal? AmountUsd, int? MaxPerDay);

    public sealed record AutoRechargeView(bool Enabled, decimal ThresholdUsd, decimal AmountUsd, int MaxPerDay);

    public static void MapAutoRechargeApi(this RouteGroupBuilder api)
    {
        api.MapGet("/billing/auto-recharge", GetAsync).WithName("GetAutoRecharge").WithSummary("The wallet's auto-recharge rule.");
        api.MapPut("/billing/auto-recharge", PutAsync).WithName("SetAutoRecharge").WithSummary("Sets the auto-recharge rule: below thresholdUsd, charge amountUsd, at most maxPerDay times a day.");
    }

    public static AutoRechargeView View(BillingAccount account) => new(account.AutoRechargeEnabled,
        new Money(account.AutoRechargeThresholdMicros).Dollars, new Money(account.AutoRechargeAmountMicros).Dollars, account.AutoRechargeMaxPerDay);

    private static async Task<Ok<AutoRechargeView>> GetAsync(ParleyDb db, TenantScope scope, CancellationToken cancellationToken) =>
        TypedResults.Ok(View(await db.BillingAccounts.AsNoTracking().FirstOrDefaultAsync(cancellationToken) ?? SelfServeBilling.NewAccount(scope.TenantId())));

    internal static async Task<Results<Ok<AutoRechargeView>, ValidationProblem>> PutAsync(
        AutoRechargeSettings body, SelfServeBilling billing, ParleyDb db, TenantScope scope, CancellationToken cancellationToken)
    {
        var account = await billing.AccountAsync(scope.TenantId(), cancellationToken);
        var errors = Validate(body, account, billing.Limits);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        account.AutoRechargeEnabled = body.Enabled ?? account.AutoRechargeEnabled;
        account.AutoRechargeThresholdMicros = body.ThresholdUsd is { } threshold ? Money.FromDollars(threshold).Micros : account.AutoRechargeThresholdMicros;
        account.AutoRechargeAmountMicros = body.AmountUsd is { } amount ? Money.FromDollars(amount).Micros : account.AutoRechargeAmountMicros;
        account.AutoRechargeMaxPerDay = body.MaxPerDay ?? account.AutoRechargeMaxPerDay;
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(View(account));
    }

    private static Dictionary<string, string[]> Validate(AutoRechargeSettings body, BillingAccount account, PaymentOptions limits)
    {
        var errors = new Dictionary<string, string[]>();
        if (body.ThresholdUsd is { } threshold && (threshold < 0 || threshold > 10_000m || decimal.Round(threshold, 2) != threshold))
        {
            errors["thresholdUsd"] = ["The threshold is an amount in US dollars from 0.00 to 10000.00."];
        }

        if (body.AmountUsd is { } amount && (amount < limits.MinTopUpUsd || amount > limits.MaxTopUpUsd || decimal.Round(amount, 2) != amount))
        {
            errors["amountUsd"] = [$"The recharge is an amount in US dollars from {limits.MinTopUpUsd:0.00} to {limits.MaxTopUpUsd:0.00}."];
        }

        if (body.MaxPerDay is { } max && (max < 1 || max > limits.MaxAutoRechargesPerDay))
        {
            errors["maxPerDay"] = [$"At most 1 to {limits.MaxAutoRechargesPerDay} recharges a day."];
        }

        if (body.Enabled == true && limits.Provider == PaymentProviderKind.Stripe && account.PaymentMethodId is null)
        {
            errors["enabled"] = ["Top up once by card first: auto-recharge charges the card saved with that payment."];
        }

        return errors;
    }
}
