-- keel migration: CLO: the loan tape's other columns, and trades as versions of the pool
-- A stored loan keeps its trustee asset and facility ids, its undrawn commitment (`unfunded`,
-- revolvers and delayed-draw loans), country, covenant-lite and DIP flags, and each agency's
-- rating as given (`moodys_rating` as Moody's writes it, `sp_rating` as S&P does; NULL when that
-- agency does not rate it); `rating` stays the tested rating the deal's rule derives. Rows stored before keep
-- their single rating. A version made by a trade keeps its ticket (`trades`, JSON: the trade date,
-- every line with its cash, the principal cash before and after); other versions have ''.
ALTER TABLE clo_deal_collateral ADD COLUMN asset_id TEXT NOT NULL DEFAULT '';
ALTER TABLE clo_deal_collateral ADD COLUMN facility_id TEXT NOT NULL DEFAULT '';
ALTER TABLE clo_deal_collateral ADD COLUMN unfunded DOUBLE PRECISION NOT NULL DEFAULT 0;
ALTER TABLE clo_deal_collateral ADD COLUMN country TEXT NOT NULL DEFAULT '';
ALTER TABLE clo_deal_collateral ADD COLUMN cov_lite INTEGER NOT NULL DEFAULT 0;
ALTER TABLE clo_deal_collateral ADD COLUMN dip INTEGER NOT NULL DEFAULT 0;
ALTER TABLE clo_deal_collateral ADD COLUMN moodys_rating TEXT;
ALTER TABLE clo_deal_collateral ADD COLUMN sp_rating TEXT;
ALTER TABLE clo_deal_versions ADD COLUMN trades TEXT NOT NULL DEFAULT '';
