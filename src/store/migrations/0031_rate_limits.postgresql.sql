-- keel migration: server: rate limits and login throttling shared by every keel serve of one database
-- UNLOGGED: no WAL, so a request's token costs no disk flush; after a crash of the database
-- server (and on a promoted standby) the tables start empty, which forgets counters as a restart
-- of one keel serve forgets its in-memory ones.
CREATE UNLOGGED TABLE rate_buckets (
  key TEXT PRIMARY KEY,
  tokens DOUBLE PRECISION NOT NULL,
  updated_at DOUBLE PRECISION NOT NULL
);
CREATE UNLOGGED TABLE login_failures (
  key TEXT PRIMARY KEY,
  failures INTEGER NOT NULL,
  blocked_until DOUBLE PRECISION NOT NULL,
  last_failure DOUBLE PRECISION NOT NULL
);
-- One request against the token bucket of p_key (capacity p_capacity, refilled at p_refill per
-- second): 0 when a token was taken, else the seconds until one is there. The upsert locks the
-- key's row until the commit, so concurrent servers take tokens one after the other.
CREATE FUNCTION keel_rate_take(p_key text, p_capacity double precision, p_refill double precision,
                               p_now double precision) RETURNS double precision
  LANGUAGE plpgsql VOLATILE SET search_path = public, pg_temp AS $$
DECLARE t double precision;
BEGIN
  INSERT INTO rate_buckets AS b (key, tokens, updated_at) VALUES (p_key, p_capacity, p_now)
  ON CONFLICT (key) DO UPDATE
    SET tokens = LEAST(p_capacity, b.tokens + GREATEST(0, p_now - b.updated_at) * p_refill),
        updated_at = GREATEST(b.updated_at, p_now)
  RETURNING tokens INTO t;
  IF t >= 1 THEN
    UPDATE rate_buckets SET tokens = t - 1 WHERE key = p_key;
    RETURN 0;
  END IF;
  RETURN (1 - t) / p_refill;
END $$;
-- A failed login of p_key: after p_free failures in a row, blocked for p_base x 2^(failures - p_free)
-- seconds (at most p_max); a count whose last failure is older than p_forget (> 0) starts afresh.
CREATE FUNCTION keel_login_failure(p_key text, p_now double precision, p_free integer,
                                   p_base double precision, p_max double precision,
                                   p_forget double precision) RETURNS void
  LANGUAGE plpgsql VOLATILE SET search_path = public, pg_temp AS $$
DECLARE n integer;
BEGIN
  INSERT INTO login_failures AS f (key, failures, blocked_until, last_failure) VALUES (p_key, 1, 0, p_now)
  ON CONFLICT (key) DO UPDATE
    SET failures = CASE WHEN p_forget > 0 AND p_now - f.last_failure > p_forget THEN 1 ELSE f.failures + 1 END,
        last_failure = p_now
  RETURNING failures INTO n;
  IF n - p_free >= 0 THEN
    UPDATE login_failures
      SET blocked_until = p_now + LEAST(p_max, p_base * power(2, LEAST(n - p_free, 30)))
      WHERE key = p_key;
  END IF;
END $$;
