using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Parley.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class TenantKeyedSearch : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The message and contact indexes become keyed by tenant, so a search reads only its own tenant's part:
            // each tenant has a small integer key (knowledge_search_tenants, shared with the knowledge index), a
            // message's FTS5 row id is key * 2^40 + its "Id", a contact's is key * 2^32 + a number of its own, and a
            // search names its tenant's range. Prefix indexes of 2 to 4 characters answer the usual prefix search
            // ("roof insp") from one list that FTS5 can seek into, instead of merging every tenant's words with that
            // prefix. The indexes are contentless (the text stays in "Messages" and "Contacts"); contentless_delete
            // lets triggers remove a row by its id alone. Existing rows are indexed here.
            migrationBuilder.Sql(
                """
                DROP TRIGGER IF EXISTS message_search_update;
                DROP TRIGGER IF EXISTS message_search_delete;
                DROP TRIGGER IF EXISTS message_search_insert;
                DROP TABLE IF EXISTS message_search;
                DROP TRIGGER IF EXISTS contact_search_delete;
                DROP TRIGGER IF EXISTS contact_search_update;
                DROP TRIGGER IF EXISTS contact_search_insert;
                DROP TABLE IF EXISTS contact_search;
                DROP TABLE IF EXISTS contact_search_keys;

                INSERT OR IGNORE INTO knowledge_search_tenants ("TenantId") SELECT DISTINCT "TenantId" FROM "Messages";
                INSERT OR IGNORE INTO knowledge_search_tenants ("TenantId") SELECT DISTINCT "TenantId" FROM "Contacts";

                CREATE VIRTUAL TABLE message_search USING fts5(
                    "Text", content = '', contentless_delete = 1, prefix = '2 3 4', tokenize = 'unicode61 remove_diacritics 2');
                INSERT INTO message_search (rowid, "Text")
                SELECT t."TenantKey" * 1099511627776 + m."Id", m."Text"
                FROM "Messages" AS m JOIN knowledge_search_tenants AS t ON t."TenantId" = m."TenantId";

                CREATE TRIGGER message_search_insert AFTER INSERT ON "Messages" BEGIN
                    INSERT OR IGNORE INTO knowledge_search_tenants ("TenantId") VALUES (new."TenantId");
                    INSERT INTO message_search (rowid, "Text")
                    SELECT "TenantKey" * 1099511627776 + new."Id", new."Text" FROM knowledge_search_tenants WHERE "TenantId" = new."TenantId";
                END;
                CREATE TRIGGER message_search_delete AFTER DELETE ON "Messages" BEGIN
                    DELETE FROM message_search
                    WHERE rowid = (SELECT "TenantKey" * 1099511627776 + old."Id" FROM knowledge_search_tenants WHERE "TenantId" = old."TenantId");
                END;
                CREATE TRIGGER message_search_update AFTER UPDATE OF "Text" ON "Messages" BEGIN
                    DELETE FROM message_search
                    WHERE rowid = (SELECT "TenantKey" * 1099511627776 + old."Id" FROM knowledge_search_tenants WHERE "TenantId" = old."TenantId");
                    INSERT INTO message_search (rowid, "Text")
                    SELECT "TenantKey" * 1099511627776 + new."Id", new."Text" FROM knowledge_search_tenants WHERE "TenantId" = new."TenantId";
                END;

                CREATE TABLE contact_search_keys (
                    "Key" INTEGER NOT NULL PRIMARY KEY,
                    "ContactId" TEXT NOT NULL UNIQUE
                );
                CREATE VIRTUAL TABLE contact_search USING fts5(
                    name, company, content = '', contentless_delete = 1, prefix = '2 3 4', tokenize = 'unicode61 remove_diacritics 2');
                INSERT INTO contact_search_keys ("Key", "ContactId")
                SELECT t."TenantKey" * 4294967296 + row_number() OVER (PARTITION BY c."TenantId" ORDER BY c."Id"), c."Id"
                FROM "Contacts" AS c JOIN knowledge_search_tenants AS t ON t."TenantId" = c."TenantId";
                INSERT INTO contact_search (rowid, name, company)
                SELECT k."Key", coalesce(c."FirstName", '') || ' ' || coalesce(c."LastName", ''), coalesce(c."Company", '')
                FROM "Contacts" AS c JOIN contact_search_keys AS k ON k."ContactId" = c."Id";

                CREATE TRIGGER contact_search_insert AFTER INSERT ON "Contacts" BEGIN
                    INSERT OR IGNORE INTO knowledge_search_tenants ("TenantId") VALUES (new."TenantId");
                    INSERT INTO contact_search_keys ("Key", "ContactId")
                    SELECT coalesce((SELECT max(k."Key") FROM contact_search_keys AS k
                                     WHERE k."Key" BETWEEN t."TenantKey" * 4294967296 AND t."TenantKey" * 4294967296 + 4294967295),
                                    t."TenantKey" * 4294967296) + 1, new."Id"
                    FROM knowledge_search_tenants AS t WHERE t."TenantId" = new."TenantId";
                    INSERT INTO contact_search (rowid, name, company) VALUES (
                        (SELECT "Key" FROM contact_search_keys WHERE "ContactId" = new."Id"),
                        coalesce(new."FirstName", '') || ' ' || coalesce(new."LastName", ''), coalesce(new."Company", ''));
                END;
                CREATE TRIGGER contact_search_update AFTER UPDATE OF "FirstName", "LastName", "Company" ON "Contacts" BEGIN
                    DELETE FROM contact_search WHERE rowid = (SELECT "Key" FROM contact_search_keys WHERE "ContactId" = new."Id");
                    INSERT INTO contact_search (rowid, name, company) VALUES (
                        (SELECT "Key" FROM contact_search_keys WHERE "ContactId" = new."Id"),
                        coalesce(new."FirstName", '') || ' ' || coalesce(new."LastName", ''), coalesce(new."Company", ''));
                END;
                CREATE TRIGGER contact_search_delete AFTER DELETE ON "Contacts" BEGIN
                    DELETE FROM contact_search WHERE rowid = (SELECT "Key" FROM contact_search_keys WHERE "ContactId" = old."Id");
                    DELETE FROM contact_search_keys WHERE "ContactId" = old."Id";
                END;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Back to one index shared by every tenant, as migration Search made it, rebuilt from the rows.
            migrationBuilder.Sql(
                """
                DROP TRIGGER IF EXISTS message_search_update;
                DROP TRIGGER IF EXISTS message_search_delete;
                DROP TRIGGER IF EXISTS message_search_insert;
                DROP TABLE IF EXISTS message_search;
                DROP TRIGGER IF EXISTS contact_search_delete;
                DROP TRIGGER IF EXISTS contact_search_update;
                DROP TRIGGER IF EXISTS contact_search_insert;
                DROP TABLE IF EXISTS contact_search;
                DROP TABLE IF EXISTS contact_search_keys;

                CREATE VIRTUAL TABLE message_search USING fts5(
                    "Text", content = 'Messages', content_rowid = 'Id', tokenize = 'unicode61 remove_diacritics 2');
                INSERT INTO message_search (message_search) VALUES ('rebuild');
                CREATE TRIGGER message_search_insert AFTER INSERT ON "Messages" BEGIN
                    INSERT INTO message_search (rowid, "Text") VALUES (new."Id", new."Text");
                END;
                CREATE TRIGGER message_search_delete AFTER DELETE ON "Messages" BEGIN
                    INSERT INTO message_search (message_search, rowid, "Text") VALUES ('delete', old."Id", old."Text");
                END;
                CREATE TRIGGER message_search_update AFTER UPDATE OF "Text" ON "Messages" BEGIN
                    INSERT INTO message_search (message_search, rowid, "Text") VALUES ('delete', old."Id", old."Text");
                    INSERT INTO message_search (rowid, "Text") VALUES (new."Id", new."Text");
                END;

                CREATE TABLE contact_search_keys (
                    "Key" INTEGER NOT NULL PRIMARY KEY,
                    "ContactId" TEXT NOT NULL UNIQUE
                );
                CREATE VIRTUAL TABLE contact_search USING fts5(name, company, tokenize = 'unicode61 remove_diacritics 2');
                INSERT INTO contact_search_keys ("ContactId") SELECT "Id" FROM "Contacts";
                INSERT INTO contact_search (rowid, name, company)
                SELECT k."Key", coalesce(c."FirstName", '') || ' ' || coalesce(c."LastName", ''), coalesce(c."Company", '')
                FROM "Contacts" AS c JOIN contact_search_keys AS k ON k."ContactId" = c."Id";
                CREATE TRIGGER contact_search_insert AFTER INSERT ON "Contacts" BEGIN
                    INSERT INTO contact_search_keys ("ContactId") VALUES (new."Id");
                    INSERT INTO contact_search (rowid, name, company) VALUES (
                        (SELECT "Key" FROM contact_search_keys WHERE "ContactId" = new."Id"),
                        coalesce(new."FirstName", '') || ' ' || coalesce(new."LastName", ''), coalesce(new."Company", ''));
                END;
                CREATE TRIGGER contact_search_update AFTER UPDATE OF "FirstName", "LastName", "Company" ON "Contacts" BEGIN
                    UPDATE contact_search
                    SET name = coalesce(new."FirstName", '') || ' ' || coalesce(new."LastName", ''), company = coalesce(new."Company", '')
                    WHERE rowid = (SELECT "Key" FROM contact_search_keys WHERE "ContactId" = new."Id");
                END;
                CREATE TRIGGER contact_search_delete AFTER DELETE ON "Contacts" BEGIN
                    DELETE FROM contact_search WHERE rowid = (SELECT "Key" FROM contact_search_keys WHERE "ContactId" = old."Id");
                    DELETE FROM contact_search_keys WHERE "ContactId" = old."Id";
                END;
                """);
        }
    }
}
