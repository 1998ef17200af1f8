import { describe, expect, it } from 'vitest';
import { enT } from '../app/i18n';
import { destinations, isCurrent } from './MainNav';

describe('main navigation', () => {
  it('starts with the overview', () => {
    expect(destinations(() => false).map((d) => enT(d.label))).toEqual(['Overview', 'Portfolios', 'Jobs', 'IRRBB', 'CLO', 'Ledger', 'Plan', 'Ask']);
  });
  it('marks the overview only on / and /overview, the others on their paths', () => {
    expect(isCurrent('/', '/')).toBe(true);
    expect(isCurrent('/', '/overview')).toBe(true);
    expect(isCurrent('/', '/portfolios')).toBe(false);
    expect(isCurrent('/portfolios', '/portfolios/hnw')).toBe(true);
    expect(isCurrent('/portfolios', '/portfoliosx')).toBe(false);
    expect(isCurrent('/prices/import', '/prices/import')).toBe(true);
  });
});
