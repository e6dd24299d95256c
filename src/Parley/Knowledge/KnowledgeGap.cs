using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Parley.Accounts;

namespace Parley.Knowledge;

/// <summary>A question the knowledge could not answer. The same question asked again counts up
/// <see cref="Times"/>; answering it creates an entry and links it here.</summary>
public sealed class KnowledgeGap : ITenantOwned
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public Guid? ConversationId { get; set; }
    public required string Question { get; set; }

    /// <summary>The question folded (case, spacing, punctuation) so that the same words asked again find this gap.</summary>
    public required string Key { get; set; }

    public DateTime FirstAskedAtUtc { get; set; }
    public DateTime LastAskedAtUtc { get; set; }
    public int Times { get; set; }
    public Guid? AnsweredByEntryId { get; set; }
}

internal sealed class KnowledgeGapConfiguration : IEntityTypeConfiguration<KnowledgeGap>
{
    public void Configure(EntityTypeBuilder<KnowledgeGap> g)
    {
        g.ToTable("KnowledgeGaps");
        g.Property(x => x.Question).HasMaxLength(KnowledgeLimits.MaxQuestionLength);
        g.Property(x => x.Key).HasMaxLength(KnowledgeLimits.MaxQuestionLength);
        g.HasIndex(x => new { x.TenantId, x.Key }).IsUnique();
        g.HasIndex(x => new { x.TenantId, x.LastAskedAtUtc });
        g.HasOne<Tenant>().WithMany().HasForeignKey(x => x.TenantId);
        g.HasOne<KnowledgeEntry>().WithMany().HasForeignKey(x => x.AnsweredByEntryId).OnDelete(DeleteBehavior.SetNull);
    }
}
