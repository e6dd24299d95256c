using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Parley.Data.Migrations.Postgres
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
                UPDATE "WorkItems" AS w SET
                    "SerialKey" = 'contact:' || replace(c."ContactId"::text, '-', ''),
                    "Payload" = ('{"conversationId":"' || c."Id"::text || '","contactId":"' || c."ContactId"::text || '"}')::jsonb
                FROM "Conversations" AS c
                WHERE w."Status" IN (0, 1) AND w."Kind" IN ('agent.turn', 'sms.send')
                  AND c."Id" = (CASE WHEN w."SerialKey" ~ '^conversation:[0-9a-f]{32}$' THEN substr(w."SerialKey", 14)::uuid END);
                """");
            migrationBuilder.Sql(""""
                UPDATE "WorkItems" AS w SET "SerialKey" = 'contact:' || replace(p."ContactId"::text, '-', '')
                FROM "ContactPhones" AS p
                WHERE w."Status" IN (0, 1) AND w."Kind" = 'inbound.sms' AND w."SerialKey" LIKE 'inbound:%'
                  AND p."TenantId" = w."TenantId" AND p."Number" = split_part(w."SerialKey", ':', 3);
                """");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Nothing to undo: the handlers never read the key, and work keyed either way still runs.
        }
    }
}
