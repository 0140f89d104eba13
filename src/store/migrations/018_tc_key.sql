-- KVKK (issue 12): which key sealed each T.C. number (the key's id, util/tccrypt.h; NULL for a
-- plain number, or one sealed before this column: adopted at the next start with the key).
-- A wrong key file or an unfinished key rotation (alo153 kvkk rotate-key) is found by it.
ALTER TABLE citizens ADD COLUMN tc_key TEXT;
