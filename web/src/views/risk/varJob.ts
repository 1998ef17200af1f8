// The VaR of the dashboard: POST …/risk/var answers with the result (200) or, for method "all" or
// a large Monte Carlo run, with a job (202) that is read here until it ends. And a P&L histogram's
// bins as chart points, checked rather than trusted.
import { api, ApiError, seg, type Schemas } from '../../api/client';
import type { Job } from '../../api/types';
import { choiceLabel, makeT, type Translate } from '../../app/i18n';
import { labelOf } from '../../app/labels';

// The words of the errors made here: the caller's language, English by default.
const EN = makeT('en-US');

type VarResult = Schemas['RiskVarResult'];
type PnlHistogram = Schemas['PnlHistogram'];
// Where a VaR computed as a job stands while it is not done.
export type JobState = Pick<Job, 'id' | 'status' | 'progress' | 'message'>;

const isJob = (x: VarResult | Job): x is Job => 'links' in x && 'status' in x && 'kind' in x;
const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => { clearTimeout(t); reject(signal.reason); }, { once: true });
  });

// A job's result as a VaR result: the job carries it untyped, so its lists are checked here rather
// than trusted.
export function asVarResult(job: Job, t: Translate = EN): VarResult {
  const r = job.result as Partial<VarResult> | null;
  if (!r || typeof r !== 'object' || !Array.isArray(r.results) || !Array.isArray(r.contributions) || !Array.isArray(r.warnings)) {
    throw new ApiError(500, 'bad_result', t('jobs.noVarResult', { id: job.id, kind: labelOf(t, 'jobKind', job.kind) }), [], '');
  }
  return r as VarResult;
}

// POST …/risk/var: the result (200), or a job (202: method "all", large Monte Carlo paths) read
// until it ends, `onJob` told of each state; a failed or cancelled job becomes an ApiError with
// the job's error.
export async function computeVar(portfolio: string, body: Record<string, unknown>, onJob: (j: JobState | null) => void, signal: AbortSignal, t: Translate = EN): Promise<VarResult> {
  onJob(null);
  const first = await api<VarResult | Job>('POST', `/api/v1/portfolios/${seg(portfolio)}/risk/var`, { body, signal });
  if (!isJob(first)) return first;
  let j: Job = first;
  for (let wait = 100; ; wait = Math.min(wait * 1.5, 1000)) {
    if (j.status === 'succeeded') {
      onJob(null);
      return asVarResult(j, t);
    }
    if (j.status === 'failed' || j.status === 'cancelled') {
      onJob(null);
      throw new ApiError(j.status === 'failed' ? 500 : 409, j.error?.code ?? j.status, `${t('jobs.varEnded', { id: j.id, status: choiceLabel(t, 'status', j.status) })}${j.error ? `: ${j.error.message}` : ''}`, j.error?.details ?? [], '');
    }
    onJob({ id: j.id, status: j.status, progress: j.progress, message: j.message });
    await sleep(wait, signal);
    j = await api<Job>('GET', `/api/v1/jobs/${seg(j.id)}`, { signal });
  }
}

// A histogram's bins as [centre, count] points, or null when its edges and counts do not fit
// (one more edge than counts, every edge a number).
export function histogramPoints(h: PnlHistogram): { points: [number, number | null][]; lo: number; hi: number } | null {
  const edges = h.edges;
  if (h.counts.length === 0 || edges.length !== h.counts.length + 1) return null;
  const nums: number[] = [];
  for (const e of edges) {
    if (typeof e !== 'number' || !Number.isFinite(e)) return null;
    nums.push(e);
  }
  const lo = nums[0];
  const hi = nums[nums.length - 1];
  if (lo === undefined || hi === undefined) return null;
  const points = h.counts.map((c, i): [number, number | null] => [((nums[i] ?? lo) + (nums[i + 1] ?? hi)) / 2, c]);
  return { points, lo, hi };
}
