-- keel migration: ledger: an account's type, institution and notes
-- The type is one of docs/ledger.md's account types (brokerage by default); institution and notes
-- are free text ('' when not given).
ALTER TABLE ledger_accounts ADD COLUMN type TEXT NOT NULL DEFAULT 'brokerage';
ALTER TABLE ledger_accounts ADD COLUMN institution TEXT NOT NULL DEFAULT '';
ALTER TABLE ledger_accounts ADD COLUMN notes TEXT NOT NULL DEFAULT '';
