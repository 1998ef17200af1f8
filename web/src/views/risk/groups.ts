// The name of an exposure group (ExposuresResult.groups[].key) as the page shows it, by what the
// book is grouped by: an instrument type in words, a region in words (the server names regions in
// English), a country by its name in the page's language with its ISO code ("United States (US)",
// "Vereinigte Staaten (US)"; the code alone where the browser has no names), and Cash and Unknown
// in words beside the countries. Sectors, tags, strategies, underlyings and currencies are data,
// shown as they are.
import type { Locale } from '../../app/format';
import { choiceLabel, type Translate } from '../../app/i18n';
import { labelOf } from '../../app/labels';

const COUNTRY_CODE = /^[A-Z]{2}$/;
const names = new Map<string, Intl.DisplayNames | null>();

function displayNames(locale: Locale): Intl.DisplayNames | null {
  let d = names.get(locale);
  if (d === undefined) {
    try {
      d = typeof Intl.DisplayNames === 'function' ? new Intl.DisplayNames([locale], { type: 'region' }) : null;
    } catch {
      d = null;
    }
    names.set(locale, d);
  }
  return d;
}

// A country's name with its code, or the code alone when the browser cannot name it.
export function countryLabel(locale: Locale, code: string): string {
  let name: string | undefined;
  try {
    name = displayNames(locale)?.of(code);
  } catch {
    name = undefined; // a code Intl refuses: shown as it is
  }
  return name && name !== code ? `${name} (${code})` : code;
}

export function groupLabel(t: Translate, locale: Locale, by: string, key: string): string {
  if (by === 'type') return choiceLabel(t, 'type', key);
  if (by === 'region') return labelOf(t, 'region', key, key);
  if (by === 'country') return COUNTRY_CODE.test(key) ? countryLabel(locale, key) : labelOf(t, 'region', key, key);
  return key;
}
