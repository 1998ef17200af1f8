// API data as key/value rows: nested objects flattened under their parent's words, lists of
// scalars joined, long lists cut with a count, ids in words.
import { describe, expect, it } from 'vitest';
import { makeFmt } from '../app/format';
import { makeT } from '../app/i18n';
import { flattenKv, kvKey, kvValue } from './keyValues';

const t = makeT('en-US');
const fmt = makeFmt('en-US');
const table = (v: unknown, max?: number) => flattenKv(v, max).map((r) => [kvKey(t, r.path), kvValue(fmt, t, r)]);

describe('flattenKv', () => {
  it('flattens nested objects with labelled keys and says ids in words', () => {
    expect(table({ kind: 'batch.run', market_data: { status: 'failed', report: { failed: 29, stored: false } }, weight_basis: 'net_value' })).toEqual([
      ['Kind', 'Daily batch'],
      ['Market data › Status', 'failed'],
      ['Market data › Report › Failed', '29'],
      ['Market data › Report › Stored', 'no'],
      ['Weight basis', 'Net value'],
    ]);
  });

  it('joins a list of scalars and cuts a long one with a count', () => {
    expect(table({ allowed_hosts: ['a:1', 'b:2'], flags: [] })).toEqual([['Allowed hosts', 'a:1, b:2'], ['Flags', 'none']]);
    const long = table({ symbols: Array.from({ length: 14 }, (_, i) => `S${i}`) }, 3);
    expect(long).toEqual([['Symbols', 'S0, S1, S2 … and 11 more (14 in all)']]);
  });

  it('gives each item of a list of objects its rows, named by its name, and counts the rest', () => {
    const rows = table({ portfolios: [{ portfolio: 'balanced', steps: [{ name: 'data_check', status: 'ok' }, { name: 'market-data', status: 'failed' }] }, { portfolio: 'big' }, { portfolio: 'hnw' }] }, 2);
    expect(rows).toEqual([
      ['Portfolios: balanced › Steps: Data check › Status', 'ok'],
      ['Portfolios: balanced › Steps: Market data › Status', 'failed'],
      ['Portfolios: big', 'big'],
      ['Portfolios', '… and 1 more (3 in all)'],
    ]);
    expect(table({ requested: [{ from: '2017-12-07', to: '2026-11-28' }] })).toEqual([
      ['Requested: #1 › From', fmt.date('2017-12-07')],
      ['Requested: #1 › To', fmt.date('2026-11-28')],
    ]);
  });

  it('cuts a long text, saying how much more the JSON has', () => {
    expect(table({ reason: 'x'.repeat(450) })).toEqual([['Reason', `${'x'.repeat(400)}… (50 more characters in the JSON)`]]);
  });

  it('takes any JSON without throwing', () => {
    expect(table({})).toEqual([]);
    expect(table(null)).toEqual([['', '–']]);
    expect(table('text')).toEqual([['', 'text']]);
    expect(table({ outer_part: { inner_part: {} } })).toEqual([['Outer part › Inner part', 'none']]);
    let deep: unknown = 1;
    for (let i = 0; i < 20; i++) deep = { x: deep };
    expect(table(deep)).toHaveLength(1);
  });
});
