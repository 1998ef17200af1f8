import { describe, expect, it } from 'vitest';
import { enT, loadLanguage, makeT } from '../../app/i18n';
import { areaWords, boundsWords, formatBytes, mayReadStorage, ownerWords, STORAGE_AREAS, type StorageUsage } from './storage';

const usage: StorageUsage = {
  tenant: 'acme', bytes: 878707, job_retention_days: 30, assistant_retention_days: 0, assistant_user_mb: 64,
  whatif_sessions_per_user: 200, alm_disk_budget_mb: 1024, alm_user_budget_mb: 0, snapshot_report_retention_days: 90, areas: [],
};

describe('storage', () => {
  it('says every area in words, in both languages, and spells out one it does not know', async () => {
    await loadLanguage('de');
    const de = makeT('de-DE');
    for (const a of STORAGE_AREAS) {
      expect(enT.has(`storage.area.${a}`), a).toBe(true);
      expect(areaWords(enT, a)).not.toContain('_');
      expect(areaWords(de, a)).not.toContain('_');
    }
    expect(areaWords(enT, 'batch_snapshots')).toBe('Batch snapshots');
    expect(areaWords(de, 'market_data')).toBe('Marktdaten');
    expect(areaWords(enT, 'new_area')).toBe('New area');
  });
  it("says whose a row is: the tenant's, a user's, or every tenant's", () => {
    expect(ownerWords(enT, { owner: '', shared: false })).toBe('Tenant');
    expect(ownerWords(enT, { owner: 'ann', shared: false })).toBe('ann');
    expect(ownerWords(enT, { owner: '', shared: true })).toBe('All tenants');
  });
  it('formats sizes with decimal units in the locale', () => {
    expect(formatBytes('en-US', 0)).toBe('0 B');
    expect(formatBytes('en-US', 612)).toBe('612 B');
    expect(formatBytes('en-US', 806002)).toBe('806 kB');
    expect(formatBytes('en-US', 2519726)).toBe('2.5 MB');
    expect(formatBytes('de-DE', 2519726)).toBe('2,5 MB');
    expect(formatBytes('en-US', 999_960)).toBe('1 MB');
    expect(formatBytes('en-US', 3.2e9)).toBe('3.2 GB');
    expect(formatBytes('en-US', null)).toBe('–');
  });
  it('says the bounds in words, 0 as kept or no limit', async () => {
    expect(boundsWords(enT, 'en-US', usage)).toEqual([
      'Jobs: deleted 30 days after they end',
      'Assistant conversations: kept',
      'Each user’s assistant conversations: up to 64 MiB',
      'What-if sessions per user: 200',
      'The tenant’s ALM sessions: up to 1,024 MiB',
      'Each user’s ALM sessions: no limit',
      'Batch snapshot reports: dropped after 90 days (figures kept)',
    ]);
    const other = { ...usage, job_retention_days: 0, assistant_retention_days: 7, assistant_user_mb: 0, whatif_sessions_per_user: 0 };
    expect(boundsWords(enT, 'en-US', other).slice(0, 4)).toEqual([
      'Jobs: kept after they end',
      'Assistant conversations: deleted after 7 days untouched',
      'Each user’s assistant conversations: no limit',
      'What-if sessions per user: no limit',
    ]);
    expect(boundsWords(enT, 'en-US', { ...usage, snapshot_report_retention_days: 1 })[6]).toBe('Batch snapshot reports: dropped after 1 day (figures kept)');
    expect(boundsWords(enT, 'en-US', { ...usage, snapshot_report_retention_days: 0 })[6]).toBe('Batch snapshot reports: kept');
    expect(boundsWords(enT, 'en-US', { ...usage, snapshot_report_retention_days: null })[6]).toBe('Batch snapshot reports: kept');
    await loadLanguage('de');
    const de = makeT('de-DE');
    expect(boundsWords(de, 'de-DE', usage)[4]).toBe('ALM-Sitzungen des Mandanten: bis 1.024 MiB');
    expect(boundsWords(de, 'de-DE', usage)[6]).toBe('Berichte der Batch-Schnappschüsse: gelöscht nach 90 Tagen (Kennzahlen bleiben)');
    expect(boundsWords(de, 'de-DE', { ...usage, snapshot_report_retention_days: 0 })[6]).toBe('Berichte der Batch-Schnappschüsse: behalten');
  });
  it('is for managers and administrators', () => {
    expect(mayReadStorage((p) => p === 'manage_users')).toBe(true);
    expect(mayReadStorage((p) => p === 'manage_keys')).toBe(false);  // the server asks manage_users
    expect(mayReadStorage((p) => p === 'read' || p === 'compute' || p === 'import_positions')).toBe(false);
  });
});
