using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Parley.Accounts.A2p;

/// <summary>A tenant's 10DLC registration as submitted to the carrier: the details it gave, and each step's id and
/// status as the carrier last reported them (brand, campaign, one assignment per number).</summary>
public sealed class A2pRegistration : ITenantOwned
{
    public Guid TenantId { get; set; }

    /// <summary>The brand and campaign details as the tenant entered them (<see cref="A2pDetails"/> as JSON).</summary>
    public required string DetailsJson { get; set; }

    public string? BrandId { get; set; }
    public string? BrandStatus { get; set; }
    public string? CampaignId { get; set; }
    public string? CampaignStatus { get; set; }

    /// <summary>Number → assignment status, as JSON.</summary>
    public string AssignmentsJson { get; set; } = "{}";

    /// <summary>Why the last step failed, in plain words.</summary>
    public string? Problem { get; set; }

    public DateTime SubmittedAtUtc { get; set; }
    public DateTime UpdatedAtUtc { get; set; }
}

internal sealed class A2pRegistrationConfiguration : IEntityTypeConfiguration<A2pRegistration>
{
    public void Configure(EntityTypeBuilder<A2pRegistration> builder)
    {
        builder.HasKey(x => x.TenantId);
        builder.Property(x => x.BrandId).HasMaxLength(100);
        builder.Property(x => x.BrandStatus).HasMaxLength(40);
        builder.Property(x => x.CampaignId).HasMaxLength(100);
        builder.Property(x => x.CampaignStatus).HasMaxLength(40);
        builder.Property(x => x.Problem).HasMaxLength(1000);
        builder.HasOne<Tenant>().WithOne().HasForeignKey<A2pRegistration>(x => x.TenantId);
    }
}
