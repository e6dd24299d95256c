namespace Parley.Accounts.A2p;

/// <summary>The carrier's 10DLC registry: Telnyx's 10DLC API, or the Sandbox's, which approves everything at once.</summary>
public interface ITenDlcRegistry
{
    Task<TenDlcStep> CreateBrandAsync(A2pDetails details, CancellationToken cancellationToken);

    Task<TenDlcStep> CreateCampaignAsync(string brandId, A2pDetails details, CancellationToken cancellationToken);

    /// <summary>The campaign's status now (polling; the carrier's events say the same sooner).</summary>
    Task<TenDlcStep> CampaignAsync(string campaignId, CancellationToken cancellationToken);

    Task<TenDlcStep> AssignNumberAsync(string campaignId, string number, CancellationToken cancellationToken);
}

/// <summary>One registration step as the registry answered it: its id, its status in the registry's words, and,
/// when it refused, why.</summary>
public sealed record TenDlcStep(string? Id, string Status, string? Problem = null)
{
    public bool Failed => Problem is not null || Status.Contains("FAIL", StringComparison.Ordinal) || Status.Contains("REJECT", StringComparison.Ordinal)
        || Status is "TCR_SUSPENDED" or "TCR_EXPIRED" or "EXPIRED" or "SUSPENDED" or "UNVERIFIED";
}

/// <summary>The registry could not be reached or failed on its side: nothing is lost, try again.</summary>
public sealed class TenDlcUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The Sandbox carrier's registry: every step is approved as it is submitted.</summary>
public sealed class SandboxTenDlc : ITenDlcRegistry
{
    public Task<TenDlcStep> CreateBrandAsync(A2pDetails details, CancellationToken cancellationToken) =>
        Task.FromResult(new TenDlcStep($"sandbox-brand-{Guid.NewGuid():N}", "VERIFIED"));

    public Task<TenDlcStep> CreateCampaignAsync(string brandId, A2pDetails details, CancellationToken cancellationToken) =>
        Task.FromResult(new TenDlcStep($"sandbox-campaign-{Guid.NewGuid():N}", "MNO_PROVISIONED"));

    public Task<TenDlcStep> CampaignAsync(string campaignId, CancellationToken cancellationToken) =>
        Task.FromResult(new TenDlcStep(campaignId, "MNO_PROVISIONED"));

    public Task<TenDlcStep> AssignNumberAsync(string campaignId, string number, CancellationToken cancellationToken) =>
        Task.FromResult(new TenDlcStep(number, "ASSIGNED"));
}
