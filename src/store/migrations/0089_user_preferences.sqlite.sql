-- keel migration: users: preferences kept on the server (language, theme, reporting currency, lot method)
-- One row per (tenant, user) that has saved any: the preferences as a JSON object written by
-- service::update_preferences (keel/service/preferences.h), and when.
CREATE TABLE user_preferences (
  tenant TEXT NOT NULL,
  username TEXT NOT NULL,
  preferences TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (tenant, username)
);
