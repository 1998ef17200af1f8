// A stored deal's compliance on its determination dates (GET and POST
// /api/v1/clo/deals/{id}/determinations, docs/clo.md "Determination dates"): the roles that may
// compute keep the tests of a date; everyone sees the kept dates with their breaches and alerts,
// each test's cushion over time as a share of its threshold (a chart: how close each test ran to
// its trigger), and the tests of the date chosen.
import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, seg, type Schemas } from '../../api/client';
import { useSession } from '../../app/session';
import { Chart } from '../../components/Chart';
import { Empty, ErrorBox, Loading } from '../../components/States';
import { cloTestTitle, cloTestValue, cushionShare } from './cloFormat';

type Determinations = Schemas['CloDeterminations'];
type Determination = Schemas['CloDetermination'];

export function ComplianceTab({ id }: { id: string }) {
  const { can, fmt, t } = useSession();
  const qc = useQueryClient();
  const key = ['clo-determinations', id];
  const history = useQuery({ queryKey: key, queryFn: () => api<Determinations>('GET', `/api/v1/clo/deals/${seg(id)}/determinations`) });
  const [asOf, setAsOf] = useState('');
  const [chosen, setChosen] = useState<string | null>(null);
  const keep = useMutation({
    mutationFn: () => api<Determination>('POST', `/api/v1/clo/deals/${seg(id)}/determinations`, { body: { as_of: asOf } }),
    onSuccess: (d) => {
      setChosen(d.as_of);
      void qc.invalidateQueries({ queryKey: key });
    },
  });
  const items = history.data?.items ?? [];
  const shown = items.find((d) => d.as_of === chosen) ?? items[items.length - 1];
  const names = [...new Set(items.flatMap((d) => d.tests.map((x) => x.name)))];
  const option = {
    tooltip: { trigger: 'axis', valueFormatter: (v: number) => fmt.pct(v, 1) },
    legend: { type: 'scroll' },
    xAxis: { type: 'category', data: items.map((d) => d.as_of) },
    yAxis: { type: 'value', name: t('clo.det.axis'), axisLabel: { formatter: (v: number) => fmt.pct(v, 0) } },
    series: names.map((name) => ({
      name,
      type: 'line',
      data: items.map((d) => {
        const x = d.tests.find((y) => y.name === name);
        return x ? cushionShare(x.cushion, x.threshold) : null;
      }),
    })),
  };
  return (
    <>
      {can('compute') && (
        <form className="inline" data-testid="determine" onSubmit={(e) => { e.preventDefault(); keep.mutate(); }}>
          <label>{t('clo.det.date')} <input type="date" required value={asOf} onChange={(e) => setAsOf(e.target.value)} /></label>
          <button type="submit" className="primary" disabled={keep.isPending || !asOf}>{t('clo.det.keep')}</button>
          <ErrorBox error={keep.error} />
        </form>
      )}
      {history.isLoading && <Loading what={t('clo.det.loading')} />}
      <ErrorBox error={history.error} />
      {history.data && items.length === 0 && <Empty>{t('clo.det.none')}</Empty>}
      {items.length > 0 && (
        <>
          <table className="list" aria-label={t('clo.det.table')} data-testid="determinations">
            <thead>
              <tr><th>{t('clo.det.date')}</th><th className="num">{t('common.version')}</th><th className="num">{t('clo.det.breaches')}</th><th className="num">{t('clo.det.alerts')}</th><th /></tr>
            </thead>
            <tbody>
              {items.map((d) => (
                <tr key={d.as_of} data-date={d.as_of} className={d.breaches > 0 ? 'bad' : ''}>
                  <td>{fmt.date(d.as_of)}</td>
                  <td className="num">{d.version}</td>
                  <td className="num" data-field="breaches">{fmt.num(d.breaches, 0)}</td>
                  <td className="num" data-field="alerts">{fmt.num(d.alerts, 0)}</td>
                  <td><button type="button" onClick={() => setChosen(d.as_of)} aria-pressed={shown?.as_of === d.as_of}>{t('clo.det.show')}</button></td>
                </tr>
              ))}
            </tbody>
          </table>
          <Chart label={t('clo.det.chart', { names: names.join(', ') })} option={option} />
        </>
      )}
      {shown && (
        <>
          <h2>{t('clo.det.of', { date: fmt.date(shown.as_of) })}</h2>
          {shown.events.length > 0 && (
            <ul data-testid="determination-events">
              {shown.events.map((e) => <li key={e} className={e.startsWith('breach') ? 'error' : 'warning'}>{e}</li>)}
            </ul>
          )}
          <table className="list" aria-label={t('clo.det.tests', { date: fmt.date(shown.as_of) })} data-testid="determination-tests">
            <caption>{t('clo.det.testsCaption', { date: fmt.date(shown.as_of) })}</caption>
            <thead>
              <tr><th>{t('clo.q.test')}</th><th className="num">{t('field.value')}</th><th className="num">{t('clo.q.threshold')}</th><th className="num">{t('clo.q.cushion')}</th><th>{t('clo.q.result')}</th></tr>
            </thead>
            <tbody>
              {shown.tests.map((x) => (
                <tr key={x.name} data-test={x.name} className={x.pass ? '' : 'bad'}>
                  <td>{cloTestTitle(x.name, x.subject)}</td>
                  <td className="num" data-field="value">{cloTestValue(fmt, x.name, x.value)}</td>
                  <td className="num">{cloTestValue(fmt, x.name, x.threshold)}</td>
                  <td className="num" data-field="cushion">{cloTestValue(fmt, x.name, x.cushion)}</td>
                  <td><span className={x.pass ? 'zone zone-green' : 'zone zone-red'}>{x.pass ? t('clo.pass') : t('clo.fail')}</span></td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </>
  );
}
