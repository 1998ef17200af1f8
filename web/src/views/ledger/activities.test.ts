// The activities tab's pure parts, worked by hand: exact decimals, the PUT body of the fields
// changed only, the one-row CSV with its quoting, the server's problems by field, and a trade's
// amount as keel books it (docs/ledger.md: quantity × price to the cent, ± the fees).
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../portfolios/csv';
import { addCsv, amountFollows, editBody, EMPTY_FORM, formatDecimal, formOf, parseDecimal, placesOf, problemsOf, sameDecimal, tradeAmount, withField, type TxForm } from './activities';

const stored: TxForm = { date: '2025-03-03', type: 'BUY', symbol: 'KLQA', quantity: '100', price: '120', fees: '1', amount: '12001', note: '' };

describe('decimals', () => {
  it('reads exact decimals of at most 8 places and writes them back shortest', () => {
    expect(parseDecimal('12001')).toBe(1_200_100_000_000n);
    expect(parseDecimal(' 0.5 ')).toBe(50_000_000n);
    expect(parseDecimal('-3.25')).toBe(-325_000_000n);
    expect(parseDecimal('.5')).toBe(50_000_000n);
    expect(parseDecimal('137.14285714')).toBe(13_714_285_714n);
    for (const bad of ['', '.', 'abc', '1.2.3', '1e5', '1,5', '0.123456789']) expect(parseDecimal(bad), bad).toBeNull();
    expect(formatDecimal(1_200_100_000_000n)).toBe('12001');
    expect(formatDecimal(50_000_000n)).toBe('0.5');
    expect(formatDecimal(-325_000_000n)).toBe('-3.25');
    expect(formatDecimal(1n)).toBe('0.00000001');
  });

  it('compares numbers by value and other text as text', () => {
    expect(sameDecimal('110', '110.00')).toBe(true);
    expect(sameDecimal('110', '110.01')).toBe(false);
    expect(sameDecimal('abc', ' abc ')).toBe(true);
    expect(sameDecimal('', '0')).toBe(false);
  });

  it('shows a decimal with its own places, at least `min`, at most 8', () => {
    expect(placesOf('120', 2)).toBe(2);
    expect(placesOf('137.142857', 2)).toBe(6);
    expect(placesOf('1.50', 0)).toBe(1);
    expect(placesOf('0.123456789', 2)).toBe(8);
  });
});

describe('tradeAmount', () => {
  it('is quantity × price to the cent plus the fees for a buy, less them for a sale', () => {
    expect(tradeAmount(stored)).toBe('12001');
    expect(tradeAmount({ ...stored, price: '110' })).toBe('11001');
    expect(tradeAmount({ ...stored, type: 'SELL', quantity: '40', price: '140' })).toBe('5599');
    // 3 × 33.335 = 100.005: half a cent, rounded away from zero.
    expect(tradeAmount({ type: 'BUY', quantity: '3', price: '33.335', fees: '' })).toBe('100.01');
    // 7 × 0.001 = 0.007 -> 0.01; 1 × 0.004 -> 0.
    expect(tradeAmount({ type: 'BUY', quantity: '7', price: '0.001', fees: '0' })).toBe('0.01');
    expect(tradeAmount({ type: 'BUY', quantity: '1', price: '0.004', fees: '0.25' })).toBe('0.25');
    // Floats would say 0.1 × 3 = 0.30000000000000004.
    expect(tradeAmount({ type: 'BUY', quantity: '3', price: '0.1', fees: '0' })).toBe('0.3');
  });

  it('is null for other types and for a quantity or price that is not a number', () => {
    expect(tradeAmount({ ...stored, type: 'DIVIDEND' })).toBeNull();
    expect(tradeAmount({ ...stored, price: '' })).toBeNull();
    expect(tradeAmount({ ...stored, quantity: 'ten' })).toBeNull();
    expect(tradeAmount({ ...stored, fees: 'x' })).toBeNull();
  });

  it('follows the price only when the stored amount is the one keel works out', () => {
    expect(amountFollows(stored)).toBe(true);
    expect(amountFollows({ ...stored, amount: '12001.00' })).toBe(true);
    // A broker's own net amount (a cent of rounding, an SEC fee) is left alone.
    expect(amountFollows({ ...stored, amount: '12001.03' })).toBe(false);
    expect(amountFollows({ ...stored, amount: '' })).toBe(false);
    expect(amountFollows({ ...stored, type: 'DIVIDEND', amount: '50' })).toBe(false);
    const edited = withField(stored, 'price', '110', true);
    expect(edited).toEqual({ ...stored, price: '110', amount: '11001' });
    expect(withField(edited, 'fees', '2.5', true).amount).toBe('11002.5');
    // Not following (the user typed an amount, or the stored one is the broker's): only the field.
    expect(withField(stored, 'price', '110', false)).toEqual({ ...stored, price: '110' });
    // A price being typed is read as far as it is a number; when it is none, the amount stays.
    expect(withField(stored, 'price', '1.', true).amount).toBe('101');
    expect(withField(stored, 'price', '', true).amount).toBe('12001');
    expect(withField(stored, 'price', '1.2.', true).amount).toBe('12001');
  });
});

describe('editBody', () => {
  it('sends only the fields changed, as text', () => {
    expect(editBody(stored, stored)).toEqual({});
    expect(editBody(stored, { ...stored, price: '110', amount: '11001' })).toEqual({ price: '110', amount: '11001' });
    expect(editBody(stored, { ...stored, date: '2025-03-04', type: 'SELL', note: 'corrected' })).toEqual({ date: '2025-03-04', type: 'SELL', note: 'corrected' });
  });

  it('compares decimals by value and trims all but the note', () => {
    expect(editBody(stored, { ...stored, price: '120.00', quantity: ' 100 ', symbol: ' KLQA ' })).toEqual({});
    expect(editBody(stored, { ...stored, fees: '1.5 ' })).toEqual({ fees: '1.5' });
    expect(editBody(stored, { ...stored, note: ' spaced ' })).toEqual({ note: ' spaced ' });
    // Text that is not a number is sent as typed, for the server to name.
    expect(editBody(stored, { ...stored, price: 'abc' })).toEqual({ price: 'abc' });
  });

  it('reads a stored row without an amount or a note as empty fields', () => {
    const f = formOf({ number: 6, account: 'a', lot_id: '', date: '2025-10-01', type: 'BUY', symbol: 'KLQA', quantity: '1', price: '10', fees: '0' });
    expect(f).toEqual({ date: '2025-10-01', type: 'BUY', symbol: 'KLQA', quantity: '1', price: '10', fees: '0', amount: '', note: '' });
    expect(editBody(f, f)).toEqual({});
  });
});

describe('addCsv', () => {
  it('is the canonical header and the row', () => {
    expect(addCsv({ ...EMPTY_FORM, date: '2025-10-01', symbol: ' KLQB ', quantity: '5', price: '31.5' }))
      .toBe('date,type,symbol,quantity,price,fees,amount,note\n2025-10-01,BUY,KLQB,5,31.5,,,\n');
  });

  it('quotes a field holding a comma, a quote or a line break, and reads back as typed', () => {
    const note = 'bought "on margin", then\nheld';
    const csv = addCsv({ ...EMPTY_FORM, date: '2025-10-01', type: 'DEPOSIT', amount: '1,000', note });
    expect(csv).toBe('date,type,symbol,quantity,price,fees,amount,note\n2025-10-01,DEPOSIT,,,,,"1,000","bought ""on margin"", then\nheld"\n');
    expect(parseCsv(csv)[1]).toEqual(['2025-10-01', 'DEPOSIT', '', '', '', '', '1,000', note]);
  });
});

describe('problemsOf', () => {
  it('puts an edit\'s problems next to the fields they name', () => {
    const p = problemsOf([
      'price: expected a non-negative decimal number (at most 8 places), got "y"',
      'fees: expected a non-negative decimal number (at most 8 places), got "x"',
    ]);
    expect(Object.keys(p.fields).sort()).toEqual(['fees', 'price']);
    expect(p.fields.price).toEqual(['price: expected a non-negative decimal number (at most 8 places), got "y"']);
    expect(p.other).toEqual([]);
  });

  it('puts an added row\'s problems by their CSV column, and the booking\'s refusals apart', () => {
    const p = problemsOf([
      "body.csv:2:1: date: '2025-13-01' is not a date (expected YYYY-MM-DD)",
      "body.csv:2:4: quantity: 'abc' is not a decimal number (at most 8 decimal places)",
      'body.csv:2: SELL 2025-10-01 KLQA: sale of 1000 shares but only 60 held (the account does not allow shorts)',
      'no field to change (date, type, symbol, quantity, price, fees, amount, note)',
    ]);
    expect(p.fields.date).toEqual(["date: '2025-13-01' is not a date (expected YYYY-MM-DD)"]);
    expect(p.fields.quantity).toEqual(["quantity: 'abc' is not a decimal number (at most 8 decimal places)"]);
    expect(p.other).toEqual([
      'body.csv:2: SELL 2025-10-01 KLQA: sale of 1000 shares but only 60 held (the account does not allow shorts)',
      'no field to change (date, type, symbol, quantity, price, fees, amount, note)',
    ]);
  });

  it('keeps a problem of a column past the form\'s apart', () => {
    expect(problemsOf(['body.csv:2:12: currency: unknown']).other).toEqual(['body.csv:2:12: currency: unknown']);
  });
});
