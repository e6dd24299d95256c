using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Parley.Accounts;

namespace Parley.Billing;

/// <summary>The plan subscription as the payment provider last reported it. <see cref="None"/>: no subscription
/// (a free plan, or a plan the operator set), so the plan alone decides.</summary>
public enum SubscriptionStatus
{
    None,
    Incomplete,
    Active,
    PastDue,
    Canceled,
}

/// <summary>A tenant's self-serve billing: its customer and subscription at the payment provider and its
/// auto-recharge rule. One row per tenant, made on first use.</summary>
public sealed class BillingAccount : ITenantOwned
{
    public Guid TenantId { get; set; }
    public string? CustomerId { get; set; }
    public string? SubscriptionId { get; set; }
    public SubscriptionStatus SubscriptionStatus { get; set; }
    public DateTime? CurrentPeriodEndUtc { get; set; }
    public bool CancelAtPeriodEnd { get; set; }

    /// <summary>When the subscription's renewal first failed; AI keeps working for the grace period after it.</summary>
    public DateTime? PastDueSinceUtc { get; set; }

    /// <summary>When the latest subscription event applied was created: an older one arriving late changes nothing.</summary>
    public DateTime? SubscriptionEventAtUtc { get; set; }

    /// <summary>The saved card an auto-recharge charges (Stripe's payment method id).</summary>
    public string? PaymentMethodId { get; set; }

    public bool AutoRechargeEnabled { get; set; }
    public long AutoRechargeThresholdMicros { get; set; }
    public long AutoRechargeAmountMicros { get; set; }
    public int AutoRechargeMaxPerDay { get; set; }
}

internal sealed class BillingAccountConfiguration : IEntityTypeConfiguration<BillingAccount>
{
    public void Configure(EntityTypeBuilder<BillingAccount> builder)
    {
        builder.HasKey(x => x.TenantId);
        builder.Property(x => x.CustomerId).HasMaxLength(255);
        builder.Property(x => x.SubscriptionId).HasMaxLength(255);
        builder.Property(x => x.PaymentMethodId).HasMaxLength(255);
        builder.Property(x => x.SubscriptionStatus).HasConversion<string>().HasMaxLength(16);
        builder.HasIndex(x => x.CustomerId);
        builder.HasOne<Tenant>().WithOne().HasForeignKey<BillingAccount>(x => x.TenantId);
    }
}
