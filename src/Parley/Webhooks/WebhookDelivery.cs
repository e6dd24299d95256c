using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Parley.Accounts;

namespace Parley.Webhooks;

public enum DeliveryStatus
{
    /// <summary>Not acknowledged yet: an attempt is due.</summary>
    Pending,

    /// <summary>The endpoint answered 2xx; never sent again unless someone asks.</summary>
    Delivered,

    /// <summary>Given up: refused address, endpoint disabled or deleted, or retried for too long.</summary>
    Failed,
}

/// <summary>One event on its way to one endpoint, with what its latest attempt got back.</summary>
public sealed class WebhookDelivery : ITenantOwned
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public Guid EndpointId { get; set; }
    public Guid EventId { get; set; }
    public OutboxEvent Event { get; set; } = null!;
    public DeliveryStatus Status { get; set; }
    public int Attempts { get; set; }
    public int? ResponseCode { get; set; }
    public int? LatencyMs { get; set; }
    public string? Error { get; set; }
    public DateTime CreatedAtUtc { get; set; }
    public DateTime? LastAttemptAtUtc { get; set; }
    public DateTime? NextAttemptAtUtc { get; set; }
    public DateTime? DeliveredAtUtc { get; set; }
}

internal sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<WebhookDelivery> d)
    {
        d.ToTable("WebhookDeliveries");
        d.Property(x => x.Status).HasConversion<string>().HasMaxLength(16);
        d.Property(x => x.Error).HasMaxLength(1000);
        d.HasIndex(x => new { x.EndpointId, x.CreatedAtUtc });
        d.HasIndex(x => new { x.EndpointId, x.EventId }).IsUnique();
        d.HasOne(x => x.Event).WithMany().HasForeignKey(x => x.EventId).OnDelete(DeleteBehavior.Cascade);
        d.HasOne<WebhookEndpoint>().WithMany().HasForeignKey(x => x.EndpointId).OnDelete(DeleteBehavior.Cascade);
        d.HasOne<Tenant>().WithMany().HasForeignKey(x => x.TenantId);
    }
}
