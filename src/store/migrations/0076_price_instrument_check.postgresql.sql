-- keel migration: prices: on PostgreSQL the instrument of written prices is checked once per statement, not per row
-- The foreign key prices -> instruments ran a query of its own for every row written: 60% of the
-- server's work in a bulk price import. The same rule is kept by triggers that check each
-- statement's rows at once (a bulk import writes ~16,000 rows a statement), and refuse what the
-- foreign key refused, with its SQLSTATE (23503, foreign_key_violation).
ALTER TABLE prices DROP CONSTRAINT prices_instrument_id_fkey;

-- Rows inserted (INSERT or COPY, ON CONFLICT's inserts included): their instruments exist, and
-- are locked FOR KEY SHARE, as a foreign key's check locks them, so that none can be deleted or
-- renumbered before this transaction ends. The lock comes first: it waits for a concurrent
-- delete to end, and the check after it sees that delete's commit (READ COMMITTED).
CREATE FUNCTION keel_prices_instruments_exist() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ids bigint[];
  missing bigint;
BEGIN
  SELECT array_agg(d.instrument_id) INTO ids
    FROM (SELECT DISTINCT n.instrument_id FROM keel_written_prices n) d;
  PERFORM 1 FROM instruments i WHERE i.id = ANY (ids) FOR KEY SHARE OF i;
  SELECT x INTO missing FROM unnest(ids) AS x
    WHERE NOT EXISTS (SELECT 1 FROM instruments i WHERE i.id = x) LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'insert or update on table "prices": instrument % does not exist', missing
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER prices_instruments_exist AFTER INSERT ON prices REFERENCING NEW TABLE AS keel_written_prices
  FOR EACH STATEMENT EXECUTE FUNCTION keel_prices_instruments_exist();

-- An UPDATE that sets instrument_id (keel never does): checked row by row, as before.
CREATE FUNCTION keel_price_instrument_exists() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 FROM instruments i WHERE i.id = NEW.instrument_id FOR KEY SHARE OF i;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'insert or update on table "prices": instrument % does not exist', NEW.instrument_id
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER prices_instrument_exists AFTER UPDATE OF instrument_id ON prices
  FOR EACH ROW EXECUTE FUNCTION keel_price_instrument_exists();

-- An instrument that prices name is neither deleted nor renumbered (nor truncated). The DELETE
-- or UPDATE has locked the instrument's row before this runs, so it waited for any writer
-- holding the lock above, and the check sees that writer's prices once it committed: in READ
-- COMMITTED, where each statement sees the latest commits. A REPEATABLE READ or SERIALIZABLE
-- transaction would check against its older snapshot, so it is refused such a change outright.
CREATE FUNCTION keel_instruments_unreferenced() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF NEW.id = OLD.id THEN
      RETURN NEW;
    END IF;
  END IF;
  IF current_setting('transaction_isolation') <> 'read committed' THEN
    RAISE EXCEPTION 'instruments are deleted or renumbered only in READ COMMITTED transactions'
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  IF TG_OP = 'TRUNCATE' THEN
    IF EXISTS (SELECT 1 FROM prices) THEN
      RAISE EXCEPTION 'cannot truncate instruments: prices name them' USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NULL;
  END IF;
  IF EXISTS (SELECT 1 FROM prices p WHERE p.instrument_id = OLD.id) THEN
    RAISE EXCEPTION 'update or delete on table "instruments": prices name instrument %', OLD.id
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  IF TG_OP = 'DELETE' THEN
    RETURN OLD;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER instruments_unreferenced BEFORE DELETE OR UPDATE OF id ON instruments
  FOR EACH ROW EXECUTE FUNCTION keel_instruments_unreferenced();
CREATE TRIGGER instruments_not_truncated BEFORE TRUNCATE ON instruments
  FOR EACH STATEMENT EXECUTE FUNCTION keel_instruments_unreferenced();
