using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Parley.Accounts;
using Parley.Conversations;

namespace Parley.Webhooks;

/// <summary>
/// One event for the tenant's endpoints, written in the same transaction as the change it reports (the outbox):
/// if the change is saved, so is its event, and neither exists without the other. Its id is the
/// <c>webhook-id</c> of every delivery of it, on every attempt, so receivers can drop repeats.
/// </summary>
public sealed class OutboxEvent : ITenantOwned
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public required string Type { get; set; }
    public DateTime OccurredAtUtc { get; set; }

    /// <summary>The event's <c>data</c> object as JSON; a message's database id is added when the body is built.</summary>
    public required string DataJson { get; set; }

    /// <summary>The message the event is about, if any: its id is assigned by the database in the same save.</summary>
    public Message? Message { get; set; }
    public long? MessageId { get; set; }

    /// <summary>The <c>webhook-id</c> header.</summary>
    public string WebhookId => $"msg_{Id:N}";
}

internal sealed class OutboxEventConfiguration : IEntityTypeConfiguration<OutboxEvent>
{
    public void Configure(EntityTypeBuilder<OutboxEvent> e)
    {
        e.ToTable("OutboxEvents");
        e.Property(x => x.Type).HasMaxLength(64);
        e.HasIndex(x => new { x.TenantId, x.OccurredAtUtc });
        e.HasOne(x => x.Message).WithMany().HasForeignKey(x => x.MessageId).OnDelete(DeleteBehavior.SetNull);
        e.HasOne<Tenant>().WithMany().HasForeignKey(x => x.TenantId);
    }
}
