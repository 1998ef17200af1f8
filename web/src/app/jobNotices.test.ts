// Job notices: a job.finished event is read only when whole (a job id, a kind, a known end), the
// header keeps the newest three, one per job, and hearing one reads the job and the job lists
// again without touching anything else; the notice's words come from the job kind's label.
import { afterEach, describe, expect, it } from 'vitest';
import { QueryClient } from '@tanstack/react-query';
import { addJobNotice, clearJobNotices, dismissImportNotice, dismissJobNotice, jobNotices, MAX_JOB_NOTICES, parseImportWarnings, parseJobFinished, removeImportNotice, removeJobNotice, type ImportWarnings, type JobFinished } from './jobNotices';
import { applyEvent } from './live';
import { enT, loadLanguage, makeT } from './i18n';
import { importNoticeText, importPath, jobNoticeText } from '../components/JobNotices';

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
    for (const id of [1, 2, 3, 4]) list = addJobNotice(list, ended(id)) as JobFinished[];
    expect(MAX_JOB_NOTICES).toBe(3);
    expect(list.map((n) => n.job_id)).toEqual([4, 3, 2]);
    // The same job heard again (another tab's stream, a reconnect): its notice moves to the top.
    list = addJobNotice(list, ended(2, 'failed')) as JobFinished[];
    expect(list.map((n) => `${n.job_id} ${n.status}`)).toEqual(['2 failed', '4 succeeded', '3 succeeded']);
    expect(removeJobNotice(list, 4)).toEqual([ended(2, 'failed'), ended(3)]);
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

// Import notices: import.warnings read only when whole, kept among the job notices (the same
// three), each import its own notice; the words pluralised in both languages, the link by import.
const EVENT = '{"type":"import.warnings","import":"positions","id":7,"name":"hnw","warnings":["book.csv:2: the last line has no line ending: the file may be truncated"],"count":1}';
const imported = (key: number, over: Partial<ImportWarnings> = {}): ImportWarnings => ({
  type: 'import.warnings', import: 'positions', id: 7, name: 'hnw', warnings: ['book.csv:2: the last line has no line ending: the file may be truncated'], count: 1, key, ...over,
});

describe('parseImportWarnings', () => {
  it('reads the event the server sends', () => {
    const { key: _key, ...want } = imported(0);
    expect(parseImportWarnings(EVENT)).toEqual(want);
    expect(parseImportWarnings('{"type":"import.warnings","import":"prices","id":0,"name":"","warnings":["a","b"],"count":25}')).toEqual({ type: 'import.warnings', import: 'prices', id: 0, name: '', warnings: ['a', 'b'], count: 25 });
  });

  it('skips what it cannot read whole', () => {
    for (const bad of [
      'not json',
      'null',
      '{"import":"sectors","id":7,"name":"hnw","warnings":["w"],"count":1}', // unknown import
      '{"import":"positions","id":0,"name":"","warnings":["w"],"count":1}', // positions into nothing
      '{"import":"positions","id":7,"name":"hnw","warnings":"w","count":1}', // not a list
      '{"import":"positions","id":7,"name":"hnw","warnings":[1],"count":1}', // not texts
      '{"import":"positions","id":7,"name":"hnw","warnings":["a","b"],"count":1}', // fewer than listed
      '{"import":"positions","id":7,"name":"hnw","warnings":[],"count":0}', // no warning
    ]) {
      expect(parseImportWarnings(bad), bad).toBeNull();
    }
  });
});

describe('import notices kept', () => {
  afterEach(() => clearJobNotices());

  it('count towards the same three, each import its own, dismissed by its key', () => {
    let list = addJobNotice([], ended(1));
    list = addJobNotice(list, imported(1));
    list = addJobNotice(list, imported(2));
    list = addJobNotice(list, ended(2));
    expect(list).toEqual([ended(2), imported(2), imported(1)]);
    expect(removeImportNotice(list, 2)).toEqual([ended(2), imported(1)]);
    expect(removeJobNotice(list, 2)).toEqual([imported(2), imported(1)]);
  });

  it('shows the event from the stream until it is dismissed, touching no query', () => {
    const qc = new QueryClient();
    qc.setQueryData(['portfolio', 'hnw'], 1);
    expect(applyEvent(qc, { event: 'import.warnings', data: EVENT })).toBe(false);
    expect(applyEvent(qc, { event: 'import.warnings', data: '{"import":"positions"}' })).toBe(false);
    const shown = jobNotices();
    expect(shown).toHaveLength(1);
    expect(shown[0]).toMatchObject({ type: 'import.warnings', import: 'positions', name: 'hnw', count: 1 });
    expect(qc.getQueryState(['portfolio', 'hnw'])?.isInvalidated).toBe(false);
    dismissImportNotice((shown[0] as ImportWarnings).key);
    expect(jobNotices()).toEqual([]);
  });

  it('say what was imported into what with how many warnings, in both languages, and link by import', async () => {
    expect(importNoticeText(enT, imported(1))).toBe('Import of positions into hnw stored with 1 warning');
    expect(importNoticeText(enT, imported(1, { import: 'transactions', name: 'fidelity', count: 3 }))).toBe('Import of transactions into fidelity stored with 3 warnings');
    expect(importNoticeText(enT, imported(1, { import: 'prices', id: 0, name: '', count: 2 }))).toBe('Import of prices stored with 2 warnings');
    await loadLanguage('de');
    const de = makeT('de-DE');
    expect(importNoticeText(de, imported(1))).toBe('Import der Positionen in hnw mit 1 Warnung gespeichert');
    expect(importNoticeText(de, imported(1, { count: 2 }))).toBe('Import der Positionen in hnw mit 2 Warnungen gespeichert');
    expect(importPath(imported(1))).toBe('/portfolios/hnw');
    expect(importPath(imported(1, { import: 'transactions', name: 'my account' }))).toBe('/ledger/my%20account');
    expect(importPath(imported(1, { import: 'prices', id: 0, name: '' }))).toBeNull();
  });
});
