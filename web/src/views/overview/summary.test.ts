import { describe, expect, it } from 'vitest';
import {
  allocation,
  bookWorth,
  beginVisit,
  changesSince,
  historyByCurrency,
  isAfter,
  ledgerParts,
  movers,
  portfolioCurrency,
  sumByCurrency,
  type ChangeInput,
} from './summary';

describe('sumByCurrency', () => {
  it('adds amounts of one currency and never adds different currencies', () => {
    const { totals, unsummed } = sumByCurrency([
      { currency: 'USD', amount: 100.5 },
      { currency: 'EUR', amount: 40 },
      { currency: 'usd', amount: 20.25 },
      { currency: 'EUR', amount: -10 },
    ]);
    expect(totals).toEqual([
      { currency: 'EUR', amount: 30, parts: 2 },
      { currency: 'USD', amount: 120.75, parts: 2 },
    ]);
    expect(unsummed).toEqual([]);
  });

  it('adds a mixed book to nothing and leaves out missing amounts', () => {
    const mixed = { currency: 'mixed', amount: 5 };
    const { totals, unsummed } = sumByCurrency([{ currency: 'USD', amount: 1 }, mixed, { currency: 'USD', amount: null }, { currency: 'USD', amount: Number.NaN }]);
    expect(totals).toEqual([{ currency: 'USD', amount: 1, parts: 1 }]);
    expect(unsummed).toEqual([mixed]);
  });

  it('gives nothing for nothing', () => {
    expect(sumByCurrency([])).toEqual({ totals: [], unsummed: [] });
  });
});

describe('ledgerParts', () => {
  const link = (n: string) => `/ledger/${n}`;
  const household = { points: [{ date: '2017-01-02', net_worth: 10 }, { date: '2017-06-30', net_worth: 25 }] };

  it('takes the last point of all accounts together when they share a currency', () => {
    const parts = ledgerParts([{ id: 1, name: 'a', currency: 'usd' }, { id: 2, name: 'b', currency: 'USD' }], household, new Map(), link);
    expect(parts).toEqual([{ kind: 'ledger', name: 'All accounts', currency: 'USD', amount: 25, asOf: '2017-06-30', link: '/ledger', note: undefined }]);
  });

  it('takes each account on its own when their currencies differ', () => {
    const per = new Map([[1, { points: [{ date: '2017-06-30', net_worth: 7 }] }], [2, { points: [] }]]);
    const parts = ledgerParts([{ id: 1, name: 'a', currency: 'USD' }, { id: 2, name: 'b', currency: 'EUR' }, { id: 3, name: 'c', currency: 'EUR' }], household, per, link);
    expect(parts.map((p) => [p.name, p.currency, p.amount, p.asOf, p.note])).toEqual([
      ['a', 'USD', 7, '2017-06-30', undefined],
      ['b', 'EUR', null, null, 'no net worth yet: import transactions'],
      ['c', 'EUR', null, null, undefined], // not loaded yet
    ]);
  });

  it('has no part without accounts, and no amount before the first point', () => {
    expect(ledgerParts([], household, new Map(), link)).toEqual([]);
    const [p] = ledgerParts([{ id: 1, name: 'a', currency: 'USD' }], { points: [] }, new Map(), link);
    expect(p!.amount).toBeNull();
    expect(p!.note).toMatch(/no net worth yet/);
  });
});

describe('historyByCurrency', () => {
  it('groups series by currency and totals them only at dates every series has', () => {
    const { groups, unsummed } = historyByCurrency([
      { name: 'p1', currency: 'USD', points: [['2017-01-02', 10], ['2017-01-03', 11], ['2017-01-04', 12]] },
      { name: 'ledger', currency: 'USD', points: [['2017-01-03', 100], ['2017-01-04', 101]] },
      { name: 'p2', currency: 'EUR', points: [['2017-01-03', 5]] },
      { name: 'p3', currency: 'mixed', points: [['2017-01-03', 1]] },
      { name: 'p4', currency: 'USD', points: [] },
    ]);
    expect(groups.map((g) => g.currency)).toEqual(['EUR', 'USD']);
    expect(groups[0]!.total).toEqual([]); // one series: no total
    expect(groups[1]!.series.map((s) => s.name)).toEqual(['p1', 'ledger']);
    expect(groups[1]!.total).toEqual([['2017-01-03', 111], ['2017-01-04', 113]]);
    expect(unsummed.map((s) => s.name)).toEqual(['p3']);
  });
});

describe('allocation', () => {
  const positions = [
    { currency: 'USD', market_value: 100, type: 'stock', sector: 'Technology' },
    { currency: 'USD', market_value: 50, type: 'etf' },
    { currency: 'USD', market_value: -80, type: 'stock', sector: 'Energy' },
    { currency: 'USD', market_value: 30, type: 'stock', sector: 'Technology' },
    { currency: 'EUR', market_value: 20, type: 'stock', sector: 'Technology' },
    { currency: 'USD', market_value: null, type: 'option', sector: 'Technology' },
  ];

  it('adds market values by type in words, per currency', () => {
    expect(allocation(positions, 'type')).toEqual([
      { currency: 'EUR', drawn: [{ name: 'Stock', amount: 20 }], other: [] },
      // equal amounts in the order of their names
      { currency: 'USD', drawn: [{ name: 'ETF', amount: 50 }, { name: 'Stock', amount: 50 }], other: [] },
    ]);
  });

  it('lists net short sectors apart, and names a missing sector Unknown', () => {
    const [, usd] = allocation(positions, 'sector');
    expect(usd).toEqual({ currency: 'USD', drawn: [{ name: 'Technology', amount: 130 }, { name: 'Unknown', amount: 50 }], other: [{ name: 'Energy', amount: -80 }] });
  });

  it('by currency: one group per currency, never in one allocation', () => {
    expect(allocation(positions, 'currency')).toEqual([
      { currency: 'EUR', drawn: [{ name: 'EUR', amount: 20 }], other: [] },
      { currency: 'USD', drawn: [{ name: 'USD', amount: 100 }], other: [] },
    ]);
  });
});

describe('movers', () => {
  const row = (portfolio: string, symbol: string, pnl: number | null, currency = 'USD') => ({ portfolio, symbol, currency, pnl_1d_amount: pnl, market_value_amount: 1 });
  it('ranks gains and losses per currency, leaving out positions without a 1-day P&L', () => {
    const m = movers([row('a', 'X', 5), row('a', 'Y', -7), row('b', 'X', 9), row('b', 'Z', null), row('b', 'W', 0), row('c', 'E', 3, 'EUR'), row('a', 'V', -1)], 2);
    expect(m.map((g) => g.currency)).toEqual(['EUR', 'USD']);
    expect(m[1]!.gains.map((r) => `${r.portfolio}/${r.symbol}`)).toEqual(['b/X', 'a/X']);
    expect(m[1]!.losses.map((r) => `${r.portfolio}/${r.symbol}`)).toEqual(['a/Y', 'a/V']);
    expect(m[0]!.losses).toEqual([]);
  });
});

describe('changesSince', () => {
  const since = '2024-05-01T12:00:00Z';
  const input: ChangeInput = {
    portfolios: [
      { name: 'old', created_at: '2024-01-01T00:00:00Z', updated_at: '2024-05-02T08:00:00Z' },
      { name: 'new', created_at: '2024-05-03T09:00:00Z', updated_at: '2024-05-03T09:00:00Z' },
    ],
    histories: new Map([
      ['old', [
        // out of as-of order on purpose: zones are followed by as-of date
        { as_of: '2024-04-30', created_at: '2024-05-02T10:00:01Z', backtest_zone: 'red' },
        { as_of: '2024-04-28', created_at: '2024-04-29T10:00:00Z', backtest_zone: 'green' },
        { as_of: '2024-04-29', created_at: '2024-05-02T10:00:00Z', backtest_zone: 'yellow' },
      ]],
      ['new', [{ as_of: '2024-04-30', created_at: '2024-05-03T10:00:00Z', backtest_zone: 'red' }]],
    ]),
    accounts: [{ name: 'brokerage', created_at: '2024-05-04T00:00:00Z' }, { name: 'ira', created_at: '2023-01-01T00:00:00Z' }],
    networth: { points: [{ date: '2024-04-30', net_worth: 1, recorded_at: '2024-05-04T01:00:00Z' }, { date: '2024-03-31', net_worth: 1, recorded_at: '2024-04-01T00:00:00Z' }] },
    jobs: [
      { id: 7, kind: 'batch.run', status: 'failed', finished_at: '2024-05-04T02:00:00Z' },
      { id: 6, kind: 'risk.var', status: 'running', finished_at: null },
      { id: 5, kind: 'batch.run', status: 'succeeded', finished_at: '2024-04-30T00:00:00Z' },
    ],
    portfolioLink: (n) => `/portfolios/${n}`,
    accountLink: (n) => `/ledger/${n}`,
  };

  it('lists what happened after the last visit, newest first, with the red zones and failed jobs as alerts', () => {
    const c = changesSince(since, input);
    expect(c.map((x) => `${x.subject}: ${x.what}${x.alert ? ' !' : ''}`)).toEqual([
      'Job 7: Daily batch failed !',
      'All accounts: net worth snapshot recorded as of 2024-04-30',
      'brokerage: ledger account created',
      'new: backtest zone is red as of 2024-04-30 !',
      'new: snapshot recorded as of 2024-04-30',
      'new: portfolio created',
      'old: backtest zone turned red (was yellow) as of 2024-04-30 !',
      'old: snapshot recorded as of 2024-04-30',
      'old: backtest zone turned yellow (was green) as of 2024-04-29',
      'old: snapshot recorded as of 2024-04-29',
      'old: positions changed (imported or edited)',
    ]);
    expect(c[0]!.link).toBe('/jobs/7');
  });

  it('lists nothing on a first visit or when nothing is newer', () => {
    expect(changesSince(null, input)).toEqual([]);
    expect(changesSince('2030-01-01T00:00:00Z', input)).toEqual([]);
  });

  it('compares times, not strings', () => {
    expect(isAfter('2024-05-01T12:00:01Z', '2024-05-01T12:00:00.000Z')).toBe(true);
    expect(isAfter(null, since)).toBe(false);
    expect(isAfter('not a time', since)).toBe(false);
  });
});

describe('beginVisit', () => {
  const store = () => {
    const m = new Map<string, string>();
    return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), m };
  };

  it('returns the previous visit, records this one, and keeps the previous one for the tab', () => {
    const local = store();
    const s1 = store();
    expect(beginVisit('k', new Date('2024-05-01T00:00:00Z'), local, s1)).toBeNull(); // first visit
    expect(local.getItem('k')).toBe('2024-05-01T00:00:00.000Z');
    // Back on the overview in the same tab: still the first visit.
    expect(beginVisit('k', new Date('2024-05-01T00:10:00Z'), local, s1)).toBeNull();
    // A new tab later: the last visit was the one ten minutes in.
    const s2 = store();
    expect(beginVisit('k', new Date('2024-05-02T00:00:00Z'), local, s2)).toBe('2024-05-01T00:10:00.000Z');
    expect(beginVisit('k', new Date('2024-05-02T00:05:00Z'), local, s2)).toBe('2024-05-01T00:10:00.000Z');
    expect(local.getItem('k')).toBe('2024-05-02T00:05:00.000Z');
  });
});

describe('portfolioCurrency', () => {
  it('is the currency the API names: a view\'s currency, else the list\'s base_currency', () => {
    expect(portfolioCurrency({ currency: 'EUR', base_currency: 'USD' })).toBe('EUR');
    expect(portfolioCurrency({ base_currency: 'gbp' })).toBe('GBP');
    expect(portfolioCurrency({})).toBe('USD');
  });
});

describe('allocation of a converted book', () => {
  // A EUR book holding a USD stock: its market values are in EUR, the API's conversion.
  const positions = [
    { currency: 'EUR', book_currency: 'EUR', market_value: 1000, type: 'stock' },
    { currency: 'USD', book_currency: 'EUR', market_value: 800, type: 'stock' },
  ];
  it('is one allocation in the reporting currency, grouped by the currency each position is quoted in', () => {
    expect(allocation(positions, 'currency')).toEqual([
      { currency: 'EUR', drawn: [{ name: 'EUR', amount: 1000 }, { name: 'USD', amount: 800 }], other: [] },
    ]);
    expect(allocation(positions, 'type')).toEqual([{ currency: 'EUR', drawn: [{ name: 'Stock', amount: 1800 }], other: [] }]);
  });
});

describe('bookWorth', () => {
  it('is unknown, not 0, when every position of a book went unvalued; an empty book is worth 0', () => {
    expect(bookWorth({ positions: [1, 2], unpriced: 2, net_market_value: 0 })).toBeNull();
    expect(bookWorth({ positions: [1, 2], unpriced: 1, net_market_value: 150 })).toBe(150);
    expect(bookWorth({ positions: [], unpriced: 0, net_market_value: 0 })).toBe(0);
    expect(bookWorth({ positions: [1], unpriced: 0, net_market_value: null })).toBeNull();
  });
});
