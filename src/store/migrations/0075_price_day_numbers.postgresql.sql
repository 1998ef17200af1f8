-- keel migration: prices: dates as day numbers (days since 1970-01-01), which makes bulk imports smaller and faster
-- Nothing on PostgreSQL: its prices.date is a DATE, already four bytes.
SELECT 1;
