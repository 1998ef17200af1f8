// The portfolio's daily report (keel.report/1) in the page, with downloads from GET
// .../report/download: report.md with its chart SVGs and positions.csv (one zip, since the
// markdown's charts are separate files), report.json, positions.csv and report.xlsx. Each section
// is shown as the API gives it: its figures in a table (formatted by their unit suffix, as
// docs/reports.md names them), its lists as tables, and a section that is not ok with its reason.
// Every key is shown by its label (the label table of src/app/i18n.ts), never as the key itself.
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api, download, seg } from '../../api/client';
import type { Report } from '../../api/types';
import { fieldLabel, type PlainKey } from '../../app/i18n';
import { useSession } from '../../app/session';
import { safeFileName } from '../../app/text';
import { useTitle } from '../../app/title';
import { figure } from '../../components/keyValues';
import { ErrorBox, Loading } from '../../components/States';
import { KpiStrip } from '../risk/Dashboard';

// The sections in document order, with their headings (those of report.md).
export const SECTIONS: [keyof Report, PlainKey][] = [
  ['provenance', 'report.s.provenance'],
  ['data_quality', 'report.s.data_quality'],
  ['exposures', 'report.s.exposures'],
  ['greeks', 'report.s.greeks'],
  ['factors', 'report.s.factors'],
  ['var', 'report.s.var'],
  ['stress', 'report.s.stress'],
  ['correlation', 'report.s.correlation'],
  ['concentration', 'report.s.concentration'],
  ['history', 'report.s.history'],
];

type Row = Record<string, unknown>;

// `list`: the field the rows are the list of (a stress row's `name` is a scenario, a step's a step).
function RowsTable({ name, rows, list }: { name: string; rows: Row[]; list: string }) {
  const { fmt, t } = useSession();
  const shown = rows.slice(0, 50);
  const cols = Object.keys(shown[0] ?? {}).filter((c) => shown.some((r) => typeof r[c] !== 'object' || r[c] === null));
  return (
    <div className="scroller" tabIndex={0} role="region" aria-label={t('table.scrollable', { label: name })}>
      <table className="list" aria-label={name}>
        <caption>{name}{rows.length > shown.length ? t('report.firstOf', { shown: shown.length, total: rows.length }) : ''}</caption>
        <thead><tr>{cols.map((c) => <th key={c} data-field={c}>{fieldLabel(t, c)}</th>)}</tr></thead>
        <tbody>
          {shown.map((r, i) => (
            <tr key={i}>{cols.map((c) => <td key={c} className={typeof r[c] === 'number' ? 'num' : ''}>{figure(fmt, t, c, r[c], list)}</td>)}</tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Section({ id, title, section }: { id: string; title: string; section: Row }) {
  const { fmt, t } = useSession();
  const ok = section.status === 'ok';
  const scalars = Object.entries(section).filter(([k, v]) => k !== 'status' && k !== 'reason' && (v === null || typeof v !== 'object'));
  const tables = Object.entries(section).filter(([, v]) => Array.isArray(v) && v.length > 0 && typeof v[0] === 'object') as [string, Row[]][];
  const series = Object.entries(section).filter(([, v]) => Array.isArray(v) && v.length > 0 && typeof v[0] !== 'object') as [string, unknown[]][];
  return (
    <section className="report-section" data-section={id} aria-labelledby={`h-${id}`}>
      <h2 id={`h-${id}`}>{title}</h2>
      {!ok ? (
        <p className="muted">{t('report.na', { reason: String(section.reason ?? section.status) })}</p>
      ) : (
        <>
          {scalars.length > 0 && (
            <table className="list kv" aria-label={t('report.figures', { title })}>
              <tbody>
                {scalars.map(([k, v]) => (
                  <tr key={k} data-field={k}><th scope="row">{fieldLabel(t, k)}</th><td className={typeof v === 'number' ? 'num' : ''}>{figure(fmt, t, k, v, id)}</td></tr>
                ))}
              </tbody>
            </table>
          )}
          {series.map(([k, v]) => <p key={k} className="muted small">{t('report.series', { label: fieldLabel(t, k), count: v.length })}</p>)}
          {tables.map(([k, rows]) => <RowsTable key={k} name={`${title}: ${fieldLabel(t, k)}`} rows={rows} list={k} />)}
        </>
      )}
    </section>
  );
}

const DOWNLOADS: Record<string, PlainKey> = {
  zip: 'report.dl.zip',
  json: 'report.dl.json',
  csv: 'report.dl.csv',
  xlsx: 'report.dl.xlsx',
};

export function ReportView({ portfolio }: { portfolio: string }) {
  const { t, fmt } = useSession();
  const q = useQuery({ queryKey: ['report', portfolio], queryFn: () => api<Report>('GET', `/api/v1/portfolios/${seg(portfolio)}/report`) });
  const [failed, setFailed] = useState<unknown>(null);
  useTitle(t('report.docTitle', { name: portfolio }));
  if (q.isLoading) return <Loading what={t('dash.loading.report')} />;
  if (q.error) return <ErrorBox error={q.error} />;
  const r = q.data!;
  const get = (format: string) => {
    setFailed(null);
    download(`/api/v1/portfolios/${seg(portfolio)}/report/download?format=${format}`, safeFileName(`${portfolio}.${format}`)).catch(
      setFailed,
    );
  };
  return (
    <section>
      <h1>{t('report.title', { name: portfolio, date: fmt.date(r.as_of) })}</h1>
      <p>
        {t('report.download')}{' '}
        {Object.entries(DOWNLOADS).map(([f, label]) => (
          <button key={f} type="button" onClick={() => get(f)} data-testid={`download-${f}`}>
            {t(label)}
          </button>
        ))}
      </p>
      {failed !== null && <ErrorBox error={failed} />}
      <p className="muted small">{t('report.generated', { at: fmt.date(r.generated_at), version: r.keel_version, schema: r.schema })}</p>
      <p data-testid="report-currency">{t('report.currency', { currency: r.summary.currency })}</p>
      <KpiStrip report={r} />
      {SECTIONS.map(([k, title]) => <Section key={k} id={k} title={t(title)} section={r[k] as unknown as Row} />)}
      {r.steps.length > 0 && <RowsTable name={t('report.steps')} rows={r.steps as unknown as Row[]} list="steps" />}
    </section>
  );
}
