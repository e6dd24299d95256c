using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Logging.Abstractions;
using Parley.Accounts;
using Parley.Agent;
using Parley.Conversations;
using Parley.Data;
using Parley.Messaging;
using Parley.Tests.Infrastructure;
using Parley.Work;

namespace Parley.Tests.Work;

public sealed class SerialKeyMigrationTests
{
    [Fact]
    public async Task Work_queued_under_the_old_keys_moves_to_its_conversations_one_key_on_upgrade()
    {
        var folder = Directory.CreateTempSubdirectory("parley-serial-").FullName;
        using var database = new TestDatabase(folder);
        try
        {
            await using var db = database.OpenContext();
            var before = db.Database.GetMigrations().TakeWhile(id => !id.EndsWith("_ConversationSerialKey", StringComparison.Ordinal)).Last();
            await db.GetService<IMigrator>().MigrateAsync(before);

            var tenant = new Tenant { Id = Guid.CreateVersion7(), Name = "Old Co", TimeZone = "America/Toronto", ApiKeyHash = $"old-{Guid.NewGuid():N}" };
            var contact = new Contact { Id = Guid.CreateVersion7(), TenantId = tenant.Id, CreatedAtUtc = DateTime.UtcNow };
            contact.Phones.Add(ContactPhone.Create(tenant.Id, contact.Id, "+14165550111"));
            var conversation = new Conversation
            {
                Id = Guid.CreateVersion7(),
                TenantId = tenant.Id,
                ContactId = contact.Id,
                Contact = contact,
                TenantNumber = "+14165550100",
                CreatedAtUtc = DateTime.UtcNow,
                LastMessageAtUtc = DateTime.UtcNow,
            };
            db.AddRange(tenant, contact, conversation);
            await OldSchema.SaveWithLaterColumnsAsync(db, ("Conversations", "OfferedSlotsJson"), ("Conversations", "Mode"), ("Conversations", "AlertedAtUtc"), ("Tenants", "LowBalanceNotifiedAtUtc"), ("Conversations", "AssigneeUserId"));

            // Work rows as that version wrote them (the table has gained a column since, so as SQL).
            var turnPayload = $$"""{"conversationId":"{{conversation.Id}}"}""";
            var (oldTurn, oldSend, knownNumber, newNumber, finished, pushedBack) = (101L, 102L, 103L, 104L, 105L, 106L);
            await InsertAsync(db, oldTurn, "agent.turn", $"conversation:{conversation.Id:N}", turnPayload, tenant.Id, WorkStatus.Pending, null);
            await InsertAsync(db, oldSend, "sms.send", $"conversation:{conversation.Id:N}", turnPayload, tenant.Id, WorkStatus.Pending, null);
            await InsertAsync(db, knownNumber, "inbound.sms", "inbound:+14165550100:+14165550111", "{}", tenant.Id, WorkStatus.Pending, null);
            await InsertAsync(db, newNumber, "inbound.sms", "inbound:+14165550100:+14165550199", "{}", tenant.Id, WorkStatus.Pending, null);
            await InsertAsync(db, finished, "agent.turn", $"conversation:{conversation.Id:N}", turnPayload, tenant.Id, WorkStatus.Done, null);
            await InsertAsync(db, pushedBack, "sms.send", $"conversation:{conversation.Id:N}", turnPayload, tenant.Id, WorkStatus.Pending, "Carrier busy (10011): Too many requests");

            await new DatabaseMigrator(db, NullLogger<DatabaseMigrator>.Instance).MigrateAsync(CancellationToken.None);

            var items = await db.WorkItems.AsNoTracking().ToDictionaryAsync(w => w.Id);
            var key = ConversationWork.SerialKeyFor(contact.Id);
            Assert.Equal(key, items[oldTurn].SerialKey);
            Assert.Equal(key, items[oldSend].SerialKey);
            Assert.Equal(key, items[knownNumber].SerialKey);
            Assert.Equal("inbound:+14165550100:+14165550199", items[newNumber].SerialKey);
            Assert.Equal($"conversation:{conversation.Id:N}", items[finished].SerialKey);

            // A text after the upgrade finds the pending turn to push back instead of queueing a second one.
            var work = ConversationWork.For(conversation);
            var json = ConversationAgent.Work.Serialize(work);
            Assert.True(await db.WorkItems.AnyAsync(w => w.Id == oldTurn && w.Payload == json));
            Assert.Equal(work, ConversationAgent.Work.Read(items[oldTurn]));
            Assert.Equal(conversation.Id, OutboundSender.Work.Read(items[oldSend]).ConversationId);

            // A send the carrier pushed back is held back by its flag now, not by its error's wording.
            Assert.True(items[pushedBack].BackPressure);
            Assert.False(items[oldSend].BackPressure);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task InsertAsync(ParleyDb db, long id, string kind, string serialKey, string payload, Guid tenantId, WorkStatus status, string? lastError)
    {
        var due = DateTime.UtcNow.AddMinutes(5);
        var state = (int)status;
        if (TestDatabase.IsPostgres)
        {
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO "WorkItems" ("Id", "Kind", "TenantId", "SerialKey", "Payload", "Status", "Attempts", "DueAtUtc", "LastError", "CreatedAtUtc")
                VALUES ({id}, {kind}, {tenantId}, {serialKey}, {payload}::jsonb, {state}, 0, {due}, {lastError}, {due})
                """);
            return;
        }

        // As EF writes it there, SQLite keeps a Guid as upper-case text.
        var tenant = tenantId.ToString().ToUpperInvariant();
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO "WorkItems" ("Id", "Kind", "TenantId", "SerialKey", "Payload", "Status", "Attempts", "DueAtUtc", "LastError", "CreatedAtUtc")
            VALUES ({id}, {kind}, {tenant}, {serialKey}, {payload}, {state}, 0, {due}, {lastError}, {due})
            """);
    }
}
