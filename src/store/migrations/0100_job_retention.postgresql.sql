-- keel migration: jobs: finished jobs are deleted after the server's retention, found by their end
-- As on SQLite (0100_job_retention.sqlite.sql). The retention crosses tenants: keel_jobs_prune runs
-- with the owner's rights and deletes only top-level jobs that ended before p_before (ISO-8601 UTC
-- text, compared as the finished_at column keeps it) and their shards; it returns how many jobs
-- (shards included) went.
CREATE INDEX jobs_finished ON jobs (status, finished_at);
CREATE FUNCTION keel_jobs_prune(p_before text) RETURNS bigint
  LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$ WITH ended AS (SELECT id FROM jobs WHERE parent_id IS NULL
                         AND status IN ('succeeded', 'failed', 'cancelled') AND finished_at < p_before),
             gone AS (DELETE FROM jobs WHERE id IN (SELECT id FROM ended) OR parent_id IN (SELECT id FROM ended)
                      RETURNING 1)
        SELECT count(*) FROM gone $$;
