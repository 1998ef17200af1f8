-- keel migration: postgresql: ALM disk budget per tenant
-- The budget holds for each tenant's sessions on its own: a tenant over it loses its own least
-- recently used sessions (by last_accessed, then id), never another tenant's. Session k of a
-- tenant goes when that tenant's total - (its sizes before k) > budget. Expiry is unchanged.
CREATE OR REPLACE FUNCTION keel_alm_cleanup(p_now bigint, p_budget bigint,
                                            OUT expired bigint, OUT evicted bigint, OUT bytes_after bigint)
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(7031988);
  DELETE FROM alm_sessions WHERE last_accessed + ttl_seconds < p_now;
  GET DIAGNOSTICS expired = ROW_COUNT;
  evicted := 0;
  IF p_budget > 0 THEN
    WITH ordered AS (
      SELECT id, sum(size_bytes) OVER (PARTITION BY tenant ORDER BY last_accessed, id) - size_bytes AS before,
             sum(size_bytes) OVER (PARTITION BY tenant) AS total
      FROM alm_sessions)
    DELETE FROM alm_sessions s USING ordered o WHERE s.id = o.id AND o.total - o.before > p_budget;
    GET DIAGNOSTICS evicted = ROW_COUNT;
  END IF;
  SELECT COALESCE(sum(size_bytes), 0) INTO bytes_after FROM alm_sessions;
END $$;
