namespace Parley.Accounts;

/// <summary>
/// One signed-in browser. The dashboard cookie names its session; the session is checked on each request
/// (<see cref="SignInSessions"/>), so deleting the row ends that cookie wherever it has been copied. The
/// platform admin's sessions have no user and carry a fingerprint of the admin key they signed in with.
/// </summary>
public sealed class UserSession
{
    public Guid Id { get; set; }

    /// <summary>Null for a platform-admin session.</summary>
    public Guid? UserId { get; set; }

    public DateTime CreatedAtUtc { get; set; }
    public DateTime LastSeenAtUtc { get; set; }
}

internal sealed class UserSessionConfiguration : Microsoft.EntityFrameworkCore.IEntityTypeConfiguration<UserSession>
{
    public void Configure(Microsoft.EntityFrameworkCore.Metadata.Builders.EntityTypeBuilder<UserSession> s)
    {
        s.HasIndex(x => x.UserId);
        s.HasIndex(x => x.LastSeenAtUtc);
        s.HasOne<User>().WithMany().HasForeignKey(x => x.UserId).OnDelete(Microsoft.EntityFrameworkCore.DeleteBehavior.Cascade);
    }
}
