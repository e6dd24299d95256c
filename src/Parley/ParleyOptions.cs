namespace Parley;

/// <summary>Bound from <c>Parley</c>: the top-level switches.</summary>
public sealed class ParleyOptions
{
    public const string Section = "Parley";

    /// <summary>Bearer key for <c>/api/admin</c>. Without one, the admin API is closed.</summary>
    public string? AdminApiKey { get; set; }

    public CarrierKind Carrier { get; set; } = CarrierKind.Sandbox;

    /// <summary>Where people open the dashboard (e.g. <c>https://parley.example.com</c>), for links that leave the
    /// browser: alert emails, calendar events. Without it those links are paths only.</summary>
    public string? DashboardUrl { get; set; }

    /// <summary>A dashboard link for <paramref name="path"/>: absolute when <see cref="DashboardUrl"/> is set.</summary>
    public string Link(string path) => (DashboardUrl?.TrimEnd('/') ?? string.Empty) + path;
}

public enum CarrierKind
{
    Sandbox,
    Telnyx,
}
