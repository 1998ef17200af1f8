// Job notices: when one of the signed-in user's jobs ends — succeeded, failed or cancelled, started
// in this tab, another tab or by the API — the tenant's event stream (src/app/live.ts) sends
// `job.finished` to that user's streams only. Wherever the user is in the app, the header then
// shows a notice of it ("VaR job 42 finished") that links to the job's page and is dismissed by
// hand; the newest few are kept, so a batch of jobs ending together does not fill the header.
// The job's own queries and the job lists are read again, so a page showing the job refreshes.
// An import that stored its rows with warnings (`import.warnings`, to the importer's streams only)
// is shown the same way among them: "Import of positions into book stored with 1 warning", its
// warnings as plain text behind a disclosure (components/JobNotices.tsx).
import { useSyncExternalStore } from 'react';
import type { QueryClient } from '@tanstack/react-query';

export type JobEnd = 'succeeded' | 'failed' | 'cancelled';

export interface JobFinished {
  type: 'job.finished';
  job_id: number;
  kind: string; // the job's kind, e.g. risk.var (labels.ts: jobKind)
  status: JobEnd;
}

export type ImportKind = 'positions' | 'transactions' | 'prices';

export interface ImportWarnings {
  type: 'import.warnings';
  import: ImportKind;
  id: number; // the portfolio or account imported into; 0 for prices
  name: string; // its name; '' for prices
  warnings: string[]; // the first 20
  count: number; // how many there were
  key: number; // this notice's own number in this tab (an import has no id of its own)
}

// What the header shows: jobs that ended and imports with warnings.
export type HeaderNotice = JobFinished | ImportWarnings;

const IMPORTS: ReadonlySet<string> = new Set<ImportKind>(['positions', 'transactions', 'prices']);

const ENDS: ReadonlySet<string> = new Set<JobEnd>(['succeeded', 'failed', 'cancelled']);

// At most this many notices at once: the newest.
export const MAX_JOB_NOTICES = 3;

// The event's data as a notice, or null when it is not one this app can read (not JSON, no job id
// or kind, an end it does not know): such an event is skipped, never shown half-read.
export function parseJobFinished(data: string): JobFinished | null {
  let v: unknown;
  try {
    v = JSON.parse(data);
  } catch {
    return null;
  }
  if (typeof v !== 'object' || v === null) return null;
  const { job_id, kind, status } = v as Record<string, unknown>;
  if (typeof job_id !== 'number' || !Number.isInteger(job_id) || job_id <= 0) return null;
  if (typeof kind !== 'string' || kind === '') return null;
  if (typeof status !== 'string' || !ENDS.has(status)) return null;
  return { type: 'job.finished', job_id, kind, status: status as JobEnd };
}

// The event's data as an import notice (without its key), or null when it cannot be read whole:
// a known import, an id and name, warnings as texts and their count.
export function parseImportWarnings(data: string): Omit<ImportWarnings, 'key'> | null {
  let v: unknown;
  try {
    v = JSON.parse(data);
  } catch {
    return null;
  }
  if (typeof v !== 'object' || v === null) return null;
  const { import: kind, id, name, warnings, count } = v as Record<string, unknown>;
  if (typeof kind !== 'string' || !IMPORTS.has(kind)) return null;
  if (typeof id !== 'number' || !Number.isInteger(id) || id < 0) return null;
  if (typeof name !== 'string') return null;
  if (kind !== 'prices' && (id === 0 || name === '')) return null;
  if (!Array.isArray(warnings) || !warnings.every((w) => typeof w === 'string')) return null;
  if (typeof count !== 'number' || !Number.isInteger(count) || count < warnings.length || count <= 0) return null;
  return { type: 'import.warnings', import: kind as ImportKind, id, name, warnings: warnings as string[], count };
}

const sameNotice = (a: HeaderNotice, b: HeaderNotice): boolean =>
  a.type === 'job.finished' ? b.type === 'job.finished' && a.job_id === b.job_id : b.type === 'import.warnings' && a.key === b.key;

// The notices after `n` is heard: newest first, one per job (a job heard again — a second tab's
// stream, a reconnect — replaces its older notice), at most MAX_JOB_NOTICES.
// An import notice counts towards the same few.
export function addJobNotice(list: readonly HeaderNotice[], n: HeaderNotice): HeaderNotice[] {
  return [n, ...list.filter((x) => !sameNotice(x, n))].slice(0, MAX_JOB_NOTICES);
}

export function removeJobNotice(list: readonly HeaderNotice[], jobId: number): HeaderNotice[] {
  return list.filter((x) => !(x.type === 'job.finished' && x.job_id === jobId));
}

export function removeImportNotice(list: readonly HeaderNotice[], key: number): HeaderNotice[] {
  return list.filter((x) => !(x.type === 'import.warnings' && x.key === key));
}

// The header's notices, shared by every part of the app that shows or changes them.
let notices: readonly HeaderNotice[] = [];
let importKeys = 0;
const listeners = new Set<() => void>();

function set(next: readonly HeaderNotice[]): void {
  notices = next;
  for (const l of [...listeners]) l();
}

export const jobNotices = (): readonly HeaderNotice[] => notices;
export const dismissJobNotice = (jobId: number): void => set(removeJobNotice(notices, jobId));
export const dismissImportNotice = (key: number): void => set(removeImportNotice(notices, key));
// Signed out: the last user's notices go with them.
export const clearJobNotices = (): void => set([]);

export function subscribeJobNotices(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

const none: readonly HeaderNotice[] = [];
export function useJobNotices(): readonly HeaderNotice[] {
  return useSyncExternalStore(subscribeJobNotices, jobNotices, () => none);
}

// A job's end heard: its page's query and the job lists (['jobs', …]: the jobs view, the overview's
// running and queued jobs) are read again, and the notice is shown.
export function applyJobFinished(qc: QueryClient, n: JobFinished): void {
  void qc.invalidateQueries({ queryKey: ['job', n.job_id] });
  void qc.invalidateQueries({ queryKey: ['jobs'] });
  set(addJobNotice(notices, n));
}

// An import's warnings heard: shown as a notice of its own (each import is one, even into the same
// portfolio twice). It reads no query again.
export function applyImportWarnings(w: Omit<ImportWarnings, 'key'>): void {
  set(addJobNotice(notices, { ...w, key: ++importKeys }));
}
