// What to click for a step a message names as a keel command: only the commands whose button the
// web app has, for a role that may press it.
import { describe, expect, it } from 'vitest';
import { hintsFor } from './hints';
import { loadLanguage, makeT } from './i18n';

const en = makeT('en-US');

describe('hintsFor', () => {
  it('maps the server messages that name a command the app has a button for', () => {
    const snapshot = hintsFor(en, ['no net-worth snapshots for all accounts in this range: values replayed from the transactions and daily closes (keel ledger snapshot records one)']);
    expect(snapshot).toEqual([{ id: 'snapshot', text: 'Ledger → Record a snapshot of every account', to: '/ledger', permission: 'compute' }]);
    const fx = hintsFor(en, ['no FX rates stored for EUR or USD: import FX rates (keel import fx FILE)']);
    expect(fx.map((h) => h.id)).toEqual(['fx']);
    expect(fx[0]!.text).toContain('Fetch the FX rates');
    expect(fx[0]!.to).toBeUndefined();
    const batch = hintsFor(en, ['performance needs at least two snapshots with a net value, core has 1; the daily batch records one a day (keel batch run --portfolio core, or POST /api/v1/batch; a past day with as_of)']);
    expect(batch).toEqual([{ id: 'batch', text: 'Jobs → Run the daily batch (reports and a snapshot of every portfolio)', to: '/jobs', permission: 'compute' }]);
    expect(hintsFor(en, ['invalid', 'no portfolios in the store for tenant acme (keel import positions FILE --portfolio NAME)']).map((h) => h.id)).toEqual(['positions']);
  });

  it('gives no hint for other commands, nor for a role without the button', () => {
    expect(hintsFor(en, ['no provider configured (keel batch run --market-data NAME, or KEEL_MARKET_DATA_PROVIDER)'])).toEqual([]);
    expect(hintsFor(en, ['x: with no FX rate to its own (keel fetch fx, or keel import fx)'])).toEqual([]);
    expect(hintsFor(en, ['the accounts are in EUR and USD: record a snapshot of each account (keel ledger networth --all --reporting-currency shows them together)'])).toEqual([]);
    expect(hintsFor(en, ['no prices', null, undefined])).toEqual([]);
    expect(hintsFor(en, ['values replayed (keel ledger snapshot records one)'], (p) => p !== 'compute')).toEqual([]);
  });

  it('speaks the session language', async () => {
    await loadLanguage('de');
    const de = makeT('de-DE');
    expect(hintsFor(de, ['(keel ledger snapshot records one)'])[0]!.text).toBe('Depotbuch → Schnappschuss aller Konten erfassen');
  });
});
