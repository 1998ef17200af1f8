// A chart where a view draws one (ChartCanvas.tsx draws it with ECharts). ECharts is the largest
// part of the app's script, so it comes in its own chunk, fetched the first time a chart is shown:
// a view's words and tables are on screen before it, and a view without charts never loads it.
// Until then the chart's box stands in at its final size, labelled, so nothing moves when it comes.
import { lazy, Suspense } from 'react';
import type { ChartProps } from './ChartCanvas';

const ChartCanvas = lazy(() => import('./ChartCanvas'));

export function Chart({ option, label, height = 320 }: ChartProps) {
  return (
    <Suspense fallback={<div className="chart" style={{ height }} role="img" aria-label={label} aria-busy="true" />}>
      <ChartCanvas option={option} label={label} height={height} />
    </Suspense>
  );
}
