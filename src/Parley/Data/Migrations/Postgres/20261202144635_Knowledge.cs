using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Parley.Data.Migrations.Postgres
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
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    TenantId = table.Column<Guid>(type: "uuid", nullable: false),
                    Kind = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    Name = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    Url = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: true),
                    ContentType = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    ContentHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    FetchedAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    NextFetchAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    LastError = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true)
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
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    TenantId = table.Column<Guid>(type: "uuid", nullable: false),
                    Title = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Text = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    Questions = table.Column<List<string>>(type: "text[]", nullable: false),
                    SourceId = table.Column<Guid>(type: "uuid", nullable: true),
                    Heading = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    AssistantIds = table.Column<List<Guid>>(type: "uuid[]", nullable: false),
                    Embedding = table.Column<byte[]>(type: "bytea", nullable: true),
                    EmbeddingModel = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    CreatedAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UpdatedAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
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
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    TenantId = table.Column<Guid>(type: "uuid", nullable: false),
                    ConversationId = table.Column<Guid>(type: "uuid", nullable: true),
                    Question = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    Key = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    FirstAskedAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    LastAskedAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Times = table.Column<int>(type: "integer", nullable: false),
                    AnsweredByEntryId = table.Column<Guid>(type: "uuid", nullable: true)
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

            // Full-text search over an entry's title, text and questions with the 'english' configuration (stemming,
            // stop words), answered by a GIN index on a tsvector expression the model cannot describe. The index leads
            // with "TenantId" (btree_gin, shipped with PostgreSQL and trusted), so a search reads only its tenant's
            // entries. Title and questions weigh A, the text B.
            migrationBuilder.Sql(
                """
                CREATE EXTENSION IF NOT EXISTS btree_gin;

                -- array_to_string is only STABLE; the IMMUTABLE wrapper with the configuration named lets it appear in an index.
                CREATE FUNCTION parley_knowledge_vector(title text, body text, questions text[]) RETURNS tsvector
                    LANGUAGE sql IMMUTABLE PARALLEL SAFE
                    AS $$ SELECT setweight(to_tsvector('english'::regconfig, coalesce(title, '') || ' ' || coalesce(array_to_string(questions, ' '), '')), 'A')
                              || setweight(to_tsvector('english'::regconfig, coalesce(body, '')), 'B') $$;

                CREATE INDEX search_knowledge_entries ON "KnowledgeEntries" USING gin ("TenantId", parley_knowledge_vector("Title", "Text", "Questions"));
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(
                """
                DROP INDEX IF EXISTS search_knowledge_entries;
                DROP FUNCTION IF EXISTS parley_knowledge_vector(text, text, text[]);
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
