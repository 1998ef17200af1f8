// Symbols as keel reads them (src/portfolio/occ_symbol.cpp, src/io/position_row.cpp and
// is_valid_ticker in src/io/price_reader.cpp), so that a grid can say what is wrong with one as it
// is typed. The rule decides exactly as the server does: a symbol is an OCC option symbol when
// OccSymbol::parse accepts it; otherwise it is refused when it looks like an attempt at one
// (looks_like_occ) or is not a ticker. The messages are the app's own, in words; the server's
// answer to a save stays the authority. The messages are the catalogue's (sym.*), in the session's
// language when the caller passes its t, else in English.
import { enT, type Translate } from './i18n';

// An OCC option symbol's terms (OSI): root, expiry, call or put, strike.
export interface Occ {
  root: string;
  expiry: string; // YYYY-MM-DD
  right: 'call' | 'put';
  strike: number; // in price units: the 8 digits / 1000
  compact: string; // ROOT + YYMMDD + C|P + 8 digits: the form keel stores
}

// A ticker: 1 to 12 characters of A-Z 0-9 . - ^ / =, starting with a letter, a digit or ^.
export function isTicker(s: string): boolean {
  return /^[A-Z0-9^][A-Z0-9.\-^/=]{0,11}$/.test(s);
}

const isDigits = (s: string) => /^[0-9]+$/.test(s);

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

// Root and the 15-character tail YYMMDDCSSSSSSSS: the root is what precedes the tail, less trailing
// spaces (the padded form), and has 1 to 6 characters.
function split(text: string): { root: string; tail: string } | null {
  if (text.length < 16) return null;
  const tail = text.slice(-15);
  const root = text.slice(0, -15).replace(/ +$/, '');
  if (!root || root.length > 6) return null;
  return { root, tail };
}

// Why `text` is not an OCC option symbol, in the order keel checks; null when it is one.
export function occProblem(text: string, t: Translate = enT): string | null {
  const parts = split(text);
  if (!parts) {
    // What the parts would be if the strike's digits were miscounted or the root too long.
    const m = /^([A-Z0-9.]+) *([0-9]{6})([CP])([0-9]+)$/.exec(text);
    if (m && m[1]!.length > 6) return t('sym.occ.rootLong', { root: m[1]! });
    if (m && m[4]!.length !== 8) return t('sym.occ.strikeDigits', { n: m[4]!.length });
    return t('sym.occ.form');
  }
  const { root, tail } = parts;
  if (!/^[A-Z0-9.]+$/.test(root)) return t('sym.occ.rootChars', { root });
  const ymd = tail.slice(0, 6);
  const right = tail[6]!;
  const strike = tail.slice(7);
  if (!isDigits(ymd)) {
    const m = /^([A-Z0-9.]+) *([0-9]{6})([CP])([0-9]+)$/.exec(text);
    if (m && m[4]!.length !== 8) return t('sym.occ.strikeDigits', { n: m[4]!.length });
    return t('sym.occ.expiryDigits', { ymd });
  }
  const yy = Number(ymd.slice(0, 2));
  const mm = Number(ymd.slice(2, 4));
  const dd = Number(ymd.slice(4, 6));
  if (mm < 1 || mm > 12 || dd < 1 || dd > daysInMonth(2000 + yy, mm)) return t('sym.occ.expiryDate', { ymd });
  if (right !== 'C' && right !== 'P') return t('sym.occ.right', { right });
  if (!isDigits(strike)) return t('sym.occ.strikeNotDigits', { strike });
  if (Number(strike) === 0) return t('sym.occ.strikePositive');
  return null;
}

// The terms of an OCC option symbol (compact or padded), or null.
export function parseOcc(text: string): Occ | null {
  if (occProblem(text) !== null) return null;
  const { root, tail } = split(text)!;
  const ymd = tail.slice(0, 6);
  return {
    root,
    expiry: `20${ymd.slice(0, 2)}-${ymd.slice(2, 4)}-${ymd.slice(4, 6)}`,
    right: tail[6] === 'C' ? 'call' : 'put',
    strike: Number(tail.slice(7)) / 1000,
    compact: root + tail,
  };
}

// Whether text looks like an attempt at an OCC symbol: up to 8 letters, spaces or dots, then at
// least five digits followed by C or P (so that a malformed one is named as such).
export function looksLikeOcc(text: string): boolean {
  return /^[A-Za-z .]{1,8}[0-9]{5,}[CP]/.test(text);
}

// What keel would say is wrong with a position's symbol cell (as sent: trimmed, upper case), or
// null when it is a ticker or an OCC option symbol. An empty cell is the row's "missing symbol".
export function symbolProblem(raw: string, t: Translate = enT): string | null {
  const s = raw.trim().toUpperCase();
  if (!s) return t('sym.missing');
  if (parseOcc(s)) return null;
  if (looksLikeOcc(s)) return t('sym.badOcc', { why: occProblem(s, t)! });
  if (!isTicker(s)) {
    return s.length > 12 && split(s)
      ? t('sym.neither', { why: occProblem(s, t)! })
      : t('sym.notTicker');
  }
  return null;
}
