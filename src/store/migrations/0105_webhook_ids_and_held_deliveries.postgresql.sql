-- keel migration: webhooks: ids never reused, and a disabled webhook's deliveries wait for it
-- As on SQLite (0105_webhook_ids_and_held_deliveries.sqlite.sql). PostgreSQL's identity columns
-- never hand out an id twice, so the tables stay. The sender no longer leases a pending delivery of
-- a disabled webhook (a delivery posted again while its webhook is disabled goes once it is
-- enabled): the tenants with a delivery due count only enabled webhooks'.
CREATE OR REPLACE FUNCTION keel_webhook_due_tenants(p_now double precision) RETURNS TABLE (due_tenant text)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$ SELECT DISTINCT d.tenant FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
        WHERE d.status = 'pending' AND d.next_attempt_at <= p_now AND d.lease_until <= p_now
          AND w.disabled = 0 $$;
