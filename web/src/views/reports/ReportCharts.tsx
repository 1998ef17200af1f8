// The report's charts, report.md's five (src/service/report_charts.cpp), drawn with the app's
// ECharts component: the daily P&L distribution with the historical VaR, net exposure by sector,
// the factor betas, the stress scenarios' P&L and the net value over the stored snapshots. ECharts
// comes after the figures (Chart.tsx loads it), each chart in a box of the height the view gave it,
// with its accessible name; the tables beside it hold the same figures. Each
// option's title is the chart's label, not shown (the figure's caption says it): ECharts' ARIA
// description, which becomes the chart's accessible name, begins with it and goes on with the data.
import { useMemo } from 'react';
import { useSession } from '../../app/session';
import { tipLines } from '../../app/text';
import { Chart } from '../../components/Chart';
import type { Bin } from './reportLayout';

const POSITIVE = '#2b6cb0';
const NEGATIVE = '#c53030';

// The P&L distribution's bins (the historical VaR result's pnl_histogram, reportLayout.histogramBins),
// the bins left of -VaR in red, and a line at -VaR.
export function PnlChart({ bins, lo, hi, marker, markerLabel, currency, label, height }: {
  bins: Bin[];
  lo: number;
  hi: number;
  marker?: number;
  markerLabel: string;
  currency: string;
  label: string;
  height: number;
}) {
  const { fmt, t } = useSession();
  const option = useMemo(
    () => ({
      title: { text: label, show: false },
      grid: { left: 8, right: 24, top: 44, bottom: 30, containLabel: true },
      tooltip: {
        trigger: 'item',
        formatter: (p: { dataIndex: number }) => {
          const b = bins[p.dataIndex];
          return b ? tipLines([`${fmt.money(b.from, currency)} … ${fmt.money(b.to, currency)}`, `${t('report.chart.days')}: ${fmt.num(b.count, 0)}`]) : '';
        },
      },
      xAxis: { type: 'value', min: lo, max: hi, name: currency, nameLocation: 'middle', nameGap: 28, axisLabel: { formatter: (v: number) => fmt.money(v), hideOverlap: true } },
      yAxis: { type: 'value', name: t('report.chart.days'), minInterval: 1 },
      series: [
        {
          type: 'bar',
          barWidth: '92%',
          data: bins.map((b) => ({ value: [(b.from + b.to) / 2, b.count], itemStyle: { color: b.beyond ? NEGATIVE : POSITIVE } })),
          markLine:
            marker === undefined
              ? undefined
              : {
                  symbol: 'none',
                  silent: true,
                  lineStyle: { color: NEGATIVE, type: 'dashed', width: 2 },
                  label: { formatter: markerLabel, position: 'insideEndTop' },
                  data: [{ xAxis: marker }],
                },
        },
      ],
    }),
    [bins, lo, hi, marker, markerLabel, currency, label, fmt, t],
  );
  return <Chart label={label} option={option} height={height} />;
}

export interface BarSeries {
  name: string;
  values: (number | null)[];
}

// Horizontal bars, one row per category in the given order (top to bottom); a single series
// coloured by sign, several side by side with a legend. `amounts`: the values are money.
export function BarsChart({ categories, series, label, height, valueName, amounts }: {
  categories: string[];
  series: BarSeries[];
  label: string;
  height: number;
  valueName: string;
  amounts: boolean;
}) {
  const { fmt } = useSession();
  const option = useMemo(() => {
    const one = series.length === 1;
    const value = (v: number) => (amounts ? fmt.money(v) : fmt.num(v, 2));
    return {
      title: { text: label, show: false },
      grid: { left: 8, right: 24, top: one ? 16 : 36, bottom: 30, containLabel: true },
      legend: one ? undefined : { top: 0 },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: unknown) => (typeof v === 'number' ? value(v) : '–') },
      xAxis: { type: 'value', name: valueName, nameLocation: 'middle', nameGap: 28, axisLabel: { formatter: value, hideOverlap: true } },
      yAxis: { type: 'category', inverse: true, data: categories, axisLabel: { width: 120, overflow: 'truncate' } },
      series: series.map((s) => ({
        type: 'bar',
        name: s.name,
        data: s.values.map((v) => (one && typeof v === 'number' ? { value: v, itemStyle: { color: v < 0 ? NEGATIVE : POSITIVE } } : v)),
      })),
    };
  }, [categories, series, valueName, amounts, label, fmt]);
  return <Chart label={label} option={option} height={height} />;
}

// The net value at each stored snapshot, oldest first.
export function HistoryChart({ points, currency, label, height }: { points: { as_of: string; value: number | null }[]; currency: string; label: string; height: number }) {
  const { fmt } = useSession();
  const option = useMemo(
    () => ({
      title: { text: label, show: false },
      grid: { left: 8, right: 24, top: 24, bottom: 8, containLabel: true },
      tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => (typeof v === 'number' ? fmt.money(v, currency, 2) : '–') },
      xAxis: { type: 'category', data: points.map((p) => fmt.date(p.as_of)) },
      yAxis: { type: 'value', scale: true, name: currency, axisLabel: { formatter: (v: number) => fmt.money(v) } },
      series: [{ type: 'line', name: label, showSymbol: points.length < 40, data: points.map((p) => p.value) }],
    }),
    [points, currency, label, fmt],
  );
  return <Chart label={label} option={option} height={height} />;
}
