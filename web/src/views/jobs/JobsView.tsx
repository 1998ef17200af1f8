// Jobs of the tenant: start the daily batch, follow a job's progress live (server-sent events read
// with fetch, so the bearer token travels in a header), cancel it, open its result when done.
import { useEffect, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, seg, serverEvents } from '../../api/client';
import type { Job, JobPage } from '../../api/types';
import { navigate } from '../../app/router';
import { useSession } from '../../app/session';
import { choiceLabel } from '../../app/i18n';
import { labelOf } from '../../app/labels';
import { KeyValues } from '../../components/KeyValues';
import { Empty, ErrorBox, Hints, Loading } from '../../components/States';

// Reads GET /api/v1/jobs/{id}/events until the job ends; calls `on` with each event's job state.
export async function followJob(id: number, on: (j: Partial<Job> & { status: Job['status'] }) => void, signal: AbortSignal): Promise<void> {
  for await (const { event, data } of serverEvents('GET', `/api/v1/jobs/${id}/events`, undefined, signal)) {
    on(JSON.parse(data) as Partial<Job> & { status: Job['status'] });
    if (event === 'succeeded' || event === 'failed' || event === 'cancelled' || event === 'shutdown') return;
  }
}

export function JobView({ id }: { id: number }) {
  const { fmt, can, t } = useSession();
  const qc = useQueryClient();
  const job = useQuery({ queryKey: ['job', id], queryFn: () => api<Job>('GET', `/api/v1/jobs/${id}`) });
  const [live, setLive] = useState<Partial<Job> | null>(null);
  const active = job.data && (job.data.status === 'queued' || job.data.status === 'running');
  useEffect(() => {
    if (!active) return;
    const ac = new AbortController();
    followJob(id, (j) => setLive(j), ac.signal)
      .catch(() => {})
      .finally(() => void qc.invalidateQueries({ queryKey: ['job', id] }));
    return () => ac.abort();
  }, [id, active, qc]);
  const cancel = useMutation({ mutationFn: () => api('POST', `/api/v1/jobs/${id}/cancel`), onSuccess: () => void qc.invalidateQueries({ queryKey: ['job', id] }) });
  if (job.isLoading) return <Loading what={t('jobs.loadingOne', { id })} />;
  if (job.error) return <ErrorBox error={job.error} />;
  const j = { ...job.data!, ...(active ? live : null) } as Job;
  return (
    <section>
      <h1 data-kind={j.kind}>{t('jobs.title', { id, kind: labelOf(t, 'jobKind', j.kind) })}</h1>
      <p>
        {t('common.status')} <strong data-testid="job-status" data-status={j.status}>{choiceLabel(t, 'status', j.status)}</strong> · {j.message} · {t('jobs.createdBy', { at: fmt.date(j.created_at), by: j.created_by })}
      </p>
      <progress max={1} value={j.progress ?? 0} aria-label={t('jobs.progress')} /> {fmt.pct(j.progress, 0)}
      {active && can('compute') && (
        <button type="button" className="danger" onClick={() => cancel.mutate()}>{t('jobs.cancel')}</button>
      )}
      <ErrorBox error={cancel.error} />
      {j.error && (
        <div className="error" role="alert">
          {j.error.message}
          {j.error.details.length > 0 && <ul>{j.error.details.map((d, i) => <li key={i}>{d}</li>)}</ul>}
          <Hints messages={[j.error.message, ...j.error.details]} />
        </div>
      )}
      {j.status === 'succeeded' && (
        <>
          <h2>{t('jobs.result')}</h2>
          <KeyValues value={j.result} label={t('jobs.result')} />
        </>
      )}
    </section>
  );
}

export function JobsView() {
  const { can, t, fmt } = useSession();
  const qc = useQueryClient();
  const jobs = useQuery({ queryKey: ['jobs'], queryFn: () => api<JobPage>('GET', '/api/v1/jobs?limit=100'), refetchInterval: 5000 });
  const batch = useMutation({
    mutationFn: () => api<Job>('POST', '/api/v1/batch', { body: {} }),
    onSuccess: (j) => {
      void qc.invalidateQueries();
      navigate(`/jobs/${j.id}`);
    },
  });
  return (
    <section>
      <h1>{t('nav.jobs')}</h1>
      {can('compute') && (
        <button type="button" className="primary" onClick={() => batch.mutate()} disabled={batch.isPending}>
          {t('jobs.batch')}
        </button>
      )}
      <ErrorBox error={batch.error} />
      {jobs.isLoading && <Loading what={t('jobs.loading')} />}
      <ErrorBox error={jobs.error} />
      {jobs.data && jobs.data.items.length === 0 && <Empty>{t('jobs.none')}</Empty>}
      {jobs.data && jobs.data.items.length > 0 && (
        <table className="list" aria-label={t('nav.jobs')}>
          <thead><tr><th>{t('jobs.id')}</th><th>{t('field.kind')}</th><th>{t('common.status')}</th><th>{t('field.message')}</th><th>{t('common.created')}</th><th>{t('common.by')}</th></tr></thead>
          <tbody>
            {jobs.data.items.map((j) => (
              <tr key={j.id}>
                <td><a href={`/jobs/${j.id}`} onClick={(e) => { e.preventDefault(); navigate(`/jobs/${j.id}`); }}>{j.id}</a></td>
                <td data-kind={j.kind}>{labelOf(t, 'jobKind', j.kind)}</td><td data-status={j.status}>{choiceLabel(t, 'status', j.status)}</td><td>{j.message}</td><td>{fmt.date(j.created_at)}</td><td>{j.created_by}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export const jobPath = (id: number) => `/jobs/${seg(id)}`;
