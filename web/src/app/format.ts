// Number formatting in the chosen locale (Intl.NumberFormat): the views format figures the API
// gives and never compute them.
export type Locale = 'en-US' | 'de-DE';
export const LOCALES: Locale[] = ['en-US', 'de-DE'];

export interface Fmt {
  locale: Locale;
  money: (x: number | null | undefined) => string;
  num: (x: number | null | undefined, digits?: number) => string;
  pct: (x: number | null | undefined, digits?: number) => string;
}

export function makeFmt(locale: Locale): Fmt {
  const money = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const pcts = new Map<number, Intl.NumberFormat>();
  const nums = new Map<number, Intl.NumberFormat>();
  const dash = '–';
  const ok = (x: number | null | undefined): x is number => typeof x === 'number' && Number.isFinite(x);
  return {
    locale,
    money: (x) => (ok(x) ? money.format(x) : dash),
    num: (x, d = 2) => {
      if (!ok(x)) return dash;
      let f = nums.get(d);
      if (!f) nums.set(d, (f = new Intl.NumberFormat(locale, { minimumFractionDigits: d, maximumFractionDigits: d })));
      return f.format(x);
    },
    pct: (x, d = 2) => {
      if (!ok(x)) return dash;
      let f = pcts.get(d);
      if (!f) pcts.set(d, (f = new Intl.NumberFormat(locale, { style: 'percent', minimumFractionDigits: d, maximumFractionDigits: d })));
      return f.format(x);
    },
  };
}

export function initialLocale(): Locale {
  const saved = localStorage.getItem('keel.locale');
  if (saved === 'en-US' || saved === 'de-DE') return saved;
  return navigator.language.toLowerCase().startsWith('de') ? 'de-DE' : 'en-US';
}
