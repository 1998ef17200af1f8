-- keel migration: webhooks: a tenant's endpoints told of its events, and every delivery with its attempts
-- A webhook posts the tenant's events it names (`events`: comma-separated types, or '*') to
-- `url`, signed with `secret` (Standard Webhooks: "whsec_" and the base64 of 32 random bytes).
-- A delivery is one event for one webhook, at most once per (webhook, event): every keel serve of
-- the store may enqueue it, one sends it (its lease), and its attempts are counted until it is
-- delivered or failed for good. Deliveries go with their webhook.
CREATE TABLE webhooks (
  id INTEGER PRIMARY KEY,
  tenant TEXT NOT NULL,
  url TEXT NOT NULL,
  events TEXT NOT NULL,
  secret TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0,
  disabled_reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX webhooks_tenant ON webhooks (tenant);
CREATE TABLE webhook_deliveries (
  id INTEGER PRIMARY KEY,
  tenant TEXT NOT NULL,
  webhook_id INTEGER NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
  event_id INTEGER NOT NULL,
  event TEXT NOT NULL,
  payload TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at REAL NOT NULL,
  lease_until REAL NOT NULL DEFAULT 0,
  last_status INTEGER,
  last_error TEXT NOT NULL DEFAULT '',
  last_attempt_at TEXT,
  created_at TEXT NOT NULL,
  UNIQUE (webhook_id, event_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
