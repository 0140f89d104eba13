-- Open311 GeoReport v2 (issue 16; docs/OPEN311.md).
-- The extra questions of a category (GeoReport "attributes"): code, datatype, required, the
-- question in Turkish and English, and for the list types the choices as 'key<TAB>name' lines.
CREATE TABLE category_attributes (
    id             INTEGER PRIMARY KEY,
    category_id    INTEGER NOT NULL REFERENCES categories(id),
    code           TEXT NOT NULL,
    pos            INTEGER NOT NULL,
    datatype       TEXT NOT NULL CHECK (datatype IN ('string','number','datetime','text',
                                                     'singlevaluelist','multivaluelist')),
    required       INTEGER NOT NULL DEFAULT 0,
    description_tr TEXT NOT NULL,
    description_en TEXT NOT NULL DEFAULT '',
    choices        TEXT NOT NULL DEFAULT '',
    UNIQUE (category_id, code)
) STRICT;

-- API keys of Open311 clients (alo153 token add NAME --open311): only the hash is kept; a key
-- is no login and no bearer token of /api/v1.
CREATE TABLE open311_keys (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    key_hash   TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL
) STRICT;

-- What an Open311 POST brought beside the application: the key, the token of tokens/{id},
-- the photo's URL (stored, never fetched), the answers to the attributes ('code<TAB>value'
-- lines) and the client's device and account ids.
CREATE TABLE open311_requests (
    app_id     INTEGER PRIMARY KEY REFERENCES applications(id),
    token      TEXT NOT NULL UNIQUE,
    key_id     INTEGER NOT NULL REFERENCES open311_keys(id),
    media_url  TEXT NOT NULL DEFAULT '',
    attributes TEXT NOT NULL DEFAULT '',
    device_id  TEXT NOT NULL DEFAULT '',
    account_id TEXT NOT NULL DEFAULT ''
) STRICT;

-- the examples of the issue, on a database that already has its categories (a new one gets
-- them from alo153 init)
INSERT OR IGNORE INTO category_attributes(category_id, code, pos, datatype, required,
                                          description_tr, description_en)
    SELECT id, 'plate', 1, 'string', 1, 'Otobüsün plakası', 'The bus''s number plate'
    FROM categories WHERE code = 'ULA_OTOBUS_SURUCU';
INSERT OR IGNORE INTO category_attributes(category_id, code, pos, datatype, required,
                                          description_tr, description_en)
    SELECT id, 'block', 1, 'string', 0, 'Mezar adası / bloğu', 'Grave block'
    FROM categories WHERE code IN ('MEZ_BAKIM', 'MEZ_DEFIN');
