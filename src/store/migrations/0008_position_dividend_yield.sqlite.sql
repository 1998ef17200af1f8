-- keel migration: options: per-position continuous dividend yield (decimal; NULL = the run's default)
ALTER TABLE positions ADD COLUMN dividend_yield REAL;
