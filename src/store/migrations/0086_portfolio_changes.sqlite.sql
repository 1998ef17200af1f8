-- keel migration: portfolio changes, kept where every process sharing the store sees them
-- A use case that changes what a portfolio's views show (positions imported, its currency set, a
-- delete, a batch snapshot, a VaR kept) writes a row here; every keel serve on the store pushes the
-- rows to its event streams (GET /api/v1/events), whichever process wrote them: a keel import, a
-- keel worker, another server. changed_at: unix seconds; rows older than a day are removed as new
-- ones come. A server's hub reads every tenant's and pushes each to its own tenant's streams.
CREATE TABLE portfolio_changes (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  tenant TEXT NOT NULL,
  portfolio_id INTEGER NOT NULL,
  portfolio TEXT NOT NULL,
  what TEXT NOT NULL,
  changed_at INTEGER NOT NULL
);
CREATE INDEX portfolio_changes_changed_at ON portfolio_changes (changed_at);
