-- keel migration: jobs: leases renewed by heartbeat with a fencing token, sharded jobs (parent, shards, output), change notifications
ALTER TABLE jobs ADD COLUMN lease_owner TEXT;
ALTER TABLE jobs ADD COLUMN lease_expires_ms BIGINT NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN parent_id BIGINT REFERENCES jobs(id) ON DELETE CASCADE;
ALTER TABLE jobs ADD COLUMN shards INTEGER NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN pending_shards INTEGER NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN output BYTEA;
CREATE INDEX jobs_parent ON jobs (parent_id);
-- Shards run under their parent's tenant, so this runs under the row-level security of the
-- transaction that ended the shard (the parent is the same tenant's).
CREATE FUNCTION keel_job_shard_done() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE jobs SET pending_shards = pending_shards - 1,
                  progress = 0.05 + 0.9 * (shards - pending_shards + 1)::double precision / shards,
                  message = 'shard ' || (shards - pending_shards + 1) || ' of ' || shards || ' done',
                  version = version + 1
  WHERE id = NEW.parent_id AND pending_shards > 0;
  UPDATE jobs SET status = 'queued', run_after = 0, lease_owner = NULL,
                  message = 'reducing ' || shards || ' shards', version = version + 1
  WHERE id = NEW.parent_id AND pending_shards = 0 AND shards > 0 AND status = 'running';
  RETURN NULL;
END $$;
CREATE TRIGGER jobs_shard_done AFTER UPDATE OF status ON jobs FOR EACH ROW
  WHEN (NEW.parent_id IS NOT NULL AND OLD.status IN ('queued', 'running')
        AND NEW.status IN ('succeeded', 'failed', 'cancelled'))
  EXECUTE FUNCTION keel_job_shard_done();
-- Every new job and every change of one (its version) is announced on the channel keel_jobs with
-- the payload '<id> <status>', delivered at commit: keel serve LISTENs to push progress to its
-- event streams, keel worker to claim new jobs at once. The payload names no tenant or content.
CREATE FUNCTION keel_job_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('keel_jobs', NEW.id::text || ' ' || NEW.status);
  RETURN NULL;
END $$;
CREATE TRIGGER jobs_notify_insert AFTER INSERT ON jobs FOR EACH ROW EXECUTE FUNCTION keel_job_notify();
CREATE TRIGGER jobs_notify_update AFTER UPDATE ON jobs FOR EACH ROW
  WHEN (OLD.version IS DISTINCT FROM NEW.version) EXECUTE FUNCTION keel_job_notify();
-- Claiming crosses tenants: the oldest due queued job, or a running one whose lease expired (a
-- worker that died or stopped renewing), FOR UPDATE SKIP LOCKED, becomes running under the new
-- lease with attempts + 1 (the new fencing token). A job whose lease expired with no attempt left
-- is failed first, its last error kept when it had one.
DROP FUNCTION keel_claim_job(bigint, text);
DROP FUNCTION keel_requeue_running(text, text);
CREATE FUNCTION keel_claim_job(p_now bigint, p_now_ms bigint, p_started text, p_owner text, p_lease_ms bigint)
  RETURNS bigint LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE v_id bigint;
BEGIN
  UPDATE jobs SET status = 'failed', message = 'failed: the lease was lost in every attempt',
    error = COALESCE(error, '{"code":"internal","message":"the worker running it stopped (its lease '
                            'expired) in every attempt","details":[]}'),
    lease_owner = NULL, version = version + 1, finished_at = p_started
  WHERE status = 'running' AND pending_shards = 0 AND lease_expires_ms < p_now_ms AND attempts >= max_attempts;
  SELECT id INTO v_id FROM jobs
  WHERE (status = 'queued' AND run_after <= p_now)
     OR (status = 'running' AND pending_shards = 0 AND lease_expires_ms < p_now_ms)
  ORDER BY run_after, id LIMIT 1 FOR UPDATE SKIP LOCKED;
  IF v_id IS NULL THEN RETURN NULL; END IF;
  UPDATE jobs SET message = CASE WHEN status = 'running' THEN 'claimed again: the lease of attempt ' || attempts ||
                                                              ' expired' ELSE 'started' END,
                  status = 'running', attempts = attempts + 1, lease_owner = p_owner,
                  lease_expires_ms = p_now_ms + p_lease_ms, version = version + 1, started_at = p_started
  WHERE id = v_id;
  RETURN v_id;
END $$;
