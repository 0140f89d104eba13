-- Learning from corrections (issue 13): every return, transfer or re-route of an application,
-- and every category change by staff, with the category the classifier suggested, the category
-- before and after, who and when. The citizen's words are the application's (read through the
-- join, never copied: anonymising an application anonymises its corrections). alo153 train
-- learns from the last known final category of each application (a return alone has none).
CREATE TABLE corrections (
    id          INTEGER PRIMARY KEY,
    app_id      INTEGER NOT NULL REFERENCES applications(id),
    action      TEXT NOT NULL,
    suggested   TEXT,
    previous    TEXT,
    final       TEXT,
    user_id     INTEGER,
    at          INTEGER NOT NULL
) STRICT;
CREATE INDEX corrections_app ON corrections(app_id, id);
