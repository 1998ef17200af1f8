-- keel migration: CLO deals: an id is never given twice
-- On SQLite an INTEGER PRIMARY KEY takes max(id) + 1, so deleting the newest CLO deal gave its id to
-- the next one, and the audit rows clo_deal/ID named two deals. The highest id each table has
-- given is kept here (a row from the first id given after this migration; until then the
-- table's own max(id) stands for it), and CLO deals on SQLite take the next one
-- (store/clo_repository.cpp).
-- PostgreSQL's identity sequences never go back; the table is there too, unused.
CREATE TABLE id_high_water (name TEXT PRIMARY KEY, last_id BIGINT NOT NULL);
