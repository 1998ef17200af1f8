// Exposure groups in words: a country by its name in the page's language with its code, Cash and
// Unknown and the regions in words in both languages, a type by its label, anything else (a sector,
// a currency) as it is; a code the browser cannot name stays a code.
import { describe, expect, it } from 'vitest';
import { enT, loadLanguage, makeT } from '../../app/i18n';
import { countryLabel, groupLabel } from './groups';

describe('groupLabel', () => {
  it('names a country in the locale, with its ISO code', () => {
    expect(groupLabel(enT, 'en-US', 'country', 'US')).toBe('United States (US)');
    expect(groupLabel(enT, 'en-US', 'country', 'IE')).toBe('Ireland (IE)');
    expect(countryLabel('de-DE', 'US')).toBe('Vereinigte Staaten (US)');
    // Not a country Intl knows: the code as it is.
    expect(countryLabel('en-US', 'ZZ')).toMatch(/ZZ/);
  });

  it('says Cash, Unknown and the regions in words, in both languages', async () => {
    expect(groupLabel(enT, 'en-US', 'country', 'Cash')).toBe('Cash');
    expect(groupLabel(enT, 'en-US', 'country', 'Unknown')).toBe('Unknown');
    expect(groupLabel(enT, 'en-US', 'region', 'Middle East & Africa')).toBe('Middle East & Africa');
    await loadLanguage('de');
    const de = makeT('de-DE');
    expect(groupLabel(de, 'de-DE', 'region', 'North America')).toBe('Nordamerika');
    expect(groupLabel(de, 'de-DE', 'region', 'Asia Pacific')).toBe('Asien-Pazifik');
    expect(groupLabel(de, 'de-DE', 'country', 'Unknown')).toBe('Unbekannt');
    // A region the server adds later: its own name.
    expect(groupLabel(de, 'de-DE', 'region', 'Antarctica')).toBe('Antarctica');
  });

  it('leaves data as it is and names types', () => {
    expect(groupLabel(enT, 'en-US', 'sector', 'Information Technology')).toBe('Information Technology');
    expect(groupLabel(enT, 'en-US', 'currency', 'EUR')).toBe('EUR');
    expect(groupLabel(enT, 'en-US', 'sector', 'US')).toBe('US');
    expect(groupLabel(enT, 'en-US', 'type', 'option')).toBe('option');
  });
});
