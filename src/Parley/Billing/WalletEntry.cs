using Parley.Accounts;

namespace Parley.Billing;

public enum WalletEntryKind
{
    Credit,
    AiReplyCharge,
    SmsSentCharge,
    InboundCharge,
    Refund,
    Adjustment,

    /// <summary>A payment the tenant made (a top-up or an auto-recharge), credited once.</summary>
    TopUp,

    /// <summary>A payment that did not go through: a zero line, so the ledger shows it.</summary>
    PaymentFailed,

    /// <summary>A payment given back to the payer: its credit leaves the wallet.</summary>
    PaymentRefund,

    /// <summary>A payment the payer disputed with their bank: its credit leaves the wallet.</summary>
    Dispute,
}

/// <summary>One line of a tenant's append-only wallet ledger; the balance is the sum of the lines.</summary>
public sealed class WalletEntry : ITenantOwned
{
    public long Id { get; set; }
    public Guid TenantId { get; set; }
    public WalletEntryKind Kind { get; set; }

    /// <summary>Signed: credits positive, charges negative.</summary>
    public long AmountMicros { get; set; }

    /// <summary>How many units the line covers (segments for an SMS Sent charge, else 1).</summary>
    public int Quantity { get; set; } = 1;

    public string? Note { get; set; }
    public long? MessageId { get; set; }

    /// <summary>The payment a credit, failure, refund or dispute line belongs to (its receipt).</summary>
    public Guid? PaymentId { get; set; }

    /// <summary>What the line is for, unique when set ("segments:42"): a retried step cannot charge twice.</summary>
    public string? Key { get; set; }
    public DateTime CreatedAtUtc { get; set; }
}

/// <summary>Money as integer micro-dollars: exact sums, and SQLite can sort and add them.</summary>
public readonly record struct Money(long Micros)
{
    public const long MicrosPerDollar = 1_000_000;

    public static Money FromDollars(decimal dollars) => new((long)decimal.Round(dollars * MicrosPerDollar, MidpointRounding.AwayFromZero));

    public decimal Dollars => (decimal)Micros / MicrosPerDollar;
}
