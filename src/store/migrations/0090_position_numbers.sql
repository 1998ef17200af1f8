-- keel migration: portfolios: a position keeps its number when the positions are replaced
-- positions.position_no is the position's id within its portfolio (the API's and the command's
-- position id): Store::save_portfolio gives a re-imported position the number of the stored one it
-- matches (same instrument and strategy, the same entry date first) and a new one the portfolio's
-- next_position_number, so a number is never given to two positions of one portfolio. Stored
-- positions are numbered in their stored order.
ALTER TABLE positions ADD COLUMN position_no INTEGER NOT NULL DEFAULT 0;
UPDATE positions SET position_no = ordinal + 1;
ALTER TABLE portfolios ADD COLUMN next_position_number INTEGER NOT NULL DEFAULT 1;
UPDATE portfolios SET next_position_number =
  1 + COALESCE((SELECT MAX(p.position_no) FROM positions p WHERE p.portfolio_id = portfolios.id), 0);
