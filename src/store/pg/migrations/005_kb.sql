-- The knowledge base complete (issue 10): the districts an article applies to ('' = the whole
-- province, else ',3,17,'), other institutions' numbers ('name<TAB>number' lines, also in fts),
-- and the validity window (NULL = open-ended; planned water cuts hide themselves).
ALTER TABLE kb_articles
    ADD COLUMN districts text NOT NULL DEFAULT '',
    ADD COLUMN phones text NOT NULL DEFAULT '',
    ADD COLUMN valid_from bigint,
    ADD COLUMN valid_until bigint,
    ADD CONSTRAINT kb_articles_valid_order
        CHECK (valid_from IS NULL OR valid_until IS NULL OR valid_from < valid_until);
CREATE INDEX kb_articles_valid ON kb_articles(active, valid_until);
