-- Issue 15: CİMER applications and the messages of the e-mail and WhatsApp intake.
-- cimer_apps: one row per application imported from CİMER (the Presidency's portal): its CİMER
-- number (unique: a number imported twice is the same application), the date it was filed in
-- CİMER, the municipality's promise and the legal (law 3071, 30 days) deadline counted from
-- that date, when the answer was entered back into CİMER, and, for "belongs to another
-- institution", the institution and the clerk's note.
CREATE TABLE cimer_apps (
    app_id         INTEGER PRIMARY KEY REFERENCES applications(id),
    cimer_no       TEXT NOT NULL UNIQUE,
    filed_at       INTEGER NOT NULL,
    promise_due    INTEGER NOT NULL,
    legal_due      INTEGER NOT NULL,
    imported_at    INTEGER NOT NULL,
    answered_at    INTEGER,
    institution_id INTEGER REFERENCES institutions(id),
    note           TEXT
) STRICT;
CREATE INDEX cimer_apps_due ON cimer_apps(promise_due, app_id);

-- intake_messages: every e-mail (by Message-ID, else mailbox UID) and WhatsApp message (by its
-- wamid) taken in, so a message seen again (a replayed webhook, a re-polled mailbox) is
-- recognised and changes nothing; flagged = kept although its encoding was broken.
CREATE TABLE intake_messages (
    channel     TEXT NOT NULL CHECK (channel IN ('email', 'whatsapp')),
    message_id  TEXT NOT NULL,
    app_id      INTEGER REFERENCES applications(id),
    contact_id  INTEGER REFERENCES contacts(id),
    flagged     INTEGER NOT NULL DEFAULT 0,
    received_at INTEGER NOT NULL,
    PRIMARY KEY (channel, message_id)
) STRICT;
