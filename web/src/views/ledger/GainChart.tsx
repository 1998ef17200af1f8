// The bars of "Where the gain came from" (GainParts.tsx): one horizontal bar per part and the
// total, drawn once ECharts arrives (Chart.tsx). The table beside it is the text alternative.
import { useMemo } from 'react';
import { Chart } from '../../components/Chart';
import type { GainRow } from './gain';

export const GAIN_CHART_PX = 200;

export default function GainChart({ rows, names, label, format }: { rows: GainRow[]; names: Record<string, string>; label: string; format: (x: number) => string }) {
  const option = useMemo(() => {
    // Top to bottom as in the table: ECharts draws a category axis from the bottom up.
    const shown = [...rows].reverse();
    return {
      grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: unknown) => format(v as number) },
      xAxis: { type: 'value', axisLabel: { formatter: (v: number) => format(v) } },
      yAxis: { type: 'category', data: shown.map((r) => names[r.key]) },
      series: [{
        type: 'bar',
        name: label,
        data: shown.map((r) => ({ value: r.amount ?? 0, itemStyle: { color: r.key === 'total' ? '#344054' : (r.amount ?? 0) < 0 ? '#b42318' : '#027a48' } })),
      }],
    };
  }, [rows, names, label, format]);
  return <Chart label={label} height={GAIN_CHART_PX} option={option} />;
}
