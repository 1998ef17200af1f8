-- keel migration: macro series (FRED series by id: CPI, unemployment, rates) and LM Studio as a fresh store's assistant provider
-- Macro series are market data, global like prices and FX rates: every tenant reads the same
-- table. A series keeps its title, units and frequency as the provider states them; its
-- observations are one value per date in those units (CPIAUCSL: an index, 1982-1984 = 100;
-- UNRATE and DGS10: percent).
CREATE TABLE macro_series (
  series_id TEXT NOT NULL PRIMARY KEY,
  title TEXT NOT NULL DEFAULT '',
  units TEXT NOT NULL DEFAULT '',
  frequency TEXT NOT NULL DEFAULT '',
  source TEXT NOT NULL DEFAULT '',
  updated_at TEXT NOT NULL
);
CREATE TABLE macro_observations (
  series_id TEXT NOT NULL REFERENCES macro_series(series_id) ON DELETE CASCADE,
  date TEXT NOT NULL,
  value DOUBLE PRECISION NOT NULL,
  PRIMARY KEY (series_id, date)
);

-- LM Studio: only a default tenant without providers gets it. Under keel serve it stays refused until an
-- administrator lists its host in the tenant's assistant policy (127.0.0.1:1234): the server's
-- outbound guard refuses loopback addresses nobody allowed.
INSERT INTO assistant_providers (tenant, username, name, format, base_url, model, key_name, input_usd_per_mtok,
                                 output_usd_per_mtok, is_default, created_at, updated_at)
SELECT 'default', '', 'lmstudio', 'openai', 'http://127.0.0.1:1234/v1', 'local-model', '', 0, 0, 1,
       keel_now(), keel_now()
WHERE NOT EXISTS (SELECT 1 FROM assistant_providers WHERE tenant = 'default');
