// Life events of a plan (docs/planning.md): a small editable table kept in the URL's `events`
// (JSON), or loaded from an events file (JSON {"events": [...]} or CSV year,type,amount[,label],
// the formats of `keel plan retire --events`). The server checks them with the plan.
import { useState } from 'react';
import type { PlanEvent } from '../../api/types';
import { choiceLabel, type Translate } from '../../app/i18n';
import { setQuery } from '../../app/router';
import { useSession } from '../../app/session';
import { parseCsv } from '../portfolios/csv';

const TYPES: PlanEvent['type'][] = ['expense', 'income_change', 'windfall', 'savings_rate_change'];

export function readEvents(query: URLSearchParams): PlanEvent[] {
  try {
    const v = JSON.parse(query.get('events') ?? '[]') as unknown;
    return Array.isArray(v) ? (v as PlanEvent[]) : [];
  } catch {
    return [];
  }
}

function write(events: PlanEvent[]) {
  setQuery({ events: events.length ? JSON.stringify(events) : null });
}

// The file's events as written (numbers the server will check), or a message.
function fromFile(t: Translate, name: string, text: string): PlanEvent[] | string {
  if (name.toLowerCase().endsWith('.json') || text.trim().startsWith('{') || text.trim().startsWith('[')) {
    try {
      const doc = JSON.parse(text) as { events?: PlanEvent[] } | PlanEvent[];
      const list = Array.isArray(doc) ? doc : doc.events;
      return Array.isArray(list) ? list : t('plan.ev.expectJson', { file: name });
    } catch (e) {
      return `${name}: ${String(e)}`;
    }
  }
  const rows = parseCsv(text).filter((r) => r.some((c) => c.trim()));
  const h = (rows[0] ?? []).map((c) => c.trim().toLowerCase());
  const at = (k: string) => h.indexOf(k);
  if (at('year') < 0 || at('type') < 0 || at('amount') < 0) return t('plan.ev.expectCsv', { file: name });
  return rows.slice(1).map((r) => ({
    year: Number(r[at('year')]),
    type: (r[at('type')] ?? '').trim() as PlanEvent['type'],
    amount: Number(r[at('amount')]),
    label: at('label') >= 0 ? r[at('label')] ?? '' : '',
  }));
}

export function EventsTable({ query }: { query: URLSearchParams }) {
  const { t } = useSession();
  const events = readEvents(query);
  const [problem, setProblem] = useState('');
  const change = (i: number, patch: Partial<PlanEvent>) => write(events.map((e, k) => (k === i ? { ...e, ...patch } : e)));
  return (
    <fieldset>
      <legend>{t('plan.ev.legend')}</legend>
      <table className="list grid" aria-label={t('field.events')}>
        <thead><tr><th>{t('field.year')}</th><th>{t('common.type')}</th><th>{t('field.amount')}</th><th>{t('field.label')}</th><th><span className="sr-only">{t('common.remove')}</span></th></tr></thead>
        <tbody>
          {events.map((e, i) => (
            <tr key={`${i}:${JSON.stringify(e)}`} data-event={i}>
              <td><input aria-label={t('plan.ev.year', { n: i + 1 })} type="number" min={0} step={1} defaultValue={e.year} onBlur={(x) => change(i, { year: Number(x.target.value) })} style={{ width: 70 }} /></td>
              <td>
                <select aria-label={t('plan.ev.type', { n: i + 1 })} value={e.type} onChange={(x) => change(i, { type: x.target.value as PlanEvent['type'] })}>
                  {TYPES.map((k) => <option key={k} value={k}>{choiceLabel(t, 'event', k)}</option>)}
                </select>
              </td>
              <td><input aria-label={t('plan.ev.amount', { n: i + 1 })} type="number" step="any" defaultValue={e.amount ?? ''} onBlur={(x) => change(i, { amount: Number(x.target.value) })} style={{ width: 110 }} /></td>
              <td><input aria-label={t('plan.ev.label', { n: i + 1 })} defaultValue={e.label ?? ''} onBlur={(x) => change(i, { label: x.target.value })} /></td>
              <td><button type="button" onClick={() => write(events.filter((_, k) => k !== i))} aria-label={t('plan.ev.remove', { n: i + 1 })}>{t('common.remove')}</button></td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="actions">
        <button type="button" onClick={() => write([...events, { year: 0, type: 'expense', amount: 0, label: '' }])}>{t('plan.ev.add')}</button>
        <label htmlFor="events-file">{t('plan.ev.load')}</label>
        <input id="events-file" type="file" accept=".json,.csv,application/json,text/csv" onChange={async (e) => {
          const f = e.target.files?.[0];
          if (!f) return;
          const r = fromFile(t, f.name, await f.text());
          if (typeof r === 'string') setProblem(r);
          else {
            setProblem('');
            write(r);
          }
        }} />
      </div>
      {problem && <div className="error" role="alert">{problem}</div>}
    </fieldset>
  );
}
