// FX rates (docs/fx.md): the pairs stored (GET /api/v1/fx/pairs) with their first and last date
// and number of rates, for every role; an import of the rates file (POST /api/v1/fx, the CSV
// `date,base,quote,rate` pasted or read from a file, its columns renamed by `?columns=`) for the
// roles with import_market_data (rates are shared by every tenant), showing the summary and the
// warnings, or every problem with its line and column next to that line of the file; and the ECB's
// reference rates fetched by the server (POST /api/v1/fx/fetch, a job followed to its result) for
// the roles that may compute. The rates are the server's: the page computes none.
import { useEffect, useMemo, useRef, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError, type Schemas } from '../../api/client';
import type { Job } from '../../api/types';
import { choiceLabel, fieldLabel } from '../../app/i18n';
import { labelOf } from '../../app/labels';
import { useSession } from '../../app/session';
import { useTitle } from '../../app/title';
import { Empty, ErrorBox, Loading } from '../../components/States';
import { TableScroll } from '../../components/TableScroll';
import { runJob, type FetchState } from '../ledger/pricesFetch';
import { parseProblem } from '../portfolios/csv';
import { fetchedPairs, fxFetchBody, type FxFetchSummary } from './fx';

type FxPairs = Schemas['FxPairs'];
type FxImportResult = Schemas['FxImportResult'];

// What changes with the stored rates: the pairs, and every figure converted with them.
const AFTER_RATES = [['fx-pairs'], ['readiness'], ['portfolio'], ['report'], ['compute']] as const;

export function FxView() {
  const { can, t } = useSession();
  useTitle(t('fx.docTitle'));
  return (
    <section>
      <h1>{t('fx.title')}</h1>
      <p className="muted">{t('fx.intro')}</p>
      <Pairs />
      {can('import_market_data') ? <FxImport /> : <p className="muted" data-testid="fx-import-not-allowed">{t('fx.importNotAllowed')}</p>}
      {can('compute') && <FxFetch />}
    </section>
  );
}

function Pairs() {
  const { fmt, t } = useSession();
  const pairs = useQuery({ queryKey: ['fx-pairs'], queryFn: () => api<FxPairs>('GET', '/api/v1/fx/pairs') });
  return (
    <>
      <h2>{t('fx.pairs')}</h2>
      {pairs.isLoading && <Loading what={t('fx.pairs')} />}
      <ErrorBox error={pairs.error} />
      {pairs.data && pairs.data.items.length === 0 && <Empty>{t('fx.noPairs')}</Empty>}
      {pairs.data && pairs.data.items.length > 0 && (
        <TableScroll label={t('fx.pairs')} testId="fx-pairs-scroll">
          <table className="list pinned" aria-label={t('fx.pairs')} data-testid="fx-pairs">
            <thead>
              <tr>
                <th>{t('fx.pair')}</th>
                <th>{t('fx.base')}</th>
                <th>{t('fx.quote')}</th>
                <th>{t('fx.firstDate')}</th>
                <th>{t('fx.lastDate')}</th>
                <th className="num">{t('fx.rates')}</th>
              </tr>
            </thead>
            <tbody>
              {pairs.data.items.map((p) => (
                <tr key={p.pair} data-pair={p.pair}>
                  <td>{p.pair}</td>
                  <td>{p.base}</td>
                  <td>{p.quote}</td>
                  <td data-field="first_date">{fmt.date(p.first_date)}</td>
                  <td data-field="last_date">{fmt.date(p.last_date)}</td>
                  <td className="num" data-field="rates">{fmt.num(p.rates, 0)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </>
  );
}

const EXAMPLE = 'date,base,quote,rate\n2024-03-01,EUR,USD,1.0838\n2024-03-01,GBP,USD,1.2652\n';

function FxImport() {
  const { fmt, t } = useSession();
  const qc = useQueryClient();
  const [csv, setCsv] = useState('');
  const [columns, setColumns] = useState('');
  const [fileName, setFileName] = useState('');
  const submit = useMutation({
    mutationFn: (body: { csv: string; columns: string }) =>
      api<FxImportResult>('POST', `/api/v1/fx${body.columns.trim() ? `?columns=${encodeURIComponent(body.columns.trim())}` : ''}`, { csv: body.csv }),
    onSettled: () => {
      for (const queryKey of AFTER_RATES) void qc.invalidateQueries({ queryKey: [...queryKey] });
    },
  });
  // The refused file's problems by line, each with that line of the file as sent.
  const sent = submit.variables?.csv ?? '';
  const problems = useMemo(() => {
    const e = submit.error;
    if (!(e instanceof ApiError)) return [];
    const lines = sent.split(/\r\n|\n|\r/);
    return e.details.flatMap((d) => {
      const p = parseProblem(d);
      return p ? [{ ...p, detail: d, text: lines[p.line - 1] ?? '' }] : [];
    });
  }, [submit.error, sent]);
  const r = submit.data;
  return (
    <>
      <h2>{t('fx.import')}</h2>
      <p className="muted">{t('fx.importHelp')}</p>
      <form
        className="fx-import"
        aria-label={t('fx.import')}
        onSubmit={(e) => {
          e.preventDefault();
          if (csv.trim()) submit.mutate({ csv, columns });
        }}
      >
        <label htmlFor="fx-csv">{t('fx.csv')}</label>
        <textarea id="fx-csv" rows={8} spellCheck={false} value={csv} placeholder={EXAMPLE} onChange={(e) => { setCsv(e.target.value); setFileName(''); }} />
        <div className="actions">
          <label htmlFor="fx-file">{t('fx.file')}</label>
          <input
            id="fx-file"
            type="file"
            accept=".csv,text/csv,text/plain"
            onChange={async (e) => {
              const f = e.target.files?.[0];
              if (!f) return;
              submit.reset();
              setCsv(await f.text());
              setFileName(f.name);
            }}
          />
        </div>
        <label htmlFor="fx-columns" title={t('fx.columnsHelp')}>{t('fx.columns')}</label>{' '}
        <input id="fx-columns" value={columns} placeholder="date=TIME_PERIOD,base=CURRENCY_DENOM,quote=CURRENCY,rate=OBS_VALUE" onChange={(e) => setColumns(e.target.value)} style={{ width: 'min(32rem, 100%)' }} />
        <div className="actions">
          <button type="submit" className="primary" disabled={submit.isPending || !csv.trim()}>{t('fx.importButton')}</button>
          {fileName && <span className="muted">{fileName}</span>}
        </div>
      </form>
      <ErrorBox error={submit.error} />
      {problems.length > 0 && (
        <TableScroll label={t('fx.problems')}>
          <table className="list pinned" aria-label={t('fx.problems')} data-testid="fx-problems">
            <thead>
              <tr>
                <th className="num">{t('common.line')}</th>
                <th className="num">{t('fx.column')}</th>
                <th>{t('fx.lineText')}</th>
                <th>{t('common.problems')}</th>
              </tr>
            </thead>
            <tbody>
              {problems.map((p, i) => (
                <tr key={i} className="bad" data-line={p.line}>
                  <td className="num">{p.line}</td>
                  <td className="num">{p.column ?? '–'}</td>
                  <td><code>{p.text}</code></td>
                  <td className="problems">{p.column ? t('common.problemAtColumn', { line: p.line, column: p.column, message: p.message }) : t('common.problemAt', { line: p.line, message: p.message })}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      {r && (
        <div className="ok" role="status" data-testid="fx-import-result">
          {t('fx.imported', { file: r.file })}{' '}
          <span data-testid="fx-import-summary">
            {t('fx.importSummary', { rows: fmt.num(r.rows, 0), pairs: fmt.num(r.pairs, 0), inserted: fmt.num(r.inserted, 0), updated: fmt.num(r.updated, 0), from: fmt.date(r.first_date), to: fmt.date(r.last_date) })}
          </span>
          {r.warnings.length > 0 && (
            <ul className="warnings" aria-label={t('import.warnings')} data-testid="fx-import-warnings">
              {r.warnings.map((w, i) => <li key={i} className="warning">{w}</li>)}
            </ul>
          )}
        </div>
      )}
    </>
  );
}

// The server fetches the ECB's reference rates itself (a job fx.fetch): the currencies typed (none:
// the server's default list), from a date (none: after each pair's last stored rate), or the whole
// range again.
function FxFetch() {
  const { fmt, t } = useSession();
  const qc = useQueryClient();
  const [currencies, setCurrencies] = useState('');
  const [from, setFrom] = useState('');
  const [full, setFull] = useState(false);
  const [job, setJob] = useState<FetchState | null>(null);
  const abort = useRef<AbortController | null>(null);
  useEffect(() => () => abort.current?.abort(), []);
  const run = useMutation({
    mutationFn: async (): Promise<FxFetchSummary> => {
      abort.current?.abort();
      const signal = (abort.current = new AbortController()).signal;
      const done: Job = await runJob('/api/v1/fx/fetch', fxFetchBody(currencies, from, full), setJob, signal,
        (j) => t('ready.jobEnded', { id: j.id, status: choiceLabel(t, 'status', j.status) }));
      return fetchedPairs(done.result);
    },
    onSettled: () => {
      for (const queryKey of AFTER_RATES) void qc.invalidateQueries({ queryKey: [...queryKey] });
    },
  });
  const s = run.data;
  return (
    <>
      <h2>{t('fx.fetch')}</h2>
      <p className="muted">{t('fx.fetchHelp')}</p>
      <form className="params" aria-label={t('fx.fetch')} onSubmit={(e) => { e.preventDefault(); run.mutate(); }}>
        <label htmlFor="fx-fetch-currencies">
          {t('fx.fetchCurrencies')}
          <input id="fx-fetch-currencies" value={currencies} placeholder="USD, GBP, JPY, CHF" onChange={(e) => setCurrencies(e.target.value)} style={{ width: 180 }} />
        </label>
        <label htmlFor="fx-fetch-from">
          {fieldLabel(t, 'from')}
          <input id="fx-fetch-from" type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
        </label>
        <label htmlFor="fx-fetch-full" className="check">
          <input id="fx-fetch-full" type="checkbox" checked={full} onChange={(e) => setFull(e.target.checked)} />
          {t('fx.fetchFull')}
        </label>
        <div className="actions">
          <button type="submit" disabled={run.isPending} data-testid="fx-fetch">{t('ready.fetchFx')}</button>
          {run.isPending && job && (
            <span role="status" aria-live="polite" data-status={job.status}>
              {choiceLabel(t, 'status', job.status)} {job.status === 'running' && fmt.pct(job.progress ?? 0, 0)}
            </span>
          )}
        </div>
      </form>
      <ErrorBox error={run.error} />
      {s && (
        <div className="ok" role="status" data-testid="fx-fetch-result">
          {t('fx.fetched', { status: labelOf(t, 'fxStatus', s.status), provider: s.provider, rates: fmt.num(s.rates, 0), from: fmt.date(s.from), to: fmt.date(s.to) })}
          {s.pairs.length > 0 && (
            <TableScroll label={t('fx.fetchedPairs')}>
              <table className="list pinned" aria-label={t('fx.fetchedPairs')}>
                <thead>
                  <tr><th>{t('fx.pair')}</th><th>{t('fx.storedUntil')}</th><th className="num">{t('fx.rates')}</th><th>{t('fx.firstDate')}</th><th>{t('fx.lastDate')}</th></tr>
                </thead>
                <tbody>
                  {s.pairs.map((p) => (
                    <tr key={p.pair} data-pair={p.pair}>
                      <td>{p.pair}</td>
                      <td>{fmt.date(p.stored_until)}</td>
                      <td className="num">{fmt.num(p.rates, 0)}</td>
                      <td>{fmt.date(p.first)}</td>
                      <td>{fmt.date(p.last)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
          )}
        </div>
      )}
    </>
  );
}
