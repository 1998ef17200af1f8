// The page of a path: each view's own paths, the portfolio tabs, and what an unknown path opens.
import { describe, expect, it } from 'vitest';
import { pageOf } from './pages';

const split = (p: string) => p.split('/').filter(Boolean);

describe('pageOf', () => {
  it('names the page of every view', () => {
    const cases: [string, string][] = [
      ['/', 'overview'],
      ['/overview', 'overview'],
      ['/portfolios', 'portfolios'],
      ['/portfolios/hnw', 'dashboard'],
      ['/portfolios/hnw/import', 'import'],
      ['/portfolios/hnw/report', 'report'],
      ['/portfolios/hnw/whatif', 'whatif'],
      ['/portfolios/hnw/optimize', 'optimize'],
      ['/portfolios/hnw/rebalance', 'rebalance'],
      ['/portfolios/hnw/positions', 'positions'],
      ['/prices/import', 'prices-import'],
      ['/fx', 'fx'],
      ['/jobs', 'jobs'],
      ['/jobs/12', 'job'],
      ['/alm/sessions/3', 'alm'],
      ['/clo/deals/1', 'clo'],
      ['/ledger', 'ledger'],
      ['/ledger/brokerage', 'ledger-account'],
      ['/plan', 'plan'],
      ['/admin/users', 'admin'],
      ['/account', 'account'],
      ['/ask/4', 'ask'],
    ];
    for (const [path, page] of cases) expect([path, pageOf(split(path))]).toEqual([path, page]);
  });
  it('opens a portfolio with an unknown tab on its dashboard, and an unknown path on the overview', () => {
    expect(pageOf(split('/portfolios/hnw/nothing'))).toBe('dashboard');
    expect(pageOf(split('/prices'))).toBe('overview');
    expect(pageOf(split('/no-such-page'))).toBe('overview');
  });
});
