namespace Parley.Accounts;

public enum Plan
{
    Free,
    Launch,
    Growth,
    Scale,
}

/// <summary>A2P 10DLC registration as Parley sees it; only <see cref="Live"/> may carry AI replies.</summary>
public enum A2pStatus
{
    NotStarted,
    Pending,
    Live,
    Rejected,
}

public sealed class Tenant
{
    public Guid Id { get; set; }
    public required string Name { get; set; }
    public Plan Plan { get; set; }
    public required string TimeZone { get; set; }
    public A2pStatus A2pStatus { get; set; }

    /// <summary>ISO 3166 region used to read phone numbers written without a country code.</summary>
    public string DefaultCountry { get; set; } = "US";

    /// <summary>SHA-256 of the tenant's API key; the key itself is shown once and never stored.</summary>
    public required string ApiKeyHash { get; set; }

    public DateTime CreatedAtUtc { get; set; }

    /// <summary>First failure of the AI model since its last success (the dashboard shows "AI model failing
    /// since …"); null while the model answers.</summary>
    public DateTime? ModelFailingSinceUtc { get; set; }
    public string? ModelFailureReason { get; set; }

    /// <summary>Whether a question the agent could not answer from the knowledge (it told the texter the team will
    /// confirm) also puts the conversation in Needs Attention. Off by default: the gap is recorded either way.</summary>
    public bool UnansweredQuestionsNeedAttention { get; set; }

    /// <summary>When the owners were told the wallet ran low; cleared once the balance is back above the line, so
    /// each dip is told once.</summary>
    public DateTime? LowBalanceNotifiedAtUtc { get; set; }
}

/// <summary>Every row that belongs to one tenant; the DbContext filters these by the current tenant.</summary>
public interface ITenantOwned
{
    Guid TenantId { get; set; }
}

/// <summary>The tenant the current request or work item acts for. Null means "no tenant": tenant-owned
/// queries then return nothing, so a forgotten scope fails closed.</summary>
public sealed class TenantScope
{
    public Guid? TenantId { get; set; }
}
