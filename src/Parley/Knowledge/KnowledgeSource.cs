using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Parley.Accounts;

namespace Parley.Knowledge;

public enum KnowledgeSourceKind
{
    File,
    Url,
}

/// <summary>A file or web page the tenant's knowledge came from; importing it again replaces its entries.</summary>
public sealed class KnowledgeSource : ITenantOwned
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public KnowledgeSourceKind Kind { get; set; }
    public required string Name { get; set; }
    public string? Url { get; set; }
    public required string ContentType { get; set; }

    /// <summary>SHA-256 of the content, hex: an unchanged page fetched again need not be split and embedded again.</summary>
    public required string ContentHash { get; set; }

    public DateTime FetchedAtUtc { get; set; }
    public DateTime? NextFetchAtUtc { get; set; }
    public string? LastError { get; set; }
}

internal sealed class KnowledgeSourceConfiguration : IEntityTypeConfiguration<KnowledgeSource>
{
    public void Configure(EntityTypeBuilder<KnowledgeSource> s)
    {
        s.ToTable("KnowledgeSources");
        s.Property(x => x.Kind).HasConversion<string>().HasMaxLength(8);
        s.Property(x => x.Name).HasMaxLength(300);
        s.Property(x => x.Url).HasMaxLength(2048);
        s.Property(x => x.ContentType).HasMaxLength(200);
        s.Property(x => x.ContentHash).HasMaxLength(64);
        s.Property(x => x.LastError).HasMaxLength(1000);
        s.HasIndex(x => new { x.TenantId, x.FetchedAtUtc });
        s.HasIndex(x => x.NextFetchAtUtc);
        s.HasOne<Tenant>().WithMany().HasForeignKey(x => x.TenantId);
    }
}
