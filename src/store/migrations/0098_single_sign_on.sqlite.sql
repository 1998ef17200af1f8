-- keel migration: users: single sign-on — a user's e-mail, name and identity at the provider, and pending sign-ins
-- A user provisioned by OpenID Connect keeps the provider's issuer and subject (`sub`), which
-- name it for good (its e-mail and user name may change at the provider); at most one user has a
-- given identity. Its password hash is '' (no password verifies against it). `email` and
-- `full_name` are the provider's claims at the last sign-in ('' for a user added with a password).
ALTER TABLE users ADD COLUMN email TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN full_name TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN identity_issuer TEXT;
ALTER TABLE users ADD COLUMN identity_subject TEXT;
CREATE UNIQUE INDEX users_identity ON users (identity_issuer, identity_subject) WHERE identity_issuer IS NOT NULL;
-- A sign-in begun at the provider and not yet back: the digest of its state (never the state),
-- the nonce and the PKCE verifier, until it comes back (the row is then deleted: a state is good
-- once) or expires. No tenant: nobody is signed in yet.
CREATE TABLE sign_in_requests (
  state_hash TEXT PRIMARY KEY,
  nonce TEXT NOT NULL,
  code_verifier TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
