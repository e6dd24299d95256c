using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Parley.Accounts;

namespace Parley.Knowledge;

/// <summary>One passage the agent may quote: what the business says, and the ways people ask for it.
/// A long document becomes several entries, each keeping its heading.</summary>
public sealed class KnowledgeEntry : ITenantOwned
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public required string Title { get; set; }
    public required string Text { get; set; }

    /// <summary>The ways people ask for this passage; matched as well as the text.</summary>
    public List<string> Questions { get; set; } = [];

    /// <summary>The file or web page it came from; null when typed in.</summary>
    public Guid? SourceId { get; set; }

    public string? Heading { get; set; }

    /// <summary>The assistants that may use it; empty means every assistant of the tenant.</summary>
    public List<Guid> AssistantIds { get; set; } = [];

    /// <summary>Float32 vectors, little-endian, one after another: title and text first, then one per question.</summary>
    public byte[]? Embedding { get; set; }

    /// <summary>The model that made <see cref="Embedding"/>; vectors of another model are made again before use.</summary>
    public string? EmbeddingModel { get; set; }

    public DateTime CreatedAtUtc { get; set; }
    public DateTime UpdatedAtUtc { get; set; }
}

internal sealed class KnowledgeEntryConfiguration : IEntityTypeConfiguration<KnowledgeEntry>
{
    public void Configure(EntityTypeBuilder<KnowledgeEntry> e)
    {
        e.ToTable("KnowledgeEntries");
        e.Property(x => x.Title).HasMaxLength(KnowledgeLimits.MaxTitleLength);
        e.Property(x => x.Text).HasMaxLength(KnowledgeLimits.MaxTextLength);
        e.Property(x => x.Heading).HasMaxLength(KnowledgeLimits.MaxTitleLength);
        e.Property(x => x.EmbeddingModel).HasMaxLength(100);
        e.HasIndex(x => new { x.TenantId, x.UpdatedAtUtc });
        e.HasIndex(x => x.SourceId);
        e.HasOne<Tenant>().WithMany().HasForeignKey(x => x.TenantId);
        e.HasOne<KnowledgeSource>().WithMany().HasForeignKey(x => x.SourceId).OnDelete(DeleteBehavior.Cascade);
    }
}
