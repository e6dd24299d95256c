using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Parley.Accounts;
using Parley.Data;

namespace Parley.Conversations;

/// <summary>How far one teammate has read one conversation: the newest message it held when they last opened it.
/// A conversation is unread for them while a text from the contact is newer.</summary>
public sealed class ConversationRead : ITenantOwned
{
    public Guid TenantId { get; set; }
    public Guid ConversationId { get; set; }
    public Guid UserId { get; set; }
    public long LastSeenMessageId { get; set; }
    public DateTime ReadAtUtc { get; set; }
}

internal sealed class ConversationReadConfiguration : IEntityTypeConfiguration<ConversationRead>
{
    public void Configure(EntityTypeBuilder<ConversationRead> r)
    {
        r.HasKey(x => new { x.ConversationId, x.UserId });
        r.HasIndex(x => new { x.TenantId, x.UserId });
        r.HasOne<Conversation>().WithMany().HasForeignKey(x => x.ConversationId).OnDelete(DeleteBehavior.Cascade);
        r.HasOne<User>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>Unread state per teammate: which conversations have a text from the contact they have not seen, and
/// marking a conversation read when they open it.</summary>
public static class ConversationReads
{
    public static async Task<HashSet<Guid>> UnreadAsync(ParleyDb db, Guid userId, IReadOnlyCollection<Guid> conversationIds, CancellationToken cancellationToken)
    {
        var ids = conversationIds.ToList();
        var unread = await db.Messages.Where(m => ids.Contains(m.ConversationId) && m.Direction == MessageDirection.Inbound
                && !db.ConversationReads.Any(r => r.ConversationId == m.ConversationId && r.UserId == userId && r.LastSeenMessageId >= m.Id))
            .Select(m => m.ConversationId).Distinct().ToListAsync(cancellationToken);
        return [.. unread];
    }

    public static async Task MarkReadAsync(ParleyDb db, Guid tenantId, Guid conversationId, Guid userId, DateTime now, CancellationToken cancellationToken)
    {
        var latest = await db.Messages.Where(m => m.ConversationId == conversationId).MaxAsync(m => (long?)m.Id, cancellationToken) ?? 0;
        var read = await db.ConversationReads.FirstOrDefaultAsync(r => r.ConversationId == conversationId && r.UserId == userId, cancellationToken);
        if (read is { } existing && existing.LastSeenMessageId >= latest)
        {
            return;
        }

        if (read is null)
        {
            db.ConversationReads.Add(new ConversationRead { TenantId = tenantId, ConversationId = conversationId, UserId = userId, LastSeenMessageId = latest, ReadAtUtc = now });
        }
        else
        {
            (read.LastSeenMessageId, read.ReadAtUtc) = (latest, now);
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (UniqueViolation.Matches(ex))
        {
            // The same person opened it in another tab at the same moment: that tab recorded the read.
        }
    }
}
