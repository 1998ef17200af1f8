-- keel migration: key vault: API keys sealed under the master key, per tenant (never a value in clear)
CREATE TABLE vault_keys (
  tenant TEXT NOT NULL,
  name TEXT NOT NULL,
  format INTEGER NOT NULL,
  master_key_id TEXT NOT NULL,
  nonce TEXT NOT NULL,
  ciphertext TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (tenant, name)
);
SELECT keel_protect('vault_keys', 'tenant = keel_tenant()');
-- A master-key rotation re-seals every tenant's rows, and the first key of a tenant is sealed under
-- the master key the other tenants' rows use: these lookups (run with the owner's rights) answer
-- which tenants hold keys and which master key ids sealed them, and nothing else; the rows
-- themselves are then read and written under each tenant.
CREATE FUNCTION keel_vault_tenants() RETURNS TABLE (vault_tenant text)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$ SELECT DISTINCT tenant FROM vault_keys ORDER BY 1 $$;
CREATE FUNCTION keel_vault_master_key_ids() RETURNS TABLE (vault_master_key_id text)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$ SELECT DISTINCT master_key_id FROM vault_keys ORDER BY 1 $$;
