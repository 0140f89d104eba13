-- The knowledge base complete (issue 10): the districts an article applies to ("" = the whole
-- province, else ",3,17,"), other institutions' numbers ("name<TAB>number" lines), and the
-- validity window (NULL = open-ended; planned water cuts and road works hide themselves).
ALTER TABLE kb_articles ADD COLUMN districts TEXT NOT NULL DEFAULT '';
ALTER TABLE kb_articles ADD COLUMN phones TEXT NOT NULL DEFAULT '';
ALTER TABLE kb_articles ADD COLUMN valid_from INTEGER;
ALTER TABLE kb_articles ADD COLUMN valid_until INTEGER;
CREATE INDEX kb_articles_valid ON kb_articles(active, valid_until);

-- the numbers are searchable too ("186", "doğalgaz"): the index gets a phones column
DROP TRIGGER kb_ai;
DROP TRIGGER kb_au;
DROP TABLE kb_fts;
CREATE VIRTUAL TABLE kb_fts USING fts5(
    title, body, keywords, phones, content='kb_articles', content_rowid='id', tokenize='turkish'
);
CREATE TRIGGER kb_ai AFTER INSERT ON kb_articles BEGIN
    INSERT INTO kb_fts(rowid, title, body, keywords, phones)
        VALUES (new.id, new.title, new.body, new.keywords, new.phones);
END;
CREATE TRIGGER kb_au AFTER UPDATE OF title, body, keywords, phones ON kb_articles BEGIN
    INSERT INTO kb_fts(kb_fts, rowid, title, body, keywords, phones)
        VALUES ('delete', old.id, old.title, old.body, old.keywords, old.phones);
    INSERT INTO kb_fts(rowid, title, body, keywords, phones)
        VALUES (new.id, new.title, new.body, new.keywords, new.phones);
END;
INSERT INTO kb_fts(kb_fts) VALUES ('rebuild');
