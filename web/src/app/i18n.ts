// The app's words in every language it speaks: one message catalogue per language
// (messages/en.ts, the reference, and messages/de.ts, typed by it, so a key missing in German is a
// type error), a typed t(key, params) and rich(key, params) for messages that hold elements.
// - A message is a string with {name} placeholders, or plural forms ({ one, other }, chosen by
//   Intl.PluralRules from the `count` parameter).
// - The placeholders a message takes are its type: t('plan.kpi.success', { lives: '1,000' }).
// - Field labels (API field name -> words) are the keys `field.NAME`; fieldLabel() reads them and
//   never shows the raw name (a field missing from the table is spelt out in words).
// Numbers and dates are formatted by format.ts (Intl) in the same locale; text from the server
// (names, error messages) is data and is shown as it is. English is part of the first load; another
// language's catalogue is a chunk of its own, loaded (loadLanguage) before it is shown.
import { createElement, Fragment, type ReactNode } from 'react';
import { en } from './messages/en';
import type { Locale } from './format';

export type Plural = { readonly zero?: string; readonly one?: string; readonly two?: string; readonly few?: string; readonly many?: string; readonly other: string };
type Catalogue = typeof en;
export type Key = keyof Catalogue;
// A language's catalogue: every key of the English one, each a string or plural forms.
export type Messages = { readonly [K in Key]: Catalogue[K] extends string ? string : Plural };

// The {name} placeholders of a message (a name is a word: other braces are text).
type Word<P extends string> = P extends `${string}${'"' | ' ' | ':' | '.' | ',' | '[' | '{'}${string}` ? never : P;
type Vars<S> = S extends `${string}{${infer P}}${infer R}` ? Word<P> | Vars<R> : never;
type VarsOf<K extends Key> = Catalogue[K] extends string ? Vars<Catalogue[K]> : Vars<(Catalogue[K] & Plural)['other']> | Vars<NonNullable<(Catalogue[K] & Plural)['one']>> | 'count';
export type Params<K extends Key, V = string | number> = { [P in VarsOf<K>]: P extends 'count' ? number : V };
type Args<K extends Key, V = string | number> = [VarsOf<K>] extends [never] ? [] : [Params<K, V>];
// A key whose message takes no parameters (what a table of keys holds: tabs, headings, choices).
export type PlainKey = { [K in Key]: [VarsOf<K>] extends [never] ? K : never }[Key];

export type Lang = 'en' | 'de';
// Each language's catalogue, loaded when first chosen.
const LOADERS: Record<Lang, () => Promise<Messages>> = {
  en: () => Promise.resolve(en),
  de: () => import('./messages/de').then((m) => m.de),
};
const loaded: Partial<Record<Lang, Messages>> = { en };
export const LANGS = Object.keys(LOADERS) as Lang[];
export const isLoaded = (lang: Lang): boolean => !!loaded[lang];
export async function loadLanguage(lang: Lang): Promise<Messages> {
  return (loaded[lang] ??= await LOADERS[lang]());
}
export const langOf = (locale: Locale): Lang => (locale.startsWith('de') ? 'de' : 'en');
// The language-and-format choices of the header, each named in its own language.
export const LANGUAGE_NAMES: Record<Locale, string> = { 'en-US': 'English (US)', 'de-DE': 'Deutsch' };

export interface Translate {
  <K extends Key>(key: K, ...params: Args<K>): string;
  // Is this string a key of the catalogue (for keys made from data, such as a field's name)?
  has: (key: string) => key is Key;
}

const rules = new Map<string, Intl.PluralRules>();

function pick(locale: Locale, m: string | Plural, count: unknown): string {
  if (typeof m === 'string') return m;
  let r = rules.get(locale);
  if (!r) rules.set(locale, (r = new Intl.PluralRules(locale)));
  const n = typeof count === 'number' ? count : Number(count);
  const cat = (Number.isFinite(n) ? r.select(n) : 'other') as keyof Plural;
  return m[cat] ?? m.other;
}

// The message's text with its placeholders split out: [text, name, text, name, …, text].
function pieces(text: string): string[] {
  return text.split(/\{(\w+)\}/);
}

export function makeT(locale: Locale): Translate {
  const cat = loaded[langOf(locale)] ?? en;
  const t = (<K extends Key>(key: K, ...params: Args<K>): string => {
    const p = (params[0] ?? {}) as Record<string, unknown>;
    const parts = pieces(pick(locale, cat[key] ?? en[key], p.count));
    return parts.map((s, i) => (i % 2 ? String(p[s] ?? `{${s}}`) : s)).join('');
  }) as Translate;
  t.has = (key: string): key is Key => Object.prototype.hasOwnProperty.call(en, key);
  return t;
}

// English, for the words of code that runs outside the session (pure helpers' defaults, tests).
export const enT: Translate = makeT('en-US');

// A message whose placeholders are elements (a link, a code span, a figure with its data-field):
// the elements are put in the message's places, the text around them stays text.
export function makeRich(locale: Locale) {
  const cat = loaded[langOf(locale)] ?? en;
  return <K extends Key>(key: K, ...params: Args<K, ReactNode>): ReactNode => {
    const p = (params[0] ?? {}) as Record<string, ReactNode>;
    const parts = pieces(pick(locale, cat[key] ?? en[key], p.count));
    return createElement(Fragment, null, ...parts.map((s, i) => (i % 2 ? createElement(Fragment, { key: i }, p[s] ?? `{${s}}`) : s)));
  };
}
export type Rich = ReturnType<typeof makeRich>;

// "withdrawal_rate" -> "Withdrawal rate": the words a name spells, for a name the label table has
// not (yet) got. The table is the source; this keeps a snake_case name off the page all the same.
export function spellOut(name: string): string {
  const s = name.replace(/[_-]+/g, ' ').replace(/\s+/g, ' ').trim();
  return s ? s[0]!.toUpperCase() + s.slice(1) : name;
}

// The label of an API field: the table's words (`field.NAME`), else the name spelt out.
export function fieldLabel(t: Translate, name: string): string {
  const k = `field.${name}`;
  return t.has(k) ? t(k as Key & `field.${string}`) : spellOut(name);
}

// The label of one of a field's choices (`choice.FIELD.VALUE`, else `choice.VALUE`), else the value
// itself: a choice is a name the API reads (historical, ledoit-wolf), shown as such when the table
// has no words for it.
export function choiceLabel(t: Translate, field: string, value: string): string {
  for (const k of [`choice.${field}.${value}`, `choice.${value}`]) if (t.has(k)) return t(k as Key & `choice.${string}`);
  return value;
}
