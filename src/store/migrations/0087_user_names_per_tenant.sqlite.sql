-- keel migration: users: names unique per tenant; a name held across tenants for signing in without one
-- A user name is unique within its tenant only, so whether a name exists in another tenant never
-- changes what a tenant's manager sees (docs/security.md, "User names and tenants"). A user with
-- sign_in_by_name = 1 signs in with its name alone; that name is then unique among such users
-- across the store. Users of before this migration (their names were unique everywhere) keep
-- signing in by name; a user a manager adds signs in with its tenant and name. SQLite cannot drop a
-- column's UNIQUE: the table is made again with the same rows (nothing references it).
CREATE TABLE users_new (
  id INTEGER PRIMARY KEY,
  username TEXT NOT NULL,
  tenant_id INTEGER NOT NULL REFERENCES tenants(id),
  role TEXT NOT NULL CHECK (role IN ('admin', 'manager', 'analyst', 'viewer')),
  password_hash TEXT NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0,
  token_version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  sign_in_by_name INTEGER NOT NULL DEFAULT 0,
  UNIQUE (tenant_id, username)
);
INSERT INTO users_new (id, username, tenant_id, role, password_hash, disabled, token_version, created_at,
                       updated_at, sign_in_by_name)
  SELECT id, username, tenant_id, role, password_hash, disabled, token_version, created_at, updated_at, 1
  FROM users;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;
CREATE UNIQUE INDEX users_sign_in_name ON users (username) WHERE sign_in_by_name = 1;
