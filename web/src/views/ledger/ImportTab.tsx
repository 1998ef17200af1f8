// Transaction import: choose a file (a CSV, or a broker's OFX/QFX or IBKR Flex Query statement,
// which the server tells from its content) and a broker mapping (Fidelity, Interactive Brokers, one
// saved by the tenant, or one made here by choosing columns and saved by name), preview what keel
// reads (a dry run: the rows, those the account already holds marked, and the gains of the file's
// sales), then import. A refused file shows every problem next to its row; nothing is stored unless
// every row is valid, and a file imported again adds nothing.
import { useMemo, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError, seg } from '../../api/client';
import type { AccountShow, LedgerMapping, LedgerMappingList, TransactionsImportResult } from '../../api/types';
import { useSession } from '../../app/session';
import { Empty, ErrorBox } from '../../components/States';
import { parseCsv, parseProblem, type RowProblem } from '../portfolios/csv';
import { GainsTable } from './LotsTab';
import { COLUMNS, customDocument, DATE_FORMATS, TYPES, type Custom } from './mapping';
import { isStatement } from '../portfolios/brokerDownload';

const CUSTOM = '(choose columns)';
const PREVIEW_ROWS = 30;

export function ImportTab({ account }: { account: AccountShow }) {
  const { can, t, rich } = useSession();
  const qc = useQueryClient();
  const mappings = useQuery({ queryKey: ['ledger-mappings'], queryFn: () => api<LedgerMappingList>('GET', '/api/v1/ledger/mappings') });
  const [file, setFile] = useState<{ name: string; text: string } | null>(null);
  const [choice, setChoice] = useState('');
  const [custom, setCustom] = useState<Custom>({ columns: {}, date_format: '%Y-%m-%d', types: {}, signed: false, prefix: false });
  const [saveName, setSaveName] = useState('');
  // A statement (OFX, IBKR Flex) may hold several broker accounts: the one to import.
  const [brokerAccount, setBrokerAccount] = useState('');
  const statement = file ? isStatement(file.text) : false;
  const rows = useMemo(() => (file ? parseCsv(file.text).filter((r) => r.some((c) => c.trim() !== '')) : []), [file]);
  const header = rows[0] ?? [];

  const body = (dryRun: boolean) => {
    const b: Record<string, unknown> = { csv: file!.text, dry_run: dryRun };
    if (choice === CUSTOM) b.mapping = customDocument(custom);
    else if (choice) b.mapping_name = choice;
    if (statement && brokerAccount.trim()) b.broker_account = brokerAccount.trim();
    return b;
  };
  const route = `/api/v1/accounts/${account.id}/transactions`;
  const preview = useMutation({ mutationFn: () => api<TransactionsImportResult>('POST', route, { body: body(true) }) });
  const commit = useMutation({
    mutationFn: () => api<TransactionsImportResult>('POST', route, { body: body(false) }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['account', account.name] });
      void qc.invalidateQueries({ queryKey: ['accounts'] });
      void qc.invalidateQueries({ queryKey: ['ledger'] });
      void qc.invalidateQueries({ queryKey: ['networth'] });
    },
  });
  const save = useMutation({
    mutationFn: () => api<LedgerMapping>('PUT', `/api/v1/ledger/mappings/${seg(saveName.trim())}`, { body: { document: customDocument(custom) } }),
    onSuccess: (m) => {
      void qc.invalidateQueries({ queryKey: ['ledger-mappings'] });
      setChoice(m.name);
    },
  });
  const error = commit.error ?? preview.error;
  const problems = useMemo(() => {
    const m = new Map<number, RowProblem[]>();
    if (error instanceof ApiError) {
      for (const d of error.details) {
        const p = parseProblem(d);
        if (p) m.set(p.line, [...(m.get(p.line) ?? []), p]);
      }
    }
    return m;
  }, [error]);
  const reset = () => {
    preview.reset();
    commit.reset();
  };

  if (!can('import_positions')) {
    return <div className="error" role="alert">{t('state.notAllowed')}{t('ledger.imp.notAllowed')}</div>;
  }
  const typeColumn = Object.entries(custom.columns).find(([, v]) => v === 'type')?.[0];
  const typeIndex = typeColumn === undefined ? -1 : header.indexOf(typeColumn);
  const typeTexts = typeIndex < 0 ? [] : [...new Set(rows.slice(1).map((r) => (r[typeIndex] ?? '').trim()).filter(Boolean))].slice(0, 40);
  const shown = rows.map((r, i) => ({ r, line: i + 1 })).slice(1).filter(({ line }) => line <= PREVIEW_ROWS + 1 || problems.has(line));
  return (
    <>
      <p className="muted">
        {rich('ledger.imp.help', { required: <code>date,type,symbol,quantity,price</code>, optional: <code>fees, amount, lot_id, note, …</code> })}
      </p>
      <form className="inline" aria-label={t('ledger.imp.fileAndMapping')} onSubmit={(e) => e.preventDefault()}>
        <label htmlFor="tx-file">{t('ledger.imp.file')}</label>
        <input id="tx-file" type="file" accept=".csv,text/csv,.ofx,.qfx,.xml,application/x-ofx,application/xml,text/xml" onChange={async (e) => {
          const f = e.target.files?.[0];
          reset();
          if (!f) return setFile(null);
          const text = await f.text();
          setFile({ name: f.name, text });
          const h = parseCsv(text)[0] ?? [];
          setCustom((c) => ({ ...c, columns: Object.fromEntries(h.map((x) => [x, COLUMNS.includes(x.trim().toLowerCase()) ? x.trim().toLowerCase() : ''])) }));
        }} />
        <label htmlFor="tx-mapping">{t('ledger.imp.mapping')}</label>
        <select id="tx-mapping" value={choice} onChange={(e) => { setChoice(e.target.value); reset(); }}>
          <option value="">{t('ledger.imp.noMapping')}</option>
          {mappings.data?.items.map((m) => <option key={m.name} value={m.name}>{m.builtin ? t('ledger.imp.builtin', { name: m.name }) : m.name}</option>)}
          <option value={CUSTOM}>{t('ledger.imp.custom')}</option>
        </select>
        {statement && (
          <>
            <label htmlFor="tx-broker-account">{t('ledger.imp.brokerAccount')}</label>
            <input id="tx-broker-account" value={brokerAccount} placeholder={t('ledger.imp.brokerAccountAll')} onChange={(e) => { setBrokerAccount(e.target.value); reset(); }} />
          </>
        )}
      </form>
      <ErrorBox error={mappings.error} />
      {choice && choice !== CUSTOM && (
        <p className="muted small" data-testid="mapping-description">
          {String((mappings.data?.items.find((m) => m.name === choice)?.document as { description?: string } | undefined)?.description ?? '')}
        </p>
      )}
      {choice === CUSTOM && file && (
        <fieldset className="mapping-editor">
          <legend>{t('ledger.imp.yourMapping')}</legend>
          <div className="mapping">
            {header.map((h) => (
              <label key={h}>
                <span>{h}</span>
                <select aria-label={t('common.keelColumnFor', { header: h })} value={custom.columns[h] ?? ''} onChange={(e) => { reset(); setCustom({ ...custom, columns: { ...custom.columns, [h]: e.target.value } }); }}>
                  <option value="">{t('common.leaveOut')}</option>
                  {COLUMNS.map((c) => <option key={c}>{c}</option>)}
                </select>
              </label>
            ))}
          </div>
          <div className="params">
            <label htmlFor="date-format">
              {t('ledger.imp.dateFormat')}
              <select id="date-format" value={custom.date_format} onChange={(e) => { reset(); setCustom({ ...custom, date_format: e.target.value }); }}>
                {DATE_FORMATS.map((f) => <option key={f}>{f}</option>)}
              </select>
            </label>
            <label htmlFor="signed">
              <span><input id="signed" type="checkbox" checked={custom.signed} onChange={(e) => { reset(); setCustom({ ...custom, signed: e.target.checked }); }} /> {t('ledger.imp.signed')}</span>
            </label>
            <label htmlFor="prefix">
              <span><input id="prefix" type="checkbox" checked={custom.prefix} onChange={(e) => { reset(); setCustom({ ...custom, prefix: e.target.checked }); }} /> {t('ledger.imp.prefix')}</span>
            </label>
          </div>
          {typeTexts.length > 0 && (
            <div className="mapping" aria-label={t('ledger.imp.types')}>
              {typeTexts.map((x) => (
                <label key={x}>
                  <span>{x}</span>
                  <select aria-label={t('ledger.imp.keelType', { text: x })} value={custom.types[x] ?? (TYPES.includes(x.toUpperCase()) ? x.toUpperCase() : '')} onChange={(e) => { reset(); setCustom({ ...custom, types: { ...custom.types, [x]: e.target.value } }); }}>
                    <option value="">{t('ledger.imp.asWritten')}</option>
                    {TYPES.map((y) => <option key={y}>{y}</option>)}
                  </select>
                </label>
              ))}
            </div>
          )}
          <form className="inline" aria-label={t('ledger.imp.saveMapping')} onSubmit={(e) => { e.preventDefault(); if (saveName.trim()) save.mutate(); }}>
            <label htmlFor="mapping-name">{t('common.saveMappingAs')}</label>
            <input id="mapping-name" value={saveName} onChange={(e) => setSaveName(e.target.value)} maxLength={100} />
            <button type="submit" disabled={save.isPending}>{t('common.saveMapping')}</button>
          </form>
          <ErrorBox error={save.error} />
        </fieldset>
      )}
      {file && (
        <div className="actions">
          <button type="button" onClick={() => { commit.reset(); preview.mutate(); }} disabled={preview.isPending}>{t('common.preview')}</button>
          <button type="button" className="primary" onClick={() => { preview.reset(); commit.mutate(); }} disabled={commit.isPending}>{t('common.import')}</button>
        </div>
      )}
      <ErrorBox error={error} />
      {commit.data && (
        <div className="ok" role="status" data-testid="import-result">
          {t('ledger.imp.imported', { count: commit.data.rows, account: commit.data.account })}
          {commit.data.duplicates > 0 && t('ledger.imp.skipped', { count: commit.data.duplicates })}{t('ledger.imp.holds', { count: commit.data.account_transactions })}
          {commit.data.warnings.map((w, i) => <div key={i} className="warning">{w}</div>)}
        </div>
      )}
      {preview.data && <PreviewResult result={preview.data} />}
      {file && problems.size > 0 && (
        <>
          <h2>{t('ledger.imp.problemRows', { file: file.name })}</h2>
          <div className="scroller" tabIndex={0} role="region" aria-label={t('table.scrollable', { label: t('ledger.imp.fileRows') })}>
            <table className="list preview" aria-label={t('ledger.imp.fileRows')}>
              <thead><tr><th>{t('common.line')}</th><th>{t('common.problems')}</th>{header.map((h, i) => <th key={i}>{h}</th>)}</tr></thead>
              <tbody>
                {shown.map(({ r, line }) => {
                  const ps = problems.get(line) ?? [];
                  return (
                    <tr key={line} className={ps.length ? 'bad' : ''} data-line={line}>
                      <td className="num">{line}</td>
                      <td className="problems" style={{ minWidth: 320 }}>{ps.map((p, i) => <div key={i}>{p.column ? t('common.problemAtColumn', { line: p.line, column: p.column, message: p.message }) : t('common.problemAt', { line: p.line, message: p.message })}</div>)}</td>
                      {header.map((_, i) => <td key={i}>{r[i] ?? ''}</td>)}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </>
      )}
    </>
  );
}

function PreviewResult({ result }: { result: TransactionsImportResult }) {
  const { fmt, t } = useSession();
  const c2 = (x: number | null | undefined) => fmt.num(x, 2);
  const rows = result.preview ?? [];
  return (
    <>
      <h2>{t('common.preview')}</h2>
      <p role="status" data-testid="preview-summary">
        {t('ledger.imp.previewSummary', { count: rows.length, fresh: result.rows, held: result.duplicates })}
      </p>
      {result.warnings.map((w, i) => <div key={i} className="warning">{w}</div>)}
      {rows.length === 0 ? <Empty>{t('ledger.imp.noRows')}</Empty> : (
        <div className="scroller" tabIndex={0} role="region" aria-label={t('table.scrollable', { label: t('ledger.imp.rowsRead') })}>
          <table className="list" aria-label={t('ledger.imp.rowsRead')}>
            <thead><tr><th>{t('common.line')}</th><th>{t('common.date')}</th><th>{t('common.type')}</th><th>{t('common.symbol')}</th><th className="num">{t('common.quantity')}</th><th className="num">{t('common.price')}</th><th className="num">{t('ledger.fees')}</th><th className="num">{t('field.amount')}</th><th>{t('ledger.lot')}</th><th>{t('ledger.note')}</th><th>{t('common.status')}</th></tr></thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.line} data-line={r.line} className={r.duplicate ? 'muted' : ''}>
                  <td className="num">{r.line}</td><td>{r.date}</td><td>{r.type}</td><td>{r.symbol}</td>
                  <td className="num">{fmt.num(r.quantity, 4)}</td><td className="num">{c2(r.price)}</td><td className="num">{c2(r.fees)}</td><td className="num">{c2(r.amount)}</td>
                  <td>{r.lot_id}</td><td>{r.note}</td><td>{r.duplicate ? t('ledger.imp.heldAlready') : t('ledger.imp.new')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {(result.realized?.length ?? 0) > 0 && (
        <>
          <h3>{t('ledger.imp.fileGains')}</h3>
          <GainsTable gains={result.realized!} label={t('ledger.imp.fileGains')} />
        </>
      )}
    </>
  );
}
