using System.Globalization;
using Parley.Accounts;

namespace Parley.Billing;

/// <summary>Whether the tenant's plan lets the agent reply now: the plan must include AI, and its subscription
/// (when it has one) must be active, past due within the grace period, or cancelled but not yet at its period's end.</summary>
public static class PlanEntitlement
{
    /// <summary>Null when AI may reply; else why not, in words for the activity log and the conversation notice.</summary>
    public static string? WhyNoAi(Tenant tenant, BillingAccount? account, DateTime nowUtc, TimeSpan pastDueGrace)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        if (!BillingOptions.IncludesAi(tenant.Plan))
        {
            return $"The {tenant.Plan} plan does not include AI replies: upgrade to Growth or Scale under Billing.";
        }

        if (account is null)
        {
            return null;
        }

        return account.SubscriptionStatus switch
        {
            SubscriptionStatus.PastDue when account.PastDueSinceUtc is { } since && nowUtc >= since + pastDueGrace =>
                $"The {tenant.Plan} plan's payment has been past due since {Day(since)}: AI replies stopped. Update the card under Billing.",
            SubscriptionStatus.Canceled =>
                $"The {tenant.Plan} plan's subscription was cancelled: AI replies stopped. Choose a plan under Billing.",
            SubscriptionStatus.Incomplete =>
                $"The {tenant.Plan} plan's first payment is not complete: AI replies start once it is paid.",
            _ when account.CancelAtPeriodEnd && account.CurrentPeriodEndUtc is { } end && nowUtc >= end =>
                $"The {tenant.Plan} plan ended on {Day(end)}: AI replies stopped. Choose a plan under Billing.",
            _ => null,
        };
    }

    private static string Day(DateTime utc) => utc.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
