// A day's kept report: the report.json the daily batch stored with that day's snapshot (GET
// /api/v1/portfolios/{id}/history/{as_of}/report), shown by ReportView at
// /portfolios/{id}/report?snapshot=YYYY-MM-DD as it was computed then, instead of the current
// report (GET /api/v1/portfolios/{id}/report). The server drops kept reports after its
// --snapshot-report-retention-days (a history point's report_kept turns false; its figures stay).
import { seg } from '../../api/client';

// The day the URL's ?snapshot= names, else none (the current report). The server checks the date:
// one it cannot read is its error, shown as such, never the current report in its place.
export function snapshotDate(query: URLSearchParams): string | undefined {
  const d = (query.get('snapshot') ?? '').trim();
  return d === '' ? undefined : d;
}

// The app's page of the report: the current one, or the one kept on `date`.
export function reportPage(portfolio: string, date?: string): string {
  return `/portfolios/${seg(portfolio)}/report` + (date ? `?snapshot=${encodeURIComponent(date)}` : '');
}

// The API's path of the report: the current one, or the one kept on `date` (its dots encoded too,
// so that a day of ".." cannot resolve to the current report's path).
export function reportApiPath(portfolio: string, date?: string): string {
  const p = `/api/v1/portfolios/${seg(portfolio)}`;
  return date ? `${p}/history/${seg(date).replace(/\./g, '%2E')}/report` : `${p}/report`;
}

// The report format the view lays out. A report the batch kept in an older format (keel.report/1
// restated the analyses under report-specific names) is served as it was kept: the view says so,
// and offers its report.json, instead of laying it out.
export const REPORT_SCHEMA = 'keel.report/2';

export const readsSchema = (schema: unknown): boolean => schema === REPORT_SCHEMA;
