-- keel migration: keel_tenant_id() names its table with its schema, so pg_dump can read the tenant tables
-- Nothing on SQLite: it has no row-level security and no SQL functions.
SELECT 1;
