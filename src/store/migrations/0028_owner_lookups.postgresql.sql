-- keel migration: postgresql: the owner's lookups for calls that name an ALM or what-if session by id, and ALM cleanup
-- A session named by id (results, trades) is read and written under its own tenant: these say
-- which tenant that is, and nothing else (like keel_job_tenant).
CREATE FUNCTION keel_alm_session_tenant(p_id bigint) RETURNS text
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$ SELECT tenant FROM alm_sessions WHERE id = p_id $$;
CREATE FUNCTION keel_modelling_session_tenant(p_id bigint) RETURNS text
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$ SELECT tenant FROM modelling_sessions WHERE id = p_id $$;
-- ALM expiry and the disk budget are shared by every tenant: delete the sessions past their TTL,
-- then the least recently used (by last_accessed, then id) while the total estimated size exceeds
-- the budget (0 = none). Session k in that order goes when total - (sizes before k) > budget, which
-- is the SQLite backend's one-by-one loop in one statement. Concurrent cleanups queue on a lock.
CREATE FUNCTION keel_alm_cleanup(p_now bigint, p_budget bigint,
                                 OUT expired bigint, OUT evicted bigint, OUT bytes_after bigint)
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(7031988);
  DELETE FROM alm_sessions WHERE last_accessed + ttl_seconds < p_now;
  GET DIAGNOSTICS expired = ROW_COUNT;
  evicted := 0;
  IF p_budget > 0 THEN
    WITH ordered AS (
      SELECT id, sum(size_bytes) OVER (ORDER BY last_accessed, id) - size_bytes AS before,
             sum(size_bytes) OVER () AS total
      FROM alm_sessions)
    DELETE FROM alm_sessions s USING ordered o WHERE s.id = o.id AND o.total - o.before > p_budget;
    GET DIAGNOSTICS evicted = ROW_COUNT;
  END IF;
  SELECT COALESCE(sum(size_bytes), 0) INTO bytes_after FROM alm_sessions;
END $$;
