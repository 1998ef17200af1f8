-- keel migration: prices: on PostgreSQL the instrument of written prices is checked once per statement, not per row
-- Nothing on SQLite: its foreign key stays (a bulk price import checks its instruments once
-- itself, Database::begin_bulk_write).
SELECT 1;
