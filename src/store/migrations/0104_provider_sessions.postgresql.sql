-- keel migration: users: a single sign-on's sign-in remembers the provider's session
-- As on SQLite (0104_provider_sessions.sqlite.sql). The provider's logout names no tenant, so
-- keel_provider_session_families finds the sign-ins of a provider session across tenants with the
-- owner's rights: their user, tenant and family, nothing else; the families are then ended under
-- their tenant (store/user_repository.cpp).
ALTER TABLE refresh_tokens ADD COLUMN provider_session TEXT NOT NULL DEFAULT '';
CREATE INDEX refresh_tokens_provider_session ON refresh_tokens (provider_session) WHERE provider_session <> '';
CREATE FUNCTION keel_provider_session_families(p_session text)
  RETURNS TABLE (session_user_id bigint, session_tenant text, session_family text)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$ SELECT DISTINCT user_id, tenant, family FROM refresh_tokens
        WHERE provider_session = p_session AND p_session <> '' ORDER BY 1, 3 $$;
