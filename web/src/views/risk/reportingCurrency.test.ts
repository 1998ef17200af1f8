import { describe, expect, it } from 'vitest';
import { currencyChoices, inCurrency, reportPath, viewCurrency } from './reportingCurrency';

describe('viewCurrency', () => {
  it('reads a three-letter code from the URL, upper-cased', () => {
    expect(viewCurrency(new URLSearchParams('currency=usd'))).toBe('USD');
    expect(viewCurrency(new URLSearchParams('tab=var&currency=EUR'))).toBe('EUR');
  });
  it('is none without one or for anything else', () => {
    expect(viewCurrency(new URLSearchParams(''))).toBeUndefined();
    expect(viewCurrency(new URLSearchParams('currency=EURO'))).toBeUndefined();
    expect(viewCurrency(new URLSearchParams('currency=<b>'))).toBeUndefined();
  });
});

describe('currencyChoices', () => {
  it('puts the stored currency first, then the others once, alphabetically', () => {
    expect(currencyChoices('EUR', ['USD', 'EUR', 'usd'], ['GBP', 'CHF'])).toEqual(['EUR', 'CHF', 'GBP', 'USD']);
  });
  it('leaves out what is not a currency code', () => {
    expect(currencyChoices(undefined, ['USD', null, '', 'mixed'])).toEqual(['USD']);
  });
});

describe('inCurrency', () => {
  it('adds the currency to a body only when one is chosen', () => {
    expect(inCurrency({ by: 'sector' }, 'USD')).toEqual({ by: 'sector', currency: 'USD' });
    expect(inCurrency({ by: 'sector' }, undefined)).toEqual({ by: 'sector' });
  });
});

describe('reportPath', () => {
  it('asks for the report in the view currency', () => {
    expect(reportPath('eur%20book', 'USD')).toBe('/api/v1/portfolios/eur%20book/report?currency=USD');
    expect(reportPath('b', undefined)).toBe('/api/v1/portfolios/b/report');
  });
});
