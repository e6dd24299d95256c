using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Parley.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class TenantKeyedSearch : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The message and contact indexes become keyed by tenant, so a search reads only its own tenant's part.
            // Every word is indexed with its tenant's id in front of it ("<tenant hex>roof"), so a prefix search is a
            // range of the GIN index's words that holds only that tenant's. A composite (TenantId, tsvector) index
            // would not do it: GIN gathers every tenant's rows for a prefix before it intersects them with the tenant.
            // The query is made here too, from the same normalisation as the text, so both sides agree. Building the
            // indexes indexes the rows already present.
            migrationBuilder.Sql(
                """
                DROP INDEX IF EXISTS search_messages_text;
                DROP INDEX IF EXISTS search_contacts_name;

                CREATE FUNCTION parley_tenant_search_vector(tenant uuid, body text) RETURNS tsvector
                    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
                    AS $$ SELECT array_to_tsvector(array(
                        SELECT replace(tenant::text, '-', '') || v.lexeme FROM unnest(public.parley_search_vector(body)) AS v
                        WHERE length(v.lexeme) < 1000)) $$;

                -- Every word of the search, as a prefix of a word of the same tenant; NULL (matches nothing) without words.
                CREATE FUNCTION parley_tenant_search_query(tenant uuid, words text[]) RETURNS tsquery
                    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
                    AS $$ SELECT string_agg(quote_literal(replace(tenant::text, '-', '') || v.lexeme) || ':*', ' & ')::tsquery
                        FROM unnest(words) AS w, unnest(public.parley_search_vector(w)) AS v
                        WHERE length(v.lexeme) < 1000 $$;

                CREATE INDEX search_messages_text ON "Messages" USING gin (parley_tenant_search_vector("TenantId", "Text"));
                CREATE INDEX search_contacts_name ON "Contacts" USING gin (parley_tenant_search_vector("TenantId",
                    coalesce("FirstName", '') || ' ' || coalesce("LastName", '') || ' ' || coalesce("Company", '')));
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(
                """
                DROP INDEX IF EXISTS search_contacts_name;
                DROP INDEX IF EXISTS search_messages_text;
                DROP FUNCTION IF EXISTS parley_tenant_search_query(uuid, text[]);
                DROP FUNCTION IF EXISTS parley_tenant_search_vector(uuid, text);

                CREATE INDEX search_messages_text ON "Messages" USING gin (parley_search_vector("Text"));
                CREATE INDEX search_contacts_name ON "Contacts" USING gin (
                    parley_search_vector(coalesce("FirstName", '') || ' ' || coalesce("LastName", '') || ' ' || coalesce("Company", '')));
                """);
        }
    }
}
