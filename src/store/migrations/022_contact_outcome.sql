-- The outcome CHECK of contacts as equalities instead of an IN list (issue 11, simulate and
-- serve): SQLite (3.40) evaluates an IN list of three or more constants through an ephemeral
-- table built on every execution, so every INSERT and UPDATE of a contact built one (EXPLAIN:
-- OpenEphemeral), as the partial index of migration 021 did. The same five values are allowed,
-- so every stored row still passes. Changed in place, as 003 and 015 widened users' CHECK (a
-- rebuild cannot switch foreign keys off inside the migration's transaction, and other tables
-- refer to contacts); connections opened afterwards read the new definition.
PRAGMA writable_schema = ON;
UPDATE sqlite_schema SET sql = replace(sql,
    'outcome IN
           (''instant_info'', ''application'', ''followup'', ''not_relevant'', ''transferred_out'')',
    'outcome = ''instant_info'' OR outcome = ''application''
           OR outcome = ''followup'' OR outcome = ''not_relevant''
           OR outcome = ''transferred_out''')
    WHERE type = 'table' AND name = 'contacts';
PRAGMA writable_schema = OFF;
