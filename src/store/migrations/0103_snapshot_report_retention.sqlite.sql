-- keel migration: batch: the snapshots' report bodies are dropped after the server's retention
-- keel serve (--snapshot-report-retention-days) empties report_json of the snapshots written
-- before its retention and keeps their figures; this index finds the reports still kept without
-- reading the history.
CREATE INDEX portfolio_snapshots_kept_reports ON portfolio_snapshots (created_at) WHERE report_json IS NOT NULL;
