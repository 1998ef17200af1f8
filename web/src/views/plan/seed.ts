// The plan's starting balance from the user's actual net worth: the last point of the ledger's
// net worth of every account together (GET /api/v1/networth), with its date and currency. The
// plan says where the figure came from, and the person may change it.
import type { NetworthResult } from '../../api/types';

export interface NetworthSeed {
  balance: number; // the net worth, to the cent, as the API gives it
  date: string; // the point's date
  currency: string; // the currency of every value of the result
}

// The seed of a net worth result: its last point with a finite, non-negative value (a plan starts
// from no debt: PlanRequest.balance ≥ 0); null when there is none.
export function networthSeed(r: Pick<NetworthResult, 'points' | 'currency'> | null | undefined): NetworthSeed | null {
  if (!r) return null;
  for (let i = r.points.length - 1; i >= 0; i--) {
    const p = r.points[i]!;
    if (typeof p.net_worth === 'number' && Number.isFinite(p.net_worth)) {
      return p.net_worth >= 0 ? { balance: p.net_worth, date: p.date, currency: r.currency } : null;
    }
  }
  return null;
}

// The balance's text in the address: a whole amount stays whole, cents are kept.
export const balanceText = (x: number): string => String(Math.round(x * 100) / 100);
