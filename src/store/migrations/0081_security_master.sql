-- keel migration: the security master's fetched reference data (keel fetch symbols)
-- Each column is what a provider's reference data gives (docs/marketdata.md, "Security master");
-- NULL until a fetch fills it. quote_currency is the provider's trading currency, kept apart from
-- instruments.currency, which the positions set. master_fetched_at (ISO 8601 UTC) decides which
-- records an incremental fetch refreshes.
ALTER TABLE instruments ADD COLUMN exchange TEXT;
ALTER TABLE instruments ADD COLUMN quote_currency TEXT;
ALTER TABLE instruments ADD COLUMN country TEXT;
ALTER TABLE instruments ADD COLUMN market_cap DOUBLE PRECISION;
ALTER TABLE instruments ADD COLUMN asset_type TEXT;
ALTER TABLE instruments ADD COLUMN master_source TEXT;
ALTER TABLE instruments ADD COLUMN master_fetched_at TEXT;
