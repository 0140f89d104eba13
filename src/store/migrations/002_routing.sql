-- Routing suggestions (issue 4): what the classifier proposed when the application was made,
-- so the accuracy achieved in production (suggested vs final) can be reported.
CREATE TABLE suggestions (
    app_id       INTEGER PRIMARY KEY REFERENCES applications(id),
    category     TEXT NOT NULL,
    probability  REAL NOT NULL,
    urgent       INTEGER NOT NULL DEFAULT 0,
    urgent_words TEXT
) STRICT;
CREATE INDEX applications_category_open ON applications(category_id, created_at)
    WHERE status IN ('new', 'forwarded', 'in_progress');
