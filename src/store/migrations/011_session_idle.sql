-- Sessions slide with activity (issue 14 item 4): expires_at is now the idle deadline, moved
-- forward by each request (store_session_touch), never past max_until, the absolute limit
-- fixed at login. 0 = a session from before: expires_at is its only limit.
ALTER TABLE sessions ADD COLUMN max_until INTEGER NOT NULL DEFAULT 0;
