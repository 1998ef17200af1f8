-- keel migration: users: single sign-on — a user's e-mail, name and identity at the provider, and pending sign-ins
-- As on SQLite (0098_single_sign_on.sqlite.sql). A sign-in from the provider names an identity,
-- not a tenant: keel_identity_user tells whose it is (with the owner's rights; the row itself is
-- then read under that tenant).
ALTER TABLE users ADD COLUMN email TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN full_name TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN identity_issuer TEXT;
ALTER TABLE users ADD COLUMN identity_subject TEXT;
CREATE UNIQUE INDEX users_identity ON users (identity_issuer, identity_subject) WHERE identity_issuer IS NOT NULL;
CREATE FUNCTION keel_identity_user(p_issuer text, p_subject text) RETURNS TABLE (identity_tenant text, identity_username text)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$ SELECT t.name, u.username FROM users u JOIN tenants t ON t.id = u.tenant_id
        WHERE u.identity_issuer = p_issuer AND u.identity_subject = p_subject $$;
CREATE TABLE sign_in_requests (
  state_hash TEXT PRIMARY KEY,
  nonce TEXT NOT NULL,
  code_verifier TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
