-- keel migration: a ledger transaction keeps the rate its broker converted it at
-- Units of the account's currency per unit of the transaction's currency (docs/fx.md); NULL: the
-- day's rate from the FX rates is used when the currencies differ.
ALTER TABLE ledger_transactions ADD COLUMN fx_rate TEXT;
