-- Issue 15: CİMER applications and the messages of the e-mail and WhatsApp intake
-- (the same tables as SQLite's 008_intake.sql; see there).
CREATE TABLE cimer_apps (
    app_id         bigint PRIMARY KEY REFERENCES applications(id),
    cimer_no       text NOT NULL UNIQUE,
    filed_at       bigint NOT NULL,
    promise_due    bigint NOT NULL,
    legal_due      bigint NOT NULL,
    imported_at    bigint NOT NULL,
    answered_at    bigint,
    institution_id bigint REFERENCES institutions(id),
    note           text
);
CREATE INDEX cimer_apps_due ON cimer_apps(promise_due, app_id);

CREATE TABLE intake_messages (
    channel     text NOT NULL CHECK (channel IN ('email', 'whatsapp')),
    message_id  text NOT NULL,
    app_id      bigint REFERENCES applications(id),
    contact_id  bigint REFERENCES contacts(id),
    flagged     integer NOT NULL DEFAULT 0,
    received_at bigint NOT NULL,
    PRIMARY KEY (channel, message_id)
);
