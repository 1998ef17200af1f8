import { describe, expect, it } from 'vitest';
import { readsSchema, REPORT_SCHEMA, reportApiPath, reportPage, snapshotDate } from './keptReport';

describe('snapshotDate', () => {
  it('reads the day from the URL', () => {
    expect(snapshotDate(new URLSearchParams('snapshot=2017-11-28'))).toBe('2017-11-28');
    expect(snapshotDate(new URLSearchParams('snapshot=%202017-11-28%20'))).toBe('2017-11-28');
  });
  it('is none without one (the current report)', () => {
    expect(snapshotDate(new URLSearchParams(''))).toBeUndefined();
    expect(snapshotDate(new URLSearchParams('snapshot='))).toBeUndefined();
    expect(snapshotDate(new URLSearchParams('tab=history'))).toBeUndefined();
  });
  it('leaves a day it cannot read to the server, never to the current report', () => {
    expect(snapshotDate(new URLSearchParams('snapshot=yesterday'))).toBe('yesterday');
  });
});

describe('reportPage', () => {
  it('is the current report without a day, the kept one with', () => {
    expect(reportPage('balanced')).toBe('/portfolios/balanced/report');
    expect(reportPage('balanced', '2017-11-28')).toBe('/portfolios/balanced/report?snapshot=2017-11-28');
  });
  it('encodes the portfolio name and the day', () => {
    expect(reportPage('eu/book 1', '2017-11-28')).toBe('/portfolios/eu%2Fbook%201/report?snapshot=2017-11-28');
    expect(reportPage('b', 'a&b=c')).toBe('/portfolios/b/report?snapshot=a%26b%3Dc');
  });
});

describe('reportApiPath', () => {
  it('asks for the current report, or the one the batch kept with the day', () => {
    expect(reportApiPath('balanced')).toBe('/api/v1/portfolios/balanced/report');
    expect(reportApiPath('balanced', '2017-11-28')).toBe('/api/v1/portfolios/balanced/history/2017-11-28/report');
  });
  it('encodes the portfolio name and the day as path segments', () => {
    expect(reportApiPath('eu/book 1', '2017-11-28')).toBe('/api/v1/portfolios/eu%2Fbook%201/history/2017-11-28/report');
    expect(reportApiPath('b', '../x')).toBe('/api/v1/portfolios/b/history/%2E%2E%2Fx/report');
    expect(reportApiPath('b', '..')).toBe('/api/v1/portfolios/b/history/%2E%2E/report');
  });
});

describe('readsSchema', () => {
  it('lays out keel.report/2, not a report kept in another format', () => {
    expect(REPORT_SCHEMA).toBe('keel.report/2');
    expect(readsSchema('keel.report/2')).toBe(true);
    expect(readsSchema('keel.report/1')).toBe(false);
    expect(readsSchema(undefined)).toBe(false);
  });
});
