using Parley.Accounts;
using Parley.Billing;

namespace Parley.Tests.Billing;

/// <summary>The AI plan gate follows the subscription: active, past due within the grace, cancelled at the period's end.</summary>
public sealed class PlanEntitlementTests
{
    private static readonly DateTime Now = new(2026, 12, 6, 12, 0, 0, DateTimeKind.Utc);
    private static readonly TimeSpan Grace = TimeSpan.FromDays(7);

    private static Tenant Tenant(Plan plan) => new() { Name = "T", TimeZone = "America/Toronto", ApiKeyHash = "x", Plan = plan };

    public static TheoryData<Plan, SubscriptionStatus?, int?, int?, bool, bool> Cases => new()
    {
        // plan, status (null: no billing row), past due since (days ago), period end (days from now), cancel at period end, AI allowed
        { Plan.Growth, null, null, null, false, true },
        { Plan.Scale, SubscriptionStatus.None, null, null, false, true },
        { Plan.Launch, SubscriptionStatus.Active, null, null, false, false },
        { Plan.Free, null, null, null, false, false },
        { Plan.Growth, SubscriptionStatus.Active, null, 20, false, true },
        { Plan.Growth, SubscriptionStatus.PastDue, 3, 20, false, true },
        { Plan.Growth, SubscriptionStatus.PastDue, 7, 20, false, false },
        { Plan.Growth, SubscriptionStatus.Active, null, 2, true, true },
        { Plan.Growth, SubscriptionStatus.Active, null, -1, true, false },
        { Plan.Growth, SubscriptionStatus.Canceled, null, -1, false, false },
        { Plan.Growth, SubscriptionStatus.Incomplete, null, null, false, false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Ai_is_allowed_only_while_the_plan_and_its_subscription_say_so(
        Plan plan, SubscriptionStatus? status, int? pastDueDays, int? periodEndDays, bool cancelAtPeriodEnd, bool allowed)
    {
        var account = status is null ? null : new BillingAccount
        {
            SubscriptionStatus = status.Value,
            PastDueSinceUtc = pastDueDays is { } d ? Now.AddDays(-d) : null,
            CurrentPeriodEndUtc = periodEndDays is { } e ? Now.AddDays(e) : null,
            CancelAtPeriodEnd = cancelAtPeriodEnd,
        };
        var why = PlanEntitlement.WhyNoAi(Tenant(plan), account, Now, Grace);
        Assert.Equal(allowed, why is null);
        if (why is not null)
        {
            Assert.Contains(plan.ToString(), why, StringComparison.Ordinal);
        }
    }
}
