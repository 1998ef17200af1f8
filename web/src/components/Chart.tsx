// ECharts with only the charts and components the views use (tree-shaken), the ARIA component on
// (a text description of every chart for screen readers), following the app's theme. The only place
// the app draws charts (the lint forbids importing echarts elsewhere): every option passes through
// guardTooltips, so a tooltip shows names from the API as text (src/app/text.ts).
import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { BarChart, HeatmapChart, LineChart, PieChart, ScatterChart } from 'echarts/charts';
import {
  AriaComponent,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TitleComponent,
  TooltipComponent,
  VisualMapComponent,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { EChartsCoreOption } from 'echarts/core';
import { useSession } from '../app/session';
import { guardTooltips } from '../app/text';

echarts.use([
  BarChart, HeatmapChart, LineChart, PieChart, ScatterChart,
  AriaComponent, GridComponent, LegendComponent, MarkLineComponent, TitleComponent, TooltipComponent, VisualMapComponent,
  CanvasRenderer,
]);

export function Chart({ option, label, height = 320 }: { option: EChartsCoreOption; label: string; height?: number }) {
  const el = useRef<HTMLDivElement>(null);
  const { dark } = useSession();
  useEffect(() => {
    if (!el.current) return;
    const chart = echarts.init(el.current, dark ? 'dark' : undefined);
    chart.setOption(guardTooltips({ backgroundColor: 'transparent', aria: { enabled: true }, animation: false, ...option }));
    const ro = new ResizeObserver(() => chart.resize());
    ro.observe(el.current);
    return () => {
      ro.disconnect();
      chart.dispose();
    };
  }, [option, dark]);
  return <div ref={el} className="chart" style={{ height }} role="img" aria-label={label} />;
}
