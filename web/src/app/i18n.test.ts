// The catalogues and the label table: English and German have the same keys with the same
// placeholders; t interpolates and picks plural forms by Intl.PluralRules; every field a view shows
// (each field of every request schema a view's controls read, from src/api/generated/params.json),
// every choice of those fields, and every key the report, the what-if result and the import
// summaries show (from src/api/generated/openapi.json) has a label in each language.
import { describe, expect, it } from 'vitest';
import { isValidElement } from 'react';
import params from '../api/generated/params.json';
import openapi from '../api/generated/openapi.json';
import { choiceLabel, fieldLabel, LANGS, loadLanguage, makeRich, makeT, spellOut, type Lang, type Messages, type Plural } from './i18n';
import { en as EN } from './messages/en';
import { de as DE } from './messages/de';
import { SECTIONS } from '../views/reports/ReportView';

const CATALOGUES: Record<Lang, Messages> = { en: EN, de: DE };
const placeholders = (m: string | Plural): string[] => {
  const texts = typeof m === 'string' ? [m] : Object.values(m).filter((x): x is string => typeof x === 'string');
  const names = new Set<string>();
  for (const s of texts) for (const [, n] of s.matchAll(/\{(\w+)\}/g)) names.add(n!);
  if (typeof m !== 'string') names.delete('count');
  return [...names].sort();
};

describe('catalogues', () => {
  const en = CATALOGUES.en as Record<string, string | Plural>;
  for (const lang of LANGS) {
    const cat = CATALOGUES[lang] as Record<string, string | Plural>;
    it(`${lang} has exactly the English keys, with the same placeholders and plural forms`, () => {
      expect(Object.keys(cat).sort()).toEqual(Object.keys(en).sort());
      for (const [k, m] of Object.entries(en)) {
        const other = cat[k]!;
        expect(typeof other, k).toBe(typeof m);
        expect(placeholders(other), k).toEqual(placeholders(m));
        if (typeof other !== 'string') expect(other.other, k).toBeTruthy();
        expect(typeof other === 'string' ? other : other.other, k).not.toBe('');
      }
    });
  }
});

describe('t', () => {
  it('loads a language before speaking it', async () => {
    expect(await loadLanguage('de')).toBe(DE);
  });

  it('interpolates and picks plural forms by Intl.PluralRules', async () => {
    await loadLanguage('de');
    const en = makeT('en-US');
    const de = makeT('de-DE');
    expect(en('state.loading', { what: 'the report' })).toBe('Loading the report…');
    expect(de('state.loading', { what: 'den Bericht' })).toBe('Lade den Bericht …');
    expect(en('common.warnings', { count: 1 })).toBe('1 warning');
    expect(en('common.warnings', { count: 3 })).toBe('3 warnings');
    expect(de('common.warnings', { count: 1 })).toBe('1 Warnung');
    expect(de('common.warnings', { count: 0 })).toBe('0 Warnungen');
    expect(en('whatif.addTrades', { count: 2 })).toBe('Add 2 trades to the session');
    // Braces that are not a placeholder are text.
    expect(en('plan.ev.expectJson', { file: 'e.json' })).toBe('e.json: expected {"events": [...]}');
  });

  it('rich puts elements in the placeholders', () => {
    const rich = makeRich('en-US');
    const node = rich('dash.var.job', { job: 'X' });
    expect(isValidElement(node)).toBe(true);
  });

  it('labels a field from the table, never as its name', async () => {
    await loadLanguage('de');
    const en = makeT('en-US');
    const de = makeT('de-DE');
    expect(fieldLabel(en, 'withdrawal_rate')).toBe('Withdrawal rate');
    expect(fieldLabel(de, 'withdrawal_rate')).toBe('Entnahmerate');
    expect(fieldLabel(en, 'not_in_the_table')).toBe('Not in the table');
    expect(spellOut('delta_adjusted_gross')).toBe('Delta adjusted gross');
    expect(choiceLabel(de, 'method', 'historical')).toBe('historisch');
    expect(choiceLabel(en, 'method', 'no-such-choice')).toBe('no-such-choice');
  });
});

// The request schemas the views' controls read: every `schema="X"`, bodyFrom('X', …) and
// fieldOf('X', …) in the views and components.
const sources = import.meta.glob(['../views/**/*.tsx', '../components/**/*.tsx'], { query: '?raw', import: 'default', eager: true }) as Record<string, string>;
const usedSchemas = new Set<string>();
for (const text of Object.values(sources)) {
  for (const m of text.matchAll(/schema="(\w+)"|bodyFrom\('(\w+)'|fieldOf\('(\w+)'/g)) usedSchemas.add((m[1] ?? m[2] ?? m[3])!);
}

type Schema = { $ref?: string; properties?: Record<string, Schema>; items?: Schema; type?: string | string[]; oneOf?: Schema[]; anyOf?: Schema[] };
const schemas = (openapi as unknown as { components: { schemas: Record<string, Schema> } }).components.schemas;
const resolve = (s: Schema | undefined): Schema | undefined => (s?.$ref ? schemas[s.$ref.split('/').pop()!] : s);
// The keys a view shows of a schema: its properties, and those of the objects its lists hold.
function keysOf(name: string): string[] {
  const s = schemas[name];
  if (!s) return [];
  const out = new Set<string>();
  for (const [k, p] of Object.entries(s.properties ?? {})) {
    out.add(k);
    const item = resolve(resolve(p)?.items);
    for (const ik of Object.keys(item?.properties ?? {})) out.add(ik);
  }
  return [...out];
}

describe('label table', () => {
  const req = params as unknown as Record<string, Record<string, { enum?: string[] }>>;
  it('finds the request schemas the views use', () => {
    expect([...usedSchemas].sort()).toEqual(expect.arrayContaining(['ExposuresRequest', 'PlanRequest', 'RiskVarRequest', 'WhatIfRequest']));
  });

  for (const lang of LANGS) {
    const cat = CATALOGUES[lang] as Record<string, unknown>;
    it(`${lang}: every field and choice of the requests the views use has a label`, () => {
      const missing: string[] = [];
      for (const s of usedSchemas) {
        for (const [f, p] of Object.entries(req[s] ?? {})) {
          if (!(`field.${f}` in cat)) missing.push(`${s}.${f}`);
          for (const v of p.enum ?? []) if (!(`choice.${f}.${v}` in cat) && !(`choice.${v}` in cat)) missing.push(`${s}.${f}=${v}`);
        }
      }
      expect(missing).toEqual([]);
    });

    it(`${lang}: every key of the report, the what-if result and the import summaries has a label`, () => {
      const report = schemas.Report!.properties!;
      const names = SECTIONS.map(([k]) => resolve(report[k])?.$ref ?? report[k]!.$ref ?? '').map((r) => r.split('/').pop()!);
      const steps = resolve(resolve(report.steps)?.items);
      const keys = new Set<string>([
        ...names.flatMap(keysOf),
        ...Object.keys(steps?.properties ?? {}),
        ...keysOf('WhatIfMetrics'),
        ...keysOf('PositionsImportResult'),
        ...keysOf('PricesImportResult'),
      ]);
      expect(keys.size).toBeGreaterThan(100);
      const missing = [...keys].filter((k) => !(`field.${k}` in cat) && k !== 'status' && k !== 'reason').sort();
      expect(missing).toEqual([]);
    });
  }
});
