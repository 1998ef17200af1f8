-- keel migration: clo: deals stored per tenant, their versions (structure, assumptions) and collateral sets
CREATE TABLE clo_deals (
  id INTEGER PRIMARY KEY,
  tenant TEXT NOT NULL,
  name TEXT NOT NULL,
  currency TEXT NOT NULL,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  UNIQUE (tenant, name)
);

CREATE TABLE clo_deal_versions (
  deal_id INTEGER NOT NULL REFERENCES clo_deals(id) ON DELETE CASCADE,
  version INTEGER NOT NULL,
  document TEXT NOT NULL,
  collateral_set INTEGER NOT NULL,
  cdr REAL NOT NULL,
  cpr REAL NOT NULL,
  recovery REAL NOT NULL,
  recovery_lag_months INTEGER NOT NULL,
  change TEXT NOT NULL,
  comment TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  PRIMARY KEY (deal_id, version)
) WITHOUT ROWID;

CREATE TABLE clo_deal_collateral (
  deal_id INTEGER NOT NULL REFERENCES clo_deals(id) ON DELETE CASCADE,
  collateral_set INTEGER NOT NULL,
  ordinal INTEGER NOT NULL,
  obligor TEXT NOT NULL,
  industry TEXT NOT NULL,
  par REAL NOT NULL,
  price REAL NOT NULL,
  coupon_type TEXT NOT NULL,
  spread REAL NOT NULL,
  floor REAL NOT NULL,
  coupon REAL NOT NULL,
  maturity TEXT NOT NULL,
  rating TEXT NOT NULL,
  lien TEXT NOT NULL,
  defaulted INTEGER NOT NULL,
  PRIMARY KEY (deal_id, collateral_set, ordinal)
) WITHOUT ROWID;
