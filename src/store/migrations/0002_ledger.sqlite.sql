-- keel migration: ledger: accounts and transactions (exact decimals stored as TEXT)
CREATE TABLE ledger_accounts (
  id INTEGER PRIMARY KEY,
  tenant TEXT NOT NULL,
  name TEXT NOT NULL,
  method TEXT NOT NULL DEFAULT 'fifo',
  allow_short INTEGER NOT NULL DEFAULT 0,
  currency TEXT NOT NULL DEFAULT 'USD',
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  UNIQUE (tenant, name)
);

CREATE TABLE ledger_transactions (
  id INTEGER PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES ledger_accounts(id) ON DELETE CASCADE,
  ordinal INTEGER NOT NULL,
  date TEXT NOT NULL,
  type TEXT NOT NULL,
  symbol TEXT NOT NULL DEFAULT '',
  quantity TEXT NOT NULL DEFAULT '0',
  price TEXT NOT NULL DEFAULT '0',
  fees TEXT NOT NULL DEFAULT '0',
  amount TEXT,
  lot_id TEXT NOT NULL DEFAULT '',
  split_ratio TEXT,
  currency TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT '',
  method TEXT,
  source TEXT NOT NULL DEFAULT '',
  source_line INTEGER NOT NULL DEFAULT 0,
  UNIQUE (account_id, ordinal)
);
CREATE INDEX ledger_transactions_date ON ledger_transactions (account_id, date);
