-- keel migration: users: names unique per tenant; a name held across tenants for signing in without one
-- A user name is unique within its tenant only, so whether a name exists in another tenant never
-- changes what a tenant's manager sees (docs/security.md, "User names and tenants"). A user with
-- sign_in_by_name = 1 signs in with its name alone; that name is then unique among such users
-- across the store. Users of before this migration (their names were unique everywhere) keep
-- signing in by name; a user a manager adds signs in with its tenant and name.
ALTER TABLE users ADD COLUMN sign_in_by_name INTEGER NOT NULL DEFAULT 0;
UPDATE users SET sign_in_by_name = 1;
ALTER TABLE users DROP CONSTRAINT users_username_key;
ALTER TABLE users ADD CONSTRAINT users_tenant_username_key UNIQUE (tenant_id, username);
CREATE UNIQUE INDEX users_sign_in_name ON users (username) WHERE sign_in_by_name = 1;
-- Which tenants have a user of a name, the one who signs in by it first: signing in without a
-- tenant, the keel command's user names and the uniqueness of names signed in by, across tenants
-- (with the owner's rights; the row itself is then read under its tenant).
CREATE FUNCTION keel_user_name_tenants(p_username text) RETURNS TABLE (name_tenant text, name_sign_in integer)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$ SELECT t.name, u.sign_in_by_name FROM users u JOIN tenants t ON t.id = u.tenant_id
        WHERE u.username = p_username ORDER BY u.sign_in_by_name DESC, u.id $$;
-- The tenant of a name signed in by (NULL when no user signs in by it).
CREATE OR REPLACE FUNCTION keel_user_tenant(p_username text) RETURNS text
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$ SELECT t.name FROM users u JOIN tenants t ON t.id = u.tenant_id
        WHERE u.username = p_username AND u.sign_in_by_name = 1 $$;
