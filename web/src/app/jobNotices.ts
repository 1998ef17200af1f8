// Job notices: when one of the signed-in user's jobs ends — succeeded, failed or cancelled, started
// in this tab, another tab or by the API — the tenant's event stream (src/app/live.ts) sends
// `job.finished` to that user's streams only. Wherever the user is in the app, the header then
// shows a notice of it ("VaR job 42 finished") that links to the job's page and is dismissed by
// hand; the newest few are kept, so a batch of jobs ending together does not fill the header.
// The job's own queries and the job lists are read again, so a page showing the job refreshes.
import { useSyncExternalStore } from 'react';
import type { QueryClient } from '@tanstack/react-query';

export type JobEnd = 'succeeded' | 'failed' | 'cancelled';

export interface JobFinished {
  type: 'job.finished';
  job_id: number;
  kind: string; // the job's kind, e.g. risk.var (labels.ts: jobKind)
  status: JobEnd;
}

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

// The notices after `n` is heard: newest first, one per job (a job heard again — a second tab's
// stream, a reconnect — replaces its older notice), at most MAX_JOB_NOTICES.
export function addJobNotice(list: readonly JobFinished[], n: JobFinished): JobFinished[] {
  return [n, ...list.filter((x) => x.job_id !== n.job_id)].slice(0, MAX_JOB_NOTICES);
}

export function removeJobNotice(list: readonly JobFinished[], jobId: number): JobFinished[] {
  return list.filter((x) => x.job_id !== jobId);
}

// The header's notices, shared by every part of the app that shows or changes them.
let notices: readonly JobFinished[] = [];
const listeners = new Set<() => void>();

function set(next: readonly JobFinished[]): void {
  notices = next;
  for (const l of [...listeners]) l();
}

export const jobNotices = (): readonly JobFinished[] => notices;
export const dismissJobNotice = (jobId: number): void => set(removeJobNotice(notices, jobId));
// Signed out: the last user's notices go with them.
export const clearJobNotices = (): void => set([]);

export function subscribeJobNotices(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

const none: readonly JobFinished[] = [];
export function useJobNotices(): readonly JobFinished[] {
  return useSyncExternalStore(subscribeJobNotices, jobNotices, () => none);
}

// A job's end heard: its page's query and the job lists (['jobs', …]: the jobs view, the overview's
// running and queued jobs) are read again, and the notice is shown.
export function applyJobFinished(qc: QueryClient, n: JobFinished): void {
  void qc.invalidateQueries({ queryKey: ['job', n.job_id] });
  void qc.invalidateQueries({ queryKey: ['jobs'] });
  set(addJobNotice(notices, n));
}
