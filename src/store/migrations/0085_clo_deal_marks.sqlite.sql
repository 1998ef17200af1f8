-- keel migration: clo: dated ratings and prices of a stored deal's obligors
-- One row per deal, kind, date and obligor: kind 'rating' carries the Moody's rating (an S&P rating
-- is stored as the Moody's notch of the same rank), kind 'price' the price as a fraction of par
-- (0.985). A run of the deal applies to each loan the latest of its obligor's rows dated on or
-- before the determination date. Importing a row of an existing (deal, kind, date, obligor)
-- replaces it.
CREATE TABLE clo_deal_marks (
  deal_id INTEGER NOT NULL REFERENCES clo_deals(id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('rating', 'price')),
  as_of TEXT NOT NULL,
  obligor TEXT NOT NULL,
  rating TEXT NOT NULL DEFAULT '',
  price REAL NOT NULL DEFAULT 0,
  imported_at TEXT NOT NULL,
  imported_by TEXT NOT NULL,
  PRIMARY KEY (deal_id, kind, as_of, obligor)
) WITHOUT ROWID;
