-- keel migration: postgresql: ALM disk budget per user, inside the tenant's
-- Each user's sessions (owner <> '') are held to p_user_budget first: a user over it loses their
-- own least recently used sessions, never a colleague's. Then the tenant budget as in migration 94.
DROP FUNCTION keel_alm_cleanup(bigint, bigint);
CREATE FUNCTION keel_alm_cleanup(p_now bigint, p_budget bigint, p_user_budget bigint,
                                 OUT expired bigint, OUT evicted bigint, OUT bytes_after bigint)
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE n bigint;
BEGIN
  PERFORM pg_advisory_xact_lock(7031988);
  DELETE FROM alm_sessions WHERE last_accessed + ttl_seconds < p_now;
  GET DIAGNOSTICS expired = ROW_COUNT;
  evicted := 0;
  IF p_user_budget > 0 THEN
    WITH ordered AS (
      SELECT id, sum(size_bytes) OVER (PARTITION BY tenant, owner ORDER BY last_accessed, id) - size_bytes AS before,
             sum(size_bytes) OVER (PARTITION BY tenant, owner) AS total
      FROM alm_sessions WHERE owner <> '')
    DELETE FROM alm_sessions s USING ordered o WHERE s.id = o.id AND o.total - o.before > p_user_budget;
    GET DIAGNOSTICS n = ROW_COUNT;
    evicted := evicted + n;
  END IF;
  IF p_budget > 0 THEN
    WITH ordered AS (
      SELECT id, sum(size_bytes) OVER (PARTITION BY tenant ORDER BY last_accessed, id) - size_bytes AS before,
             sum(size_bytes) OVER (PARTITION BY tenant) AS total
      FROM alm_sessions)
    DELETE FROM alm_sessions s USING ordered o WHERE s.id = o.id AND o.total - o.before > p_budget;
    GET DIAGNOSTICS n = ROW_COUNT;
    evicted := evicted + n;
  END IF;
  SELECT COALESCE(sum(size_bytes), 0) INTO bytes_after FROM alm_sessions;
END $$;
