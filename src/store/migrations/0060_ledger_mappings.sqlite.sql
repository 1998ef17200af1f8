-- keel migration: ledger: broker mappings saved by name per tenant (the JSON document of docs/ledger.md)
CREATE TABLE ledger_mappings (
  tenant TEXT NOT NULL,
  name TEXT NOT NULL,
  document TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (tenant, name)
) WITHOUT ROWID;
