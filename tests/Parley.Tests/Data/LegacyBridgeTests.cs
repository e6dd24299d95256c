using System.Net;
using System.Net.Http.Headers;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Parley.Accounts;
using Parley.Conversations;
using Parley.Data;
using Parley.Messaging;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.Data;

/// <summary>A database built by the schema scripts that came before EF Core migrations upgrades in place.</summary>
public sealed class LegacyBridgeTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("parley-legacy-").FullName;

    [Fact]
    public async Task A_database_at_the_last_script_version_is_adopted_with_its_data_and_search()
    {
        using var legacy = new TestDatabase(Directory.CreateDirectory(Path.Combine(folder, "legacy")).FullName);
        LegacySchema.Build(legacy, upTo: LegacySchemaBridge.LatestLegacyVersion);
        const string apiKey = "pk_legacy_tenant_key";
        var tenantId = Guid.CreateVersion7();
        var conversationId = Guid.CreateVersion7();
        await using (var db = legacy.OpenContext())
        {
            // Written as version 7 wrote them: the model has columns that version never had.
            var contactId = Guid.CreateVersion7();
            var at = DateTime.UtcNow;
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO "Tenants" ("Id", "Name", "Plan", "TimeZone", "A2pStatus", "DefaultCountry", "ApiKeyHash", "CreatedAtUtc")
                VALUES ({tenantId}, 'Old Co', 0, 'America/Toronto', 0, 'US', {ApiKeys.Hash(apiKey)}, {at})
                """);
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO "Contacts" ("Id", "TenantId", "FirstName", "LastName", "Company", "IsClient", "CreatedAtUtc")
                VALUES ({contactId}, {tenantId}, 'Béatrice', 'Olde', 'Lakeside Farms', {false}, {at})
                """);
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO "Conversations" ("Id", "TenantId", "ContactId", "TenantNumber", "AiPaused", "Turns", "SkippedReplies", "IdentityConfirmed", "CreatedAtUtc", "LastMessageAtUtc")
                VALUES ({conversationId}, {tenantId}, {contactId}, '+14165550000', {false}, 0, 0, {false}, {at}, {at})
                """);
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO "Messages" ("TenantId", "ConversationId", "Direction", "Author", "ContactNumber", "TenantNumber", "Text", "Encoding", "Segments", "Status", "SendAttempts", "CreatedAtUtc", "StatusAtUtc")
                VALUES ({tenantId}, {conversationId}, 'Inbound', 'Contact', '+14165550001', '+14165550000', 'Do you still have the pumpkin patch?', 'Gsm7', 1, 'Received', 0, {at}, {at})
                """);
        }

        using (var app = new ConfiguredParleyApp(legacy.Settings))
        {
            using var http = app.CreateClient();
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);

            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"/api/conversations/{conversationId}")).StatusCode);
            Assert.Equal([conversationId.ToString()], await SearchAsync(http, "pumpkin"));
            Assert.Equal([conversationId.ToString()], await SearchAsync(http, "beatrice lakeside"));
            Assert.Empty(await SearchAsync(http, "zucchini"));
        }

        await using (var db = legacy.OpenContext())
        {
            Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync());
            var legacyTables = TestDatabase.IsPostgres
                ? "SELECT count(*) AS \"Value\" FROM information_schema.tables WHERE table_name = 'parley_schema'"
                : "SELECT count(*) AS \"Value\" FROM sqlite_master WHERE name = 'parley_schema'";
            Assert.Equal(0, await db.Database.SqlQueryRaw<int>(legacyTables).SingleAsync());
        }

        // The adopted database is the one a fresh install builds, search pieces included.
        using var fresh = new TestDatabase(Directory.CreateDirectory(Path.Combine(folder, "fresh")).FullName);
        await using (var db = fresh.OpenContext())
        {
            await new DatabaseMigrator(db, NullLogger<DatabaseMigrator>.Instance).MigrateAsync(CancellationToken.None);
        }

        Assert.Equal(SchemaDescription.Of(fresh), SchemaDescription.Of(legacy));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(6)]
    public async Task A_database_at_an_older_script_version_is_refused_untouched(int version)
    {
        using var legacy = new TestDatabase(folder);
        LegacySchema.Build(legacy, upTo: version);
        var before = SchemaDescription.Of(legacy);
        await using var db = legacy.OpenContext();

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(
            () => new DatabaseMigrator(db, NullLogger<DatabaseMigrator>.Instance).MigrateAsync(CancellationToken.None));

        Assert.Contains($"schema version {version}", refused.Message, StringComparison.Ordinal);
        Assert.Equal(before, SchemaDescription.Of(legacy));
        Assert.Equal(version, await db.Database.SqlQueryRaw<int>("SELECT count(*) AS \"Value\" FROM parley_schema").SingleAsync());
    }

    private static async Task<List<string>> SearchAsync(HttpClient http, string search) =>
        (await http.GetJsonAsync($"/api/conversations?search={Uri.EscapeDataString(search)}")).AsArray()
            .Select(c => c!["id"]!.GetValue<string>()).ToList();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }
}
