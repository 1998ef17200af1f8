// The readiness panel's arithmetic (GET /api/v1/portfolios/{id}/readiness, docs/onboarding.md):
// the items grouped by what is missing, in the server's order, and the panel's headline counts.
import type { Schemas } from '../../api/client';

export type ReadinessReport = Schemas['ReadinessReport'];
export type ReadinessItem = Schemas['ReadinessItem'];

// The order the server lists them in; a kind it adds later goes last, in its own order.
export const READINESS_KINDS = ['positions', 'prices', 'option_inputs', 'sectors', 'factors', 'fx'] as const;

export interface ReadinessGroup {
  what: string;
  items: ReadinessItem[];
}

// The items of each kind together, the known kinds in READINESS_KINDS order, then any other kind in
// the order it first appears; the items of a kind keep the server's order.
export function groupReadiness(items: readonly ReadinessItem[]): ReadinessGroup[] {
  const groups = new Map<string, ReadinessItem[]>();
  for (const i of items) {
    const g = groups.get(i.what);
    if (g) g.push(i);
    else groups.set(i.what, [i]);
  }
  const rank = (w: string) => {
    const k = (READINESS_KINDS as readonly string[]).indexOf(w);
    return k < 0 ? READINESS_KINDS.length : k;
  };
  return [...groups.entries()]
    .map(([what, list], first) => ({ what, items: list, first }))
    .sort((a, b) => rank(a.what) - rank(b.what) || a.first - b.first)
    .map(({ what, items: list }) => ({ what, items: list }));
}

// The symbols (fx: currencies) an item list names, each once, in order: "AAPL, MSFT" for a group's summary.
export function namedSymbols(items: readonly ReadinessItem[]): string[] {
  const out: string[] = [];
  for (const i of items) if (i.symbol && !out.includes(i.symbol)) out.push(i.symbol);
  return out;
}
