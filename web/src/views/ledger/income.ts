// The income tab's and the benchmark's pure parts: the calendar of expected payments laid out by
// month, the yield on cost of the paying holdings, the monthly excess returns as a year × month
// grid, and amounts to the cent in a currency. Every figure is the API's; what is put together
// here (a month's total of the calendar, the account's yield on cost) is said in docs/web.md.
import type { BenchmarkPeriod, HoldingIncome, ProjectedPayment } from '../../api/types';
import type { Locale } from '../../app/format';

export interface CalendarMonth {
  month: string; // YYYY-MM
  payments: ProjectedPayment[];
  gross: number; // the month's payments summed to the cent
  net: number;
}

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const monthKey = (y: number, m: number) => `${y}-${String(m).padStart(2, '0')}`;
// Sums of amounts given to the cent, in cents, so that 0.1 + 0.2 is 0.30.
const cents = (xs: number[]) => xs.reduce((s, x) => s + Math.round(x * 100), 0) / 100;

// The months of (to, to + 1 year], the span of the API's calendar, each with its expected payments
// (as the API orders them, by date) and their sums; months with none are kept, so the calendar shows
// the whole year. Payments outside the span (none, from the API) go to their own months at the end.
export function calendarByMonth(calendar: readonly ProjectedPayment[], to: string): CalendarMonth[] {
  const m = ISO_DAY.exec(to);
  const months = new Map<string, ProjectedPayment[]>();
  if (m) {
    const y = Number(m[1]), mo = Number(m[2]), d = Number(m[3]);
    // The first day after `to` opens the span; `to` itself a year later closes it.
    const last = new Date(Date.UTC(y, mo, 0)).getUTCDate();
    let [cy, cm] = d === last ? (mo === 12 ? [y + 1, 1] : [y, mo + 1]) : [y, mo];
    const end = monthKey(y + 1, mo);
    for (;;) {
      const k = monthKey(cy, cm);
      months.set(k, []);
      if (k >= end) break;
      [cy, cm] = cm === 12 ? [cy + 1, 1] : [cy, cm + 1];
    }
  }
  for (const p of calendar) {
    const k = p.date.slice(0, 7);
    const list = months.get(k);
    if (list) list.push(p);
    else months.set(k, [p]);
  }
  return [...months.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([month, payments]) => ({ month, payments, gross: cents(payments.map((p) => p.gross)), net: cents(payments.map((p) => p.net)) }));
}

// The account's yield on cost as the tearsheet gives it: the projected gross of the holdings that
// pay over their basis (null when they hold no basis).
export function yieldOnCost(holdings: readonly Pick<HoldingIncome, 'basis' | 'projected_gross'>[]): number | null {
  let basis = 0, projected = 0;
  for (const h of holdings) {
    if (h.projected_gross === 0) continue;
    basis += h.basis;
    projected += h.projected_gross;
  }
  return basis > 0 ? projected / basis : null;
}

export interface ExcessYear {
  year: string;
  months: (BenchmarkPeriod | null)[]; // January to December; null outside the period
}

// The monthly comparison (periods "2017-03") as one row per year, January to December.
export function excessByYear(monthly: readonly BenchmarkPeriod[]): ExcessYear[] {
  const years = new Map<string, (BenchmarkPeriod | null)[]>();
  for (const p of monthly) {
    const m = /^(\d{4})-(\d{2})$/.exec(p.period);
    if (!m) continue;
    let row = years.get(m[1]!);
    if (!row) years.set(m[1]!, (row = Array<BenchmarkPeriod | null>(12).fill(null)));
    row[Number(m[2]) - 1] = p;
  }
  return [...years.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([year, months]) => ({ year, months }));
}

// Amounts to the cent with their currency's ISO code where the locale puts it ("USD 1,082.52",
// "1.082,52 USD"); a code Intl does not know follows the figure.
export function makeAmount(locale: Locale): (x: number | null | undefined, currency: string) => string {
  const byCode = new Map<string, Intl.NumberFormat | null>();
  const plain = new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return (x, currency) => {
    if (typeof x !== 'number' || !Number.isFinite(x)) return '–';
    let f = byCode.get(currency);
    if (f === undefined) {
      f = null;
      if (/^[A-Z]{3}$/.test(currency)) {
        try {
          f = new Intl.NumberFormat(locale, { style: 'currency', currency, currencyDisplay: 'code', minimumFractionDigits: 2, maximumFractionDigits: 2 });
        } catch {
          f = null;
        }
      }
      byCode.set(currency, f);
    }
    return f ? f.format(x) : `${plain.format(x)} ${currency}`;
  };
}
