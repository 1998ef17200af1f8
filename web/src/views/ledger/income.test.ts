// The income tab's pure parts, worked by hand: the calendar by month (the span (to, to + 1 year],
// empty months kept, sums to the cent), the yield on cost of the paying holdings (the tearsheet's),
// the monthly excess as a year × month grid and amounts in a currency.
import { describe, expect, it } from 'vitest';
import { calendarByMonth, excessByYear, makeAmount, yieldOnCost } from './income';

const pay = (date: string, symbol: string, gross: number, withholding = 0) => ({ account: 'a', date, symbol, gross, withholding, net: gross - withholding });

describe('calendarByMonth', () => {
  it('lays out (to, to + 1 year] by month, each with its payments and their sums', () => {
    // From tests/cases/cli/ledger_income.test: KO quarterly, O monthly, NVS annual with 35% withheld.
    const months = calendarByMonth([
      pay('2024-04-02', 'KO', 58.2), pay('2024-04-15', 'O', 51.4), pay('2024-05-15', 'O', 51.4),
      pay('2025-03-14', 'NVS', 170, 59.5), pay('2025-03-15', 'O', 0.1), pay('2025-03-15', 'KO', 0.2),
    ], '2024-03-31');
    // The last day of March: April 2024 to March 2025, twelve months.
    expect(months.map((m) => m.month)).toEqual([
      '2024-04', '2024-05', '2024-06', '2024-07', '2024-08', '2024-09', '2024-10', '2024-11', '2024-12', '2025-01', '2025-02', '2025-03',
    ]);
    expect(months[0]!.payments.map((p) => p.symbol)).toEqual(['KO', 'O']);
    expect(months[0]!.gross).toBe(109.6);
    expect(months[2]!.payments).toEqual([]);
    expect(months[2]!.gross).toBe(0);
    // 170 + 0.1 + 0.2 to the cent, not 170.30000000000001; net 110.5 + 0.3.
    expect(months[11]!.gross).toBe(170.3);
    expect(months[11]!.net).toBe(110.8);
  });

  it('opens in the month of `to` when the span starts within it, and ends in the same month a year on', () => {
    const months = calendarByMonth([], '2024-03-15');
    expect(months.length).toBe(13);
    expect(months[0]!.month).toBe('2024-03');
    expect(months[12]!.month).toBe('2025-03');
    expect(calendarByMonth([], '2023-12-31').map((m) => m.month)[0]).toBe('2024-01');
    expect(calendarByMonth([], '2024-02-29').map((m) => m.month)).toHaveLength(12);
  });

  it('keeps a payment outside the span in a month of its own', () => {
    expect(calendarByMonth([pay('2026-01-02', 'KO', 1)], '2024-03-31').at(-1)).toMatchObject({ month: '2026-01', gross: 1 });
  });
});

describe('yieldOnCost', () => {
  it('is the projected gross of the paying holdings over their basis', () => {
    // KO 232.80 on 7160, O 616.80 on 10001; a holding that pays nothing is left out.
    expect(yieldOnCost([{ basis: 7160, projected_gross: 232.8 }, { basis: 10001, projected_gross: 616.8 }, { basis: 5000, projected_gross: 0 }]))
      .toBeCloseTo(849.6 / 17161, 12);
    expect(yieldOnCost([{ basis: 5000, projected_gross: 0 }])).toBeNull();
    expect(yieldOnCost([])).toBeNull();
  });
});

describe('excessByYear', () => {
  it('puts each month of the comparison in its year and month', () => {
    const p = (period: string, excess: number) => ({ period, portfolio: excess, benchmark: 0, excess });
    const years = excessByYear([p('2016-11', 0.01), p('2016-12', -0.02), p('2017-01', 0.03)]);
    expect(years.map((y) => y.year)).toEqual(['2016', '2017']);
    expect(years[0]!.months.slice(9).map((m) => m?.excess ?? null)).toEqual([null, 0.01, -0.02]);
    expect(years[1]!.months[0]!.excess).toBe(0.03);
    expect(years[1]!.months.filter(Boolean)).toHaveLength(1);
  });
});

describe('makeAmount', () => {
  it('formats to the cent with the currency as the locale puts it', () => {
    // Intl puts a no-break space between the code and the figure.
    const sp = (s: string) => s.replace(/\u00a0/g, ' ');
    expect(sp(makeAmount('en-US')(1082.52, 'USD'))).toBe('USD 1,082.52');
    expect(sp(makeAmount('de-DE')(1082.5, 'EUR'))).toBe('1.082,50 EUR');
    expect(makeAmount('en-US')(3, 'mixed')).toBe('3.00 mixed');
    expect(makeAmount('en-US')(null, 'USD')).toBe('–');
  });
});
