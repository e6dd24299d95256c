using Parley.Accounts;

namespace Parley.Billing;

/// <summary>Bound from <c>Parley:Billing</c>: per-use rates in micro-dollars and monthly plan prices.</summary>
public sealed class BillingOptions
{
    public const string Section = "Parley:Billing";

    /// <summary>One AI SMS Reply: $0.02, the going rate for an AI-written text.</summary>
    public long AiReplyMicros { get; set; } = 20_000;

    /// <summary>Per outbound segment (AI, manual or campaign).</summary>
    public long SmsSegmentMicros { get; set; } = 8_000;

    /// <summary>Per inbound message: the lower rate.</summary>
    public long InboundMicros { get; set; } = 4_000;

    /// <summary>Below this balance the owners are told once (dashboard and email), before replies start being skipped at zero.</summary>
    public long LowBalanceMicros { get; set; } = 5_000_000;

    /// <summary>How long after a charge the balance is looked at: the charges of a busy minute share one look.</summary>
    public TimeSpan LowBalanceCheckDelay { get; set; } = TimeSpan.FromMinutes(1);

    public Dictionary<Plan, decimal> PlanPricesUsd { get; set; } = new()
    {
        [Plan.Free] = 0m,
        [Plan.Launch] = 49m,
        [Plan.Growth] = 149m,
        [Plan.Scale] = 299m,
    };

    public static bool IncludesAi(Plan plan) => plan is Plan.Growth or Plan.Scale;
}
