// Percent inputs for fields the API takes as fractions (0.04 = 4 %): the text a person types and
// reads ("4", "2.5") and the fraction the API wants, without binary noise (0.07 × 100 is
// 7.000000000000001 in floating point; here it is 7). Decimal point or comma are both read.

// Rounds away floating-point noise: 12 significant digits are far more than any input here carries.
const clean = (x: number): number => Number(x.toPrecision(12));

// The percent a fraction is (0.04 -> 4); null for anything that is not a finite number.
export function fractionToPercent(x: number | string | null | undefined): number | null {
  if (x === null || x === undefined || (typeof x === 'string' && x.trim() === '')) return null;
  const n = typeof x === 'number' ? x : Number(x);
  return Number.isFinite(n) ? clean(n * 100) : null;
}

// The fraction a percent is (4 -> 0.04); null for anything that is not a finite number.
export function percentToFraction(p: number | string | null | undefined): number | null {
  if (p === null || p === undefined) return null;
  const n = typeof p === 'number' ? p : parsePercent(p);
  return n !== null && Number.isFinite(n) ? clean(n / 100) : null;
}

// A typed percent: "4", "4.5", "4,5", " 4 % " -> the number; null when it is not one.
export function parsePercent(text: string): number | null {
  const s = text.trim().replace(/\s*%$/, '').replace(',', '.');
  if (s === '' || !/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(s)) return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : null;
}

// The input's text for a fraction from the URL ("0.04" -> "4"); '' when there is none.
export function percentText(fraction: string | number | null | undefined): string {
  const p = fractionToPercent(fraction);
  return p === null ? '' : String(p);
}

// The URL's text for a typed percent ("4" -> "0.04"); null when it is not a number.
export function fractionText(percent: string): string | null {
  const f = percentToFraction(percent);
  return f === null ? null : String(f);
}
