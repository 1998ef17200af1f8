import { describe, expect, it } from 'vitest';
import { enT, loadLanguage, makeT } from '../../app/i18n';
import { anyPending, deliveryStatusWords, eventsToSend, eventWords, mayManageWebhooks } from './webhooks';

describe('webhooks', () => {
  it('says each event type in words, in both languages', async () => {
    expect(eventWords(enT, 'portfolio.changed')).toBe('Portfolio changed');
    expect(eventWords(enT, 'job.finished')).toBe('Job finished');
    expect(eventWords(enT, '*')).toBe('All events');
    expect(eventWords(enT, 'ledger.changed')).toBe('Ledger changed');
    await loadLanguage('de');
    expect(eventWords(makeT('de-DE'), 'clo.breach')).toBe('CLO-Verletzung');
  });
  it('sends the chosen events in the server order, or * for all', () => {
    expect(eventsToSend(false, ['portfolio.changed', 'job.finished'])).toEqual(['job.finished', 'portfolio.changed']);
    expect(eventsToSend(true, ['job.finished'])).toEqual(['*']);
    expect(eventsToSend(false, [])).toEqual([]);
  });
  it("says a delivery's status in words and asks again while one is pending", () => {
    expect(deliveryStatusWords(enT, 'delivered')).toBe('delivered');
    expect(deliveryStatusWords(enT, 'failed')).toBe('failed');
    expect(anyPending([{ status: 'delivered' }, { status: 'pending' }])).toBe(true);
    expect(anyPending([{ status: 'failed' }])).toBe(false);
    expect(anyPending(undefined)).toBe(false);
  });
  it('is for managers and administrators', () => {
    expect(mayManageWebhooks((p) => p === 'manage_users')).toBe(true);
    expect(mayManageWebhooks((p) => p === 'manage_keys')).toBe(true);
    expect(mayManageWebhooks((p) => p === 'read' || p === 'compute' || p === 'import_positions')).toBe(false);
  });
});
