using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Parley.Accounts;
using Parley.Conversations;

namespace Parley.FollowUps;

public enum FollowUpStatus
{
    Scheduled,
    Sent,
    Cancelled,
}

/// <summary>
/// A text the agent will send if the contact stays quiet after its last message: a step of the assistant's
/// schedule, or the time the contact asked for ("text me next week"). Anything that shows the conversation
/// moved on (a text from the contact, a person's reply, an outcome, an opt-out, a pause) cancels it.
/// </summary>
public sealed class FollowUp : ITenantOwned
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public Guid ConversationId { get; set; }
    public required string ContactNumber { get; set; }

    /// <summary>Which step of the assistant's schedule (0 first); a requested follow-up has step 0.</summary>
    public int Step { get; set; }

    /// <summary>The contact asked to be texted at this time.</summary>
    public bool Requested { get; set; }

    public FollowUpStatus Status { get; set; }

    /// <summary>When it goes out: held to the contact's quiet hours.</summary>
    public DateTime DueAtUtc { get; set; }

    /// <summary>The business number it was sent from, and its segments: the campaign limits count them.</summary>
    public string? SentFrom { get; set; }

    public int Segments { get; set; }

    public string? CancelReason { get; set; }
    public DateTime CreatedAtUtc { get; set; }
    public DateTime? ResolvedAtUtc { get; set; }
}

internal sealed class FollowUpConfiguration : IEntityTypeConfiguration<FollowUp>
{
    public void Configure(EntityTypeBuilder<FollowUp> builder)
    {
        builder.HasIndex(x => new { x.ConversationId, x.Status });
        builder.HasIndex(x => new { x.TenantId, x.Status, x.ResolvedAtUtc });
        builder.Property(x => x.ContactNumber).HasMaxLength(16);
        builder.Property(x => x.SentFrom).HasMaxLength(16);
        builder.Property(x => x.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(x => x.CancelReason).HasMaxLength(300);
        builder.HasOne<Conversation>().WithMany().HasForeignKey(x => x.ConversationId);
    }
}
