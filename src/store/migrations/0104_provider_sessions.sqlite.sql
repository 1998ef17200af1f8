-- keel migration: users: a single sign-on's sign-in remembers the provider's session
-- The identity provider's session id (the ID token's sid, with its issuer) of the sign-in a
-- refresh family belongs to, so that the provider's back-channel logout naming that session ends
-- that sign-in alone; '' for a password sign-in or a provider that sends no sid.
ALTER TABLE refresh_tokens ADD COLUMN provider_session TEXT NOT NULL DEFAULT '';
CREATE INDEX refresh_tokens_provider_session ON refresh_tokens (provider_session) WHERE provider_session <> '';
