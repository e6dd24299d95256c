using Microsoft.EntityFrameworkCore;
using Parley.Accounts;
using Parley.Agent;
using Parley.Billing;
using Parley.Campaigns;
using Parley.Conversations;
using Parley.Knowledge;
using Parley.Leads;
using Parley.Messaging;
using Parley.Webhooks;
using Parley.Work;

namespace Parley.Data;

/// <summary>The one data model. Tenant-owned rows are filtered by <see cref="CurrentTenantId"/> on every query.
/// The app injects this type; each provider has a thin subclass (<see cref="SqliteParleyDb"/>,
/// <see cref="PostgresParleyDb"/>) only so that each owns its own set of generated migrations.</summary>
public abstract class ParleyDb(DbContextOptions options, TenantScope tenantScope, WorkSignal workSignal, SqliteWriteGate? writeGate = null)
    : DbContext(options)
{
    public Guid? CurrentTenantId => tenantScope.TenantId;

    public DbSet<Tenant> Tenants => Set<Tenant>();
    public DbSet<TenantPhoneNumber> PhoneNumbers => Set<TenantPhoneNumber>();
    public DbSet<Contact> Contacts => Set<Contact>();
    public DbSet<ContactPhone> ContactPhones => Set<ContactPhone>();
    public DbSet<Conversation> Conversations => Set<Conversation>();
    public DbSet<ConversationPhone> ConversationPhones => Set<ConversationPhone>();
    public DbSet<ConversationRead> ConversationReads => Set<ConversationRead>();
    public DbSet<Message> Messages => Set<Message>();
    public DbSet<Assistant> Assistants => Set<Assistant>();
    public DbSet<WalletEntry> WalletEntries => Set<WalletEntry>();
    public DbSet<Payment> Payments => Set<Payment>();
    public DbSet<BillingAccount> BillingAccounts => Set<BillingAccount>();
    public DbSet<Accounts.A2p.A2pRegistration> A2pRegistrations => Set<Accounts.A2p.A2pRegistration>();
    public DbSet<ActivityEntry> Activity => Set<ActivityEntry>();
    public DbSet<Callback> Callbacks => Set<Callback>();
    public DbSet<ReplyDraft> ReplyDrafts => Set<ReplyDraft>();
    public DbSet<FollowUps.FollowUp> FollowUps => Set<FollowUps.FollowUp>();
    public DbSet<ContactNote> ContactNotes => Set<ContactNote>();
    public DbSet<TesterSession> TesterSessions => Set<TesterSession>();
    public DbSet<WebhookEvent> WebhookEvents => Set<WebhookEvent>();
    public DbSet<WorkItem> WorkItems => Set<WorkItem>();
    public DbSet<User> Users => Set<User>();
    public DbSet<UserSession> Sessions => Set<UserSession>();

    // Campaigns
    public DbSet<Campaign> Campaigns => Set<Campaign>();
    public DbSet<CampaignRecipient> CampaignRecipients => Set<CampaignRecipient>();

    // Webhooks and leads
    public DbSet<WebhookEndpoint> WebhookEndpoints => Set<WebhookEndpoint>();
    public DbSet<OutboxEvent> OutboxEvents => Set<OutboxEvent>();
    public DbSet<WebhookDelivery> WebhookDeliveries => Set<WebhookDelivery>();
    public DbSet<LeadRequest> LeadRequests => Set<LeadRequest>();

    // Knowledge
    public DbSet<KnowledgeEntry> KnowledgeEntries => Set<KnowledgeEntry>();
    public DbSet<KnowledgeSource> KnowledgeSources => Set<KnowledgeSource>();
    public DbSet<KnowledgeGap> KnowledgeGaps => Set<KnowledgeGap>();

    // Booking
    public DbSet<Booking.CalendarConnection> CalendarConnections => Set<Booking.CalendarConnection>();

    /// <summary>Acts for one tenant from here on (workers, after finding the tenant a work item belongs to).</summary>
    public void UseTenant(Guid tenantId) => tenantScope.TenantId = tenantId;

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        var queuedWork = ChangeTracker.Entries<WorkItem>().Any(e => e.State == EntityState.Added);
        var written = writeGate is not null && Database.IsSqlite() && Database.CurrentTransaction is null
            ? await writeGate.RunAsync(() => base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken), cancellationToken)
            : await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        if (queuedWork)
        {
            workSignal.Wake();
        }

        return written;
    }

    /// <summary>Every time is UTC. SQLite hands back "unspecified" kinds; this says what they are, so the API
    /// writes them with their Z and PostgreSQL accepts them as timestamptz.</summary>
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<UtcDateTimeConverter>();
    }

    private sealed class UtcDateTimeConverter() : Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Utc ? v : DateTime.SpecifyKind(v, DateTimeKind.Utc),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(ParleyDb).Assembly);

        modelBuilder.Entity<Tenant>(t =>
        {
            t.Property(x => x.Name).HasMaxLength(200);
            t.Property(x => x.TimeZone).HasMaxLength(64);
            t.Property(x => x.DefaultCountry).HasMaxLength(2);
            t.Property(x => x.ApiKeyHash).HasMaxLength(64);
            t.HasIndex(x => x.ApiKeyHash).IsUnique();
        });
        modelBuilder.Entity<TenantPhoneNumber>(p =>
        {
            p.Property(x => x.Number).HasMaxLength(16);
            p.HasIndex(x => x.Number).IsUnique();
            p.HasOne<Tenant>().WithMany().HasForeignKey(x => x.TenantId);
        });
        modelBuilder.Entity<Contact>(c =>
        {
            c.HasMany(x => x.Phones).WithOne().HasForeignKey(x => x.ContactId);
            c.HasOne<Tenant>().WithMany().HasForeignKey(x => x.TenantId);
        });
        modelBuilder.Entity<ContactPhone>(p =>
        {
            p.Property(x => x.Number).HasMaxLength(16);
            p.Property(x => x.Type).HasConversion<string>().HasMaxLength(24);
            p.HasIndex(x => new { x.TenantId, x.Number }).IsUnique();
        });
        modelBuilder.Entity<Conversation>(c =>
        {
            c.HasOne(x => x.Contact).WithMany().HasForeignKey(x => x.ContactId);
            c.HasMany(x => x.Phones).WithOne().HasForeignKey(x => x.ConversationId);
            c.HasIndex(x => new { x.TenantId, x.ContactId, x.LastMessageAtUtc });
            c.HasIndex(x => new { x.TenantId, x.LastMessageAtUtc });
            c.Property(x => x.Outcome).HasConversion<string>().HasMaxLength(32);
            c.Property(x => x.Mode).HasConversion<string>().HasMaxLength(16);
            c.HasIndex(x => new { x.TenantId, x.AssigneeUserId });
        });
        modelBuilder.Entity<ConversationPhone>(p =>
        {
            p.HasIndex(x => new { x.ConversationId, x.Number }).IsUnique();
            // The export groups a tenant's phones by conversation in one pass over this index (ConversationExport).
            p.HasIndex(x => new { x.TenantId, x.ConversationId, x.Number });
            p.Property(x => x.Outcome).HasConversion<string>().HasMaxLength(32);
        });
        modelBuilder.Entity<Message>(m =>
        {
            m.HasIndex(x => new { x.ConversationId, x.Id });
            m.HasIndex(x => x.CarrierMessageId).IsUnique();
            m.Property(x => x.Direction).HasConversion<string>().HasMaxLength(16);
            m.Property(x => x.Author).HasConversion<string>().HasMaxLength(16);
            m.Property(x => x.Encoding).HasConversion<string>().HasMaxLength(8);
            m.Property(x => x.Status).HasConversion<string>().HasMaxLength(24);
            m.HasOne<Conversation>().WithMany().HasForeignKey(x => x.ConversationId);
        });
        modelBuilder.Entity<Assistant>(a =>
        {
            a.HasIndex(x => new { x.TenantId, x.IsDefault });
            a.Property(x => x.Mode).HasConversion<string>().HasMaxLength(16).HasDefaultValue(AiMode.Autopilot);
            a.Property(x => x.FollowUpHours).HasMaxLength(100);
        });
        modelBuilder.Entity<WalletEntry>(w =>
        {
            w.HasIndex(x => new { x.TenantId, x.CreatedAtUtc });
            w.HasIndex(x => x.Key).IsUnique();
            w.Property(x => x.Kind).HasConversion<string>().HasMaxLength(24);
        });
        modelBuilder.Entity<ActivityEntry>(a =>
        {
            a.HasIndex(x => new { x.TenantId, x.Id });
            a.HasIndex(x => new { x.ConversationId, x.Id });
            a.Property(x => x.Kind).HasConversion<string>().HasMaxLength(24);
            a.Property(x => x.Outcome).HasConversion<string>().HasMaxLength(32);
        });
        modelBuilder.Entity<Callback>(c =>
        {
            c.HasIndex(x => new { x.TenantId, x.DueAtUtc });
            c.Property(x => x.Status).HasConversion<string>().HasMaxLength(16).HasDefaultValue(CallbackStatus.Booked);
            c.Property(x => x.EventUid).HasMaxLength(200);
            c.Property(x => x.EventHref).HasMaxLength(2000);
            c.Property(x => x.EventETag).HasMaxLength(200);
            c.HasOne<Conversation>().WithMany().HasForeignKey(x => x.ConversationId);
        });
        modelBuilder.Entity<ContactNote>(n =>
        {
            n.HasIndex(x => new { x.ContactId, x.Id });
            n.HasOne<Contact>().WithMany().HasForeignKey(x => x.ContactId);
        });
        modelBuilder.Entity<WebhookEvent>(w =>
        {
            w.HasIndex(x => new { x.Provider, x.EventId }).IsUnique();
            w.HasIndex(x => new { x.Provider, x.DedupeKey }).IsUnique();
        });
        modelBuilder.Entity<WorkItem>(w =>
        {
            w.HasIndex(x => new { x.Status, x.DueAtUtc });
            w.HasIndex(x => new { x.SerialKey, x.Status });
            // The lease owner fences a run's results: an instance that outlived its lease (a long pause) and
            // lost the item to another finds its completion, and the changes saved with it, refused.
            w.Property(x => x.LeaseOwner).IsConcurrencyToken();
        });

        // JSON documents are jsonb on PostgreSQL (validated on write, queryable in SQL) and text on SQLite.
        // A webhook's body stays text on both: it is kept byte for byte, as signed.
        if (Database.IsNpgsql())
        {
            modelBuilder.Entity<WorkItem>().Property(x => x.Payload).HasColumnType("jsonb");
            modelBuilder.Entity<TesterSession>().Property(x => x.StateJson).HasColumnType("jsonb");
        }

        // Guid keys are made by the app (version 7, time-ordered), so EF must treat a new one as new.
        foreach (var key in modelBuilder.Model.GetEntityTypes().Select(e => e.FindPrimaryKey()).OfType<Microsoft.EntityFrameworkCore.Metadata.IMutableKey>())
        {
            if (key.Properties is [{ ClrType: var type } property] && type == typeof(Guid))
            {
                property.ValueGenerated = Microsoft.EntityFrameworkCore.Metadata.ValueGenerated.Never;
            }
        }

        // Tenant scoping cannot be forgotten: every tenant-owned entity gets the same filter.
        modelBuilder.Entity<TenantPhoneNumber>().HasQueryFilter(x => x.TenantId == CurrentTenantId);
        modelBuilder.Entity<Contact>().HasQueryFilter(x => x.TenantId == CurrentTenantId);
        modelBuilder.Entity<ContactPhone>().HasQueryFilter(x => x.TenantId == CurrentTenantId);
        modelBuilder.Entity<Conversation>().HasQueryFilter(x => x.TenantId == CurrentTenantId);
        modelBuilder.Entity<ConversationPhone>().HasQueryFilter(x => x.TenantId == CurrentTenantId);
        modelBuilder.Entity<ConversationRead>().HasQueryFilter(x => x.TenantId == CurrentTenantId);
        modelBuilder.Entity<Message>().HasQueryFilter(x => x.TenantId == CurrentTenantId);
        modelBuilder.Entity<Assistant>().HasQueryFilter(x => x.TenantId == CurrentTenantId);
        modelBuilder.Entity<WalletEntry>().HasQueryFilter(x => x.TenantId == CurrentTenantId);
        modelBuilder.Entity<Payment>().HasQueryFilter(x => x.TenantId == CurrentTenantId);
        modelBuilder.Entity<BillingAccount>().HasQueryFilter(x => x.TenantId == CurrentTenantId);
        modelBuilder.Entity<Accounts.A2p.A2pRegistration>().HasQueryFilter(x => x.TenantId == CurrentTenantId);
        modelBuilder.Entity<ActivityEntry>().HasQueryFilter(x => x.TenantId == CurrentTenantId);
        modelBuilder.Entity<Callback>().HasQueryFilter(x => x.TenantId == CurrentTenantId);
        modelBuilder.Entity<ReplyDraft>().HasQueryFilter(x => x.TenantId == CurrentTenantId);
        modelBuilder.Entity<FollowUps.FollowUp>().HasQueryFilter(x => x.TenantId == CurrentTenantId);
        modelBuilder.Entity<ContactNote>().HasQueryFilter(x => x.TenantId == CurrentTenantId);
        modelBuilder.Entity<TesterSession>().HasQueryFilter(x => x.TenantId == CurrentTenantId);
        modelBuilder.Entity<User>().HasQueryFilter(x => x.TenantId == CurrentTenantId);

        // Campaigns
        modelBuilder.Entity<Campaign>().HasQueryFilter(x => x.TenantId == CurrentTenantId);
        modelBuilder.Entity<CampaignRecipient>().HasQueryFilter(x => x.TenantId == CurrentTenantId);

        // Knowledge
        modelBuilder.Entity<KnowledgeEntry>().HasQueryFilter(x => x.TenantId == CurrentTenantId);
        modelBuilder.Entity<KnowledgeSource>().HasQueryFilter(x => x.TenantId == CurrentTenantId);
        modelBuilder.Entity<KnowledgeGap>().HasQueryFilter(x => x.TenantId == CurrentTenantId);
        modelBuilder.Entity<Booking.CalendarConnection>().HasQueryFilter(x => x.TenantId == CurrentTenantId);

        // Webhooks and leads
        modelBuilder.Entity<WebhookEndpoint>().HasQueryFilter(x => x.TenantId == CurrentTenantId);
        modelBuilder.Entity<OutboxEvent>().HasQueryFilter(x => x.TenantId == CurrentTenantId);
        modelBuilder.Entity<WebhookDelivery>().HasQueryFilter(x => x.TenantId == CurrentTenantId);
        modelBuilder.Entity<LeadRequest>().HasQueryFilter(x => x.TenantId == CurrentTenantId);
    }
}
