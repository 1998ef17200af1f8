// The factor attribution of a period (POST .../risk/attribution) as the rows and stacked bars the
// dashboard shows: per position and for the book, the P&L and the four parts it is split into
// (factors, risk free, alpha, residual), which add up to it. The figures are the API's; this only
// arranges them.
import type { Schemas } from '../../api/client';

export type Attribution = Schemas['FactorAttributionResult'];

export const PARTS = ['factors', 'risk_free', 'alpha', 'residual'] as const;
export type Part = (typeof PARTS)[number];

export interface AttributionRow {
  symbol: string | null; // null: the book
  value: number;
  pnl: number;
  parts: Record<Part, number>;
}

const n = (x: number | null | undefined): number => x ?? Number.NaN;

// One row per attributed position, in book order, then the book's.
export function attributionRows(r: Attribution): AttributionRow[] {
  const rows: AttributionRow[] = r.positions.map((p) => ({
    symbol: p.symbol,
    value: n(p.market_value),
    pnl: n(p.pnl_amount),
    parts: { factors: n(p.factor_amount), risk_free: n(p.risk_free_amount), alpha: n(p.alpha_amount), residual: n(p.residual_amount) },
  }));
  const b = r.book;
  rows.push({
    symbol: null,
    value: n(b.market_value),
    pnl: n(b.pnl_amount),
    parts: { factors: n(b.factor_amount), risk_free: n(b.risk_free_amount), alpha: n(b.alpha_amount), residual: n(b.residual_amount) },
  });
  return rows;
}

// The stacked bars of the positions (not the book): one series per part, one bar per position.
export function stackedParts(r: Attribution): { symbols: string[]; series: Record<Part, number[]> } {
  const rows = attributionRows(r).filter((x) => x.symbol !== null);
  const series = Object.fromEntries(PARTS.map((p) => [p, rows.map((x) => x.parts[p])])) as Record<Part, number[]>;
  return { symbols: rows.map((x) => x.symbol!), series };
}

// What the parts leave of a row's P&L (zero up to rounding: the API's residual closes the sum).
export function unexplained(row: AttributionRow): number {
  return row.pnl - PARTS.reduce((s, p) => s + row.parts[p], 0);
}
