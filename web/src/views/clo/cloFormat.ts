// How a CLO test's figures read: WARF, diversity and WAL as plain numbers; OC and IC ratios, the
// interest diversion test (an OC ratio too), shares and spreads as percentages — in every CLO tab.
import type { Fmt } from '../../app/format';

export function cloTestValue(fmt: Fmt, name: string, v: number | null | undefined): string {
  if (name === 'WARF' || name === 'Diversity' || name === 'WAL') return fmt.num(v, 2);
  // OC, IC and interest diversion ratios in percent, as trustee reports print them (1.3357 -> 133.57 %).
  return fmt.pct(v, 2);
}

// A test's cushion as a share of its threshold (the distance to the trigger, comparable across
// tests); null when undefined.
export function cushionShare(cushion: number | null | undefined, threshold: number | null | undefined): number | null {
  if (cushion == null || threshold == null || !Number.isFinite(cushion) || threshold === 0) return null;
  return cushion / Math.abs(threshold);
}

// A test's name with the obligor or industry a rank test measures ("Obligor rank 2 — Beta"); when a
// trade changes who holds the rank, both ("Industry rank 1 — Tech → Health").
export function cloTestTitle(name: string, subject?: string | null, after?: string | null): string {
  const s = subject || after;
  if (!s) return name;
  return after && subject && after !== subject ? `${name} — ${subject} → ${after}` : `${name} — ${s}`;
}

// How a trade's effect on a test is coloured: cures and improves green, a break red, a failing test
// made worse red, any other worsening amber; unchanged has no colour.
export function effectZone(effect: string, passAfter: boolean): string {
  if (effect === 'cures' || effect === 'improves') return 'zone zone-green';
  if (effect === 'breaks' || (effect === 'worsens' && !passAfter)) return 'zone zone-red';
  if (effect === 'worsens') return 'zone zone-yellow';
  return 'zone';
}
