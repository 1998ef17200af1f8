// Number and date formatting in the chosen locale (Intl.NumberFormat, Intl.DateTimeFormat): the
// views format figures the API gives and never compute them. The locale is also the language of the
// words (src/app/i18n.ts): en-US English, de-DE German.
export type Locale = 'en-US' | 'de-DE';
export const LOCALES: Locale[] = ['en-US', 'de-DE'];

// keel's reporting currency when a book names none (a position's currency defaults to USD,
// docs/formats.md).
export const DEFAULT_CURRENCY = 'USD';
// What a book's amounts are in when its positions are in more than one currency: keel sums them as
// they are (no FX), so no one currency is named.
export const MIXED = 'mixed';

// The currency of a book's amounts from its positions' currencies: the one they share, MIXED when
// they differ, DEFAULT_CURRENCY when there are none.
export function bookCurrency(codes: Iterable<string | null | undefined>): string {
  const set = new Set<string>();
  for (const c of codes) if (c) set.add(c.toUpperCase());
  if (set.size === 0) return DEFAULT_CURRENCY;
  if (set.size > 1) return MIXED;
  return [...set][0] ?? DEFAULT_CURRENCY;
}

const ISO = /^[A-Z]{3}$/;

export interface Fmt {
  locale: Locale;
  // A whole amount; with a currency, that currency's ISO code in the locale's place for it
  // ("USD 107,877", "107.877 USD"), or any other label ("mixed") after the figure. `digits`
  // decimals instead (2: to the cent, "USD 1,082.52").
  money: (x: number | null | undefined, currency?: string, digits?: number) => string;
  // A price per unit (a cost, a strike): two to four decimals, with its currency as money has it.
  price: (x: number | null | undefined, currency: string) => string;
  num: (x: number | null | undefined, digits?: number) => string;
  pct: (x: number | null | undefined, digits?: number) => string;
  // A date or date-time the API gives in ISO 8601 ("2020-12-31", "2026-11-23T09:30:00Z"): in en-US
  // as it is (ISO, unambiguous), in de-DE by Intl ("31.12.2020", "23.11.2026, 09:30:00 UTC");
  // anything else as it is.
  date: (iso: string | null | undefined) => string;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;

export function makeFmt(locale: Locale): Fmt {
  // Figures with `min` to `max` decimals and a currency: its ISO code where the locale puts it, or
  // any other label after the figure.
  const withCurrency = (min: number, max: number) => {
    const plain = new Intl.NumberFormat(locale, { minimumFractionDigits: min, maximumFractionDigits: max });
    const byCode = new Map<string, Intl.NumberFormat | null>();
    const format = (x: number, currency: string): string => {
      let f = byCode.get(currency);
      if (f === undefined) {
        f = null;
        if (ISO.test(currency)) {
          try {
            f = new Intl.NumberFormat(locale, { style: 'currency', currency, currencyDisplay: 'code', minimumFractionDigits: min, maximumFractionDigits: max });
          } catch {
            f = null;
          }
        }
        byCode.set(currency, f);
      }
      return f ? f.format(x) : `${plain.format(x)} ${currency}`;
    };
    return { plain, format };
  };
  const moneys = new Map<number, ReturnType<typeof withCurrency>>();
  const moneyOf = (d: number) => {
    let m = moneys.get(d);
    if (!m) moneys.set(d, (m = withCurrency(d, d)));
    return m;
  };
  const price = withCurrency(2, 4);
  const pcts = new Map<number, Intl.NumberFormat>();
  const nums = new Map<number, Intl.NumberFormat>();
  const dash = '–';
  const ok = (x: number | null | undefined): x is number => typeof x === 'number' && Number.isFinite(x);
  let days: Intl.DateTimeFormat | undefined;
  let times: Intl.DateTimeFormat | undefined;
  const date = (iso: string | null | undefined): string => {
    if (!iso) return dash;
    if (locale === 'en-US') return iso;
    if (ISO_DATE.test(iso)) {
      days ??= new Intl.DateTimeFormat(locale, { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'UTC' });
      return days.format(new Date(`${iso}T00:00:00Z`));
    }
    if (ISO_TIME.test(iso)) {
      const d = new Date(/(Z|[+-]\d{2}:?\d{2})$/.test(iso) ? iso : `${iso.replace(' ', 'T')}Z`);
      if (Number.isNaN(d.getTime())) return iso;
      times ??= new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'medium', timeZone: 'UTC' });
      return `${times.format(d)} UTC`;
    }
    return iso;
  };
  return {
    locale,
    date,
    money: (x, currency, d = 0) => (!ok(x) ? dash : currency ? moneyOf(d).format(x, currency) : moneyOf(d).plain.format(x)),
    price: (x, currency) => (!ok(x) ? dash : price.format(x, currency)),
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
