// The overview's logic, kept apart from the page so that it is tested on its own. The figures are
// the API's: the only arithmetic is the sum of amounts in one currency. A portfolio's amounts are in
// its reporting currency, which the API names (the list's base_currency, a portfolio's currency);
// the page never converts, so amounts in different currencies are never added, and an amount in
// no one currency — MIXED, the ledger's accounts in several — is added to nothing. The rest picks,
// groups and orders what the API gave:
// net worth by currency, the history per currency, allocation groups, the day's movers, and what
// changed since the last visit. Words are the catalogue's (overview.*), in the language of the `t`
// passed, English by default.
import { bookCurrency, DEFAULT_CURRENCY, MIXED } from '../../app/format';
import { choiceLabel, enT, type Key, type Translate } from '../../app/i18n';
import { labelOf } from '../../app/labels';

// The ledger as one part (all accounts in one currency): its name as data; shown as overview.allAccounts.
export const ALL_ACCOUNTS = 'All accounts';

// ---- Sums by currency ---------------------------------------------------------------------------

export interface Amount {
  currency: string;
  amount: number | null | undefined;
}

export interface CurrencyTotal {
  currency: string;
  amount: number;
  // How many amounts were added.
  parts: number;
}

const usable = (x: number | null | undefined): x is number => typeof x === 'number' && Number.isFinite(x);

// Adds the amounts of each currency (ISO codes compared in upper case), in the order given; the
// currencies come back in alphabetical order. Amounts in MIXED are added to nothing: they come back
// in `unsummed`. Missing amounts (null: not valued) are left out of both.
export function sumByCurrency<T extends Amount>(items: readonly T[]): { totals: CurrencyTotal[]; unsummed: T[] } {
  const totals = new Map<string, CurrencyTotal>();
  const unsummed: T[] = [];
  for (const it of items) {
    if (!usable(it.amount)) continue;
    const currency = it.currency.toUpperCase();
    if (currency === MIXED.toUpperCase()) {
      unsummed.push(it);
      continue;
    }
    const t = totals.get(currency);
    if (t) {
      t.amount += it.amount;
      t.parts += 1;
    } else totals.set(currency, { currency, amount: it.amount, parts: 1 });
  }
  return { totals: [...totals.values()].sort((a, b) => a.currency.localeCompare(b.currency)), unsummed };
}

// ---- Net worth: its parts -----------------------------------------------------------------------

export interface NetWorthPart extends Amount {
  kind: 'portfolio' | 'ledger';
  name: string; // a portfolio's or an account's name; "All accounts" for the ledger as one
  asOf: string | null;
  link: string;
  note?: string; // why there is no amount, or what it leaves out
}

interface PositionLike {
  currency: string;
  // The currency market_value is in: the book's reporting currency (the position's own when absent).
  book_currency?: string;
  market_value: number | null | undefined;
  type: string;
  sector?: string | null;
}

// A book's net worth for the totals: its net market value, or null (unknown) when it holds
// positions and none of them could be valued (no price, no FX rate into its currency) — such a
// book is not worth 0. An empty book is worth 0.
export function bookWorth(d: { positions: readonly unknown[]; unpriced: number; net_market_value?: number | null }): number | null {
  if (d.net_market_value == null) return null;
  return d.positions.length > 0 && d.unpriced >= d.positions.length ? null : d.net_market_value;
}

// The currency of a portfolio's amounts, as the API names it: a portfolio's view `currency`, else
// the list's `base_currency`, else keel's default.
export function portfolioCurrency(p: { currency?: string | null; base_currency?: string | null }): string {
  return (p.currency || p.base_currency || DEFAULT_CURRENCY).toUpperCase();
}

interface NetworthLike {
  points: readonly { date: string; net_worth: number; recorded_at?: string }[];
}

// The ledger's part of the net worth: when every account is in one currency, the last point of the
// net worth of all accounts together (GET /api/v1/networth); when they differ, that sum would add
// currencies, so each account's own last point (GET /api/v1/accounts/ID/networth) in its currency.
// `perAccount` holds the answers loaded so far (by account id); a missing one is a part without an
// amount.
export function ledgerParts(
  accounts: readonly { id: number; name: string; currency: string }[],
  household: NetworthLike | undefined,
  perAccount: ReadonlyMap<number, NetworthLike>,
  accountLink: (name: string) => string,
  t: Translate = enT,
): NetWorthPart[] {
  if (accounts.length === 0) return [];
  const currency = ledgerCurrency(accounts);
  if (currency !== MIXED) {
    const last = household?.points[household.points.length - 1];
    return [{
      kind: 'ledger', name: ALL_ACCOUNTS, currency, amount: last?.net_worth ?? null, asOf: last?.date ?? null, link: '/ledger',
      note: household && !last ? t('overview.note.noNetworth') : undefined,
    }];
  }
  return accounts.map((a) => {
    const r = perAccount.get(a.id);
    const last = r?.points[r.points.length - 1];
    return {
      kind: 'ledger', name: a.name, currency: a.currency.toUpperCase(), amount: last?.net_worth ?? null, asOf: last?.date ?? null,
      link: accountLink(a.name), note: r && !last ? t('overview.note.noNetworth') : undefined,
    };
  });
}

// The accounts' one currency, or MIXED when they differ.
export function ledgerCurrency(accounts: readonly { currency: string }[]): string {
  return bookCurrency(accounts.map((a) => a.currency));
}

// ---- History ------------------------------------------------------------------------------------

export interface Series {
  name: string;
  currency: string;
  points: [string, number][]; // [date, amount], oldest first
}

export interface CurrencyHistory {
  currency: string;
  series: Series[];
  // The sum of the series at each date on which every one of them has a point (no carrying
  // forward); empty with a single series (it would repeat it).
  total: [string, number][];
}

// The series grouped by currency (alphabetical), each group with its total; series in MIXED are
// drawn nowhere and returned in `unsummed`. Points without an amount are dropped.
export function historyByCurrency(all: readonly Series[]): { groups: CurrencyHistory[]; unsummed: Series[] } {
  const by = new Map<string, Series[]>();
  const unsummed: Series[] = [];
  for (const s of all) {
    const points = s.points.filter(([, v]) => usable(v));
    if (points.length === 0) continue;
    const currency = s.currency.toUpperCase();
    if (currency === MIXED.toUpperCase()) {
      unsummed.push(s);
      continue;
    }
    const list = by.get(currency) ?? [];
    list.push({ ...s, currency, points });
    by.set(currency, list);
  }
  const groups = [...by.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([currency, series]) => {
    let total: [string, number][] = [];
    if (series.length > 1) {
      const maps = series.map((s) => new Map(s.points));
      const dates = [...maps[0]!.keys()].filter((d) => maps.every((m) => m.has(d))).sort();
      total = dates.map((d) => {
        let sum = 0;
        for (const m of maps) sum += m.get(d)!;
        return [d, sum];
      });
    }
    return { currency, series, total };
  });
  return { groups, unsummed };
}

// ---- Allocation ---------------------------------------------------------------------------------

export type AllocationKey = 'type' | 'sector' | 'currency';

export interface AllocationGroup {
  name: string;
  amount: number;
}

export interface Allocation {
  currency: string;
  // Groups whose market values add up to more than zero (what a donut can draw), largest first.
  drawn: AllocationGroup[];
  // Groups whose market values add up to zero or less (net short): listed, not drawn.
  other: AllocationGroup[];
}

// The words for an instrument type (the API's stock, etf, option, cash, other) as an asset class.
export function typeLabel(type: string, t: Translate = enT): string {
  const k = `overview.assetType.${type.toLowerCase()}`;
  return t.has(k) ? t(k as Key & `overview.assetType.${string}`) : type;
}

// The positions' market values added up by instrument type, sector or currency (the one each
// position is quoted in), one allocation per currency the market values are in (each book's
// reporting currency: the page never converts between books).
export function allocation(positions: readonly PositionLike[], key: AllocationKey, t: Translate = enT): Allocation[] {
  const by = new Map<string, Map<string, number>>();
  for (const p of positions) {
    if (!usable(p.market_value)) continue;
    const currency = (p.book_currency || p.currency || 'USD').toUpperCase();
    const group = key === 'type' ? typeLabel(p.type, t) : key === 'sector' ? p.sector || t('overview.unknownSector') : (p.currency || 'USD').toUpperCase();
    const groups = by.get(currency) ?? new Map<string, number>();
    groups.set(group, (groups.get(group) ?? 0) + p.market_value);
    by.set(currency, groups);
  }
  return [...by.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([currency, groups]) => {
    const all = [...groups.entries()].map(([name, amount]) => ({ name, amount }));
    return {
      currency,
      drawn: all.filter((g) => g.amount > 0).sort((a, b) => b.amount - a.amount || a.name.localeCompare(b.name)),
      other: all.filter((g) => g.amount <= 0).sort((a, b) => a.amount - b.amount || a.name.localeCompare(b.name)),
    };
  });
}

// ---- The day's movers ---------------------------------------------------------------------------

export interface MoverRow {
  portfolio: string;
  symbol: string;
  // The currency the amounts are in: the report's reporting currency.
  currency: string;
  pnl_1d_amount: number | null | undefined;
  market_value_amount: number | null | undefined;
}

export interface Movers<T extends MoverRow> {
  currency: string;
  gains: T[]; // largest 1-day P&L first
  losses: T[]; // largest 1-day loss first
}

// The positions with the largest 1-day P&L either way, per currency (amounts of different
// currencies are not compared); positions without a 1-day P&L (options) or with none are left out.
export function movers<T extends MoverRow>(rows: readonly T[], n = 5): Movers<T>[] {
  const by = new Map<string, T[]>();
  for (const r of rows) {
    if (!usable(r.pnl_1d_amount) || r.pnl_1d_amount === 0) continue;
    const c = (r.currency || 'USD').toUpperCase();
    by.set(c, [...(by.get(c) ?? []), r]);
  }
  const order = (a: T, b: T) => a.portfolio.localeCompare(b.portfolio) || a.symbol.localeCompare(b.symbol);
  return [...by.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([currency, list]) => ({
    currency,
    gains: list.filter((r) => r.pnl_1d_amount! > 0).sort((a, b) => b.pnl_1d_amount! - a.pnl_1d_amount! || order(a, b)).slice(0, n),
    losses: list.filter((r) => r.pnl_1d_amount! < 0).sort((a, b) => a.pnl_1d_amount! - b.pnl_1d_amount! || order(a, b)).slice(0, n),
  }));
}

// ---- What changed since the last visit ----------------------------------------------------------

export type ChangeKind = 'portfolio' | 'positions' | 'snapshot' | 'zone' | 'account' | 'networth' | 'job';

export interface Change {
  at: string; // when it happened, ISO-8601 UTC
  kind: ChangeKind;
  subject: string; // the portfolio, account or job it is about (shown as a link)
  link: string;
  what: string; // what happened, in words
  alert: boolean; // a backtest zone turned red, a job failed
}

export interface ChangeInput {
  portfolios: readonly { name: string; created_at: string; updated_at: string }[];
  // Each portfolio's snapshots (GET …/history), by portfolio name.
  histories: ReadonlyMap<string, readonly { as_of: string; created_at: string; backtest_zone: string | null }[]>;
  accounts: readonly { name: string; created_at: string }[];
  networth?: NetworthLike; // of all accounts
  jobs: readonly { id: number; kind: string; status: string; finished_at: string | null }[];
  portfolioLink: (name: string) => string;
  accountLink: (name: string) => string;
  t?: Translate; // the words (English by default)
  date?: (iso: string) => string; // a date as shown (as it is by default)
}

// The words for a job's kind (src/app/labels.ts).
export function jobKindLabel(kind: string, t: Translate = enT): string {
  return labelOf(t, 'jobKind', kind);
}

const time = (s: string | null | undefined): number => (s ? Date.parse(s) : Number.NaN);

// Whether `at` is later than `since` (both ISO-8601).
export function isAfter(at: string | null | undefined, since: string): boolean {
  const a = time(at);
  const b = time(since);
  return Number.isFinite(a) && Number.isFinite(b) && a > b;
}

// What happened after `since`, newest first: portfolios created and their positions changed (the
// portfolio's updated_at), snapshots recorded, backtest zones that changed from one snapshot to the
// next (red is an alert), accounts created, net worth snapshots recorded, jobs that ended (a failed
// one is an alert). Nothing before a first visit (`since` null).
export function changesSince(since: string | null, input: ChangeInput): Change[] {
  if (!since) return [];
  const t = input.t ?? enT;
  const date = input.date ?? ((iso: string) => iso);
  const zoneOf = (z: string) => choiceLabel(t, 'zone', z);
  const out: Change[] = [];
  for (const p of input.portfolios) {
    const link = input.portfolioLink(p.name);
    if (isAfter(p.created_at, since)) out.push({ at: p.created_at, kind: 'portfolio', subject: p.name, link, what: t('overview.change.portfolio'), alert: false });
    if (isAfter(p.updated_at, since) && p.updated_at !== p.created_at) {
      out.push({ at: p.updated_at, kind: 'positions', subject: p.name, link, what: t('overview.change.positions'), alert: false });
    }
    const points = [...(input.histories.get(p.name) ?? [])].sort((a, b) => a.as_of.localeCompare(b.as_of));
    let prev: string | null = null;
    for (const pt of points) {
      const zone = pt.backtest_zone;
      if (isAfter(pt.created_at, since)) {
        // The zone's change before the snapshot that brought it (same time: kept in this order).
        if (zone && zone !== prev && (prev !== null || zone === 'red')) {
          out.push({
            at: pt.created_at, kind: 'zone', subject: p.name, link,
            what: prev
              ? t('overview.change.zoneTurned', { zone: zoneOf(zone), prev: zoneOf(prev), date: date(pt.as_of) })
              : t('overview.change.zoneIs', { zone: zoneOf(zone), date: date(pt.as_of) }),
            alert: zone === 'red',
          });
        }
        out.push({ at: pt.created_at, kind: 'snapshot', subject: p.name, link, what: t('overview.change.snapshot', { date: date(pt.as_of) }), alert: false });
      }
      if (zone) prev = zone;
    }
  }
  for (const a of input.accounts) {
    if (isAfter(a.created_at, since)) out.push({ at: a.created_at, kind: 'account', subject: a.name, link: input.accountLink(a.name), what: t('overview.change.account'), alert: false });
  }
  for (const pt of input.networth?.points ?? []) {
    if (isAfter(pt.recorded_at, since)) {
      out.push({ at: pt.recorded_at!, kind: 'networth', subject: t('overview.allAccounts'), link: '/ledger', what: t('overview.change.networth', { date: date(pt.date) }), alert: false });
    }
  }
  for (const j of input.jobs) {
    if (j.status !== 'succeeded' && j.status !== 'failed' && j.status !== 'cancelled') continue;
    if (!isAfter(j.finished_at, since)) continue;
    out.push({ at: j.finished_at!, kind: 'job', subject: t('overview.job', { id: j.id }), link: `/jobs/${j.id}`, what: t('overview.change.job', { kind: jobKindLabel(j.kind, t), status: choiceLabel(t, 'status', j.status) }), alert: j.status === 'failed' });
  }
  return out.sort((a, b) => time(b.at) - time(a.at) || a.subject.localeCompare(b.subject));
}

// ---- The last visit -----------------------------------------------------------------------------

interface KeyValue {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

// Starts a visit of the overview: returns the time of the previous visit (null on the first) and
// records `now` as the last visit in `local` (localStorage). The previous visit is kept in `session`
// (the app's memory, so nothing is left in the tab's storage after signing out) while the app stays
// loaded, so coming back to the overview from another view lists the same changes instead of none.
export function beginVisit(key: string, now: Date, local: KeyValue, session: KeyValue): string | null {
  const kept = session.getItem(`${key}.since`);
  let since: string | null;
  if (kept !== null) since = kept || null;
  else {
    since = local.getItem(key);
    session.setItem(`${key}.since`, since ?? '');
  }
  local.setItem(key, now.toISOString());
  return since;
}

export const visitKey = (tenant: string, username: string) => `keel.overview.lastVisit.${tenant}.${username}`;

// The previous visits while the app stays loaded (see beginVisit).
const kept = new Map<string, string>();
export const visitMemory: KeyValue = { getItem: (k) => kept.get(k) ?? null, setItem: (k, v) => void kept.set(k, v) };
