// API data (a job's result, an audit row's details, a report's figures) as rows a person reads:
// flattenKv() turns nested JSON into key/value rows — a nested object's keys follow their parent's,
// a list of objects gives each item its own rows (named by its name, portfolio or symbol when it has
// one, else its number), a list of scalars is one row; long lists stop at `max` items with a row
// that counts the rest. figure() formats a value by the unit its key names (docs/reports.md) and
// says an id in words (src/app/labels.ts). KeyValues.tsx draws the rows.
import type { Fmt } from '../app/format';
import { fieldLabel, type Translate } from '../app/i18n';
import { valueLabel } from '../app/labels';

export type Scalar = string | number | boolean | null;
// One step of a row's path: a field, or an item of a list (its number from 1, and its name).
export type KvStep = { field: string } | { item: number; list: string; title?: string };

export interface KvRow {
  path: KvStep[];
  field: string; // the last field of the path: the value's key (what its unit and words go by)
  within?: string; // the list the row's object sits in (a stress row's `name` is a scenario)
  value: Scalar | Scalar[];
  more?: { shown: number; total: number }; // a list cut after `shown` items
}

export const MAX_ITEMS = 10;
const MAX_DEPTH = 8;
// The fields that name an item of a list, in order of preference.
const TITLE_FIELDS = ['name', 'portfolio', 'symbol', 'id', 'key'];

const isScalar = (v: unknown): v is Scalar => v === null || ['string', 'number', 'boolean'].includes(typeof v);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function flattenKv(value: unknown, max = MAX_ITEMS): KvRow[] {
  const out: KvRow[] = [];
  const walk = (v: unknown, path: KvStep[], field: string, within: string | undefined, depth: number) => {
    if (v === undefined) return;
    if (isScalar(v)) {
      out.push({ path, field, within, value: v });
      return;
    }
    if (depth >= MAX_DEPTH) {
      out.push({ path, field, within, value: JSON.stringify(v) });
      return;
    }
    if (Array.isArray(v)) {
      if (v.every(isScalar)) {
        out.push({ path, field, within, value: v.length > max ? v.slice(0, max) : v, more: v.length > max ? { shown: max, total: v.length } : undefined });
        return;
      }
      v.slice(0, max).forEach((item, i) => {
        const title = isObject(item) ? TITLE_FIELDS.find((f) => typeof item[f] === 'string' || typeof item[f] === 'number') : undefined;
        const step: KvStep = { item: i + 1, list: field, title: title && isObject(item) ? String(item[title]) : undefined };
        if (isObject(item)) {
          const entries = Object.entries(item).filter(([k]) => k !== title);
          if (entries.length === 0) out.push({ path: [...path, step], field, within: field, value: title ? String(item[title]) : null });
          for (const [k, x] of entries) walk(x, [...path, step, { field: k }], k, field, depth + 1);
        } else walk(item, [...path, step], field, field, depth + 1);
      });
      if (v.length > max) out.push({ path, field, within, value: null, more: { shown: max, total: v.length } });
      return;
    }
    const entries = Object.entries(v as Record<string, unknown>);
    if (entries.length === 0 && path.length > 0) {
      out.push({ path, field, within, value: [] });
      return;
    }
    for (const [k, x] of entries) walk(x, [...path, { field: k }], k, within, depth + 1);
  };
  walk(value, [], '', undefined, 0);
  return out;
}

// A row's key in words: "Portfolios: balanced › Steps: Market data › Status" (an item's step names
// its list, so the list's own step is left out before it).
export function kvKey(t: Translate, path: readonly KvStep[]): string {
  const words: string[] = [];
  path.forEach((s, i) => {
    const next = path[i + 1];
    if ('field' in s) {
      if (!(next && 'item' in next && next.list === s.field)) words.push(fieldLabel(t, s.field));
    } else {
      words.push(`${fieldLabel(t, s.list)}: ${s.title !== undefined ? valueLabel(t, 'name', s.title, s.list) : `#${s.item}`}`);
    }
  });
  return words.join(' › ');
}

// A figure by the unit its name carries (docs/reports.md): *_amount money, *_pct / weight /
// confidence fractions, *_ms milliseconds, counts and days whole, anything else with 4 decimals;
// a date as a date, an id in words (by its field and list: labels.valueLabel), other text as it is.
export function figure(fmt: Fmt, t: Translate, key: string, v: unknown, within?: string): string {
  if (v === null || v === undefined) return '–';
  if (typeof v === 'number') {
    if (key.endsWith('_amount')) return fmt.money(v);
    if (key.endsWith('_ms')) return fmt.num(v, 1);
    if (/(_pct|weight|confidence|^rate$|_vol|_annual|^r2$|^adj_r2$|^progress$)/.test(key)) return fmt.pct(v);
    if (/(_count|_days|^count$|^positions|_exceptions|_observations|_checked|^price_symbols$|^id$|^version$)/.test(key)) return fmt.num(v, 0);
    return Number.isInteger(v) ? fmt.num(v, 0) : fmt.num(v, 4);
  }
  if (typeof v === 'boolean') return v ? t('common.yes') : t('common.no');
  if (typeof v === 'string' && /(date|_at$|^as_of$|^from$|^to$)/.test(key) && /^\d{4}-\d\d-\d\d/.test(v)) return fmt.date(v);
  if (typeof v === 'string') return valueLabel(t, key, v, within);
  return String(v);
}

export const MAX_TEXT = 400;

// A row's value in words: a list joined (and its count when cut), an empty one as "none", a text
// longer than MAX_TEXT characters cut there (the JSON has it all).
export function kvValue(fmt: Fmt, t: Translate, row: KvRow): string {
  const v = kvText(fmt, t, row);
  return v.length > MAX_TEXT ? `${v.slice(0, MAX_TEXT)}${t('kv.cut', { count: v.length - MAX_TEXT })}` : v;
}

function kvText(fmt: Fmt, t: Translate, row: KvRow): string {
  const { value, field, within, more } = row;
  if (Array.isArray(value)) {
    if (value.length === 0) return t('common.none');
    const shown = value.map((x) => figure(fmt, t, field, x, within)).join(', ');
    return more ? `${shown} ${t('kv.more', { count: more.total - more.shown, total: more.total })}` : shown;
  }
  if (more) return t('kv.more', { count: more.total - more.shown, total: more.total });
  return figure(fmt, t, field, value, within);
}

