-- keel migration: ledger: a transaction keeps its statement's own id (OFX FITID, IBKR transactionID), once per account
-- NULL for rows read from files without ids (the canonical CSV), which re-imports compare field
-- by field instead. The index makes the id the account's unique key for a statement's rows.
ALTER TABLE ledger_transactions ADD COLUMN external_id TEXT;
CREATE UNIQUE INDEX ledger_transactions_external_id ON ledger_transactions (account_id, external_id)
  WHERE external_id IS NOT NULL;
