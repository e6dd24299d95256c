using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Parley.Accounts;
using Parley.Conversations;

namespace Parley.Agent;

/// <summary>
/// A reply the agent wrote in Suggest mode, waiting for a person: at most one per conversation, answering the
/// contact's latest text. Nothing is charged until it is sent; a newer inbound text, a person's own reply or a
/// discard removes it (the activity log keeps who did what).
/// </summary>
public sealed class ReplyDraft : ITenantOwned
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public Guid ConversationId { get; set; }

    /// <summary>The contact's number the reply goes to (the one that texted last).</summary>
    public required string ContactNumber { get; set; }

    public required string Text { get; set; }

    /// <summary>The inbound text this draft answers; 0 for a lead's opener, which answers none.</summary>
    public long AnsweredMessageId { get; set; }

    /// <summary>The knowledge passages the draft states facts from (JSON, as on a message).</summary>
    public string? SourcesJson { get; set; }

    public DateTime CreatedAtUtc { get; set; }
}

internal sealed class ReplyDraftConfiguration : IEntityTypeConfiguration<ReplyDraft>
{
    public void Configure(EntityTypeBuilder<ReplyDraft> builder)
    {
        builder.HasIndex(x => x.ConversationId).IsUnique();
        builder.Property(x => x.ContactNumber).HasMaxLength(16);
        builder.HasOne<Conversation>().WithOne(x => x.Draft).HasForeignKey<ReplyDraft>(x => x.ConversationId);
    }
}
