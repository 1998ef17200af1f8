-- keel migration: jobs: fair claims, round-robin across tenants and users (the order of their last claims)
-- One row per (tenant, user) that has had a job claimed: `turn` is the claim counter's value at its
-- last claim (1, 2, 3... across the store), so the claimer serves first the tenant, then the user,
-- whose last claim is the oldest (never claimed: 0). docs/server.md, "Fair share".
CREATE TABLE job_turns (
  tenant TEXT NOT NULL,
  username TEXT NOT NULL,
  turn BIGINT NOT NULL,
  PRIMARY KEY (tenant, username)
);
SELECT keel_protect('job_turns', 'tenant = keel_tenant()');
-- The claim crosses tenants: among the due jobs (queued and due, or running with an expired
-- lease) of the tenants not in p_full (a JSON array of the tenants at the claimer's limit of running
-- jobs), each user's
-- oldest; of those, the tenant with the fewest running jobs (live leases, across every process),
-- then the tenant whose last claim is the oldest, then within it the user likewise, then the
-- oldest job. The pick is FOR UPDATE SKIP LOCKED (a row another claimer is taking is passed over).
DROP FUNCTION keel_claim_job(bigint, bigint, text, text, bigint);
CREATE FUNCTION keel_claim_job(p_now bigint, p_now_ms bigint, p_started text, p_owner text, p_lease_ms bigint,
                               p_full text)
  RETURNS bigint LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE v_id bigint;
DECLARE v_tenant text;
DECLARE v_user text;
BEGIN
  UPDATE jobs SET status = 'failed', message = 'failed: the lease was lost in every attempt',
    error = COALESCE(error, '{"code":"internal","message":"the worker running it stopped (its lease '
                            'expired) in every attempt","details":[]}'),
    lease_owner = NULL, version = version + 1, finished_at = p_started
  WHERE status = 'running' AND pending_shards = 0 AND lease_expires_ms < p_now_ms AND attempts >= max_attempts;
  FOR v_id IN
    WITH due AS (
      SELECT id, tenant, username, run_after,
             row_number() OVER (PARTITION BY tenant, username ORDER BY run_after, id) AS n
      FROM jobs
      WHERE ((status = 'queued' AND run_after <= p_now)
             OR (status = 'running' AND pending_shards = 0 AND lease_expires_ms < p_now_ms))
        AND tenant NOT IN (SELECT jsonb_array_elements_text(p_full::jsonb))
    ), running AS (
      SELECT tenant, username, count(*) AS c FROM jobs
      WHERE status = 'running' AND pending_shards = 0 AND lease_expires_ms >= p_now_ms
      GROUP BY tenant, username
    )
    SELECT d.id FROM due d
      LEFT JOIN (SELECT tenant, sum(c) AS c FROM running GROUP BY tenant) tr ON tr.tenant = d.tenant
      LEFT JOIN running ur ON ur.tenant = d.tenant AND ur.username = d.username
      LEFT JOIN (SELECT tenant, max(turn) AS t FROM job_turns GROUP BY tenant) tt ON tt.tenant = d.tenant
      LEFT JOIN job_turns ut ON ut.tenant = d.tenant AND ut.username = d.username
    WHERE d.n <= 8
    ORDER BY COALESCE(tr.c, 0), COALESCE(tt.t, 0), COALESCE(ur.c, 0), COALESCE(ut.turn, 0), d.run_after, d.id
  LOOP
    -- Locked here, not in the ranking (FOR UPDATE cannot go with window functions): a job another
    -- claimer holds is skipped for the next in the order.
    PERFORM 1 FROM jobs WHERE id = v_id
      AND ((status = 'queued' AND run_after <= p_now)
           OR (status = 'running' AND pending_shards = 0 AND lease_expires_ms < p_now_ms))
      FOR UPDATE SKIP LOCKED;
    IF FOUND THEN
      UPDATE jobs SET message = CASE WHEN status = 'running' THEN 'claimed again: the lease of attempt ' || attempts ||
                                                                  ' expired' ELSE 'started' END,
                      status = 'running', attempts = attempts + 1, lease_owner = p_owner,
                      lease_expires_ms = p_now_ms + p_lease_ms, version = version + 1, started_at = p_started
      WHERE id = v_id RETURNING tenant, username INTO v_tenant, v_user;
      INSERT INTO job_turns (tenant, username, turn)
        VALUES (v_tenant, v_user, (SELECT COALESCE(max(turn), 0) + 1 FROM job_turns))
        ON CONFLICT (tenant, username) DO UPDATE SET turn = EXCLUDED.turn;
      RETURN v_id;
    END IF;
  END LOOP;
  RETURN NULL;
END $$;
