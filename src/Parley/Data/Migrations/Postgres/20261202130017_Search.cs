using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Parley.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Search : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Full-text search over message text and contacts' names and companies, answered by GIN indexes on
            // tsvector expressions, which the model cannot describe. Words match case- and accent-insensitively,
            // by prefix; ASCII punctuation separates words (as in SQLite's FTS5), so "jane@acme.com" and
            // "roof-leak" are found by their parts. Accents are folded by the unaccent extension, which ships
            // with PostgreSQL and is trusted (a database owner may create it).
            migrationBuilder.Sql(
                """
                CREATE EXTENSION IF NOT EXISTS unaccent;

                -- unaccent() is only STABLE (its dictionary could change), so an IMMUTABLE wrapper with the dictionary
                -- named is what lets it appear in an index expression.
                CREATE FUNCTION parley_search_vector(text) RETURNS tsvector
                    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
                    AS $$ SELECT to_tsvector('simple'::regconfig, public.unaccent('public.unaccent'::regdictionary, regexp_replace($1, '[[:punct:]]+', ' ', 'g'))) $$;

                CREATE INDEX search_messages_text ON "Messages" USING gin (parley_search_vector("Text"));
                CREATE INDEX search_contacts_name ON "Contacts" USING gin (
                    parley_search_vector(coalesce("FirstName", '') || ' ' || coalesce("LastName", '') || ' ' || coalesce("Company", '')));
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(
                """
                DROP INDEX IF EXISTS search_contacts_name;
                DROP INDEX IF EXISTS search_messages_text;
                DROP FUNCTION IF EXISTS parley_search_vector(text);
                """);
        }
    }
}
