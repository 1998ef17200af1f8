-- keel migration: CLO: the tests kept per determination date
-- One row per deal and determination date (a later determination of the same date replaces it):
-- the version tested, whether every test passed, the counts of breaches and of passing tests
-- whose cushion is under the alert level, and the whole CloTestsResult as JSON
-- (keel/service/clo_determinations.h).
CREATE TABLE clo_determinations (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  deal_id INTEGER NOT NULL REFERENCES clo_deals(id) ON DELETE CASCADE,
  as_of TEXT NOT NULL,
  version INTEGER NOT NULL,
  passed INTEGER NOT NULL,
  breaches INTEGER NOT NULL,
  alerts INTEGER NOT NULL,
  result TEXT NOT NULL,
  determined_at TEXT NOT NULL,
  determined_by TEXT NOT NULL,
  UNIQUE (deal_id, as_of)
);
