// The health tab's words and figures (docs/health.md): a check's figure is a weight of the gross
// market value, or a count when its unit is "positions"; its status is said in words with the
// colour only as a second cue; the summary counts the checks in warn and in alert.
import type { Schemas } from '../../api/client';
import type { Fmt } from '../../app/format';
import type { Translate } from '../../app/i18n';

export type BookHealth = Schemas['BookHealthResult'];
export type HealthCheck = Schemas['HealthCheck'];

// The limits a person may change (BookHealthRequest; in the URL, weights typed in percent).
export const HEALTH_LIMITS = [
  'max_position_weight',
  'max_top_five_weight',
  'max_sector_weight',
  'max_unclassified_weight',
  'max_foreign_weight',
  'max_cash_weight',
  'stale_days',
  'expiry_days',
];

// Whether a check counts positions (expiring options, positions not valued) rather than weighing them.
export const isCount = (c: Pick<HealthCheck, 'unit'>): boolean => c.unit === 'positions';

// A check's figure or limit as text: a count, or a percent of the gross with one decimal; a check
// with nothing to measure (null) has none.
export function healthFigure(fmt: Fmt, c: Pick<HealthCheck, 'unit'>, x: number | null | undefined): string {
  return isCount(c) ? fmt.num(x, 0) : fmt.pct(x, 1);
}

// The badge of a status: the zone colours of the backtest (green, yellow, red), none for na.
const STATUS_CLASS: Record<string, string> = { ok: 'zone zone-green', warn: 'zone zone-yellow', alert: 'zone zone-red' };
export const statusClass = (status: string): string => STATUS_CLASS[status] ?? 'zone muted';

// "3 warnings, 1 alert": the checks in warn and in alert.
export function healthSummary(t: Translate, h: Pick<BookHealth, 'warnings' | 'alerts'>): string {
  return t('dash.health.summary', { warnings: t('dash.health.warnings', { count: h.warnings }), alerts: t('dash.health.alerts', { count: h.alerts }) });
}
