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
) WITHOUT ROWID;
