using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Parley.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Knowledge : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "KnowledgeSources",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    TenantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    Url = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: true),
                    ContentType = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    ContentHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    FetchedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    NextFetchAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    LastError = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_KnowledgeSources", x => x.Id);
                    table.ForeignKey(
                        name: "FK_KnowledgeSources_Tenants_TenantId",
                        column: x => x.TenantId,
                        principalTable: "Tenants",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "KnowledgeEntries",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    TenantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Title = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Text = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    Questions = table.Column<string>(type: "TEXT", nullable: false),
                    SourceId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Heading = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    AssistantIds = table.Column<string>(type: "TEXT", nullable: false),
                    Embedding = table.Column<byte[]>(type: "BLOB", nullable: true),
                    EmbeddingModel = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    CreatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_KnowledgeEntries", x => x.Id);
                    table.ForeignKey(
                        name: "FK_KnowledgeEntries_KnowledgeSources_SourceId",
                        column: x => x.SourceId,
                        principalTable: "KnowledgeSources",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_KnowledgeEntries_Tenants_TenantId",
                        column: x => x.TenantId,
                        principalTable: "Tenants",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "KnowledgeGaps",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    TenantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ConversationId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Question = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    Key = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    FirstAskedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    LastAskedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Times = table.Column<int>(type: "INTEGER", nullable: false),
                    AnsweredByEntryId = table.Column<Guid>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_KnowledgeGaps", x => x.Id);
                    table.ForeignKey(
                        name: "FK_KnowledgeGaps_KnowledgeEntries_AnsweredByEntryId",
                        column: x => x.AnsweredByEntryId,
                        principalTable: "KnowledgeEntries",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_KnowledgeGaps_Tenants_TenantId",
                        column: x => x.TenantId,
                        principalTable: "Tenants",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_KnowledgeEntries_SourceId",
                table: "KnowledgeEntries",
                column: "SourceId");

            migrationBuilder.CreateIndex(
                name: "IX_KnowledgeEntries_TenantId_UpdatedAtUtc",
                table: "KnowledgeEntries",
                columns: new[] { "TenantId", "UpdatedAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_KnowledgeGaps_AnsweredByEntryId",
                table: "KnowledgeGaps",
                column: "AnsweredByEntryId");

            migrationBuilder.CreateIndex(
                name: "IX_KnowledgeGaps_TenantId_Key",
                table: "KnowledgeGaps",
                columns: new[] { "TenantId", "Key" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_KnowledgeGaps_TenantId_LastAskedAtUtc",
                table: "KnowledgeGaps",
                columns: new[] { "TenantId", "LastAskedAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_KnowledgeSources_NextFetchAtUtc",
                table: "KnowledgeSources",
                column: "NextFetchAtUtc");

            migrationBuilder.CreateIndex(
                name: "IX_KnowledgeSources_TenantId_FetchedAtUtc",
                table: "KnowledgeSources",
                columns: new[] { "TenantId", "FetchedAtUtc" });

            // Full-text search over an entry's title, text and questions, answered by FTS5 with the porter stemmer;
            // the model cannot describe FTS5 tables or triggers, so they are raw SQL here. Triggers keep the index in
            // step with every write. Each tenant gets a small integer key, and its entries the FTS5 row ids from
            // key * 2^32 up, so a search names its tenant's range and reads only that tenant's part of the index.
            // Questions are stored as a JSON array: json_each indexes their words, not the JSON around them.
            migrationBuilder.Sql(
                """
                CREATE TABLE knowledge_search_tenants (
                    "TenantKey" INTEGER NOT NULL PRIMARY KEY,
                    "TenantId" TEXT NOT NULL UNIQUE
                );
                CREATE TABLE knowledge_search_keys (
                    "Key" INTEGER NOT NULL PRIMARY KEY,
                    "EntryId" TEXT NOT NULL UNIQUE
                );
                CREATE VIRTUAL TABLE knowledge_search USING fts5(
                    title, text, questions, tokenize = 'porter unicode61 remove_diacritics 2');

                CREATE TRIGGER knowledge_search_insert AFTER INSERT ON "KnowledgeEntries" BEGIN
                    INSERT OR IGNORE INTO knowledge_search_tenants ("TenantId") VALUES (new."TenantId");
                    INSERT INTO knowledge_search_keys ("Key", "EntryId")
                    SELECT coalesce(max(k."Key") + 1, t."TenantKey" * 4294967296), new."Id"
                    FROM knowledge_search_tenants AS t
                    LEFT JOIN knowledge_search_keys AS k ON k."Key" >= t."TenantKey" * 4294967296 AND k."Key" < (t."TenantKey" + 1) * 4294967296
                    WHERE t."TenantId" = new."TenantId";
                    INSERT INTO knowledge_search (rowid, title, text, questions) VALUES (
                        (SELECT "Key" FROM knowledge_search_keys WHERE "EntryId" = new."Id"),
                        coalesce(new."Title", '') || ' ' || coalesce(new."Heading", ''), new."Text",
                        (SELECT coalesce(group_concat(value, ' '), '') FROM json_each(new."Questions")));
                END;
                CREATE TRIGGER knowledge_search_update AFTER UPDATE OF "Title", "Heading", "Text", "Questions" ON "KnowledgeEntries" BEGIN
                    UPDATE knowledge_search
                    SET title = coalesce(new."Title", '') || ' ' || coalesce(new."Heading", ''), text = new."Text",
                        questions = (SELECT coalesce(group_concat(value, ' '), '') FROM json_each(new."Questions"))
                    WHERE rowid = (SELECT "Key" FROM knowledge_search_keys WHERE "EntryId" = new."Id");
                END;
                CREATE TRIGGER knowledge_search_delete AFTER DELETE ON "KnowledgeEntries" BEGIN
                    DELETE FROM knowledge_search WHERE rowid = (SELECT "Key" FROM knowledge_search_keys WHERE "EntryId" = old."Id");
                    DELETE FROM knowledge_search_keys WHERE "EntryId" = old."Id";
                END;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(
                """
                DROP TRIGGER IF EXISTS knowledge_search_delete;
                DROP TRIGGER IF EXISTS knowledge_search_update;
                DROP TRIGGER IF EXISTS knowledge_search_insert;
                DROP TABLE IF EXISTS knowledge_search;
                DROP TABLE IF EXISTS knowledge_search_keys;
                DROP TABLE IF EXISTS knowledge_search_tenants;
                """);

            migrationBuilder.DropTable(
                name: "KnowledgeGaps");

            migrationBuilder.DropTable(
                name: "KnowledgeEntries");

            migrationBuilder.DropTable(
                name: "KnowledgeSources");
        }
    }
}
