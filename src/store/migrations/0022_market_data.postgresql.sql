-- keel migration: market data: corporate actions (splits, cash dividends) and the dates each series was synced for
CREATE TABLE corporate_actions (
  symbol TEXT NOT NULL,
  ex_date TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('split', 'dividend')),
  split_ratio DOUBLE PRECISION,
  cash_amount DOUBLE PRECISION,
  currency TEXT NOT NULL DEFAULT 'USD',
  source TEXT NOT NULL DEFAULT '',
  fetched_at TEXT NOT NULL DEFAULT keel_now(),
  PRIMARY KEY (symbol, ex_date, kind)
);

CREATE TABLE market_data_coverage (
  dataset TEXT NOT NULL,
  series TEXT NOT NULL,
  provider TEXT NOT NULL,
  covered_from TEXT NOT NULL,
  covered_to TEXT NOT NULL,
  synced_at TEXT NOT NULL DEFAULT keel_now(),
  PRIMARY KEY (dataset, series)
);
