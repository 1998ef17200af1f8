-- keel migration: FX rates as market data: one rate per (base, quote, date), units of quote per unit of base
-- Global like prices (market data is shared by the tenants). Dates are ISO text: the table is small
-- (a pair has about 260 rates a year) and reads by (base, quote) then date.
CREATE TABLE fx_rates (
  base TEXT NOT NULL,
  quote TEXT NOT NULL,
  date TEXT NOT NULL,
  rate DOUBLE PRECISION NOT NULL CHECK (rate > 0),
  PRIMARY KEY (base, quote, date)
);
