-- keel migration: jobs: leases renewed by heartbeat with a fencing token, sharded jobs (parent, shards, output), change notifications
-- A running job is held by a lease: lease_owner (the worker) until lease_expires_ms (epoch ms),
-- renewed by heartbeat; a job whose lease expired is claimed again. The fencing token is the
-- attempt number (attempts): every write of a worker names it, and a worker whose lease was lost
-- (the job claimed again, so attempts moved on) writes nothing. Jobs left running by a keel of
-- before this migration have lease_expires_ms 0: expired, claimed again.
ALTER TABLE jobs ADD COLUMN lease_owner TEXT;
ALTER TABLE jobs ADD COLUMN lease_expires_ms INTEGER NOT NULL DEFAULT 0;
-- A sharded job (a large Monte Carlo run): the parent waits (running, pending_shards > 0, no lease)
-- while its shards, jobs of their own with parent_id set, run on any worker; each shard keeps its
-- path values in `output`. When the last shard ends, the parent is queued again to reduce.
ALTER TABLE jobs ADD COLUMN parent_id INTEGER REFERENCES jobs(id) ON DELETE CASCADE;
ALTER TABLE jobs ADD COLUMN shards INTEGER NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN pending_shards INTEGER NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN output BLOB;
CREATE INDEX jobs_parent ON jobs (parent_id);
CREATE TRIGGER jobs_shard_done AFTER UPDATE OF status ON jobs
WHEN NEW.parent_id IS NOT NULL AND OLD.status IN ('queued', 'running')
     AND NEW.status IN ('succeeded', 'failed', 'cancelled')
BEGIN
  UPDATE jobs SET pending_shards = pending_shards - 1,
                  progress = 0.05 + 0.9 * (shards - pending_shards + 1) / (1.0 * shards),
                  message = 'shard ' || (shards - pending_shards + 1) || ' of ' || shards || ' done',
                  version = version + 1
  WHERE id = NEW.parent_id AND pending_shards > 0;
  UPDATE jobs SET status = 'queued', run_after = 0, lease_owner = NULL,
                  message = 'reducing ' || shards || ' shards', version = version + 1
  WHERE id = NEW.parent_id AND pending_shards = 0 AND shards > 0 AND status = 'running';
END;
