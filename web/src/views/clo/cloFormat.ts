// How a CLO test's figures read: WARF, diversity and WAL as plain numbers, OC and IC ratios and the
// interest diversion test (an OC ratio too) to four decimals, the rest (shares, spreads) as
// percentages — in the quality tab and the compliance tab alike.
import type { Fmt } from '../../app/format';

export function cloTestValue(fmt: Fmt, name: string, v: number | null | undefined): string {
  if (name === 'WARF' || name === 'Diversity' || name === 'WAL') return fmt.num(v, 2);
  if (name.endsWith(' OC') || name.endsWith(' IC') || name.endsWith('Interest Diversion')) return fmt.num(v, 4);
  return fmt.pct(v, 2);
}

// A test's cushion as a share of its threshold (the distance to the trigger, comparable across
// tests); null when undefined.
export function cushionShare(cushion: number | null | undefined, threshold: number | null | undefined): number | null {
  if (cushion == null || threshold == null || !Number.isFinite(cushion) || threshold === 0) return null;
  return cushion / Math.abs(threshold);
}
