-- Full-text search over message text and contacts' names and companies, answered by GIN indexes on
-- tsvector expressions; and JSON columns stored as jsonb.
-- Words are matched case- and accent-insensitively, by prefix. ASCII punctuation separates words (as in
-- SQLite's FTS5), so "jane@acme.com" and "roof-leak" are found by their parts. Accents are folded by the
-- unaccent extension, which ships with PostgreSQL and is trusted (a database owner may create it).

CREATE EXTENSION IF NOT EXISTS unaccent;

-- unaccent() is only STABLE (its dictionary could change), so an IMMUTABLE wrapper with the dictionary
-- named is what lets it appear in an index expression.
CREATE FUNCTION parley_search_vector(text) RETURNS tsvector
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT to_tsvector('simple'::regconfig, public.unaccent('public.unaccent'::regdictionary, regexp_replace($1, '[[:punct:]]+', ' ', 'g'))) $$;

CREATE INDEX search_messages_text ON "Messages" USING gin (parley_search_vector("Text"));
CREATE INDEX search_contacts_name ON "Contacts" USING gin (
    parley_search_vector(coalesce("FirstName", '') || ' ' || coalesce("LastName", '') || ' ' || coalesce("Company", '')));

ALTER TABLE "WorkItems" ALTER COLUMN "Payload" TYPE jsonb USING "Payload"::jsonb;
ALTER TABLE "TesterSessions" ALTER COLUMN "StateJson" TYPE jsonb USING "StateJson"::jsonb;
