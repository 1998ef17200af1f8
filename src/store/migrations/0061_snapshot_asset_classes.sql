-- keel migration: ledger: net-worth snapshots keep market value by asset class (class=decimal;..., NULL before)
ALTER TABLE ledger_snapshots ADD COLUMN asset_classes TEXT;
