-- Full-text search over message text and contacts' names and companies, answered by SQLite's FTS5.
-- Triggers keep both indexes in step with every write, whoever makes it; existing rows are indexed here.
-- Words are matched case- and accent-insensitively (unicode61, remove_diacritics 2), by prefix.

-- Messages: an external-content index that reads the text from "Messages" itself (no second copy),
-- keyed by the message's own integer id.
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

-- Contacts: their ids are GUIDs and FTS5 keys rows by integer, so each contact gets a stable integer key
-- here (a table's implicit rowid could be renumbered by VACUUM).
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
