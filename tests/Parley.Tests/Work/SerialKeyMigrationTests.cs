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
            var oldTurn = Old("agent.turn", $"conversation:{conversation.Id:N}", $$"""{"conversationId":"{{conversation.Id}}"}""", tenant.Id);
            var oldSend = Old("sms.send", $"conversation:{conversation.Id:N}", $$"""{"conversationId":"{{conversation.Id}}"}""", tenant.Id);
            var knownNumber = Old("inbound.sms", "inbound:+14165550100:+14165550111", "{}", tenant.Id);
            var newNumber = Old("inbound.sms", "inbound:+14165550100:+14165550199", "{}", tenant.Id);
            var finished = Old("agent.turn", $"conversation:{conversation.Id:N}", $$"""{"conversationId":"{{conversation.Id}}"}""", tenant.Id);
            finished.Status = WorkStatus.Done;
            db.WorkItems.AddRange(oldTurn, oldSend, knownNumber, newNumber, finished);
            await db.SaveChangesAsync();

            await new DatabaseMigrator(db, NullLogger<DatabaseMigrator>.Instance).MigrateAsync(CancellationToken.None);

            var items = await db.WorkItems.AsNoTracking().ToDictionaryAsync(w => w.Id);
            var key = ConversationWork.SerialKeyFor(contact.Id);
            Assert.Equal(key, items[oldTurn.Id].SerialKey);
            Assert.Equal(key, items[oldSend.Id].SerialKey);
            Assert.Equal(key, items[knownNumber.Id].SerialKey);
            Assert.Equal("inbound:+14165550100:+14165550199", items[newNumber.Id].SerialKey);
            Assert.Equal($"conversation:{conversation.Id:N}", items[finished.Id].SerialKey);

            // A text after the upgrade finds the pending turn to push back instead of queueing a second one.
            var work = ConversationWork.For(conversation);
            var json = ConversationAgent.Work.Serialize(work);
            Assert.True(await db.WorkItems.AnyAsync(w => w.Id == oldTurn.Id && w.Payload == json));
            Assert.Equal(work, ConversationAgent.Work.Read(items[oldTurn.Id]));
            Assert.Equal(conversation.Id, OutboundSender.Work.Read(items[oldSend.Id]).ConversationId);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static WorkItem Old(string kind, string serialKey, string payload, Guid tenantId) => new()
    {
        Kind = kind,
        SerialKey = serialKey,
        Payload = payload,
        TenantId = tenantId,
        Status = WorkStatus.Pending,
        DueAtUtc = DateTime.UtcNow.AddMinutes(5),
        CreatedAtUtc = DateTime.UtcNow,
    };
}
