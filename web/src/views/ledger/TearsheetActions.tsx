// The account's tearsheet (GET …/tearsheet?benchmark=&format=html|md, docs/ledger.md "Tearsheet")
// against the benchmark of the URL (the performance tab's) or one typed here, over the performance
// tab's range when it is open: the HTML page opened in a new tab or downloaded, and the Markdown
// downloaded. Both are fetched with the session's bearer token; the token never goes into a URL.
import { useEffect, useState } from 'react';
import { download, openDocument } from '../../api/client';
import type { AccountShow } from '../../api/types';
import { useSession } from '../../app/session';
import { safeFileName } from '../../app/text';
import { ErrorBox } from '../../components/States';

export function TearsheetActions({ account, query }: { account: AccountShow; query: URLSearchParams }) {
  const { t } = useSession();
  const urlBenchmark = query.get('benchmark') ?? '';
  const [benchmark, setBenchmark] = useState(urlBenchmark);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => setBenchmark(urlBenchmark), [urlBenchmark]);
  const path = (format: 'html' | 'md') => {
    const q = new URLSearchParams({ benchmark: benchmark.trim(), format });
    // The performance tab's range (another tab's from and to mean other things).
    if (query.get('tab') === 'performance') {
      for (const k of ['from', 'as_of']) {
        const v = query.get(k);
        if (v) q.set(k, v);
      }
    }
    return `/api/v1/accounts/${account.id}/tearsheet?${q.toString()}`;
  };
  const file = (ext: string) => safeFileName(`${account.name}_${benchmark.trim()}_tearsheet.${ext}`);
  const run = (f: () => Promise<void>) => {
    setError(null);
    setBusy(true);
    f().catch(setError).finally(() => setBusy(false));
  };
  const ready = benchmark.trim() !== '' && !busy;
  return (
    <>
      <form className="inline" aria-label={t('ledger.ts.form')} onSubmit={(e) => { e.preventDefault(); if (ready) run(() => openDocument(path('html'), file('html'))); }}>
        <label htmlFor="tearsheet-benchmark">{t('ledger.ts.benchmark')}</label>
        <input id="tearsheet-benchmark" value={benchmark} placeholder="KO" style={{ width: 120 }} onChange={(e) => setBenchmark(e.target.value)} />
        <button type="submit" disabled={!ready}>{t('ledger.ts.open')}</button>
        <button type="button" disabled={!ready} onClick={() => run(() => download(path('html'), file('html')))}>{t('ledger.ts.html')}</button>
        <button type="button" disabled={!ready} onClick={() => run(() => download(path('md'), file('md')))}>{t('ledger.ts.md')}</button>
      </form>
      {error ? <div style={{ flexBasis: '100%' }}><ErrorBox error={error} /></div> : null}
    </>
  );
}
