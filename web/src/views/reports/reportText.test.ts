// The report's sentences as report.md writes them, in English and German: amounts with the
// report's currency, fractions as percentages, ids in words, counts with their nouns, and a
// sentence left out when its figures are missing.
import { describe, expect, it } from 'vitest';
import type { Report } from '../../api/types';
import { makeFmt } from '../../app/format';
import { loadLanguage, makeT } from '../../app/i18n';
import {
  backtestParams,
  concentrationText,
  correlationText,
  dataQualityText,
  factorsText,
  provenanceText,
  quantity,
  stressText,
  summarySentences,
  varText,
  type Words,
} from './reportText';

const en: Words = { t: makeT('en-US'), fmt: makeFmt('en-US'), currency: 'USD' };
// Intl puts no-break spaces between a figure and its currency or percent sign.
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

// The balanced example's report (report.md of 2017-12-06, keel.report/2), the fields the sentences
// read: the analysis sections are the API's results (factors, VaR with its backtest, stress,
// correlation), the same sentences as report.md writes from them.
const report = {
  provenance: {
    status: 'ok', prices_source: 'store', prices_first_date: '2012-12-06', prices_last_date: '2017-12-06', price_symbols: 15,
    factor_source: "factor set 'ff5' in the store", factor_last_date: '2017-12-06', rate: 0, rate_source: 'flag',
    sectors_source: "position's own sector", window_days: 252, confidence: 0.99, horizon_days: 1,
  },
  summary: {
    status: 'ok', currency: 'USD', positions_count: 15, net_value_amount: 216789.09, gross_value_amount: 216789.09, long_value_amount: 216789.09,
    short_value_amount: 0, pnl_1d_amount: 378.15, pnl_1d_pct: 0.00174, var_method: 'historical', var_amount: 2422.8, var_pct: 0.0112,
    es_amount: 2982.24, confidence: 0.99, backtest_zone: 'green', beta_mkt: 0.97, worst_stress_scenario: 'gfc_2008', worst_stress_pnl_amount: -105068.86,
    largest_position_symbol: 'MSFT', largest_position_weight: 0.0955, data_warnings_count: 1,
  },
  factors: {
    status: 'ok', factor_source: "factor set 'ff5' in the store", window: 252, first_date: '2016-12-07', last_date: '2017-12-06', factors: ['mkt_rf'],
    portfolio: { alpha: 0.0597, r2: 0.81623, betas: { mkt_rf: 0.97 }, exposures: { mkt_rf: 210285.42 }, regression: { residual_vol: 0.0311, t_stats: { mkt_rf: 30.1 } } },
  },
  var: {
    status: 'ok', window: 252,
    results: [
      { method: 'parametric', confidence: 0.99, horizon_days: 1, var: 2281.1, es: 2613.4, var_pct: 0.0105, volatility: 980.54 },
      { method: 'historical', confidence: 0.99, horizon_days: 1, var: 2422.8, es: 2982.24, var_pct: 0.0112, volatility: 991.2 },
    ],
    backtest: { status: 'ok', zone: 'green', plus_factor: 0, exceptions: 15, observations: 1009, kupiec: { df: 1, lr: 2.1, p_value: 0.14736 }, christoffersen: { df: 1, lr: 5.7, p_value: 0.01729 } },
  },
  stress: {
    status: 'ok',
    scenarios: [
      ...Array.from({ length: 25 }, (_, i) => ({ name: `s${i}`, label: `S${i}`, kind: 'hypothetical', method: 'direct', pnl: -i, pnl_pct: -i / 1000 })),
      { name: 'gfc_2008', label: 'Global financial crisis', kind: 'historical', method: 'direct', pnl: -105068.86, pnl_pct: -0.4847 },
    ],
  },
  correlation: {
    status: 'ok', average_pairwise: 0.14, symbols: Array.from({ length: 15 }, (_, i) => `S${i}`), window: 252, average_pairwise_correlation: 0.14,
    correlated_positions: 15, diversification_ratio: 2.08, effective_number_of_bets: 1.82,
  },
  concentration: { status: 'ok', hhi: 0.0708, effective_positions: 14.13, top1_weight: 0.0955, top5_weight: 0.4362, top10_weight: 0.7476 },
  data_quality: { status: 'ok', symbols_checked: 15, gaps_count: 0, stale_count: 0, outliers_count: 1, missing_count: 0 },
} as unknown as Report;

describe('report sentences (en)', () => {
  it('provenance', () => {
    expect(provenanceText(en, report.provenance)).toBe(
      "prices from store (2012-12-06 to 2017-12-06, 15 symbols); factors: factor set 'ff5' in the store (last date 2017-12-06); rate 0.00% (flag); sectors: position's own sector; risk window 252 days, confidence 99.00%, horizon 1 day.",
    );
  });

  it('the executive summary, with the currency on every amount', () => {
    expect(summarySentences(en, report).map(plain)).toEqual([
      'The book holds 15 positions worth USD 216,789.09 net (USD 216,789.09 gross).',
      'Over the last day it gained USD 378.15 (0.17%).',
      'At 99.00% confidence the historical method expects the book to lose no more than USD 2,422.80 (1.12% of net value) over 1 day; on the days it does, the average loss (ES) is USD 2,982.24.',
      'The VaR backtest is in the green zone.',
      'A 1% market move moves the book by about 0.97% (market beta 0.97).',
      'The worst stress scenario, Global financial crisis, gives a P&L of -USD 105,068.86.',
      'The largest position is MSFT at 9.55% of gross exposure.',
      'The data check raised 1 warning (see Data quality).',
    ]);
  });

  it('leaves out a sentence whose figures are missing, and says a loss as a loss', () => {
    const r = { ...report, summary: { ...report.summary, pnl_1d_amount: -10, var_amount: null, backtest_zone: null, beta_mkt: null, data_warnings_count: 0 } } as Report;
    const s = summarySentences(en, r).map(plain);
    expect(s).toContain('Over the last day it lost USD 10.00 (0.17%).');
    expect(s.some((x) => x.includes('expects'))).toBe(false);
    expect(s.some((x) => x.includes('zone'))).toBe(false);
    expect(s.some((x) => x.includes('market beta'))).toBe(false);
    expect(s[s.length - 1]).toBe('The data check found no problems.');
  });

  it('each section\'s leading line', () => {
    expect(factorsText(en, report.factors)).toBe(
      "Source: factor set 'ff5' in the store; window 252 days (2016-12-07 to 2017-12-06). Alpha 5.97% a year, R² 0.8162, residual volatility 3.11% a year.",
    );
    expect(plain(varText(en, report.var))).toBe('Window 252 days, confidence 99.00%, horizon 1 day; P&L volatility USD 980.54 a day. Losses are positive.');
    expect(backtestParams(en, report.var.backtest!)).toEqual({ plus: '0.00', exceptions: '15 exceptions', observations: '1,009 observations', kupiec: '0.1474', christoffersen: '0.0173' });
    expect(plain(stressText(en, report))).toBe('Worst of 26 scenarios: Global financial crisis, P&L -USD 105,068.86 (-48.47%).');
    expect(correlationText(en, report.correlation)).toBe(
      'Average pairwise correlation 0.14 across 15 symbols over 252 days (0.14 across the 15 positions in the delta view, where a short or a put counts against its asset); diversification ratio 2.08, effective number of bets 1.82.',
    );
    expect(concentrationText(en, report.concentration)).toBe(
      'Herfindahl index 0.0708 (effective number of positions 14.13); the largest position is 9.55% of gross exposure, the top 5 43.62%, the top 10 74.76%.',
    );
    expect(dataQualityText(en, report.data_quality)).toBe('15 symbols checked: 0 gaps, 0 stale, 1 outlier, 0 missing.');
  });

  it('reads the figures of the results: the first method\'s confidence, the parametric P&L volatility, the worst entry', () => {
    const v = { ...report.var, results: [{ ...report.var.results![1]!, confidence: 0.95, horizon_days: 10 }] } as Report['var'];
    // Without a parametric result there is no P&L volatility to give.
    expect(plain(varText(en, v))).toBe('Window 252 days, confidence 95.00%, horizon 10 days; P&L volatility – a day. Losses are positive.');
    const none = { ...report, stress: { status: 'ok', scenarios: [] } } as unknown as Report;
    expect(plain(stressText(en, none))).toBe('Worst of 0 scenarios: –, P&L – (–).');
  });

  it('a quantity whole or to four decimals, the dash for none', () => {
    expect(quantity(en, 2000)).toBe('2,000');
    expect(quantity(en, 1.23456)).toBe('1.2346');
    expect(quantity(en, null)).toBe('–');
  });
});

describe('report sentences (de)', () => {
  it('speaks German with German numbers and the currency after the figure', async () => {
    await loadLanguage('de');
    const de: Words = { t: makeT('de-DE'), fmt: makeFmt('de-DE'), currency: 'EUR' };
    expect(plain(summarySentences(de, report)[0]!)).toBe('Das Buch hält 15 Positionen im Wert von 216.789,09 EUR netto (216.789,09 EUR brutto).');
    expect(dataQualityText(de, report.data_quality)).toBe('15 Symbole geprüft: 0 Lücken, 0 veraltet, 1 Ausreißer, 0 fehlend.');
    expect(plain(varText(de, report.var))).toBe('Fenster 252 Tage, Konfidenz 99,00 %, Horizont 1 Tag; GuV-Volatilität 980,54 EUR pro Tag. Verluste sind positiv.');
  });
});
