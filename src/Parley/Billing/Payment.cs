using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Parley.Accounts;

namespace Parley.Billing;

public enum PaymentKind
{
    TopUp,
    AutoRecharge,
    Plan,
}

public enum PaymentStatus
{
    Pending,
    Succeeded,
    Failed,
    Refunded,
    Disputed,
}

/// <summary>One payment a tenant made or started (a top-up, an auto-recharge, a plan invoice): the receipt line.
/// A succeeded wallet payment credits the wallet once, under the ledger key <see cref="CreditKey"/>.</summary>
public sealed class Payment : ITenantOwned
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public PaymentKind Kind { get; set; }
    public PaymentStatus Status { get; set; }
    public long AmountMicros { get; set; }

    /// <summary>The provider that took it: <c>Sandbox</c> or <c>Stripe</c>.</summary>
    public required string Provider { get; set; }

    /// <summary>The provider's id for the flow (a Checkout Session, a payment intent, an invoice); unique per provider.</summary>
    public string? Reference { get; set; }

    /// <summary>Stripe's payment intent, which refunds and disputes name.</summary>
    public string? PaymentIntentId { get; set; }

    /// <summary>Where the payer completes the payment (a hosted checkout page); null once nothing is left to do.</summary>
    public string? CheckoutUrl { get; set; }

    public string? ReceiptUrl { get; set; }
    public Plan? Plan { get; set; }
    public string? FailureReason { get; set; }
    public DateTime CreatedAtUtc { get; set; }
    public DateTime? CompletedAtUtc { get; set; }

    public string CreditKey => $"payment:{Id:N}";
}

internal sealed class PaymentConfiguration : IEntityTypeConfiguration<Payment>
{
    public void Configure(EntityTypeBuilder<Payment> builder)
    {
        builder.Property(x => x.Kind).HasConversion<string>().HasMaxLength(16);
        builder.Property(x => x.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(x => x.Plan).HasConversion<string>().HasMaxLength(16);
        builder.Property(x => x.Provider).HasMaxLength(16);
        builder.Property(x => x.Reference).HasMaxLength(255);
        builder.Property(x => x.PaymentIntentId).HasMaxLength(255);
        builder.Property(x => x.CheckoutUrl).HasMaxLength(2000);
        builder.Property(x => x.ReceiptUrl).HasMaxLength(2000);
        builder.Property(x => x.FailureReason).HasMaxLength(500);
        builder.HasIndex(x => new { x.Provider, x.Reference }).IsUnique();
        builder.HasIndex(x => x.PaymentIntentId);
        builder.HasIndex(x => new { x.TenantId, x.CreatedAtUtc });
        builder.HasOne<Tenant>().WithMany().HasForeignKey(x => x.TenantId);
    }
}
