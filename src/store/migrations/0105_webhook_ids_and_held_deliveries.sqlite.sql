-- keel migration: webhooks: ids never reused, and a disabled webhook's deliveries wait for it
-- A delivery's id is its Standard Webhooks message id (webhook-id: msg_<id>), which receivers
-- keep to drop a message they have already handled: an id must never name a second message. SQLite
-- gives an INTEGER PRIMARY KEY the largest id plus one, so deleting the newest webhook (and its
-- deliveries with it) handed the next ones the same ids; AUTOINCREMENT never does. Both tables are
-- made again with the same rows; the deliveries first, so that dropping the old webhooks table
-- finds no delivery referencing it. (A disabled webhook's pending deliveries are no longer leased:
-- the sender's query, not the schema, says so on SQLite.)
CREATE TABLE webhooks_new (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
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
INSERT INTO webhooks_new (id, tenant, url, events, secret, description, created_by, created_at, disabled,
                          disabled_reason)
  SELECT id, tenant, url, events, secret, description, created_by, created_at, disabled, disabled_reason
  FROM webhooks;
CREATE TABLE webhook_deliveries_new (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  tenant TEXT NOT NULL,
  webhook_id INTEGER NOT NULL REFERENCES webhooks_new(id) ON DELETE CASCADE,
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
INSERT INTO webhook_deliveries_new (id, tenant, webhook_id, event_id, event, payload, status, attempts,
                                    next_attempt_at, lease_until, last_status, last_error, last_attempt_at,
                                    created_at)
  SELECT id, tenant, webhook_id, event_id, event, payload, status, attempts, next_attempt_at, lease_until,
         last_status, last_error, last_attempt_at, created_at
  FROM webhook_deliveries;
DROP TABLE webhook_deliveries;
DROP TABLE webhooks;
ALTER TABLE webhooks_new RENAME TO webhooks;
ALTER TABLE webhook_deliveries_new RENAME TO webhook_deliveries;
CREATE INDEX webhooks_tenant ON webhooks (tenant);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
