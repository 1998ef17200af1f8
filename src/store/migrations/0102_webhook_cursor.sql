-- keel migration: webhooks: where the senders are in the change journal, so events journaled while no server ran are posted
-- Each keel serve's webhook sender enqueues the journal's events (portfolio_changes) after the last
-- id any sender of the store has read, kept here in one row; a server starting finds it and goes on
-- from there rather than from the journal's end (the journal keeps a day). Enqueueing is once per
-- (webhook, event), so servers reading the same events twice post each once. No tenant's data:
-- one number, shared by every tenant's events.
CREATE TABLE webhook_cursor (id INTEGER PRIMARY KEY CHECK (id = 1), last_event_id BIGINT NOT NULL);
