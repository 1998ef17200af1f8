// The account's activities: its stored transactions (GET …/transactions), filtered by symbol, type
// and dates from the URL (/ledger/NAME?tab=transactions&symbol=AAPL&type=BUY&from=…&to=…), a page
// at a time. Roles that may import correct a row (PUT …/transactions/{number}: only the fields
// changed; the answer's row before and after is shown, a refusal next to the fields it names),
// remove one (DELETE, after a confirmation) or add one (a one-row canonical import, checked and
// audited as an import). Each change re-books the account, so every cached figure of the account
// is asked for again. The CSV and JSON exports download with the session's token.
import { useEffect, useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { api, ApiError, download } from '../../api/client';
import type { AccountShow, ExportedTransaction, TransactionEditResult, TransactionItem, TransactionPage, TransactionsImportResult } from '../../api/types';
import { setQuery } from '../../app/router';
import { choiceLabel } from '../../app/i18n';
import { useSession } from '../../app/session';
import { safeFileName } from '../../app/text';
import { Empty, ErrorBox, Loading } from '../../components/States';
import { addCsv, amountFollows, editBody, EMPTY_FORM, formOf, placesOf, problemsOf, TX_FIELDS, TX_TYPES, withField, type Problems, type TxField, type TxForm } from './activities';

const PAGE_SIZES = [10, 25, 50, 100, 250];

// The words of a transaction's fields.
function useTxLabels(): Record<TxField, string> {
  const { t } = useSession();
  return {
    date: t('common.date'), type: t('common.type'), symbol: t('common.symbol'), quantity: t('common.quantity'),
    price: t('common.price'), fees: t('ledger.fees'), amount: t('field.amount'), note: t('ledger.note'),
  };
}
const DEFAULT_PAGE = 50;

// Every cached figure of the account (its summary, its rows and every report of it) and the
// totals that add it up (the accounts list, net worth), asked for again after a change.
export function invalidateAccount(qc: QueryClient, account: AccountShow): void {
  const prefix = `/api/v1/accounts/${account.id}/`;
  void qc.invalidateQueries({ queryKey: ['account', account.name] });
  void qc.invalidateQueries({ queryKey: ['accounts'] });
  void qc.invalidateQueries({ queryKey: ['networth'] });
  void qc.invalidateQueries({ predicate: (q) => q.queryKey[0] === 'ledger' && String(q.queryKey[1] ?? '').startsWith(prefix) });
}

export function ActivitiesTab({ account, query }: { account: AccountShow; query: URLSearchParams }) {
  const { can, fmt, t } = useSession();
  const qc = useQueryClient();
  const editable = can('import_positions');
  const filters = { symbol: query.get('symbol') ?? '', type: query.get('type') ?? '', from: query.get('from') ?? '', to: query.get('to') ?? '' };
  const askedLimit = Number(query.get('limit'));
  const limit = Number.isInteger(askedLimit) && askedLimit >= 1 && askedLimit <= 500 ? askedLimit : DEFAULT_PAGE;
  // The page: its cursor and those of the pages before it (Previous goes back one), for these
  // filters only (other filters start again at their first page).
  const filterKey = `${filters.symbol}|${filters.type}|${filters.from}|${filters.to}|${limit}`;
  const [paging, setPaging] = useState<{ key: string; before: (string | null)[]; cursor: string | null }>({ key: filterKey, before: [], cursor: null });
  const { before: cursors, cursor } = paging.key === filterKey ? paging : { before: [], cursor: null };
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(filters)) if (v) q.set(k, v);
  q.set('limit', String(limit));
  if (cursor) q.set('cursor', cursor);
  const path = `/api/v1/accounts/${account.id}/transactions?${q.toString()}`;
  const page = useQuery({ queryKey: ['ledger', path], queryFn: () => api<TransactionPage>('GET', path) });

  const [symbol, setSymbol] = useState(filters.symbol);
  useEffect(() => setSymbol(filters.symbol), [filters.symbol]);
  const commitSymbol = () => {
    const s = symbol.trim().toUpperCase();
    if (s !== filters.symbol) setQuery({ symbol: s || null });
  };

  const [editing, setEditing] = useState<number | null>(null);
  const [adding, setAdding] = useState(false);
  const [notice, setNotice] = useState<{ kind: 'edited' | 'deleted' | 'added'; result: TransactionEditResult | TransactionsImportResult } | null>(null);
  const changed = () => {
    invalidateAccount(qc, account);
  };
  const remove = useMutation({
    mutationFn: (n: number) => api<TransactionEditResult>('DELETE', `/api/v1/accounts/${account.id}/transactions/${n}`),
    onSuccess: (r) => {
      setNotice({ kind: 'deleted', result: r });
      setEditing(null);
      changed();
    },
  });

  const [exportError, setExportError] = useState<unknown>(null);
  const exportFile = (format: 'csv' | 'json') => {
    setExportError(null);
    const p = `/api/v1/accounts/${account.id}/export/transactions${format === 'json' ? '?format=json' : ''}`;
    download(p, safeFileName(`${account.name}_transactions.${format}`)).catch(setExportError);
  };

  const d = page.data;
  const items = d?.items ?? [];
  const first = cursors.length * limit + 1;
  const total = d?.total ?? items.length;
  const filtered = Object.values(filters).some(Boolean);
  const c = (text: string | undefined, min: number) => (text === undefined || text === '' ? '' : fmt.num(Number(text), placesOf(text, min)));
  const label = t('ledger.act.table', { account: account.name });
  const columns = editable ? 10 : 9;
  return (
    <>
      <form className="params act-filters" aria-label={t('ledger.act.filters')} onSubmit={(e) => { e.preventDefault(); commitSymbol(); }}>
        <label htmlFor="act-symbol">
          {t('common.symbol')}
          <input id="act-symbol" value={symbol} style={{ width: 110 }} onChange={(e) => setSymbol(e.target.value)} onBlur={commitSymbol} />
        </label>
        <label htmlFor="act-type">
          {t('common.type')}
          <select id="act-type" value={filters.type} onChange={(e) => setQuery({ type: e.target.value || null })}>
            <option value="">{t('ledger.act.allTypes')}</option>
            {TX_TYPES.map((x) => <option key={x} value={x}>{choiceLabel(t, 'tx', x)}</option>)}
          </select>
        </label>
        <label htmlFor="act-from">
          {t('ledger.act.from')}
          <input id="act-from" type="date" value={filters.from} onChange={(e) => setQuery({ from: e.target.value || null })} />
        </label>
        <label htmlFor="act-to">
          {t('ledger.act.to')}
          <input id="act-to" type="date" value={filters.to} onChange={(e) => setQuery({ to: e.target.value || null })} />
        </label>
        <label htmlFor="act-limit">
          {t('ledger.act.pageSize')}
          <select id="act-limit" value={limit} onChange={(e) => setQuery({ limit: Number(e.target.value) === DEFAULT_PAGE ? null : e.target.value })}>
            {[...new Set([...PAGE_SIZES, limit])].sort((a, b) => a - b).map((n) => <option key={n} value={n}>{n}</option>)}
          </select>
        </label>
        <button type="submit">{t('ledger.act.apply')}</button>
        {filtered && <button type="button" onClick={() => { setSymbol(''); setQuery({ symbol: null, type: null, from: null, to: null }); }}>{t('ledger.act.clear')}</button>}
      </form>
      <div className="actions" role="group" aria-label={t('ledger.act.exports')}>
        {editable && !adding && (
          <button type="button" className="primary" onClick={() => { setAdding(true); setEditing(null); setNotice(null); }}>{t('ledger.act.add')}</button>
        )}
        <button type="button" onClick={() => exportFile('csv')}>{t('ledger.act.exportCsv')}</button>
        <button type="button" onClick={() => exportFile('json')}>{t('ledger.act.exportJson')}</button>
      </div>
      <ErrorBox error={exportError} />
      {!editable && <p className="muted small" data-testid="activities-read-only">{t('ledger.act.readOnly')}</p>}
      {adding && (
        <AddForm account={account} onClose={() => setAdding(false)} onAdded={(r) => { setNotice({ kind: 'added', result: r }); setAdding(false); changed(); }} />
      )}
      {notice && <Notice notice={notice} />}
      <ErrorBox error={remove.error} />
      {page.isLoading && <Loading what={t('ledger.act.loading')} />}
      <ErrorBox error={page.error} />
      {d && items.length === 0 && <Empty>{filtered ? t('ledger.act.noneFiltered') : t('ledger.act.none')}</Empty>}
      {d && items.length > 0 && (
        <>
          <div className="scroller" tabIndex={0} role="region" aria-label={t('table.scrollable', { label })}>
            <table className="list" aria-label={label} data-testid="activities">
              <caption className="muted small">{label}</caption>
              <thead>
                <tr>
                  <th className="num" scope="col">{t('ledger.act.number')}</th><th scope="col">{t('common.date')}</th><th scope="col">{t('common.type')}</th><th scope="col">{t('common.symbol')}</th>
                  <th className="num" scope="col">{t('common.quantity')}</th><th className="num" scope="col">{t('common.price')}</th><th className="num" scope="col">{t('ledger.fees')}</th>
                  <th className="num" scope="col">{t('field.amount')}</th><th scope="col">{t('ledger.note')}</th>{editable && <th scope="col">{t('ledger.act.actions')}</th>}
                </tr>
              </thead>
              <tbody>
                {items.map((r) => (
                  <Row key={r.number} r={r} editable={editable} editing={editing === r.number} columns={columns} c={c}
                    onEdit={() => { setEditing(editing === r.number ? null : r.number); setAdding(false); setNotice(null); remove.reset(); }}
                    onDelete={() => { setNotice(null); remove.mutate(r.number); }}
                    onSaved={(res) => { setNotice({ kind: 'edited', result: res }); setEditing(null); changed(); }}
                    account={account} />
                ))}
              </tbody>
            </table>
          </div>
          <nav className="actions" aria-label={t('ledger.act.pages')}>
            <span role="status" data-testid="activities-page">{t('ledger.act.page', { first: fmt.num(first, 0), last: fmt.num(first + items.length - 1, 0), total: fmt.num(total, 0) })}</span>
            <button type="button" disabled={cursors.length === 0} onClick={() => setPaging({ key: filterKey, before: cursors.slice(0, -1), cursor: cursors[cursors.length - 1] ?? null })}>{t('ledger.act.previous')}</button>
            <button type="button" disabled={!d.next_cursor} onClick={() => setPaging({ key: filterKey, before: [...cursors, cursor], cursor: d.next_cursor ?? null })}>{t('ledger.act.next')}</button>
          </nav>
        </>
      )}
    </>
  );
}

function Row({ r, editable, editing, columns, c, onEdit, onDelete, onSaved, account }: {
  r: TransactionItem;
  editable: boolean;
  editing: boolean;
  columns: number;
  c: (text: string | undefined, min: number) => string;
  onEdit: () => void;
  onDelete: () => void;
  onSaved: (r: TransactionEditResult) => void;
  account: AccountShow;
}) {
  const { fmt, t } = useSession();
  const what = { number: r.number, date: fmt.date(r.date), type: choiceLabel(t, 'tx', r.type), symbol: r.symbol };
  return (
    <>
      <tr data-number={r.number} className={editing ? 'selected' : ''}>
        <td className="num">{r.number}</td>
        <td data-field="date">{fmt.date(r.date)}</td>
        <td data-field="type" data-type={r.type}>{choiceLabel(t, 'tx', r.type)}</td>
        <td data-field="symbol">{r.symbol}</td>
        <td className="num" data-field="quantity">{c(r.quantity, 0)}</td>
        <td className="num" data-field="price">{c(r.price, 2)}</td>
        <td className="num" data-field="fees">{c(r.fees, 2)}</td>
        <td className="num" data-field="amount">{c(r.amount, 2)}</td>
        <td data-field="note">{r.note ?? ''}</td>
        {editable && (
          <td className="row-actions">
            <button type="button" aria-expanded={editing} aria-label={t('ledger.act.editRow', { number: r.number })} onClick={onEdit}>{t('ledger.act.edit')}</button>{' '}
            <button type="button" className="danger" aria-label={t('ledger.act.deleteRow', { number: r.number })}
              onClick={() => { if (window.confirm(t('ledger.act.confirmDelete', what))) onDelete(); }}>{t('common.delete')}</button>
          </td>
        )}
      </tr>
      {editing && (
        <tr className="editing">
          <td colSpan={columns}>
            <EditForm account={account} item={r} onCancel={onEdit} onSaved={onSaved} />
          </td>
        </tr>
      )}
    </>
  );
}

function EditForm({ account, item, onCancel, onSaved }: { account: AccountShow; item: TransactionItem; onCancel: () => void; onSaved: (r: TransactionEditResult) => void }) {
  const { t } = useSession();
  const stored = formOf(item);
  const [form, setForm] = useState<TxForm>(stored);
  const [amountTyped, setAmountTyped] = useState(false);
  const follows = amountFollows(stored) && !amountTyped;
  const body = editBody(stored, form);
  const save = useMutation({
    mutationFn: () => api<TransactionEditResult>('PUT', `/api/v1/accounts/${account.id}/transactions/${item.number}`, { body }),
    onSuccess: onSaved,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (Object.keys(body).length > 0) save.mutate();
  };
  return (
    <TxFields
      id={`edit-${item.number}`}
      legend={t('ledger.act.editLegend', { number: item.number })}
      form={form}
      hint={amountFollows(stored) ? t('ledger.act.amountFollows') : t('ledger.act.amountHelp')}
      onChange={(f, v) => {
        if (f === 'amount') setAmountTyped(true);
        setForm((x) => withField(x, f, v, follows && f !== 'amount'));
      }}
      onSubmit={submit}
      onCancel={onCancel}
      submitLabel={t('ledger.act.save')}
      busy={save.isPending}
      ready={Object.keys(body).length > 0}
      error={save.error}
    />
  );
}

function AddForm({ account, onClose, onAdded }: { account: AccountShow; onClose: () => void; onAdded: (r: TransactionsImportResult) => void }) {
  const { t } = useSession();
  const [form, setForm] = useState<TxForm>(EMPTY_FORM);
  const add = useMutation({
    mutationFn: () => api<TransactionsImportResult>('POST', `/api/v1/accounts/${account.id}/transactions`, { body: { csv: addCsv(form), keep_duplicates: true } }),
    onSuccess: onAdded,
  });
  return (
    <TxFields
      id="add"
      legend={t('ledger.act.addLegend')}
      form={form}
      hint={t('ledger.act.addHelp')}
      onChange={(f, v) => setForm((x) => ({ ...x, [f]: v }))}
      onSubmit={(e) => { e.preventDefault(); add.mutate(); }}
      onCancel={onClose}
      submitLabel={t('ledger.act.addSubmit')}
      busy={add.isPending}
      ready={form.date !== '' && form.type !== ''}
      error={add.error}
    />
  );
}

// The fields of one transaction, each refusal of the server under the field it names and the rest
// above the buttons; the form stays open until a save succeeds.
function TxFields({ id, legend, form, hint, onChange, onSubmit, onCancel, submitLabel, busy, ready, error }: {
  id: string;
  legend: string;
  form: TxForm;
  hint: string;
  onChange: (f: TxField, v: string) => void;
  onSubmit: (e: FormEvent) => void;
  onCancel: () => void;
  submitLabel: string;
  busy: boolean;
  ready: boolean;
  error: unknown;
}) {
  const { t } = useSession();
  const labels = useTxLabels();
  const problems: Problems = error instanceof ApiError ? problemsOf(error.details) : { fields: {}, other: [] };
  const field = (f: TxField) => {
    const fid = `${id}-${f}`;
    const ps = problems.fields[f] ?? [];
    const common = {
      id: fid,
      value: form[f],
      'aria-invalid': ps.length > 0 || undefined,
      'aria-describedby': ps.length > 0 ? `${fid}-problem` : undefined,
    };
    return (
      <div key={f} className="tx-field" data-field={f}>
        <label htmlFor={fid}>{labels[f]}</label>
        {f === 'type' ? (
          <select {...common} onChange={(e) => onChange(f, e.target.value)}>
            {!(TX_TYPES as readonly string[]).includes(form.type) && <option value={form.type}>{form.type}</option>}
            {TX_TYPES.map((x) => <option key={x} value={x}>{choiceLabel(t, 'tx', x)}</option>)}
          </select>
        ) : (
          <input
            {...common}
            type={f === 'date' ? 'date' : 'text'}
            inputMode={f === 'quantity' || f === 'price' || f === 'fees' || f === 'amount' ? 'decimal' : undefined}
            required={f === 'date'}
            onChange={(e) => onChange(f, e.target.value)}
          />
        )}
        {ps.length > 0 && <span id={`${fid}-problem`} className="fail" data-testid={`problem-${f}`}>{ps.join('; ')}</span>}
      </div>
    );
  };
  return (
    <form className="tx-form" aria-label={legend} onSubmit={onSubmit} noValidate>
      <fieldset>
        <legend>{legend}</legend>
        <div className="tx-fields">{TX_FIELDS.map(field)}</div>
        <p className="muted small">{hint}</p>
        {error instanceof ApiError ? (
          <div className="error" role="alert" data-testid="tx-error">
            <strong>{error.status === 403 ? t('state.notAllowed') : t('state.error', { status: error.status })}</strong>
            {error.message}
            {problems.other.length > 0 && <ul>{problems.other.map((p, i) => <li key={i}>{p}</li>)}</ul>}
          </div>
        ) : <ErrorBox error={error} />}
        <div className="actions">
          <button type="submit" className="primary" disabled={busy || !ready}>{submitLabel}</button>
          <button type="button" onClick={onCancel}>{t('ledger.act.cancel')}</button>
        </div>
      </fieldset>
    </form>
  );
}

const SHOWN: readonly TxField[] = TX_FIELDS;

// What the last change did: the row added, removed, or edited with each changed field's value
// before and after (the server's answer).
function Notice({ notice }: { notice: { kind: 'edited' | 'deleted' | 'added'; result: TransactionEditResult | TransactionsImportResult } }) {
  const { t } = useSession();
  const labels = useTxLabels();
  if (notice.kind === 'added') {
    const r = notice.result as TransactionsImportResult;
    return (
      <div className="ok" role="status" data-testid="activities-notice">
        {t('ledger.act.added', { count: r.account_transactions })}
        {r.warnings.map((w, i) => <div key={i} className="warning">{w}</div>)}
      </div>
    );
  }
  const r = notice.result as TransactionEditResult;
  const { before, after } = r;
  const text = (x: ExportedTransaction, k: TxField) => String(x[k] ?? '');
  const changedFields = after ? SHOWN.filter((k) => text(before, k) !== text(after, k)) : [];
  return (
    <>
      <div className="ok" role="status" data-testid="activities-notice">
        {notice.kind === 'deleted'
          ? t('ledger.act.deleted', { number: r.number, row: `${before.date} ${before.type} ${before.symbol}`.trim(), count: r.account_transactions })
          : t('ledger.act.saved', { number: r.number })}
        {r.warnings.map((w, i) => <div key={i} className="warning">{w}</div>)}
      </div>
      {after && (
        <table className="list kv" aria-label={t('ledger.act.changes', { number: r.number })} data-testid="activities-change">
          <caption className="muted small">{t('ledger.act.changes', { number: r.number })}</caption>
          <thead><tr><th scope="col">{t('ledger.act.field')}</th><th scope="col">{t('ledger.act.before')}</th><th scope="col">{t('ledger.act.after')}</th></tr></thead>
          <tbody>
            {changedFields.map((k) => (
              <tr key={k} data-field={k}><th scope="row">{labels[k]}</th><td data-side="before">{text(before, k)}</td><td data-side="after">{text(after, k)}</td></tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
