// The plan's return model as a person states it — a distribution, the mean and volatility in
// percent a year (and the t's degrees of freedom, or the stock–bond mix's two legs and their
// correlation) — and as the API takes it: the formula of PlanRequest.returns, annual decimals
// (`normal:0.06,0.12`, `t:0.06,0.12,5`, `mix:0.07,0.16,0.03,0.06,0.1`; docs/plan.md).
import { fractionToPercent, percentToFraction } from '../../app/percent';

export const DISTRIBUTIONS = ['normal', 't', 'mix'] as const;
export type Distribution = (typeof DISTRIBUTIONS)[number];

// Percent figures (mean 6 = 6 % a year); df and correlation as they are.
export interface ReturnModel {
  distribution: Distribution;
  mean: number; // % a year (mix: the stocks')
  volatility: number; // % a year (mix: the stocks')
  df?: number; // t: degrees of freedom (> 2)
  bondMean?: number; // mix: % a year
  bondVolatility?: number; // mix: % a year
  correlation?: number; // mix: between -1 and 1
}

// PlanRequest.returns' default (params.json).
export const DEFAULT_RETURNS = 'normal:0.06,0.12';

const num = (s: string | undefined): number | null => {
  if (s === undefined || s.trim() === '') return null;
  const n = Number(s.trim());
  return Number.isFinite(n) ? n : null;
};

// The model of a formula; null for one these inputs cannot show (bootstrap, a typo), which the
// view then keeps as text.
export function parseReturnModel(formula: string | null | undefined): ReturnModel | null {
  const m = /^\s*([a-z]+)\s*:(.*)$/i.exec(formula ?? '');
  if (!m) return null;
  const kind = m[1]!.toLowerCase();
  const xs = m[2]!.split(',').map(num);
  if (xs.some((x) => x === null)) return null;
  const v = xs as number[];
  const pct = (x: number) => fractionToPercent(x)!;
  if (kind === 'normal' && v.length === 2) return { distribution: 'normal', mean: pct(v[0]!), volatility: pct(v[1]!) };
  if (kind === 't' && v.length === 3) return { distribution: 't', mean: pct(v[0]!), volatility: pct(v[1]!), df: v[2]! };
  if (kind === 'mix' && v.length === 5) {
    return { distribution: 'mix', mean: pct(v[0]!), volatility: pct(v[1]!), bondMean: pct(v[2]!), bondVolatility: pct(v[3]!), correlation: v[4]! };
  }
  return null;
}

// Defaults for the fields a distribution adds when one is chosen.
export const T_DF = 5;
export const MIX_BOND = { bondMean: 3, bondVolatility: 6, correlation: 0.1 };

// What is wrong with a model, in the words' keys of the catalogue (plan.rm.problem.*); none: [].
export type ModelProblem = 'volatility' | 'df' | 'bondVolatility' | 'correlation' | 'number';
export function modelProblems(m: ReturnModel): ModelProblem[] {
  const out: ModelProblem[] = [];
  const figures = [m.mean, m.volatility, m.df, m.bondMean, m.bondVolatility, m.correlation];
  if (figures.some((x) => x !== undefined && !Number.isFinite(x))) out.push('number');
  if (!(m.volatility >= 0)) out.push('volatility');
  if (m.distribution === 't' && !((m.df ?? T_DF) > 2)) out.push('df');
  if (m.distribution === 'mix') {
    if (!((m.bondVolatility ?? MIX_BOND.bondVolatility) >= 0)) out.push('bondVolatility');
    const c = m.correlation ?? MIX_BOND.correlation;
    if (!(c >= -1 && c <= 1)) out.push('correlation');
  }
  return out;
}

// The formula the API takes: percents back to decimals, without floating-point noise.
export function buildReturnModel(m: ReturnModel): string {
  const dec = (p: number) => String(percentToFraction(p));
  if (m.distribution === 't') return `t:${dec(m.mean)},${dec(m.volatility)},${m.df ?? T_DF}`;
  if (m.distribution === 'mix') {
    return `mix:${dec(m.mean)},${dec(m.volatility)},${dec(m.bondMean ?? MIX_BOND.bondMean)},${dec(m.bondVolatility ?? MIX_BOND.bondVolatility)},${m.correlation ?? MIX_BOND.correlation}`;
  }
  return `normal:${dec(m.mean)},${dec(m.volatility)}`;
}

// The model after choosing another distribution: mean and volatility kept, the new one's own
// fields at their defaults.
export function withDistribution(m: ReturnModel, d: Distribution): ReturnModel {
  const base = { distribution: d, mean: m.mean, volatility: m.volatility };
  if (d === 't') return { ...base, df: m.df ?? T_DF };
  if (d === 'mix') return { ...base, bondMean: m.bondMean ?? MIX_BOND.bondMean, bondVolatility: m.bondVolatility ?? MIX_BOND.bondVolatility, correlation: m.correlation ?? MIX_BOND.correlation };
  return base;
}
