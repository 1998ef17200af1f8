// Import positions into a portfolio: choose a file, preview its first rows, map columns whose
// header differs from keel's names (mappings saved by name in localStorage), submit. The server
// stores nothing unless the whole file is valid; every refused cell is shown next to its row.
import { useMemo, useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, ApiError, seg } from '../../api/client';
import { navigate } from '../../app/router';
import { useSession } from '../../app/session';
import { ErrorBox } from '../../components/States';
import { parseCsv, parseProblem, toCsv, type RowProblem } from './csv';

// keel's positions columns (docs/formats.md "Positions").
export const POSITION_COLUMNS = [
  'symbol', 'quantity', 'entry_price', 'entry_date', 'type', 'underlying', 'strike', 'expiry', 'option_type',
  'multiplier', 'implied_vol', 'exercise', 'dividend_yield', 'sector', 'tags', 'strategy', 'currency',
];
const PREVIEW_ROWS = 20;
const STORE = 'keel.mappings';

type Mapping = Record<string, string>; // file header -> keel column ('' = leave out)

function savedMappings(): Record<string, Mapping> {
  try {
    return JSON.parse(localStorage.getItem(STORE) ?? '{}') as Record<string, Mapping>;
  } catch {
    return {};
  }
}

export function ImportView({ portfolio }: { portfolio: string }) {
  const { can } = useSession();
  const qc = useQueryClient();
  const [fileName, setFileName] = useState('');
  const [rows, setRows] = useState<string[][]>([]);
  const [mapping, setMapping] = useState<Mapping>({});
  const [mappingName, setMappingName] = useState('');
  const [saved, setSaved] = useState(savedMappings);
  const header = rows[0] ?? [];

  const mapped = useMemo(() => {
    if (!rows.length) return [];
    const keep = header.map((h) => mapping[h] ?? h).map((h) => h.trim());
    const idx = keep.map((h, i) => (h ? i : -1)).filter((i) => i >= 0);
    return rows.map((r, n) => (n === 0 ? idx.map((i) => keep[i]!) : idx.map((i) => r[i] ?? '')));
  }, [rows, header, mapping]);

  const submit = useMutation({
    mutationFn: () => api<{ rows?: number; imported?: number }>('POST', `/api/v1/portfolios/${seg(portfolio)}/positions`, { csv: toCsv(mapped) }),
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

  if (!can('import_positions')) return <div className="error" role="alert">Your role may not import positions.</div>;

  // The preview: the first rows, plus every row the server refused (line n = rows[n - 1]).
  const shown = rows
    .map((r, i) => ({ r, line: i + 1 }))
    .slice(1)
    .filter(({ line }) => line <= PREVIEW_ROWS + 1 || problems.has(line));

  return (
    <section>
      <h1>Import positions into {portfolio}</h1>
      <p className="muted">
        A CSV with <code>symbol,quantity</code> and optional columns ({POSITION_COLUMNS.slice(2).join(', ')}). Nothing is stored unless every row is valid.
      </p>
      <label htmlFor="import-file">Positions file</label>{' '}
      <input
        id="import-file"
        type="file"
        accept=".csv,text/csv"
        onChange={async (e) => {
          const f = e.target.files?.[0];
          if (!f) return;
          submit.reset();
          setFileName(f.name);
          const r = parseCsv(await f.text()).filter((row) => row.some((c) => c.trim() !== ''));
          setRows(r);
          const h = r[0] ?? [];
          // A saved mapping whose headers are exactly this file's is applied.
          const match = Object.entries(saved).find(([, m]) => Object.keys(m).length === h.length && h.every((x) => x in m));
          setMapping(match ? match[1] : {});
          if (match) setMappingName(match[0]);
        }}
      />
      {rows.length > 0 && (
        <>
          <h2>Columns</h2>
          <div className="mapping">
            {header.map((h) => {
              const known = POSITION_COLUMNS.includes(h.trim().toLowerCase());
              return (
                <label key={h}>
                  <span>{h}</span>
                  <select
                    aria-label={`keel column for ${h}`}
                    value={mapping[h] ?? (known ? h.trim().toLowerCase() : '')}
                    onChange={(e) => setMapping({ ...mapping, [h]: e.target.value })}
                  >
                    <option value="">(leave out)</option>
                    {POSITION_COLUMNS.map((c) => (
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
              const full: Mapping = Object.fromEntries(header.map((h) => [h, mapping[h] ?? (POSITION_COLUMNS.includes(h.trim().toLowerCase()) ? h.trim().toLowerCase() : '')]));
              const next = { ...saved, [mappingName.trim()]: full };
              localStorage.setItem(STORE, JSON.stringify(next));
              setSaved(next);
            }}
          >
            <label htmlFor="mapping-name">Save this mapping as</label>
            <input id="mapping-name" value={mappingName} onChange={(e) => setMappingName(e.target.value)} />
            <button type="submit">Save mapping</button>
          </form>
          <h2>
            Preview of {fileName} ({rows.length - 1} rows)
          </h2>
          <div className="scroller">
            <table className="list preview" aria-label="Preview">
              <thead>
                <tr>
                  <th>Line</th>
                  {mapped[0]?.map((h, i) => <th key={i}>{h}</th>)}
                  <th>Problems</th>
                </tr>
              </thead>
              <tbody>
                {shown.map(({ line }) => {
                  const ps = problems.get(line) ?? [];
                  return (
                    <tr key={line} className={ps.length ? 'bad' : ''}>
                      <td className="num">{line}</td>
                      {mapped[line - 1]?.map((c, i) => <td key={i}>{c}</td>)}
                      <td className="problems">{ps.map((p, i) => <div key={i}>{`line ${p.line}${p.column ? `, column ${p.column}` : ''}: ${p.message}`}</div>)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <button type="button" className="primary" disabled={submit.isPending} onClick={() => submit.mutate()}>
            Import {rows.length - 1} rows
          </button>
        </>
      )}
      <ErrorBox error={submit.error} />
      {submit.isSuccess && (
        <div className="ok" role="status">
          Imported into {portfolio}.{' '}
          <a href={`/portfolios/${seg(portfolio)}`} onClick={(e) => { e.preventDefault(); navigate(`/portfolios/${seg(portfolio)}`); }}>
            Open the dashboard
          </a>
        </div>
      )}
    </section>
  );
}
