// Words, not identifiers: every id the server knows today (job kinds, audit actions, scenarios,
// factors, batch steps, outcomes) has words in English and German, and an id the catalogues have
// no words for is spelt out, never shown as it is and never an error.
import { describe, expect, it } from 'vitest';
import { LANGS, loadLanguage, makeT, type Lang, type Messages } from './i18n';
import { humanise, KNOWN, labelOf, valueLabel, type LabelKind } from './labels';
import { en as EN } from './messages/en';
import { de as DE } from './messages/de';

const CATALOGUES: Record<Lang, Messages> = { en: EN, de: DE };
const PREFIX: Record<Exclude<LabelKind, 'reportKey'>, string> = {
  scenario: 'label.scenario.', scenarioKind: 'label.scenarioKind.', factor: 'label.factor.', step: 'label.step.',
  jobKind: 'label.job.', auditAction: 'label.audit.', outcome: 'label.outcome.',
  cloAction: 'label.cloAction.', cloEffect: 'label.cloEffect.', cloBucket: 'label.cloBucket.',
  fxStatus: 'label.fxStatus.', returnModel: 'label.returnModel.',
  healthCheck: 'label.health.', healthStatus: 'label.healthStatus.', region: 'label.region.',
};

describe('labels', () => {
  for (const lang of LANGS) {
    it(`${lang}: every known id has words`, () => {
      const cat = CATALOGUES[lang] as Record<string, unknown>;
      const missing: string[] = [];
      for (const [kind, ids] of Object.entries(KNOWN)) for (const id of ids) if (!(`${PREFIX[kind as keyof typeof PREFIX]}${id}` in cat)) missing.push(`${kind} ${id}`);
      expect(missing).toEqual([]);
    });
  }

  it('says a known id in the session language', async () => {
    await loadLanguage('de');
    const en = makeT('en-US');
    const de = makeT('de-DE');
    expect(labelOf(en, 'jobKind', 'batch.run')).toBe('Daily batch');
    expect(labelOf(de, 'jobKind', 'batch.run')).toBe('Tagesbatch');
    expect(labelOf(en, 'auditAction', 'clo_deal.create')).toBe('CLO deal stored');
    expect(labelOf(de, 'auditAction', 'portfolio.create')).toBe('Portfolio angelegt');
    expect(labelOf(en, 'scenario', 'gfc_2008')).toBe('Global financial crisis');
    expect(labelOf(de, 'scenario', 'gfc_2008')).toBe('Globale Finanzkrise');
    expect(labelOf(en, 'factor', 'mkt_rf')).toBe('Market (Mkt-RF)');
    expect(labelOf(en, 'step', 'market-data')).toBe('Market data');
    expect(labelOf(en, 'reportKey', 'net_value')).toBe('Net value');
    expect(labelOf(de, 'reportKey', 'var_amount')).toBe('VaR');
    expect(labelOf(en, 'cloEffect', 'breaks')).toBe('breaks');
    expect(labelOf(de, 'cloBucket', 'second_lien')).toBe('Zweitrangig besichert');
    expect(labelOf(en, 'outcome', 'breach')).toBe('breach');
    expect(labelOf(en, 'fxStatus', 'up_to_date')).toBe('already up to date');
    expect(labelOf(de, 'returnModel', 't')).toBe('Student-t (breite Ränder)');
    expect(labelOf(en, 'healthCheck', 'top_five')).toBe('Top five holdings');
    expect(labelOf(de, 'healthCheck', 'foreign')).toBe('Fremdwährungen');
    expect(labelOf(en, 'healthStatus', 'warn')).toBe('Warning');
  });

  it('spells out an unknown id, prefers the server’s own label, and never throws', () => {
    const en = makeT('en-US');
    expect(labelOf(en, 'jobKind', 'reports.rebuild.all')).toBe('Reports rebuild all');
    expect(labelOf(en, 'auditAction', 'widget_deal.create')).toBe('Widget deal create');
    expect(labelOf(en, 'scenario', 'my_own_2031', 'My own crash')).toBe('My own crash');
    expect(labelOf(en, 'scenario', 'my_own_2031')).toBe('My own 2031');
    expect(labelOf(en, 'factor', '')).toBe('');
    expect(labelOf(en, 'factor', undefined)).toBe('');
    expect(labelOf(en, 'factor', null, 'x')).toBe('x');
    expect(labelOf(en, 'factor', 'toString')).toBe('ToString');
    expect(labelOf(en, 'factor', '__proto__')).toBe('Proto');
    expect(humanise('market-data')).toBe('Market data');
  });

  it('reads a value by its field and list', () => {
    const en = makeT('en-US');
    expect(valueLabel(en, 'worst_scenario', 'gfc_2008')).toBe('Global financial crisis');
    expect(valueLabel(en, 'name', 'covid_crash_2020', 'scenarios')).toBe('COVID crash');
    expect(valueLabel(en, 'name', 'data_check', 'steps')).toBe('Data check');
    expect(valueLabel(en, 'name', 'balanced', 'portfolios')).toBe('balanced');
    expect(valueLabel(en, 'kind', 'historical', 'scenarios')).toBe('historical');
    expect(valueLabel(en, 'kind', 'batch.run')).toBe('Daily batch');
    expect(valueLabel(en, 'kind', 'outlier', 'issues')).toBe('outlier');
    expect(valueLabel(en, 'method', 'direct', 'scenarios')).toBe('direct');
    expect(valueLabel(en, 'method', 'montecarlo', 'methods')).toBe('Monte Carlo');
    expect(valueLabel(en, 'weight_basis', 'net_value')).toBe('Net value');
    expect(valueLabel(en, 'factor', 'smb')).toBe('Size (SMB)');
    expect(valueLabel(en, 'action', 'job.create')).toBe('Job started');
    expect(valueLabel(en, 'status', 'n/a')).toBe('not applicable');
    expect(valueLabel(en, 'symbol', 'AAPL')).toBe('AAPL');
  });
});
