-- keel migration: users: preferences kept on the server (language, theme, reporting currency, lot method)
-- One row per (tenant, user) that has saved any: the preferences as a JSON object written by
-- service::update_preferences (keel/service/preferences.h), and when. Row-level security: a
-- tenant's rows only.
CREATE TABLE user_preferences (
  tenant TEXT NOT NULL,
  username TEXT NOT NULL,
  preferences TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (tenant, username)
);
SELECT keel_protect('user_preferences', 'tenant = keel_tenant()');
