using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Parley.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ConversationSerialKey : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Unfinished work queued under the keys before one key per conversation: agent turns and sends were
            // keyed by conversation, inbound texts by tenant number and contact number. They move to the contact's
            // key (and turns gain the contact in their payload, so a new text still finds the pending turn to push
            // back). An inbound text from a number no contact has yet keeps its old key: its contact does not exist
            // to key by, and it creates that contact with the id new texts from the number are keyed by.
            migrationBuilder.Sql(""""
                UPDATE "WorkItems" SET
                    "SerialKey" = (SELECT 'contact:' || lower(replace(c."ContactId", '-', '')) FROM "Conversations" AS c WHERE c."Id" IN (upper(substr("WorkItems"."SerialKey", 14, 8) || '-' || substr("WorkItems"."SerialKey", 22, 4) || '-' || substr("WorkItems"."SerialKey", 26, 4) || '-' || substr("WorkItems"."SerialKey", 30, 4) || '-' || substr("WorkItems"."SerialKey", 34, 12)), lower(substr("WorkItems"."SerialKey", 14, 8) || '-' || substr("WorkItems"."SerialKey", 22, 4) || '-' || substr("WorkItems"."SerialKey", 26, 4) || '-' || substr("WorkItems"."SerialKey", 30, 4) || '-' || substr("WorkItems"."SerialKey", 34, 12)))),
                    "Payload" = (SELECT '{"conversationId":"' || lower(c."Id") || '","contactId":"' || lower(c."ContactId") || '"}' FROM "Conversations" AS c WHERE c."Id" IN (upper(substr("WorkItems"."SerialKey", 14, 8) || '-' || substr("WorkItems"."SerialKey", 22, 4) || '-' || substr("WorkItems"."SerialKey", 26, 4) || '-' || substr("WorkItems"."SerialKey", 30, 4) || '-' || substr("WorkItems"."SerialKey", 34, 12)), lower(substr("WorkItems"."SerialKey", 14, 8) || '-' || substr("WorkItems"."SerialKey", 22, 4) || '-' || substr("WorkItems"."SerialKey", 26, 4) || '-' || substr("WorkItems"."SerialKey", 30, 4) || '-' || substr("WorkItems"."SerialKey", 34, 12))))
                WHERE "Status" IN (0, 1) AND "Kind" IN ('agent.turn', 'sms.send') AND "SerialKey" LIKE 'conversation:%'
                  AND EXISTS (SELECT 1 FROM "Conversations" AS c WHERE c."Id" IN (upper(substr("WorkItems"."SerialKey", 14, 8) || '-' || substr("WorkItems"."SerialKey", 22, 4) || '-' || substr("WorkItems"."SerialKey", 26, 4) || '-' || substr("WorkItems"."SerialKey", 30, 4) || '-' || substr("WorkItems"."SerialKey", 34, 12)), lower(substr("WorkItems"."SerialKey", 14, 8) || '-' || substr("WorkItems"."SerialKey", 22, 4) || '-' || substr("WorkItems"."SerialKey", 26, 4) || '-' || substr("WorkItems"."SerialKey", 30, 4) || '-' || substr("WorkItems"."SerialKey", 34, 12))));
                """");
            migrationBuilder.Sql(""""
                UPDATE "WorkItems" SET
                    "SerialKey" = (SELECT 'contact:' || lower(replace(p."ContactId", '-', '')) FROM "ContactPhones" AS p WHERE p."TenantId" = "WorkItems"."TenantId" AND p."Number" = substr("WorkItems"."SerialKey", 9 + instr(substr("WorkItems"."SerialKey", 9), ':')))
                WHERE "Status" IN (0, 1) AND "Kind" = 'inbound.sms' AND "SerialKey" LIKE 'inbound:%'
                  AND EXISTS (SELECT 1 FROM "ContactPhones" AS p WHERE p."TenantId" = "WorkItems"."TenantId" AND p."Number" = substr("WorkItems"."SerialKey", 9 + instr(substr("WorkItems"."SerialKey", 9), ':')));
                """");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Nothing to undo: the handlers never read the key, and work keyed either way still runs.
        }
    }
}
