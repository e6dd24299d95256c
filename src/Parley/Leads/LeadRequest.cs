using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Parley.Accounts;

namespace Parley.Leads;

/// <summary>A lead handed over with an <c>Idempotency-Key</c>, saved with the text it caused: the same key again
/// finds this row and answers as before instead of texting the person twice.</summary>
public sealed class LeadRequest : ITenantOwned
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public required string IdempotencyKey { get; set; }

    /// <summary>SHA-256 of the request as understood, hex: the same key with a different lead is refused.</summary>
    public required string RequestHash { get; set; }

    public Guid ConversationId { get; set; }
    public Guid ContactId { get; set; }
    public DateTime CreatedAtUtc { get; set; }
}

internal sealed class LeadRequestConfiguration : IEntityTypeConfiguration<LeadRequest>
{
    public void Configure(EntityTypeBuilder<LeadRequest> l)
    {
        l.ToTable("LeadRequests");
        l.Property(x => x.IdempotencyKey).HasMaxLength(LeadsApi.MaxKeyLength);
        l.Property(x => x.RequestHash).HasMaxLength(64);
        l.HasIndex(x => new { x.TenantId, x.IdempotencyKey }).IsUnique();
        l.HasOne<Tenant>().WithMany().HasForeignKey(x => x.TenantId);
    }
}
