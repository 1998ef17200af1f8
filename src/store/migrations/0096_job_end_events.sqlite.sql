-- keel migration: the change journal names its kind and whom it is for; a job's end is journaled
-- portfolio_changes carries every event a tenant's streams (GET /api/v1/events) push: `kind`
-- portfolio (a portfolio's views changed), clo (a deal's determination breached or alerted) and
-- job (a job ended: portfolio_id the job's id, portfolio its kind, what its status), and
-- `username`, the one user it is for ('' for everyone of the tenant). A job's end is written by
-- this trigger in the transaction that ends it, whichever process or path ends it (a worker, a
-- cancel, a lost lease); the shards of a split job are not announced, their job is.
ALTER TABLE portfolio_changes ADD COLUMN kind TEXT NOT NULL DEFAULT 'portfolio';
ALTER TABLE portfolio_changes ADD COLUMN username TEXT NOT NULL DEFAULT '';
UPDATE portfolio_changes SET kind = 'clo', what = substr(what, 5) WHERE what LIKE 'clo.%';
CREATE TRIGGER jobs_end_event AFTER UPDATE OF status ON jobs
  WHEN NEW.parent_id IS NULL AND NEW.status IN ('succeeded', 'failed', 'cancelled') AND OLD.status <> NEW.status
BEGIN
  INSERT INTO portfolio_changes (tenant, portfolio_id, portfolio, what, changed_at, kind, username)
  VALUES (NEW.tenant, NEW.id, NEW.kind, NEW.status, CAST(strftime('%s', 'now') AS INTEGER), 'job', NEW.username);
END;
