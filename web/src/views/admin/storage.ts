// The storage page's words and figures (StoragePanel.tsx; GET /api/v1/storage): each area of the
// store in words, who an area's records belong to, a size in bytes as kB, MB or GB in the locale's
// number format, and the tenant's bounds (retention, per-user limits, ALM budgets, how long the
// batch snapshots' reports are kept) in words, a 0 said as "kept" or "no limit".
import type { Schemas } from '../../api/client';
import type { Translate } from '../../app/i18n';
import type { Locale } from '../../app/format';
import { humanise } from '../../app/labels';

export type StorageUsage = Schemas['StorageUsage'];
export type StorageArea = Schemas['StorageArea'];

// The areas the server counts (its StorageArea.area), in its order.
export const STORAGE_AREAS = [
  'portfolios', 'ledger', 'ledger_snapshots', 'batch_snapshots', 'whatif', 'alm', 'assistant', 'jobs', 'clo',
  'cached_results', 'webhook_deliveries', 'audit_log', 'market_data',
] as const;
// Who may see it: managers and administrators, the holders of manage_users (the server answers
// 403 to the other roles).
export function mayReadStorage(can: (permission: string) => boolean): boolean {
  return can('manage_users');
}

// An area in words ("Batch snapshots"); an area the app does not know yet is spelt out.
export function areaWords(t: Translate, area: string): string {
  const key = `storage.area.${area}`;
  return t.has(key) ? t(key as 'storage.area.portfolios') : humanise(area);
}

// Whose records a row counts: every tenant's (shared market data), the tenant's (no owner), or a
// user's (the user name, as it is).
export function ownerWords(t: Translate, row: Pick<StorageArea, 'owner' | 'shared'>): string {
  if (row.shared) return t('storage.owner.shared');
  return row.owner === '' ? t('storage.owner.tenant') : row.owner;
}

const UNITS = ['B', 'kB', 'MB', 'GB', 'TB'] as const;
const sizeFormats = new Map<string, Intl.NumberFormat>();

// A size in bytes with decimal units (1 kB = 1,000 bytes) in the locale's number format: "806 kB",
// "2.5 MB" ("2,5 MB" in de-DE); under 100 of a unit with one decimal, whole bytes as they are.
export function formatBytes(locale: Locale, bytes: number | null | undefined): string {
  if (typeof bytes !== 'number' || !Number.isFinite(bytes)) return '–';
  let x = Math.max(0, bytes);
  let u = 0;
  while (x >= 1000 && u < UNITS.length - 1) {
    x /= 1000;
    u++;
  }
  // 999.96 kB rounds to "1,000 kB": say it in the next unit instead.
  if (u > 0 && u < UNITS.length - 1 && Math.round(x) >= 1000) {
    x /= 1000;
    u++;
  }
  const digits = u === 0 || x >= 100 ? 0 : 1;
  const key = `${locale}:${digits}`;
  let f = sizeFormats.get(key);
  if (!f) sizeFormats.set(key, (f = new Intl.NumberFormat(locale, { maximumFractionDigits: digits })));
  return `${f.format(x)} ${UNITS[u]}`;
}

// The tenant's bounds in words, one sentence each (0 or null: kept, or no limit).
export function boundsWords(t: Translate, locale: Locale, u: StorageUsage): string[] {
  const n = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const mib = (x: number) => t('storage.mib', { size: n.format(x) });
  const some = (x: number | null | undefined): x is number => typeof x === 'number' && x > 0;
  return [
    some(u.job_retention_days) ? t('storage.bound.jobs', { count: u.job_retention_days }) : t('storage.bound.jobsKept'),
    some(u.assistant_retention_days) ? t('storage.bound.assistant', { count: u.assistant_retention_days }) : t('storage.bound.assistantKept'),
    t('storage.bound.assistantUser', { limit: some(u.assistant_user_mb) ? mib(u.assistant_user_mb) : t('storage.noLimit') }),
    t('storage.bound.whatif', { limit: some(u.whatif_sessions_per_user) ? n.format(u.whatif_sessions_per_user) : t('storage.noLimit') }),
    t('storage.bound.almTenant', { limit: some(u.alm_disk_budget_mb) ? mib(u.alm_disk_budget_mb) : t('storage.noLimit') }),
    t('storage.bound.almUser', { limit: some(u.alm_user_budget_mb) ? mib(u.alm_user_budget_mb) : t('storage.noLimit') }),
    some(u.snapshot_report_retention_days)
      ? t('storage.bound.snapshotReports', { count: u.snapshot_report_retention_days })
      : t('storage.bound.snapshotReportsKept'),
  ];
}
