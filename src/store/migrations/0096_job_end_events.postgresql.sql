-- keel migration: the change journal names its kind and whom it is for; a job's end is journaled
-- As on SQLite (0096_job_end_events.sqlite.sql): `kind` portfolio, clo or job, `username` the user
-- an event is for ('' for the tenant), and a trigger journaling a job's end in the transaction
-- that ends it. The trigger's function runs with the owner's rights: a job ends in transactions
-- that may name no tenant (the runner's), and the journal is tenant-isolated.
ALTER TABLE portfolio_changes ADD COLUMN kind TEXT NOT NULL DEFAULT 'portfolio',
  ADD COLUMN username TEXT NOT NULL DEFAULT '';
UPDATE portfolio_changes SET kind = 'clo', what = substr(what, 5) WHERE what LIKE 'clo.%';
DROP FUNCTION keel_changes_after(bigint, bigint);
CREATE FUNCTION keel_changes_after(p_after bigint, p_limit bigint)
  RETURNS TABLE (id bigint, tenant text, portfolio_id bigint, portfolio text, what text, changed_at bigint,
                 kind text, username text)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$ SELECT c.id, c.tenant, c.portfolio_id, c.portfolio, c.what, c.changed_at, c.kind, c.username
        FROM portfolio_changes c WHERE c.id > p_after ORDER BY c.id LIMIT p_limit $$;
CREATE FUNCTION keel_job_end_event() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  IF NEW.parent_id IS NULL AND NEW.status IN ('succeeded', 'failed', 'cancelled')
     AND OLD.status IS DISTINCT FROM NEW.status THEN
    INSERT INTO portfolio_changes (tenant, portfolio_id, portfolio, what, changed_at, kind, username)
    VALUES (NEW.tenant, NEW.id, NEW.kind, NEW.status, extract(epoch FROM now())::bigint, 'job', NEW.username);
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER jobs_end_event AFTER UPDATE OF status ON jobs FOR EACH ROW EXECUTE FUNCTION keel_job_end_event();
