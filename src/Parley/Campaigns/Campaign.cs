using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Parley.Accounts;
using Parley.Conversations;

namespace Parley.Campaigns;

public enum CampaignStatus
{
    Draft,
    Running,
    Paused,
    Completed,
    Cancelled,
}

public enum RecipientState
{
    Queued,
    Sent,
    Delivered,
    Failed,
    Skipped,
}

/// <summary>A bulk send: one message template to many recipients, dispatched by <see cref="CampaignDispatcher"/>.</summary>
public sealed class Campaign : ITenantOwned
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public required string Name { get; set; }
    public required string MessageTemplate { get; set; }

    /// <summary>Whether the agent answers replies to this campaign (a gate, never an override of manual pauses).</summary>
    public bool AiEnabled { get; set; }

    public CampaignStatus Status { get; set; }
    public string? PausedReason { get; set; }

    /// <summary>The tenant's numbers the campaign sends from, comma-separated E.164.</summary>
    public required string SendingNumbers { get; set; }

    public DateTime? ScheduledAtUtc { get; set; }

    /// <summary>While carrier back-pressure lasts, the campaign sends at half its configured rate.</summary>
    public DateTime? SlowedUntilUtc { get; set; }

    public DateTime CreatedAtUtc { get; set; }
    public DateTime? StartedAtUtc { get; set; }
    public DateTime? FinishedAtUtc { get; set; }

    public IReadOnlyList<string> Numbers => SendingNumbers.Split(',', StringSplitOptions.RemoveEmptyEntries);
}

/// <summary>One number a campaign texts. Its state is durable and changes in the same transaction as the
/// message it queues, so a restart never sends anyone a second copy.</summary>
public sealed class CampaignRecipient : ITenantOwned
{
    public long Id { get; set; }
    public Guid TenantId { get; set; }
    public Guid CampaignId { get; set; }
    public Guid ContactId { get; set; }
    public required string Phone { get; set; }
    public string? FirstName { get; set; }
    public RecipientState State { get; set; }
    public string? SkipReason { get; set; }
    public long? MessageId { get; set; }
    public Message? Message { get; set; }

    /// <summary>Not before this time: quiet hours move it to the recipient's next allowed local time.</summary>
    public DateTime DueAtUtc { get; set; }

    /// <summary>The tenant number it went out from and its segments, for the per-number and per-tenant rates.</summary>
    public string? SentFrom { get; set; }

    public int Segments { get; set; }
    public DateTime? SentAtUtc { get; set; }
}

internal sealed class CampaignConfiguration : IEntityTypeConfiguration<Campaign>
{
    public void Configure(EntityTypeBuilder<Campaign> c)
    {
        c.Property(x => x.Name).HasMaxLength(200);
        c.Property(x => x.MessageTemplate).HasMaxLength(2000);
        c.Property(x => x.Status).HasConversion<string>().HasMaxLength(16);
        c.Property(x => x.PausedReason).HasMaxLength(200);
        c.Property(x => x.SendingNumbers).HasMaxLength(400);
        c.Ignore(x => x.Numbers);
        c.HasIndex(x => new { x.TenantId, x.CreatedAtUtc });
        c.HasOne<Tenant>().WithMany().HasForeignKey(x => x.TenantId);
    }
}

internal sealed class CampaignRecipientConfiguration : IEntityTypeConfiguration<CampaignRecipient>
{
    public void Configure(EntityTypeBuilder<CampaignRecipient> r)
    {
        r.Property(x => x.Phone).HasMaxLength(16);
        r.Property(x => x.FirstName).HasMaxLength(100);
        r.Property(x => x.State).HasConversion<string>().HasMaxLength(16);
        r.Property(x => x.SkipReason).HasMaxLength(200);
        r.Property(x => x.SentFrom).HasMaxLength(16);
        r.HasIndex(x => new { x.CampaignId, x.Phone }).IsUnique();
        r.HasIndex(x => new { x.CampaignId, x.State, x.DueAtUtc });
        r.HasIndex(x => new { x.TenantId, x.SentAtUtc });
        r.HasIndex(x => x.ContactId);
        r.HasOne<Campaign>().WithMany().HasForeignKey(x => x.CampaignId);
        r.HasOne(x => x.Message).WithMany().HasForeignKey(x => x.MessageId);
    }
}
