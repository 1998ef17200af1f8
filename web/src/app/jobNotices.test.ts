// Job notices: a job.finished event is read only when whole (a job id, a kind, a known end), the
// header keeps the newest three, one per job, and hearing one reads the job and the job lists
// again without touching anything else; the notice's words come from the job kind's label.
import { afterEach, describe, expect, it } from 'vitest';
import { QueryClient } from '@tanstack/react-query';
import { addJobNotice, clearJobNotices, dismissJobNotice, jobNotices, MAX_JOB_NOTICES, parseJobFinished, removeJobNotice, type JobFinished } from './jobNotices';
import { applyEvent } from './live';
import { enT, loadLanguage, makeT } from './i18n';
import { jobNoticeText } from '../components/JobNotices';

const ended = (job_id: number, status: JobFinished['status'] = 'succeeded', kind = 'risk.var'): JobFinished => ({ type: 'job.finished', job_id, kind, status });

describe('parseJobFinished', () => {
  it('reads the event the server sends', () => {
    expect(parseJobFinished('{"type":"job.finished","job_id":42,"kind":"risk.var","status":"succeeded"}')).toEqual(ended(42));
    expect(parseJobFinished('{"type":"job.finished","job_id":7,"kind":"batch.run","status":"cancelled"}')).toEqual(ended(7, 'cancelled', 'batch.run'));
  });

  it('skips what it cannot read whole', () => {
    for (const bad of [
      'not json',
      'null',
      '42',
      '{"job_id":"42","kind":"risk.var","status":"failed"}', // id as text
      '{"job_id":4.5,"kind":"risk.var","status":"failed"}',
      '{"job_id":0,"kind":"risk.var","status":"failed"}',
      '{"job_id":42,"status":"failed"}', // no kind
      '{"job_id":42,"kind":"risk.var","status":"running"}', // not an end
      '{"job_id":42,"kind":"risk.var"}',
    ]) {
      expect(parseJobFinished(bad), bad).toBeNull();
    }
  });
});

describe('the notices kept', () => {
  it('newest first, at most three, one per job', () => {
    let list: JobFinished[] = [];
    for (const id of [1, 2, 3, 4]) list = addJobNotice(list, ended(id));
    expect(MAX_JOB_NOTICES).toBe(3);
    expect(list.map((n) => n.job_id)).toEqual([4, 3, 2]);
    // The same job heard again (another tab's stream, a reconnect): its notice moves to the top.
    list = addJobNotice(list, ended(2, 'failed'));
    expect(list.map((n) => `${n.job_id} ${n.status}`)).toEqual(['2 failed', '4 succeeded', '3 succeeded']);
    expect(removeJobNotice(list, 4).map((n) => n.job_id)).toEqual([2, 3]);
    expect(removeJobNotice(list, 99)).toEqual(list);
  });
});

describe('job.finished on the stream', () => {
  afterEach(() => clearJobNotices());

  it("reads the job and the job lists again, nothing else, and shows a notice until it is dismissed", () => {
    const qc = new QueryClient();
    const keys = [['job', 42], ['job', 41], ['jobs'], ['jobs', 'running'], ['jobs', 'queued'], ['portfolio', 'hnw'], ['compute', 'hnw', 'risk/var', {}]];
    for (const k of keys) qc.setQueryData(k, 1);
    expect(applyEvent(qc, { event: 'job.finished', data: '{"type":"job.finished","job_id":42,"kind":"risk.var","status":"failed"}' })).toBe(false);
    const stale = (key: unknown[]) => qc.getQueryState(key)?.isInvalidated;
    expect(stale(['job', 42])).toBe(true);
    expect(stale(['jobs'])).toBe(true);
    expect(stale(['jobs', 'running'])).toBe(true);
    expect(stale(['jobs', 'queued'])).toBe(true);
    expect(stale(['job', 41])).toBe(false);
    expect(stale(['portfolio', 'hnw'])).toBe(false);
    expect(stale(['compute', 'hnw', 'risk/var', {}])).toBe(false);
    expect(jobNotices()).toEqual([ended(42, 'failed')]);
    dismissJobNotice(42);
    expect(jobNotices()).toEqual([]);
  });

  it('skips an event it cannot read and keeps the stream going', () => {
    const qc = new QueryClient();
    qc.setQueryData(['jobs'], 1);
    expect(applyEvent(qc, { event: 'job.finished', data: '{"job_id":42}' })).toBe(false);
    expect(jobNotices()).toEqual([]);
    expect(qc.getQueryState(['jobs'])?.isInvalidated).toBe(false);
  });
});

describe('the words of a notice', () => {
  it("name the job's kind by its label, in both languages", async () => {
    expect(jobNoticeText(enT, ended(42))).toBe('VaR job 42 finished');
    expect(jobNoticeText(enT, ended(43, 'failed', 'batch.run'))).toBe('Daily batch job 43 failed');
    expect(jobNoticeText(enT, ended(44, 'cancelled', 'some.new_kind'))).toBe('Some new kind job 44 cancelled');
    await loadLanguage('de');
    expect(jobNoticeText(makeT('de-DE'), ended(42))).toBe('Auftrag 42 (VaR) abgeschlossen');
  });
});
