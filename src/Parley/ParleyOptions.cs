namespace Parley;

/// <summary>Bound from <c>Parley</c>: the top-level switches.</summary>
public sealed class ParleyOptions
{
    public const string Section = "Parley";

    /// <summary>Bearer key for <c>/api/admin</c>. Without one, the admin API is closed.</summary>
    public string? AdminApiKey { get; set; }

    public CarrierKind Carrier { get; set; } = CarrierKind.Sandbox;
}

public enum CarrierKind
{
    Sandbox,
    Telnyx,
}
