-- keel migration: alm: a session belongs to the user who made it; sharing with the tenant is explicit
-- owner: the user's name as the audit log writes it ('' for sessions made before owners were kept);
-- shared: 1 when every user of the tenant may see and run it. Sessions stored before this
-- migration had no owner and were the tenant's: they stay shared.
ALTER TABLE alm_sessions ADD COLUMN owner TEXT NOT NULL DEFAULT '';
ALTER TABLE alm_sessions ADD COLUMN shared INTEGER NOT NULL DEFAULT 0;
UPDATE alm_sessions SET shared = 1;
