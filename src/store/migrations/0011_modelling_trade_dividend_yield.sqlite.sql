-- keel migration: what-if: modelling trades carry the option's dividend yield like positions
ALTER TABLE modelling_trades ADD COLUMN dividend_yield REAL;
