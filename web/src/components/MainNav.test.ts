import { describe, expect, it } from 'vitest';
import { enT } from '../app/i18n';
import { destinations, isCurrent } from './MainNav';

describe('main navigation', () => {
  it('starts with the overview', () => {
    expect(destinations(() => false).map((d) => enT(d.label))).toEqual(['Overview', 'Portfolios', 'Jobs', 'IRRBB', 'CLO', 'Ledger', 'Plan', 'Ask']);
  });
  it('offers the FX rates to every role that reads, prices and admin to theirs', () => {
    expect(destinations((p) => p === 'read').map((d) => d.to)).toEqual(['/', '/portfolios', '/jobs', '/alm', '/clo', '/ledger', '/plan', '/ask', '/fx']);
    expect(destinations(() => true).map((d) => d.to).slice(-3)).toEqual(['/prices/import', '/fx', '/admin']);
  });
  it('marks the overview only on / and /overview, the others on their paths', () => {
    expect(isCurrent('/', '/')).toBe(true);
    expect(isCurrent('/', '/overview')).toBe(true);
    expect(isCurrent('/', '/portfolios')).toBe(false);
    expect(isCurrent('/portfolios', '/portfolios/hnw')).toBe(true);
    expect(isCurrent('/portfolios', '/portfoliosx')).toBe(false);
    expect(isCurrent('/prices/import', '/prices/import')).toBe(true);
    expect(isCurrent('/fx', '/fx')).toBe(true);
  });
});
