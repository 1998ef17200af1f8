-- keel migration: users: the token revocation journal (signed-out tokens and account changes) that every server polls
-- One row per signed-out token (jti) and per change of a user row (jti NULL: every token issued
-- before). Servers read `id > last seen`; ids follow commit order (one writer at a time). Rows are
-- deleted once expired, except the newest, so ids never restart.
CREATE TABLE token_revocations (
  id INTEGER PRIMARY KEY,
  tenant TEXT NOT NULL,
  user_id INTEGER NOT NULL,
  jti TEXT,
  expires_at INTEGER NOT NULL,  -- epoch seconds
  created_at TEXT NOT NULL
);
CREATE INDEX token_revocations_expiry ON token_revocations (expires_at);
