namespace Parley.Accounts;

public enum UserRole
{
    Owner,
    Member,
}

/// <summary>A person who signs in to a tenant's dashboard. The password is stored only as an ASP.NET Core
/// Identity hash (PBKDF2 with a per-user salt).</summary>
public sealed class User : ITenantOwned
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }

    /// <summary>Lower-cased and trimmed; unique across all tenants so sign-in knows which tenant it is.</summary>
    public required string Email { get; set; }

    public required string PasswordHash { get; set; }
    public UserRole Role { get; set; }
    public DateTime CreatedAtUtc { get; set; }

    /// <summary>Set by the first sign-in; the onboarding checklist shows until it is dismissed.</summary>
    public DateTime? OnboardingDismissedAtUtc { get; set; }

    /// <summary>Whether an owner is emailed when a conversation needs attention or a call is booked.</summary>
    public bool EmailAlerts { get; set; } = true;
}

internal sealed class UserConfiguration : Microsoft.EntityFrameworkCore.IEntityTypeConfiguration<User>
{
    public void Configure(Microsoft.EntityFrameworkCore.Metadata.Builders.EntityTypeBuilder<User> u)
    {
        u.Property(x => x.Email).HasMaxLength(254);
        u.HasIndex(x => x.Email).IsUnique();
        u.HasIndex(x => x.TenantId);
        u.Property(x => x.PasswordHash).HasMaxLength(200);
        u.Property(x => x.Role).HasConversion<string>().HasMaxLength(16);
        u.HasOne<Tenant>().WithMany().HasForeignKey(x => x.TenantId);
    }
}
