// The portfolio's daily report (keel.report/2) in the page, laid out as report.md is
// (src/service/report_markdown.cpp): the title block (as of, generation, currency, provenance) and
// the KPI strip, then the executive summary, positions and exposures, Greeks, factor exposures,
// VaR and ES, stress tests, factor attribution (when the report has it), correlation highlights,
// concentration, value history, data quality and the run steps — each with report.md's heading,
// sentence, tables (the same columns in the same order, labelled from the label table) and charts
// (its five, drawn with ECharts in a chunk loaded after the figures, in boxes of a fixed height).
// Amounts carry the report's currency, fractions are percentages. A section that is not ok says
// why; what a section holds beyond report.md's layout is listed under it ("More figures"), and a
// section the server adds later is shown generically, so nothing of the API's document is lost.
// The analysis sections embed their use case's API result as the API returns it; the page derives
// what report.md derives from them (reportLayout.ts). A report kept in another format (keel.report/1,
// before the sections embedded the results) is not laid out: the page says so.
// Downloads from GET .../report/download: report.md with its chart SVGs and positions.csv (one
// zip), report.json, positions.csv and report.xlsx. With ?snapshot=YYYY-MM-DD the page is the
// report the daily batch kept with that day's snapshot, as computed then (keptReport.ts).
import { useMemo, useState, type ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { ColumnDef } from '@tanstack/react-table';
import { api, download, seg } from '../../api/client';
import type { ExposureGroup, GreeksPosition, Report, ReportCorrelationPair, ReportPositionRow, VarContribution, VarMethodResult } from '../../api/types';
import { choiceLabel, fieldLabel, type PlainKey, type Translate } from '../../app/i18n';
import { labelOf, valueLabel } from '../../app/labels';
import { navigate } from '../../app/router';
import { useSession } from '../../app/session';
import { safeFileName } from '../../app/text';
import { useTitle } from '../../app/title';
import { DataTable } from '../../components/DataTable';
import { KeyValues } from '../../components/KeyValues';
import { figure } from '../../components/keyValues';
import { ErrorBox, Loading } from '../../components/States';
import { TableScroll } from '../../components/TableScroll';
import { Zone } from '../portfolios/PortfoliosView';
import { KpiStrip } from '../risk/KpiStrip';
import { readsSchema, reportApiPath, reportPage } from './keptReport';
import { BarsChart, HistoryChart, PnlChart } from './ReportCharts';
import {
  attributionFactorRows,
  barChartHeight,
  extraFields,
  factorRows,
  finite,
  groupWeight,
  histogramBins,
  isAmount,
  isOk,
  lastItems,
  optionPositions,
  optionTotals,
  SECTIONS,
  shareOfNet,
  stepsTotal,
  stressRows,
  topContributors,
  unknownSections,
  varMethod,
  type AttributionFactorRow,
  type FactorRow,
  type StressRow,
  type TitleBlock,
} from './reportLayout';
import {
  attributionText,
  backtestParams,
  concentrationText,
  correlationText,
  dataQualityText,
  factorsText,
  money,
  pct,
  provenanceText,
  quantity,
  riskParams,
  scenarioName,
  stressText,
  summarySentences,
  text,
  varText,
  type Words,
} from './reportText';

export { SECTIONS };


const PNL_CHART_PX = 320;
const HISTORY_CHART_PX = 300;

type Row = Record<string, unknown>;

const capitalised = (s: string) => (s ? s[0]!.toUpperCase() + s.slice(1) : s);
// A figure that never breaks inside itself ("-USD 3,455.28"), in a cell whose text may wrap.
const nb = (s: string) => <span className="nb">{s}</span>;

// --- building blocks -----------------------------------------------------------------------------

interface Col<R> {
  field: string;
  label: string;
  num?: boolean;
  cell: (r: R) => ReactNode;
}

// A table of rows with report.md's columns, in its own scrolling box on a narrow screen, the
// row's key column pinned. `foot`: a total row.
function Table<R>({ label, cols, rows, caption, foot, testId }: { label: string; cols: Col<R>[]; rows: R[]; caption?: string; foot?: ReactNode; testId?: string }) {
  return (
    <TableScroll label={label} testId={testId}>
      <table className="list pinned" aria-label={label}>
        {caption && <caption>{caption}</caption>}
        <thead>
          <tr>{cols.map((c) => <th key={c.field} scope="col" data-field={c.field} className={c.num ? 'num' : undefined}>{c.label}</th>)}</tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i}>{cols.map((c) => <td key={c.field} data-field={c.field} className={c.num ? 'num' : undefined}>{c.cell(r)}</td>)}</tr>
          ))}
        </tbody>
        {foot}
      </table>
    </TableScroll>
  );
}

interface KvRow {
  field: string;
  label: string;
  value: ReactNode;
  num?: boolean;
}

// report.md's two-column tables (Metric | Value, Exposure | Amount): a row per figure, keyed by
// its field (data-field).
function KvTable({ label, head, rows }: { label: string; head: [string, string]; rows: KvRow[] }) {
  return (
    <TableScroll label={label}>
      <table className="list kv" aria-label={label}>
        <thead>
          <tr><th scope="col">{head[0]}</th><th scope="col" className="num">{head[1]}</th></tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.field} data-field={r.field}><th scope="row">{r.label}</th><td className={r.num === false ? undefined : 'num'}>{r.value}</td></tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

// `exposures`: report.md's "Exposures: N/A — …" (the heading also covers the positions).
function NotAvailable({ section, exposures }: { section: { status?: string; reason?: string }; exposures?: boolean }) {
  const { t } = useSession();
  const reason = String(section.reason ?? section.status ?? '');
  return <p className="muted" data-testid="not-ok">{exposures ? t('report.exp.na', { reason }) : t('report.na', { reason })}</p>;
}

// A chart, named by its label, which is also its caption (Chart.tsx keeps its box at its final
// height until ECharts arrives).
function Figure({ id, label, children }: { id: string; label: string; children: ReactNode }) {
  return (
    <figure className="report-chart" data-chart={id}>
      {children}
      <figcaption className="muted small">{label}</figcaption>
    </figure>
  );
}

function NotDrawn({ id, reason }: { id: string; reason: string }) {
  const { t } = useSession();
  return <p className="muted small" data-chart-missing={id}><em>{t('report.chart.notDrawn', { reason })}</em></p>;
}

// A value of a field the page does not lay out: an amount in the report's currency, anything else
// by the unit its name carries (keyValues.figure; a path's by its last field).
function formatter(w: Words) {
  return (k: string, v: unknown, within?: string): string =>
    typeof v === 'number' && isAmount(k) ? money(w, v) : figure(w.fmt, w.t, k.slice(k.lastIndexOf('.') + 1), v, within);
}

// A field's words; a path's (notional.gross) the table's words for it when it has them
// ("Notional gross"), else its fields' ("Totals › Dollar delta").
function keyLabel(t: Translate, key: string): string {
  if (!key.includes('.')) return fieldLabel(t, key);
  const joined = key.replace(/\./g, '_');
  return t.has(`field.${joined}`) ? fieldLabel(t, joined) : key.split('.').map((k) => fieldLabel(t, k)).join(' › ');
}

// A list of objects as a table whose columns are the union of the rows' keys (first seen first).
function RowsTable({ name, rows, list, w }: { name: string; rows: Row[]; list: string; w: Words }) {
  const value = formatter(w);
  const shown = rows.slice(0, 50);
  const cols: string[] = [];
  for (const r of shown) for (const [k, v] of Object.entries(r)) if (!cols.includes(k) && (typeof v !== 'object' || v === null)) cols.push(k);
  return (
    <Table
      label={name}
      caption={name + (rows.length > shown.length ? w.t('report.firstOf', { shown: shown.length, total: rows.length }) : '')}
      cols={cols.map((c) => ({ field: c, label: keyLabel(w.t, c), num: shown.some((r) => typeof r[c] === 'number'), cell: (r: Row) => value(c, r[c], list) }))}
      rows={shown}
    />
  );
}

// What a section holds beyond report.md's layout, generically: its figures as a key/value table,
// its lists of texts (warnings) as lists, its lists of objects as tables, a series (or a matrix's
// rows) by its length.
function Extras({ id, title, entries, w }: { id: string; title: string; entries: [string, unknown][]; w: Words }) {
  const value = formatter(w);
  if (entries.length === 0) return null;
  const scalars = entries.filter(([, v]) => v === null || typeof v !== 'object');
  const texts = entries.filter(([, v]) => Array.isArray(v) && v.every((x) => typeof x === 'string')) as [string, string[]][];
  const series = entries.filter(([, v]) => Array.isArray(v) && v.length > 0 && v.every((x) => x === null || typeof x === 'number' || Array.isArray(x))) as [string, unknown[]][];
  const tables = entries.filter(([, v]) => Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'object' && x !== null && !Array.isArray(x))) as [string, Row[]][];
  // Anything else (a nested object, a list of lists): as key/value rows.
  const placed = new Set<unknown>([...scalars, ...texts, ...series, ...tables]);
  const objects = entries.filter((e) => !placed.has(e));
  const more = w.t('report.figures', { title });
  return (
    <div className="report-more" data-testid={`more-${id}`}>
      {scalars.length > 0 && (
        <KvTable
          label={more}
          head={[w.t('report.more'), w.t('field.value')]}
          rows={scalars.map(([k, v]) => ({ field: k, label: keyLabel(w.t, k), value: value(k, v, id), num: typeof v === 'number' }))}
        />
      )}
      {texts.map(([k, v]) => (
        <div key={k} data-field={k}>
          <p className="small">{keyLabel(w.t, k)}:</p>
          <ul className="small">{v.map((s, i) => <li key={i}>{s}</li>)}</ul>
        </div>
      ))}
      {series.map(([k, v]) => <p key={k} className="muted small" data-field={k}>{w.t('report.series', { label: keyLabel(w.t, k), count: v.length })}</p>)}
      {tables.map(([k, rows]) => <RowsTable key={k} name={`${title}: ${keyLabel(w.t, k)}`} rows={rows} list={k} w={w} />)}
      {objects.map(([k, v]) => (
        <div key={k} data-field={k}>
          <KeyValues value={v} label={`${title}: ${keyLabel(w.t, k)}`} json={false} />
        </div>
      ))}
    </div>
  );
}

// A section of the page: its heading (level 2, as report.md's ##) and its content.
function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section className="report-section" data-section={id} aria-labelledby={`h-${id}`}>
      <h2 id={`h-${id}`}>{title}</h2>
      {children}
    </section>
  );
}

// --- sections ------------------------------------------------------------------------------------

function Provenance({ report, w }: { report: Report; w: Words }) {
  const p = report.provenance;
  const title = w.t('report.s.provenance');
  return (
    <section className="report-section" data-section="provenance" aria-label={title}>
      <p>
        <strong>{title}:</strong>{' '}
        {isOk(p) ? provenanceText(w, p) : w.t('report.na', { reason: String(p.reason ?? p.status) })}
      </p>
      {isOk(p) && <Extras id="provenance" title={title} entries={extraFields('provenance', p)} w={w} />}
    </section>
  );
}

function Summary({ report, w }: { report: Report; w: Words }) {
  const { t, fmt } = w;
  const { rich } = useSession();
  const s = report.summary;
  const title = t('report.s.summary');
  if (!isOk(s)) return <Section id="summary" title={title}><NotAvailable section={s} /></Section>;
  const r = riskParams(w, report);
  const rows: KvRow[] = [
    { field: 'positions_count', label: fieldLabel(t, 'positions_count'), value: fmt.num(s.positions_count, 0) },
    { field: 'net_value_amount', label: fieldLabel(t, 'net_value_amount'), value: money(w, s.net_value_amount) },
    { field: 'gross_value_amount', label: fieldLabel(t, 'gross_value_amount'), value: money(w, s.gross_value_amount) },
    { field: 'long_short_value', label: t('report.sum.longShort'), value: <>{nb(money(w, s.long_value_amount))} / {nb(money(w, s.short_value_amount))}</> },
    { field: 'pnl_1d_amount', label: fieldLabel(t, 'pnl_1d_amount'), value: <>{nb(money(w, s.pnl_1d_amount))} ({pct(w, s.pnl_1d_pct)})</> },
    { field: 'var_amount', label: t('report.sum.var', r), value: rich('report.sum.ofNet', { amount: nb(money(w, s.var_amount)), pct: pct(w, s.var_pct) }) },
    { field: 'es_amount', label: t('report.sum.es', r), value: rich('report.sum.ofNet', { amount: nb(money(w, s.es_amount)), pct: pct(w, shareOfNet(s.es_amount, s.net_value_amount)) }) },
    { field: 'backtest_zone', label: fieldLabel(t, 'backtest_zone'), value: <Zone zone={s.backtest_zone} /> },
    { field: 'beta_mkt', label: fieldLabel(t, 'beta_mkt'), value: fmt.num(s.beta_mkt, 2) },
    { field: 'worst_stress_scenario', label: fieldLabel(t, 'worst_stress_scenario'), value: <>{scenarioName(w, report, s.worst_stress_scenario)}: {nb(money(w, s.worst_stress_pnl_amount))}</> },
    { field: 'largest_position_symbol', label: fieldLabel(t, 'largest_position_symbol'), value: t('report.sum.largest', { symbol: text(s.largest_position_symbol), pct: pct(w, s.largest_position_weight) }) },
    { field: 'data_warnings_count', label: fieldLabel(t, 'data_warnings_count'), value: fmt.num(s.data_warnings_count, 0) },
  ];
  return (
    <Section id="summary" title={title}>
      <KvTable label={title} head={[t('report.col.metric'), t('field.value')]} rows={rows} />
      <p data-testid="summary-text">{summarySentences(w, report).join(' ')}</p>
      <Extras id="summary" title={title} entries={extraFields('summary', s)} w={w} />
    </Section>
  );
}

// What the report's title block says, which an embedded result repeats (extraFields leaves it out).
const titleOf = (report: Report): TitleBlock => ({ as_of: report.as_of, portfolio: report.portfolio, currency: report.summary.currency });

// A group's columns (report.md's): its key, positions, gross, net, delta-adjusted net and weight of
// the book's gross.
function groupCols(w: Words, key: 'sector' | 'type', bookGross: number | null | undefined): Col<ExposureGroup>[] {
  const { t, fmt } = w;
  return [
    { field: key, label: fieldLabel(t, key), cell: (g) => (key === 'type' ? choiceLabel(t, 'type', g.key) : g.key) },
    { field: 'positions', label: fieldLabel(t, 'positions'), num: true, cell: (g) => fmt.num(g.positions, 0) },
    { field: 'gross', label: fieldLabel(t, 'gross'), num: true, cell: (g) => money(w, g.gross) },
    { field: 'net', label: fieldLabel(t, 'net'), num: true, cell: (g) => money(w, g.net) },
    { field: 'delta_adjusted_net', label: fieldLabel(t, 'delta_adjusted_net'), num: true, cell: (g) => money(w, g.delta_adjusted?.net) },
    { field: 'weight', label: fieldLabel(t, 'weight'), num: true, cell: (g) => pct(w, groupWeight(g, bookGross)) },
  ];
}

function Groups({ id, title, rows, cols, w }: { id: string; title: string; rows: ExposureGroup[]; cols: Col<ExposureGroup>[]; w: Words }) {
  return rows.length ? <Table label={title} cols={cols} rows={rows} testId={`table-${id}`} /> : <p>{w.t('report.groups.none')}</p>;
}

function SectorChart({ report, w }: { report: Report; w: Words }) {
  const rows = useMemo(() => (report.exposures.groups ?? []).filter((g) => finite(g.net) !== undefined), [report]);
  const categories = useMemo(() => rows.map((g) => g.key), [rows]);
  const series = useMemo(() => [{ name: w.t('field.net_amount'), values: rows.map((g) => g.net) }], [rows, w]);
  if (!rows.length) return <NotDrawn id="sector" reason={w.t('report.chart.noRows')} />;
  const label = w.t('report.chart.sector', { currency: w.currency });
  const height = barChartHeight(rows.length);
  return (
    <Figure id="sector" label={label}>
      <BarsChart categories={categories} series={series} label={label} height={height} valueName={w.currency} amounts />
    </Figure>
  );
}

// The exposures result grouped by sector (its groups) and the same book's groups by type.
function Exposures({ report, w }: { report: Report; w: Words }) {
  const { t } = w;
  const e = report.exposures;
  const title = t('report.s.exposures');
  const amounts: [string, number | null | undefined][] = [
    ['gross', e.gross],
    ['net', e.net],
    ['long', e.long],
    ['short', e.short],
    ['delta_adjusted_gross', e.delta_adjusted?.gross],
    ['delta_adjusted_net', e.delta_adjusted?.net],
  ];
  return (
    <Section id="exposures" title={title}>
      {!isOk(e) ? (
        <NotAvailable section={e} exposures />
      ) : (
        <>
          <KvTable
            label={t('report.col.exposure')}
            head={[t('report.col.exposure'), t('report.col.amountIn', { currency: w.currency })]}
            rows={amounts.map(([k, v]) => ({ field: k, label: fieldLabel(t, k), value: money(w, v) }))}
          />
          <h3 id="h-by-sector">{t('report.s.bySector')}</h3>
          <Groups id="by-sector" title={t('report.s.bySector')} rows={e.groups ?? []} cols={groupCols(w, 'sector', e.gross)} w={w} />
          <SectorChart report={report} w={w} />
          <h3 id="h-by-type">{t('report.s.byType')}</h3>
          <Groups id="by-type" title={t('report.s.byType')} rows={e.by_type ?? []} cols={groupCols(w, 'type', e.gross)} w={w} />
          <Extras id="exposures" title={title} entries={extraFields('exposures', e, titleOf(report))} w={w} />
        </>
      )}
      <Positions report={report} w={w} />
    </Section>
  );
}

function Positions({ report, w }: { report: Report; w: Words }) {
  const { t, fmt } = w;
  const p = report.positions;
  const title = t('report.s.positions');
  const columns = useMemo<ColumnDef<ReportPositionRow, unknown>[]>(() => {
    const amount = (k: keyof ReportPositionRow, header: string): ColumnDef<ReportPositionRow, unknown> => ({
      accessorKey: k, header, meta: { num: true }, cell: (c) => money(w, c.getValue() as number | null),
    });
    return [
      { accessorKey: 'symbol', header: fieldLabel(t, 'symbol') },
      { accessorKey: 'type', header: fieldLabel(t, 'type'), cell: (c) => choiceLabel(t, 'type', String(c.getValue() ?? '')) },
      { accessorKey: 'sector', header: fieldLabel(t, 'sector') },
      { accessorKey: 'quantity', header: fieldLabel(t, 'quantity'), meta: { num: true }, cell: (c) => quantity(w, c.getValue() as number | null) },
      // A price is in the position's own currency.
      { accessorKey: 'price', header: fieldLabel(t, 'price'), meta: { num: true }, cell: (c) => fmt.price(c.getValue() as number | null, c.row.original.currency || w.currency) },
      amount('market_value_amount', t('common.inCurrency', { label: fieldLabel(t, 'market_value_amount'), currency: w.currency })),
      { accessorKey: 'weight', header: fieldLabel(t, 'weight'), meta: { num: true }, cell: (c) => pct(w, c.getValue() as number | null) },
      amount('pnl_1d_amount', fieldLabel(t, 'pnl_1d_amount')),
      amount('component_var_amount', fieldLabel(t, 'component_var_amount')),
    ];
  }, [w, t, fmt]);
  const rows = p.rows ?? [];
  return (
    <section className="report-section" data-section="positions" aria-labelledby="h-positions">
      <h3 id="h-positions">{title}</h3>
      {!isOk(p) ? (
        <NotAvailable section={p} />
      ) : rows.length === 0 ? (
        <p>{t('report.positions.none')}</p>
      ) : (
        <>
          <DataTable data={rows} columns={columns} label={title} />
          <p className="muted small">{t('report.positions.all', { count: Object.keys(rows[0] ?? {}).length })}</p>
        </>
      )}
      {isOk(p) && <Extras id="positions" title={title} entries={extraFields('positions', p, titleOf(report))} w={w} />}
    </section>
  );
}

// The Greeks result's options (its positions list every position), and report.md's totals over them.
function Greeks({ report, w }: { report: Report; w: Words }) {
  const { t, fmt } = w;
  const g = report.greeks;
  const title = t('report.s.greeks');
  if (!isOk(g)) return <Section id="greeks" title={title}><NotAvailable section={g} /></Section>;
  const currencyOf = (symbol: string) => report.positions.rows?.find((r) => r.symbol === symbol)?.currency || w.currency;
  const options = optionPositions(g.positions);
  const totals = optionTotals(options);
  const cols: Col<GreeksPosition>[] = [
    { field: 'symbol', label: t('report.col.option'), cell: (o) => o.symbol },
    { field: 'underlying', label: fieldLabel(t, 'underlying'), cell: (o) => o.underlying },
    { field: 'quantity', label: fieldLabel(t, 'quantity'), num: true, cell: (o) => quantity(w, o.quantity) },
    { field: 'price', label: fieldLabel(t, 'price'), num: true, cell: (o) => fmt.price(o.price, currencyOf(o.symbol)) },
    { field: 'vol', label: fieldLabel(t, 'implied_vol'), num: true, cell: (o) => pct(w, finite(o.vol)) },
    { field: 'delta', label: fieldLabel(t, 'delta'), num: true, cell: (o) => fmt.num(o.delta, 4) },
    { field: 'gamma', label: fieldLabel(t, 'gamma'), num: true, cell: (o) => fmt.num(o.gamma, 4) },
    { field: 'dollar_delta', label: fieldLabel(t, 'dollar_delta'), num: true, cell: (o) => money(w, o.dollar_delta) },
    { field: 'vega_per_point', label: fieldLabel(t, 'vega_per_point'), num: true, cell: (o) => money(w, o.vega_per_point) },
    { field: 'theta_per_day', label: fieldLabel(t, 'theta_per_day'), num: true, cell: (o) => money(w, o.theta_per_day) },
  ];
  return (
    <Section id="greeks" title={title}>
      <KvTable
        label={title}
        head={[t('report.col.greek'), t('field.value')]}
        rows={[
          { field: 'options_count', label: fieldLabel(t, 'options_count'), value: fmt.num(totals.options, 0) },
          ...(['dollar_delta', 'dollar_gamma_1pct', 'vega_per_point', 'theta_per_day', 'rho_per_point'] as const).map((k) => ({
            field: k,
            label: fieldLabel(t, k),
            value: money(w, totals[k]),
          })),
        ]}
      />
      {options.length > 0 && <Table label={fieldLabel(t, 'options')} cols={cols} rows={options} testId="table-options" />}
      <Extras id="greeks" title={title} entries={extraFields('greeks', g, titleOf(report))} w={w} />
    </Section>
  );
}

// The factors result: the book's beta, t-statistic and exposure per factor, in the result's order.
function Factors({ report, w }: { report: Report; w: Words }) {
  const { t, fmt } = w;
  const f = report.factors;
  const title = t('report.s.factors');
  const betas = useMemo(() => factorRows(f), [f]);
  const drawn = useMemo(() => betas.filter((b) => finite(b.beta) !== undefined), [betas]);
  const categories = useMemo(() => drawn.map((b) => labelOf(t, 'factor', b.factor)), [drawn, t]);
  const series = useMemo(() => [{ name: fieldLabel(t, 'beta'), values: drawn.map((b) => b.beta) }], [drawn, t]);
  if (!isOk(f)) return <Section id="factors" title={title}><NotAvailable section={f} /></Section>;
  const cols: Col<FactorRow>[] = [
    { field: 'factor', label: fieldLabel(t, 'factor'), cell: (b) => labelOf(t, 'factor', b.factor) },
    { field: 'beta', label: fieldLabel(t, 'beta'), num: true, cell: (b) => fmt.num(b.beta, 2) },
    { field: 't_stat', label: fieldLabel(t, 't_stat'), num: true, cell: (b) => fmt.num(b.t_stat, 2) },
    { field: 'exposure', label: fieldLabel(t, 'exposure_amount'), num: true, cell: (b) => money(w, b.exposure) },
  ];
  const label = t('report.chart.betas');
  const height = barChartHeight(drawn.length);
  return (
    <Section id="factors" title={title}>
      <p>{factorsText(w, f)}</p>
      {betas.length ? <Table label={fieldLabel(t, 'betas')} cols={cols} rows={betas} testId="table-betas" /> : <p>{t('report.factors.none')}</p>}
      {drawn.length ? (
        <Figure id="betas" label={label}>
          <BarsChart categories={categories} series={series} label={label} height={height} valueName={fieldLabel(t, 'beta')} amounts={false} />
        </Figure>
      ) : (
        <NotDrawn id="betas" reason={t('report.chart.noRows')} />
      )}
      <Extras id="factors" title={title} entries={extraFields('factors', f, titleOf(report))} w={w} />
    </Section>
  );
}

// The historical method's P&L histogram (the API's bins), with a line at -VaR.
function PnlDistribution({ historical, w }: { historical: VarMethodResult | undefined; w: Words }) {
  const { t, fmt } = w;
  const varAmount = finite(historical?.var);
  const marker = varAmount === undefined ? undefined : -varAmount;
  const h = useMemo(() => histogramBins(historical?.pnl_histogram, marker), [historical, marker]);
  if (!h.bins.length) return <NotDrawn id="pnl" reason={t('report.chart.noPnl')} />;
  const n = historical?.pnl_histogram?.total ?? 0;
  const confidence = pct(w, historical?.confidence);
  const label =
    marker === undefined
      ? t('report.chart.pnl', { count: n, currency: w.currency })
      : t('report.chart.pnlVar', { count: n, currency: w.currency, confidence, var: money(w, marker) });
  const markerLabel = t('report.chart.varLine', { confidence, amount: money(w, marker) });
  const tableLabel = `${label}: ${t('report.chart.table')}`;
  return (
    <>
      <Figure id="pnl" label={label}>
        <PnlChart bins={h.bins} lo={h.lo} hi={h.hi} marker={marker} markerLabel={markerLabel} currency={w.currency} label={label} height={PNL_CHART_PX} />
      </Figure>
      <details>
        <summary>{t('report.chart.table')}</summary>
        <Table
          label={tableLabel}
          cols={[
            { field: 'from', label: t('report.col.binFrom'), num: true, cell: (b) => money(w, b.from) },
            { field: 'to', label: t('report.col.binTo'), num: true, cell: (b) => money(w, b.to) },
            { field: 'count', label: t('report.chart.days'), num: true, cell: (b) => fmt.num(b.count, Number.isInteger(b.count) ? 0 : 2) },
          ]}
          rows={h.bins}
        />
      </details>
    </>
  );
}

// The VaR result: a row per method, the backtest (a section of its own within), the ten largest
// contributions and the historical P&L distribution.
function Var({ report, w }: { report: Report; w: Words }) {
  const { t, fmt } = w;
  const { rich } = useSession();
  const v = report.var;
  const title = t('report.s.var');
  if (!isOk(v)) return <Section id="var" title={title}><NotAvailable section={v} /></Section>;
  const methods = v.results ?? [];
  const methodCols: Col<VarMethodResult>[] = [
    // A row's name, capitalised as report.md has it ("Historical"; the choice's words are lower case).
    { field: 'method', label: fieldLabel(t, 'method'), cell: (m) => capitalised(choiceLabel(t, 'method', m.method)) },
    { field: 'var', label: fieldLabel(t, 'var_amount'), num: true, cell: (m) => money(w, m.var) },
    { field: 'es', label: fieldLabel(t, 'es_amount'), num: true, cell: (m) => money(w, m.es) },
    { field: 'var_pct', label: fieldLabel(t, 'var_pct'), num: true, cell: (m) => pct(w, m.var_pct) },
  ];
  const all = v.contributions ?? [];
  const top = topContributors(all, 10);
  const topCols: Col<VarContribution>[] = [
    { field: 'symbol', label: t('report.col.topContributor'), cell: (c) => c.symbol },
    { field: 'component_var', label: fieldLabel(t, 'component_var_amount'), num: true, cell: (c) => money(w, c.component_var) },
    { field: 'component_pct', label: t('report.col.shareOfVar'), num: true, cell: (c) => pct(w, c.component_pct) },
    { field: 'marginal_var', label: fieldLabel(t, 'marginal_var'), num: true, cell: (c) => fmt.num(c.marginal_var, 4) },
  ];
  const b = v.backtest;
  return (
    <Section id="var" title={title}>
      <p>{varText(w, v)}</p>
      {methods.length ? <Table label={fieldLabel(t, 'methods')} cols={methodCols} rows={methods} testId="table-methods" /> : <p>{t('report.var.none')}</p>}
      <p data-testid="backtest">
        {b && isOk(b)
          ? rich('report.var.backtest', { zone: <Zone zone={b.zone ?? null} />, ...backtestParams(w, b) })
          : t('report.var.noBacktest', { reason: b?.reason || t('report.var.noHistory') })}
      </p>
      {top.length > 0 && (
        <Table
          label={t('report.col.topContributor')}
          caption={all.length > top.length ? t('report.var.top', { shown: top.length, total: all.length }) : undefined}
          cols={topCols}
          rows={top}
          testId="table-contributors"
        />
      )}
      <PnlDistribution historical={varMethod(v, 'historical')} w={w} />
      <Extras id="var" title={title} entries={extraFields('var', v, titleOf(report))} w={w} />
    </Section>
  );
}

// The stress result: one row per scenario, its direct and correlated P&L side by side.
function Stress({ report, w }: { report: Report; w: Words }) {
  const { t } = w;
  const s = report.stress;
  const title = t('report.s.stress');
  const rows = useMemo(() => stressRows(s.scenarios ?? []), [s]);
  const methods = useMemo(() => (['direct', 'correlated'] as const).filter((m) => rows.some((r) => finite(r[m]?.pnl) !== undefined)), [rows]);
  const drawn = useMemo(() => rows.filter((r) => methods.some((m) => finite(r[m]?.pnl) !== undefined)), [rows, methods]);
  const categories = useMemo(() => drawn.map((r) => scenarioName(w, report, r.name)), [drawn, w, report]);
  const series = useMemo(() => methods.map((m) => ({ name: choiceLabel(t, 'stress', m), values: drawn.map((r) => r[m]?.pnl ?? null) })), [methods, drawn, t]);
  if (!isOk(s)) return <Section id="stress" title={title}><NotAvailable section={s} /></Section>;
  const cols: Col<StressRow>[] = [
    { field: 'name', label: t('common.scenario'), cell: (r) => scenarioName(w, report, r.name) },
    { field: 'label', label: fieldLabel(t, 'description'), cell: (r) => r.label },
    { field: 'direct_pnl', label: t('report.col.directPnl'), num: true, cell: (r) => (r.direct ? money(w, r.direct.pnl) : '—') },
    { field: 'direct_pnl_pct', label: t('report.col.directPct'), num: true, cell: (r) => (r.direct ? pct(w, r.direct.pnl_pct) : '—') },
    { field: 'correlated_pnl', label: t('report.col.correlatedPnl'), num: true, cell: (r) => (r.correlated ? money(w, r.correlated.pnl) : '—') },
    { field: 'correlated_pnl_pct', label: t('report.col.correlatedPct'), num: true, cell: (r) => (r.correlated ? pct(w, r.correlated.pnl_pct) : '—') },
  ];
  const label = t('report.chart.stress', { currency: w.currency });
  const height = barChartHeight(drawn.length * Math.max(1, methods.length));
  return (
    <Section id="stress" title={title}>
      <p>{stressText(w, report)}</p>
      {rows.length > 0 && <Table label={fieldLabel(t, 'scenarios')} cols={cols} rows={rows} testId="table-stress" />}
      {drawn.length ? (
        <Figure id="stress" label={label}>
          <BarsChart categories={categories} series={series} label={label} height={height} valueName={w.currency} amounts />
        </Figure>
      ) : (
        <NotDrawn id="stress" reason={t('report.chart.noRows')} />
      )}
      <Extras id="stress" title={title} entries={extraFields('stress', s, titleOf(report))} w={w} />
    </Section>
  );
}

// The factor attribution result: the factors' returns and P&L, each position's P&L by source and
// the book's.
function Attribution({ report, w }: { report: Report; w: Words }) {
  const { t } = w;
  const a = report.attribution;
  if (!a) return null;
  const title = t('report.s.attribution');
  if (!isOk(a)) return <Section id="attribution" title={title}><NotAvailable section={a} /></Section>;
  const factors = attributionFactorRows(a);
  const fcols: Col<AttributionFactorRow>[] = [
    { field: 'factor', label: fieldLabel(t, 'factor'), cell: (f) => labelOf(t, 'factor', f.factor) },
    { field: 'return', label: fieldLabel(t, 'return'), num: true, cell: (f) => pct(w, f.return) },
    { field: 'amount', label: fieldLabel(t, 'pnl_amount'), num: true, cell: (f) => money(w, f.amount) },
  ];
  interface P {
    symbol: string;
    market_value: number | null;
    pnl_amount: number | null;
    factor_amount: number | null;
    risk_free_amount: number | null;
    alpha_amount: number | null;
    residual_amount: number | null;
  }
  const b = a.book;
  const book: P = {
    symbol: t('report.attr.book'),
    market_value: b?.market_value ?? null,
    pnl_amount: b?.pnl_amount ?? null,
    factor_amount: b?.factor_amount ?? null,
    risk_free_amount: b?.risk_free_amount ?? null,
    alpha_amount: b?.alpha_amount ?? null,
    residual_amount: b?.residual_amount ?? null,
  };
  const amounts = ['pnl_amount', 'factor_amount', 'risk_free_amount', 'alpha_amount', 'residual_amount'] as const;
  const pcols: Col<P>[] = [
    { field: 'symbol', label: t('report.col.position'), cell: (p) => p.symbol },
    { field: 'market_value', label: fieldLabel(t, 'value'), num: true, cell: (p) => money(w, p.market_value) },
    ...amounts.map((k) => ({ field: k, label: fieldLabel(t, k), num: true, cell: (p: P) => money(w, p[k]) })),
  ];
  return (
    <Section id="attribution" title={title}>
      <p>{attributionText(w, a)}</p>
      {factors.length > 0 && <Table label={fieldLabel(t, 'factors')} cols={fcols} rows={factors} />}
      <Table label={fieldLabel(t, 'positions')} cols={pcols} rows={[...(a.positions ?? []), book]} />
      {(a.excluded ?? []).map((x, i) => <p key={i}>{t('report.attr.excluded', { what: `${x.symbol}: ${x.reason}` })}</p>)}
      <Extras id="attribution" title={title} entries={extraFields('attribution', a, titleOf(report))} w={w} />
    </Section>
  );
}

// The correlation result with the report's highlights: the most and least correlated pairs.
function Correlation({ report, w }: { report: Report; w: Words }) {
  const { t, fmt } = w;
  const c = report.correlation;
  const title = t('report.s.correlation');
  if (!isOk(c)) return <Section id="correlation" title={title}><NotAvailable section={c} /></Section>;
  const cols = (head: string): Col<ReportCorrelationPair>[] => [
    { field: 'a', label: head, cell: (p) => p.a },
    { field: 'b', label: t('report.col.with'), cell: (p) => p.b },
    { field: 'correlation', label: fieldLabel(t, 'correlation'), num: true, cell: (p) => fmt.num(p.correlation, 2) },
  ];
  const most = t('report.col.mostCorrelated');
  const least = t('report.col.leastCorrelated');
  return (
    <Section id="correlation" title={title}>
      <p>{correlationText(w, c)}</p>
      {(c.highest_pairs ?? []).length > 0 && <Table label={most} cols={cols(most)} rows={c.highest_pairs ?? []} />}
      {(c.lowest_pairs ?? []).length > 0 && <Table label={least} cols={cols(least)} rows={c.lowest_pairs ?? []} />}
      <Extras id="correlation" title={title} entries={extraFields('correlation', c, titleOf(report))} w={w} />
    </Section>
  );
}

function Concentration({ report, w }: { report: Report; w: Words }) {
  const { t } = w;
  const c = report.concentration;
  const title = t('report.s.concentration');
  if (!isOk(c)) return <Section id="concentration" title={title}><NotAvailable section={c} /></Section>;
  const largest = t('report.col.largestPositions');
  return (
    <Section id="concentration" title={title}>
      <p>{concentrationText(w, c)}</p>
      {(c.largest ?? []).length > 0 && (
        <Table
          label={largest}
          cols={[
            { field: 'symbol', label: largest, cell: (r: { symbol: string }) => r.symbol },
            { field: 'weight', label: fieldLabel(t, 'weight'), num: true, cell: (r: { weight: number | null }) => pct(w, r.weight) },
          ]}
          rows={c.largest ?? []}
        />
      )}
      {(c.by_sector ?? []).length > 0 && (
        <Table
          label={`${title}: ${t('report.s.bySector')}`}
          cols={[
            { field: 'sector', label: fieldLabel(t, 'sector'), cell: (r: { sector: string }) => r.sector },
            { field: 'weight', label: fieldLabel(t, 'weight'), num: true, cell: (r: { weight: number | null }) => pct(w, r.weight) },
          ]}
          rows={c.by_sector ?? []}
        />
      )}
      <Extras id="concentration" title={title} entries={extraFields('concentration', c)} w={w} />
    </Section>
  );
}

type Point = NonNullable<Report['history']['points']>[number];

function History({ report, w }: { report: Report; w: Words }) {
  const { t, fmt } = w;
  const h = report.history;
  const title = t('report.s.history');
  const points = useMemo(() => h.points ?? [], [h]);
  const drawn = useMemo(() => points.filter((p) => finite(p.net_value_amount) !== undefined).map((p) => ({ as_of: p.as_of, value: finite(p.net_value_amount) ?? null })), [points]);
  if (!isOk(h)) return <Section id="history" title={title}><NotAvailable section={h} /></Section>;
  const cols: Col<Point>[] = [
    { field: 'as_of', label: fieldLabel(t, 'as_of'), cell: (p) => fmt.date(p.as_of) },
    { field: 'net_value_amount', label: fieldLabel(t, 'net_value_amount'), num: true, cell: (p) => money(w, finite(p.net_value_amount)) },
    { field: 'pnl_1d_amount', label: fieldLabel(t, 'pnl_1d_amount'), num: true, cell: (p) => money(w, finite(p.pnl_1d_amount)) },
    { field: 'var_amount', label: fieldLabel(t, 'var_amount'), num: true, cell: (p) => money(w, finite(p.var_amount)) },
    { field: 'es_amount', label: fieldLabel(t, 'es_amount'), num: true, cell: (p) => money(w, finite(p.es_amount)) },
  ];
  const shown = lastItems(points, 10);
  const label = drawn.length >= 2 ? t('report.chart.history', { from: fmt.date(drawn[0]!.as_of), to: fmt.date(drawn[drawn.length - 1]!.as_of), currency: w.currency }) : '';
  return (
    <Section id="history" title={title}>
      {drawn.length >= 2 ? (
        <Figure id="history" label={label}>
          <HistoryChart points={drawn} currency={w.currency} label={label} height={HISTORY_CHART_PX} />
        </Figure>
      ) : (
        <NotDrawn id="history" reason={t('report.chart.fewSnapshots', { count: drawn.length })} />
      )}
      {points.length === 0 ? (
        <p>{t('report.history.none')}</p>
      ) : (
        <>
          {shown.length < points.length && <p>{t('report.history.last', { shown: shown.length, total: points.length })}</p>}
          <Table label={title} cols={cols} rows={shown} testId="table-history" />
          {shown.length < points.length && (
            <details>
              <summary>{t('report.history.all', { count: points.length, n: fmt.num(points.length, 0) })}</summary>
              <Table label={`${title}: ${t('report.chart.table')}`} cols={cols} rows={points} />
            </details>
          )}
        </>
      )}
      <Extras id="history" title={title} entries={extraFields('history', h)} w={w} />
    </Section>
  );
}

function DataQuality({ report, w }: { report: Report; w: Words }) {
  const { t } = w;
  const d = report.data_quality;
  const title = t('report.s.data_quality');
  if (!isOk(d)) return <Section id="data_quality" title={title}><NotAvailable section={d} /></Section>;
  const issues = d.issues ?? [];
  type Issue = (typeof issues)[number];
  const cols: Col<Issue>[] = [
    { field: 'symbol', label: fieldLabel(t, 'symbol'), cell: (i) => i.symbol },
    { field: 'kind', label: t('report.col.issue'), cell: (i) => valueLabel(t, 'kind', i.kind, 'issues') },
    { field: 'date', label: fieldLabel(t, 'date'), cell: (i) => w.fmt.date(i.date) },
    { field: 'detail', label: fieldLabel(t, 'detail'), cell: (i) => i.detail },
  ];
  return (
    <Section id="data_quality" title={title}>
      <p>{dataQualityText(w, d)}</p>
      {issues.length ? <Table label={fieldLabel(t, 'issues')} cols={cols} rows={issues} /> : <p>{t('report.dq.none')}</p>}
      <Extras id="data_quality" title={title} entries={extraFields('data_quality', d)} w={w} />
    </Section>
  );
}

function Steps({ report, w }: { report: Report; w: Words }) {
  const { t, fmt } = w;
  const steps = report.steps ?? [];
  const title = t('report.steps');
  type Step = (typeof steps)[number];
  const cols: Col<Step>[] = [
    { field: 'name', label: fieldLabel(t, 'step'), cell: (s) => labelOf(t, 'step', s.name) },
    { field: 'status', label: fieldLabel(t, 'status'), cell: (s) => choiceLabel(t, 'status', s.status) },
    { field: 'elapsed_ms', label: fieldLabel(t, 'elapsed_ms'), num: true, cell: (s) => fmt.num(s.elapsed_ms, 2) },
    { field: 'message', label: fieldLabel(t, 'message'), cell: (s) => s.message },
  ];
  return (
    <Section id="steps" title={title}>
      {steps.length === 0 ? (
        <p className="muted">{t('report.steps.none')}</p>
      ) : (
        <Table
          label={title}
          cols={cols}
          rows={steps}
          foot={
            <tfoot>
              <tr data-field="total"><th scope="row">{t('report.steps.total')}</th><td /><td className="num">{fmt.num(stepsTotal(steps), 2)}</td><td /></tr>
            </tfoot>
          }
        />
      )}
    </Section>
  );
}

// A section the server added after this page was written: its figures and lists generically.
function Unknown({ report, id, w }: { report: Report; id: string; w: Words }) {
  const value = (report as unknown as Row)[id];
  const title = fieldLabel(w.t, id);
  const section = typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Row) : null;
  return (
    <Section id={id} title={title}>
      {section && section.status !== undefined && section.status !== 'ok' ? (
        <NotAvailable section={section as { status?: string; reason?: string }} />
      ) : (
        <Extras id={id} title={title} entries={section ? extraFields(id, section, titleOf(report)) : [[id, value]]} w={w} />
      )}
    </Section>
  );
}

const DOWNLOADS: Record<string, PlainKey> = {
  zip: 'report.dl.zip',
  json: 'report.dl.json',
  csv: 'report.dl.csv',
  xlsx: 'report.dl.xlsx',
};

// The current report (GET .../report), or with `snapshot` the one the daily batch kept with that
// day's snapshot (GET .../history/{snapshot}/report), laid out the same: its heading says it is the
// kept one, not recomputed, with a way back to the current report; its download is its report.json
// (the other formats are made from the current report).
export function ReportView({ portfolio, snapshot }: { portfolio: string; snapshot?: string }) {
  const { t, fmt } = useSession();
  const q = useQuery({
    queryKey: snapshot ? ['keptReport', portfolio, snapshot] : ['report', portfolio],
    queryFn: () => api<Report>('GET', reportApiPath(portfolio, snapshot)),
  });
  const [failed, setFailed] = useState<unknown>(null);
  useTitle(snapshot ? t('report.kept.docTitle', { name: portfolio, date: fmt.date(snapshot) }) : t('report.docTitle', { name: portfolio }));
  // A report of another format may not have a summary (readsSchema below).
  const currency = q.data?.summary?.currency ?? '';
  const w = useMemo<Words>(() => ({ t, fmt, currency }), [t, fmt, currency]);
  // The kept report's heading stands before it loads, and when the server no longer keeps it.
  const kept = snapshot && (
    <>
      <h1>{t('report.kept.title', { name: portfolio, date: fmt.date(snapshot) })}</h1>
      <p data-testid="kept-report">
        {t('report.kept.note')}{' '}
        <a
          href={reportPage(portfolio)}
          onClick={(e) => {
            e.preventDefault();
            navigate(reportPage(portfolio));
          }}
        >
          {t('report.kept.current')}
        </a>
      </p>
    </>
  );
  if (q.isLoading) return <section className="report">{kept}<Loading what={t('dash.loading.report')} /></section>;
  if (q.error) return <section className="report">{kept}<ErrorBox error={q.error} /></section>;
  const r = q.data!;
  // A report in a format the page does not lay out (one kept before keel.report/2): said, with its
  // report.json to download.
  const readable = readsSchema(r.schema);
  const downloads: [string, PlainKey][] = snapshot || !readable ? [['json', 'report.dl.json']] : Object.entries(DOWNLOADS);
  const get = (format: string) => {
    setFailed(null);
    const done = snapshot
      ? download(reportApiPath(portfolio, snapshot), safeFileName(`${portfolio}-${snapshot}.json`))
      : download(`/api/v1/portfolios/${seg(portfolio)}/report/download?format=${format}`, safeFileName(`${portfolio}.${format}`));
    done.catch(setFailed);
  };
  return (
    <section className="report" data-as-of={r.as_of}>
      {kept || <h1>{t('report.title', { name: portfolio, date: fmt.date(r.as_of) })}</h1>}
      <p>
        {t('report.download')}{' '}
        {downloads.map(([f, label]) => (
          <button key={f} type="button" onClick={() => get(f)} data-testid={`download-${f}`}>
            {t(label)}
          </button>
        ))}
      </p>
      {failed !== null && <ErrorBox error={failed} />}
      <p className="muted small">{t('report.generated', { at: fmt.date(r.generated_at), version: r.keel_version, schema: r.schema })}</p>
      {readable ? <Sections report={r} w={w} /> : <p className="warning" role="status" data-testid="report-schema">{t('report.schema.other', { schema: String(r.schema ?? '') })}</p>}
    </section>
  );
}

// The report's sections in report.md's order, under its title block.
function Sections({ report: r, w }: { report: Report; w: Words }) {
  const { t } = w;
  return (
    <>
      <p data-testid="report-currency">{t('report.currency', { currency: r.summary.currency })}</p>
      <Provenance report={r} w={w} />
      <KpiStrip report={r} />
      <Summary report={r} w={w} />
      <Exposures report={r} w={w} />
      <Greeks report={r} w={w} />
      <Factors report={r} w={w} />
      <Var report={r} w={w} />
      <Stress report={r} w={w} />
      <Attribution report={r} w={w} />
      <Correlation report={r} w={w} />
      <Concentration report={r} w={w} />
      <History report={r} w={w} />
      <DataQuality report={r} w={w} />
      {unknownSections(r).map((k) => <Unknown key={k} report={r} id={k} w={w} />)}
      <Steps report={r} w={w} />
    </>
  );
}
