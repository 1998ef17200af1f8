-- keel migration: batch: the snapshots' report bodies are dropped after the server's retention
-- As on SQLite (0103_snapshot_report_retention.sqlite.sql). The retention crosses tenants:
-- keel_snapshot_reports_prune runs with the owner's rights, empties report_json of the snapshots
-- written before p_before (ISO-8601 UTC text, compared as created_at keeps it) and returns how
-- many it emptied; the figures stay.
CREATE INDEX portfolio_snapshots_kept_reports ON portfolio_snapshots (created_at) WHERE report_json IS NOT NULL;
CREATE FUNCTION keel_snapshot_reports_prune(p_before text) RETURNS bigint
  LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$ WITH gone AS (UPDATE portfolio_snapshots SET report_json = NULL
                      WHERE report_json IS NOT NULL AND created_at < p_before RETURNING 1)
        SELECT count(*) FROM gone $$;
