// The performance tab's "Where the gain came from" (GET …/performance, `gain`; docs/ledger.md):
// the period's gain split into price, income, fees and currency, which add up to the total to the
// cent. Here: the parts in the order shown, the check that they add up, and amounts with their sign.
import type { Locale } from '../../app/format';

export const GAIN_PARTS = ['price', 'income', 'fees', 'currency'] as const;
export type GainPart = (typeof GAIN_PARTS)[number];
export type GainKey = GainPart | 'total';

export interface GainSplit {
  total: number | null;
  price: number | null;
  income: number | null;
  fees: number | null;
  currency: number | null;
}

export interface GainRow {
  key: GainKey;
  amount: number | null;
}

// The four parts, then the total.
export function gainRows(g: GainSplit): GainRow[] {
  return [...GAIN_PARTS.map((key) => ({ key, amount: g[key] })), { key: 'total' as const, amount: g.total }];
}

const cents = (x: number) => Math.round(x * 100);

// True when every amount is there and the parts add up to the total to the cent.
export function gainAddsUp(g: GainSplit): boolean {
  if (g.total === null || GAIN_PARTS.some((k) => g[k] === null)) return false;
  return GAIN_PARTS.reduce((s, k) => s + cents(g[k]!), 0) === cents(g.total);
}

// An amount to the cent with its currency's code and its sign ("+USD 663.42", "-35,20 EUR"; 0 has
// none); a code Intl does not know follows the figure.
export function makeSignedAmount(locale: Locale): (x: number | null | undefined, currency: string) => string {
  const byCode = new Map<string, Intl.NumberFormat | null>();
  const plain = new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2, signDisplay: 'exceptZero' });
  return (x, currency) => {
    if (typeof x !== 'number' || !Number.isFinite(x)) return '–';
    let f = byCode.get(currency);
    if (f === undefined) {
      f = null;
      if (/^[A-Z]{3}$/.test(currency)) {
        try {
          f = new Intl.NumberFormat(locale, { style: 'currency', currency, currencyDisplay: 'code', minimumFractionDigits: 2, maximumFractionDigits: 2, signDisplay: 'exceptZero' });
        } catch {
          f = null;
        }
      }
      byCode.set(currency, f);
    }
    // -0.004 rounds to 0.00: shown without a sign, as 0 is.
    const v = cents(x) === 0 ? 0 : x;
    return f ? f.format(v) : `${plain.format(v)} ${currency}`;
  };
}
