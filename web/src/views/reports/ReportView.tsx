// The portfolio's daily report (keel.report/1) in the page, with downloads from GET
// .../report/download: report.md with its chart SVGs and positions.csv (one zip, since the
// markdown's charts are separate files), report.json, positions.csv and report.xlsx.
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api, download, seg } from '../../api/client';
import type { Report } from '../../api/untyped';
import { ErrorBox, Loading } from '../../components/States';
import { KpiStrip } from '../risk/Dashboard';

const DOWNLOADS: Record<string, string> = {
  zip: 'report.md (zip with charts)',
  json: 'report.json',
  csv: 'positions.csv',
  xlsx: 'report.xlsx',
};

export function ReportView({ portfolio }: { portfolio: string }) {
  const q = useQuery({ queryKey: ['report', portfolio], queryFn: () => api<Report>('GET', `/api/v1/portfolios/${seg(portfolio)}/report`) });
  const [failed, setFailed] = useState<unknown>(null);
  if (q.isLoading) return <Loading what="the report" />;
  if (q.error) return <ErrorBox error={q.error} />;
  const r = q.data!;
  const get = (format: string) => {
    setFailed(null);
    download(`/api/v1/portfolios/${seg(portfolio)}/report/download?format=${format}`, `${portfolio}.${format}`).catch(
      setFailed,
    );
  };
  return (
    <section>
      <h1>Report: {portfolio}, {r.as_of}</h1>
      <p>
        Download:{' '}
        {Object.entries(DOWNLOADS).map(([f, label]) => (
          <button key={f} type="button" onClick={() => get(f)} data-testid={`download-${f}`}>
            {label}
          </button>
        ))}
      </p>
      {failed !== null && <ErrorBox error={failed} />}
      <KpiStrip report={r} />
      {Object.entries(r)
        .filter(([, v]) => typeof v === 'object' && v !== null && !Array.isArray(v) && 'status' in (v as object))
        .map(([k, v]) => (
          <details key={k}>
            <summary>{k} <span className="muted">({(v as { status: string }).status})</span></summary>
            <pre className="result" tabIndex={0}>{JSON.stringify(v, null, 2)}</pre>
          </details>
        ))}
    </section>
  );
}
