// The health tab's figures: a weight as a percent with one decimal, a count as a whole number, none
// for a check with nothing to measure; a status badge's class; "3 warnings, 1 alert" in both
// languages, with their plurals.
import { describe, expect, it } from 'vitest';
import { makeFmt } from '../../app/format';
import { enT, loadLanguage, makeT } from '../../app/i18n';
import { healthFigure, healthSummary, isCount, statusClass } from './health';

const weight = { unit: 'fraction of gross' };
const count = { unit: 'positions' };

describe('healthFigure', () => {
  it('a weight in percent, a count as a number, in the locale', () => {
    const en = makeFmt('en-US');
    const de = makeFmt('de-DE');
    expect(healthFigure(en, weight, 0.20629082074855515)).toBe('20.6%');
    expect(healthFigure(de, weight, 0.20629082074855515)).toBe('20,6\u00a0%');
    expect(healthFigure(en, weight, 0)).toBe('0.0%');
    expect(healthFigure(en, count, 2)).toBe('2');
    expect(isCount(count)).toBe(true);
    expect(isCount(weight)).toBe(false);
  });

  it('none for a check with nothing to measure', () => {
    const en = makeFmt('en-US');
    expect(healthFigure(en, weight, null)).toBe(healthFigure(en, weight, undefined));
    expect(healthFigure(en, weight, null)).not.toMatch(/\d/);
  });
});

describe('statusClass', () => {
  it('the zone colours, none for na or a status not known', () => {
    expect(statusClass('ok')).toBe('zone zone-green');
    expect(statusClass('warn')).toBe('zone zone-yellow');
    expect(statusClass('alert')).toBe('zone zone-red');
    expect(statusClass('na')).toBe('zone muted');
    expect(statusClass('something')).toBe('zone muted');
  });
});

describe('healthSummary', () => {
  it('counts warnings and alerts, each with its plural', async () => {
    expect(healthSummary(enT, { warnings: 3, alerts: 1 })).toBe('3 warnings, 1 alert');
    expect(healthSummary(enT, { warnings: 1, alerts: 0 })).toBe('1 warning, 0 alerts');
    await loadLanguage('de');
    expect(healthSummary(makeT('de-DE'), { warnings: 3, alerts: 1 })).toBe('3 Warnungen, 1 Alarm');
  });
});
