using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Parley.Accounts;

namespace Parley.Booking;

/// <summary>A tenant's calendar on a CalDAV server, and how the agent may book on it. The password is kept
/// only as Data Protection ciphertext (<see cref="CalendarSecrets"/>) and never leaves the server again.</summary>
public sealed class CalendarConnection : ITenantOwned
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }

    /// <summary>The calendar collection's address (it answers PROPFIND with a <c>calendar</c> resource type).</summary>
    public required string CaldavUrl { get; set; }
    public required string Username { get; set; }
    public required string ProtectedPassword { get; set; }

    /// <summary>IANA zone the business hours are in.</summary>
    public required string TimeZone { get; set; }

    /// <summary>Opening and closing times per weekday (<see cref="BusinessHours"/>), as JSON.</summary>
    public required string HoursJson { get; set; }
    public int SlotMinutes { get; set; } = 30;
    public int BufferMinutes { get; set; }
    public int DaysAhead { get; set; } = 14;

    /// <summary>How long before an appointment the texter is reminded; 0 sends no reminder.</summary>
    public int ReminderMinutes { get; set; } = 120;

    public DateTime CheckedAtUtc { get; set; }
    public DateTime? SyncedAtUtc { get; set; }
    public string? SyncError { get; set; }
}

internal sealed class CalendarConnectionConfiguration : IEntityTypeConfiguration<CalendarConnection>
{
    public void Configure(EntityTypeBuilder<CalendarConnection> builder)
    {
        builder.HasIndex(x => x.TenantId).IsUnique();
        builder.Property(x => x.CaldavUrl).HasMaxLength(2000);
        builder.Property(x => x.Username).HasMaxLength(320);
        builder.Property(x => x.TimeZone).HasMaxLength(64);
        builder.Property(x => x.SyncError).HasMaxLength(500);
    }
}
