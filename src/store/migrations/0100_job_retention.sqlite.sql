-- keel migration: jobs: finished jobs are deleted after the server's retention, found by their end
-- keel serve deletes the jobs that ended (succeeded, failed or cancelled) before its retention
-- (--job-retention-days), with their shards, their requests and their outputs: this index finds
-- them without reading the queue.
CREATE INDEX jobs_finished ON jobs (status, finished_at);
