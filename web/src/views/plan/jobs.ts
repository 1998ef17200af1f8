// A computation the API runs as a job (202 with the Job): posted, then read until it ends. The
// result is the job's JSON as the API gives it; a failed job becomes an ApiError with its message
// and details.
import { api, ApiError } from '../../api/client';
import type { Job } from '../../api/types';
import { choiceLabel, makeT, type Translate } from '../../app/i18n';
import { labelOf } from '../../app/labels';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runJob<T>(path: string, body: unknown, signal?: AbortSignal, t: Translate = makeT('en-US')): Promise<T> {
  const job = await api<Job>('POST', path, { body, signal });
  return followJob<T>(job, signal, t);
}

// An answer that may be the result itself (200) or a job computing it (202: the server found the
// request too large to answer at once): the job is read until it ends.
export const isJobAnswer = (x: unknown): x is Job =>
  typeof x === 'object' && x !== null && 'links' in x && 'status' in x && 'kind' in x;

export async function resultOrJob<T>(answer: T | Job, signal?: AbortSignal, t: Translate = makeT('en-US')): Promise<T> {
  return isJobAnswer(answer) ? followJob<T>(answer, signal, t) : answer;
}

export async function followJob<T>(job: Job, signal?: AbortSignal, t: Translate = makeT('en-US')): Promise<T> {
  for (let wait = 100; ; wait = Math.min(wait * 1.5, 1000)) {
    const j = await api<Job>('GET', `/api/v1/jobs/${job.id}`, { signal });
    if (j.status === 'succeeded') return j.result as T;
    if (j.status === 'failed' || j.status === 'cancelled') {
      throw new ApiError(400, j.error?.code ?? j.status, t('jobs.ended', { id: j.id, kind: labelOf(t, 'jobKind', j.kind), status: choiceLabel(t, 'status', j.status), message: j.error?.message ?? '' }), j.error?.details ?? [], '');
    }
    await sleep(wait);
  }
}
