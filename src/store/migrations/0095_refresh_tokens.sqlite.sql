-- keel migration: users: refresh tokens, rotated at each use, one family per sign-in
-- A sign-in starts a family (32 hex digits, the access tokens' `sid`); each refresh marks the
-- presented row used and adds the next one. Only the BLAKE2b-256 digest of a token's secret is
-- kept. A used row stays until the family ends, so presenting it again is seen as reuse and ends
-- the whole family (docs/security.md, "Sessions and refresh tokens"). `expires_at` is the idle
-- end (the row's issue plus the idle timeout, never past the family's absolute end).
CREATE TABLE refresh_tokens (
  id INTEGER PRIMARY KEY,
  tenant TEXT NOT NULL,
  user_id INTEGER NOT NULL,
  family TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  access_jti TEXT NOT NULL,
  access_expires_at INTEGER NOT NULL,  -- epoch seconds
  issued_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  family_expires_at INTEGER NOT NULL,
  used_at INTEGER
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (user_id, family);
