-- keel migration: assistant: LLM providers per user, privacy policy per tenant, conversations with every message and provider exchange
CREATE TABLE assistant_providers (
  tenant TEXT NOT NULL,
  username TEXT NOT NULL,
  name TEXT NOT NULL,
  format TEXT NOT NULL,
  base_url TEXT NOT NULL,
  model TEXT NOT NULL,
  key_name TEXT NOT NULL DEFAULT '',
  input_usd_per_mtok REAL NOT NULL DEFAULT 0,
  output_usd_per_mtok REAL NOT NULL DEFAULT 0,
  is_default INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (tenant, username, name)
) WITHOUT ROWID;
CREATE TABLE assistant_policies (
  tenant TEXT NOT NULL PRIMARY KEY,
  local_only INTEGER NOT NULL DEFAULT 0,
  allowed_hosts TEXT NOT NULL DEFAULT '',
  redaction TEXT NOT NULL DEFAULT 'off',
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;
CREATE TABLE assistant_conversations (
  id INTEGER PRIMARY KEY,
  tenant TEXT NOT NULL,
  username TEXT NOT NULL,
  title TEXT NOT NULL DEFAULT '',
  redaction_map TEXT NOT NULL DEFAULT '{}',
  input_tokens INTEGER NOT NULL DEFAULT 0,
  output_tokens INTEGER NOT NULL DEFAULT 0,
  cost_usd REAL NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX assistant_conversations_user ON assistant_conversations (tenant, username, id);
CREATE TABLE assistant_messages (
  conversation_id INTEGER NOT NULL REFERENCES assistant_conversations(id) ON DELETE CASCADE,
  ordinal INTEGER NOT NULL,
  role TEXT NOT NULL,
  content TEXT NOT NULL,
  sent TEXT NOT NULL DEFAULT '',
  tool_calls TEXT NOT NULL DEFAULT '[]',
  tool_call_id TEXT NOT NULL DEFAULT '',
  tool_name TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL DEFAULT 'ok',
  extra TEXT NOT NULL DEFAULT '{}',
  created_at TEXT NOT NULL,
  PRIMARY KEY (conversation_id, ordinal)
) WITHOUT ROWID;
CREATE TABLE assistant_exchanges (
  conversation_id INTEGER NOT NULL REFERENCES assistant_conversations(id) ON DELETE CASCADE,
  ordinal INTEGER NOT NULL,
  provider TEXT NOT NULL,
  format TEXT NOT NULL,
  host TEXT NOT NULL,
  model TEXT NOT NULL,
  messages_sent INTEGER NOT NULL,
  bytes_sent INTEGER NOT NULL DEFAULT 0,
  bytes_received INTEGER NOT NULL DEFAULT 0,
  input_tokens INTEGER NOT NULL DEFAULT 0,
  output_tokens INTEGER NOT NULL DEFAULT 0,
  estimated INTEGER NOT NULL DEFAULT 0,
  cost_usd REAL NOT NULL DEFAULT 0,
  attempts INTEGER NOT NULL DEFAULT 1,
  status TEXT NOT NULL DEFAULT 'ok',
  error TEXT NOT NULL DEFAULT '',
  redacted INTEGER NOT NULL DEFAULT 0,
  at TEXT NOT NULL,
  PRIMARY KEY (conversation_id, ordinal)
) WITHOUT ROWID;
