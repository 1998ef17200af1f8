// Import a CSV: positions into a portfolio, or prices (administrators; shared by every tenant).
// Choose a file, preview its first rows, map columns whose header differs from keel's names
// (mappings saved by name in localStorage), submit. The server stores nothing unless the whole
// file is valid; every refused cell is shown next to its row. A broker's positions download
// (Fidelity, Schwab, Vanguard) is sent as it comes, one of its accounts chosen or all of them.
import { useMemo, useState, type ReactNode } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, ApiError, seg } from '../../api/client';
import { navigate } from '../../app/router';
import { useSession } from '../../app/session';
import { useTitle } from '../../app/title';
import { fieldLabel } from '../../app/i18n';
import { ErrorBox } from '../../components/States';
import type { PositionsImportResult, PricesImportResult } from '../../api/types';
import { detectBrokerDownload, isStatement, type BrokerDownload } from './brokerDownload';
import { endsWithLineEnding, parseCsv, parseProblem, toCsv, type RowProblem } from './csv';

// keel's positions columns (docs/formats.md "Positions").
export const POSITION_COLUMNS = [
  'symbol', 'quantity', 'entry_price', 'entry_date', 'type', 'underlying', 'strike', 'expiry', 'option_type',
  'multiplier', 'implied_vol', 'exercise', 'dividend_yield', 'sector', 'tags', 'strategy', 'currency',
];
// keel's prices columns (docs/formats.md "Prices"): the long layout; a wide file has `date` and
// one column of closes per symbol, whose headers are kept as they are.
export const PRICE_COLUMNS = ['date', 'symbol', 'close', 'adj_close', 'open', 'high', 'low', 'volume'];
const PREVIEW_ROWS = 20;
// What the view says of a broker's file it sends as it comes.
const DOWNLOAD_NOTE = {
  fidelity: 'import.fidelityDownload',
  schwab: 'import.schwabDownload',
  vanguard: 'import.vanguardDownload',
  statement: 'import.statementDownload',
} as const;

type Mapping = Record<string, string>; // file header -> keel column ('' = leave out)

// What differs between the imports.
interface ImportKind {
  what: string; // the file input's label ("Positions file" / "Prices file")
  columns: string[];
  keepUnknown: boolean; // an unknown header is kept as is (a wide prices file's symbols) or left out
  store: string; // localStorage key of the saved mappings
  route: string;
  done: string; // the success message
  help: ReactNode;
  open?: { href: string; label: string };
  brokerDownloads?: boolean; // a broker's positions download is sent as it comes
}

function savedMappings(store: string): Record<string, Mapping> {
  try {
    return JSON.parse(localStorage.getItem(store) ?? '{}') as Record<string, Mapping>;
  } catch {
    return {};
  }
}

export function ImportView({ portfolio }: { portfolio: string }) {
  const { can, t, rich } = useSession();
  useTitle(t('import.docTitle', { name: portfolio }));
  if (!can('import_positions')) return <div className="error" role="alert">{t('import.mayNot')}</div>;
  return (
    <section>
      <h1>{t('import.positionsTitle', { name: portfolio })}</h1>
      <CsvImport
        kind={{
          what: t('import.positionsFile'),
          columns: POSITION_COLUMNS,
          keepUnknown: false,
          store: 'keel.mappings',
          route: `/api/v1/portfolios/${seg(portfolio)}/positions`,
          done: t('import.positionsDone', { name: portfolio }),
          help: rich('import.positionsHelp', { required: <code>symbol,quantity</code>, optional: POSITION_COLUMNS.slice(2).join(', ') }),
          open: { href: `/portfolios/${seg(portfolio)}`, label: t('import.openDashboard') },
          brokerDownloads: true,
        }}
      />
    </section>
  );
}

// Prices for every tenant: administrators only (import_market_data); the link is not shown to
// other roles, and a 403 from the server is shown as such.
export function PricesImportView() {
  const { can, t, rich } = useSession();
  if (!can('import_market_data')) {
    return <div className="error" role="alert">{t('state.notAllowed')}{t('import.pricesNotAllowed')}</div>;
  }
  return (
    <section>
      <h1>{t('import.pricesTitle')}</h1>
      <CsvImport
        kind={{
          what: t('import.pricesFile'),
          columns: PRICE_COLUMNS,
          keepUnknown: true,
          store: 'keel.mappings.prices',
          route: '/api/v1/prices',
          done: t('import.pricesDone'),
          help: rich('import.pricesHelp', { long: <code>date,symbol,close</code>, optional: <code>adj_close, open, high, low, volume</code>, date: <code>date</code> }),
        }}
      />
    </section>
  );
}

function CsvImport({ kind }: { kind: ImportKind }) {
  const { t } = useSession();
  const qc = useQueryClient();
  const norm = (h: string) => h.trim().toLowerCase();
  const auto = (h: string) => (kind.columns.includes(norm(h)) ? norm(h) : kind.keepUnknown ? h.trim() : '');
  const [fileName, setFileName] = useState('');
  const [finalNewline, setFinalNewline] = useState(true);
  const [rows, setRows] = useState<string[][]>([]);
  const [mapping, setMapping] = useState<Mapping>({});
  const [mappingName, setMappingName] = useState('');
  const [saved, setSaved] = useState(() => savedMappings(kind.store));
  const [text, setText] = useState('');
  const [download, setDownload] = useState<BrokerDownload | null>(null);
  const [account, setAccount] = useState(''); // '' = every account of the download
  const header = rows[0] ?? [];

  const mapped = useMemo(() => {
    if (!rows.length) return [];
    const keep = header.map((h) => mapping[h] ?? auto(h)).map((h) => h.trim());
    const idx = keep.map((h, i) => (h ? i : -1)).filter((i) => i >= 0);
    return rows.map((r, n) => (n === 0 ? idx.map((i) => keep[i]!) : idx.map((i) => r[i] ?? '')));
  }, [rows, header, mapping]);

  const submit = useMutation({
    mutationFn: () =>
      download
        ? api<PositionsImportResult>('POST', kind.route + (account ? `?broker_account=${encodeURIComponent(account)}` : ''), { csv: text })
        : api<PositionsImportResult | PricesImportResult>('POST', kind.route, { csv: toCsv(mapped, finalNewline) }),
    onSuccess: () => {
      void qc.invalidateQueries();
    },
  });
  const problems = useMemo(() => {
    const m = new Map<number, RowProblem[]>();
    const e = submit.error;
    if (e instanceof ApiError) {
      for (const d of e.details) {
        const p = parseProblem(d);
        if (p) m.set(p.line, [...(m.get(p.line) ?? []), p]);
      }
    }
    return m;
  }, [submit.error]);

  // The preview: the first rows, plus every row the server refused (line n = rows[n - 1]).
  const shown = rows
    .map((r, i) => ({ r, line: i + 1 }))
    .slice(1)
    .filter(({ line }) => line <= PREVIEW_ROWS + 1 || problems.has(line));

  const layout = kind.keepUnknown && mapped[0] ? (mapped[0].includes('symbol') ? t('import.longLayout') : t('import.wideLayout', { count: mapped[0].filter((h) => h !== 'date').length })) : '';
  return (
    <>
      <p className="muted">{kind.help}</p>
      <label htmlFor="import-file">{kind.what}</label>{' '}
      <input
        id="import-file"
        type="file"
        accept={kind.brokerDownloads ? '.csv,.ofx,.qfx,.xml,text/csv' : '.csv,text/csv'}
        onChange={async (e) => {
          const f = e.target.files?.[0];
          if (!f) return;
          submit.reset();
          setFileName(f.name);
          const text = await f.text();
          setFinalNewline(endsWithLineEnding(text));
          const r = parseCsv(text).filter((row) => row.some((c) => c.trim() !== ''));
          setRows(r);
          setText(text);
          setDownload(kind.brokerDownloads ? (isStatement(text) ? { format: 'statement', accounts: [] } : detectBrokerDownload(r)) : null);
          setAccount('');
          const h = r[0] ?? [];
          // A saved mapping whose headers are exactly this file's is applied.
          const match = Object.entries(saved).find(([, m]) => Object.keys(m).length === h.length && h.every((x) => x in m));
          setMapping(match ? match[1] : {});
          if (match) setMappingName(match[0]);
        }}
      />
      {download && (
        <>
          <p data-testid="broker-download">
            {t(DOWNLOAD_NOTE[download.format], { file: fileName })}
          </p>
          {download.accounts.length > 1 && (
            <p>
              <label htmlFor="broker-account">{t('import.brokerAccount')}</label>{' '}
              <select id="broker-account" value={account} onChange={(e) => setAccount(e.target.value)}>
                <option value="">{t('import.allAccounts', { count: download.accounts.length })}</option>
                {download.accounts.map((a) => (
                  <option key={a} value={a}>{a}</option>
                ))}
              </select>
            </p>
          )}
          <button type="button" className="primary" disabled={submit.isPending} onClick={() => submit.mutate()}>
            {t('import.download')}
          </button>
        </>
      )}
      {rows.length > 0 && !download && (
        <>
          <h2>{t('import.columns')}</h2>
          <div className="mapping">
            {header.map((h) => {
              const asIs = kind.keepUnknown && !kind.columns.includes(norm(h));
              return (
                <label key={h}>
                  <span>{h}</span>
                  <select
                    aria-label={t('common.keelColumnFor', { header: h })}
                    value={mapping[h] ?? auto(h)}
                    onChange={(e) => setMapping({ ...mapping, [h]: e.target.value })}
                  >
                    <option value="">{t('common.leaveOut')}</option>
                    {asIs && <option value={h.trim()}>{t('import.symbolCloses', { symbol: h.trim() })}</option>}
                    {kind.columns.map((c) => (
                      <option key={c}>{c}</option>
                    ))}
                  </select>
                </label>
              );
            })}
          </div>
          <form
            className="inline"
            onSubmit={(e) => {
              e.preventDefault();
              if (!mappingName.trim()) return;
              const full: Mapping = Object.fromEntries(header.map((h) => [h, mapping[h] ?? auto(h)]));
              const next = { ...saved, [mappingName.trim()]: full };
              localStorage.setItem(kind.store, JSON.stringify(next));
              setSaved(next);
            }}
          >
            <label htmlFor="mapping-name">{t('common.saveMappingAs')}</label>
            <input id="mapping-name" value={mappingName} onChange={(e) => setMappingName(e.target.value)} />
            <button type="submit">{t('common.saveMapping')}</button>
          </form>
          <h2>
            {t(layout ? 'import.previewOfLayout' : 'import.previewOf', { file: fileName, count: rows.length - 1, layout })}
          </h2>
          <div className="scroller">
            <table className="list preview" aria-label={t('common.preview')}>
              <thead>
                <tr>
                  <th>{t('common.line')}</th>
                  {mapped[0]?.map((h, i) => <th key={i}>{h}</th>)}
                  <th>{t('common.problems')}</th>
                </tr>
              </thead>
              <tbody>
                {shown.map(({ line }) => {
                  const ps = problems.get(line) ?? [];
                  return (
                    <tr key={line} className={ps.length ? 'bad' : ''}>
                      <td className="num">{line}</td>
                      {mapped[line - 1]?.map((c, i) => <td key={i}>{c}</td>)}
                      <td className="problems">{ps.map((p, i) => <div key={i}>{p.column ? t('common.problemAtColumn', { line: p.line, column: p.column, message: p.message }) : t('common.problemAt', { line: p.line, message: p.message })}</div>)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <button type="button" className="primary" disabled={submit.isPending} onClick={() => submit.mutate()}>
            {t('import.rows', { count: rows.length - 1 })}
          </button>
        </>
      )}
      <ErrorBox error={submit.error} />
      {submit.isSuccess && (
        <div className="ok" role="status">
          {kind.done} <ImportSummary result={submit.data} />{' '}
          {kind.open && (
            <a href={kind.open.href} onClick={(e) => { e.preventDefault(); navigate(kind.open!.href); }}>
              {kind.open.label}
            </a>
          )}
        </div>
      )}
    </>
  );
}

// The import result's counts and warnings as the API gives them (text, one item each).
function ImportSummary({ result }: { result: unknown }) {
  const { t } = useSession();
  if (!result || typeof result !== 'object') return null;
  const r = result as Record<string, unknown>;
  const counts = Object.entries(r).filter(([, v]) => typeof v === 'number' || typeof v === 'string');
  const warnings = Array.isArray(r.warnings) ? (r.warnings as unknown[]).map(String) : [];
  return (
    <>
      <span className="muted" data-testid="import-summary">{counts.map(([k, v]) => `${fieldLabel(t, k)}: ${String(v)}`).join(' · ')}</span>
      {warnings.length > 0 && (
        <ul className="warnings" aria-label={t('import.warnings')} data-testid="import-warnings">
          {warnings.map((w, i) => <li key={i} className="warning">{w}</li>)}
        </ul>
      )}
    </>
  );
}
