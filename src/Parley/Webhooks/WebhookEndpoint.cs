using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Parley.Accounts;

namespace Parley.Webhooks;

/// <summary>A tenant's receiver of events: where to send them, which types it wants, and the secret they are signed with.</summary>
public sealed class WebhookEndpoint : ITenantOwned
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public required string Url { get; set; }

    /// <summary>The event types wanted, comma-separated; <c>*</c> for all of them.</summary>
    public required string Events { get; set; }

    /// <summary>The Standard Webhooks secret (<c>whsec_</c> and base64), kept because every request is signed with it.</summary>
    public required string Secret { get; set; }

    public bool Enabled { get; set; } = true;
    public DateTime? DisabledAtUtc { get; set; }
    public string? DisabledReason { get; set; }

    /// <summary>First failed attempt since the last success: an endpoint failing for long enough is disabled.</summary>
    public DateTime? FailingSinceUtc { get; set; }

    public DateTime CreatedAtUtc { get; set; }

    public IReadOnlyList<string> EventTypes => Events.Split(',', StringSplitOptions.RemoveEmptyEntries);

    public bool Wants(string type) => EventTypes.Any(t => t == WebhookEventTypes.All || t == type);
}

internal sealed class WebhookEndpointConfiguration : IEntityTypeConfiguration<WebhookEndpoint>
{
    public void Configure(EntityTypeBuilder<WebhookEndpoint> e)
    {
        e.ToTable("WebhookEndpoints");
        e.Property(x => x.Url).HasMaxLength(2048);
        e.Property(x => x.Events).HasMaxLength(1000);
        e.Property(x => x.Secret).HasMaxLength(100);
        e.Property(x => x.DisabledReason).HasMaxLength(1000);
        e.HasIndex(x => new { x.TenantId, x.Enabled });
        e.HasOne<Tenant>().WithMany().HasForeignKey(x => x.TenantId);
    }
}
