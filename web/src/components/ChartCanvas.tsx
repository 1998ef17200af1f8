// The chart itself, loaded with its own chunk the first time a view shows one (Chart.tsx).
// ECharts with only the charts and components the views use (tree-shaken), the ARIA component on
// (a text description of every chart for screen readers), following the app's theme. The only place
// the app draws charts (the lint forbids importing echarts elsewhere): every option passes through
// guardTooltips, so a tooltip shows names from the API as text (src/app/text.ts). The chart speaks
// the chosen language: ECharts' own words (its ARIA description) from its German locale, and value
// axes and tooltips without a formatter of their own format numbers by Intl in the chosen locale.
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
import langDE from 'echarts/i18n/langDE-obj.js';
import type { Locale } from '../app/format';
import { useSession } from '../app/session';
import { guardTooltips } from '../app/text';

echarts.use([
  BarChart, HeatmapChart, LineChart, PieChart, ScatterChart,
  AriaComponent, GridComponent, LegendComponent, MarkLineComponent, TitleComponent, TooltipComponent, VisualMapComponent,
  CanvasRenderer,
]);
echarts.registerLocale('DE', langDE as Parameters<typeof echarts.registerLocale>[1]);

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

// The option with numbers in the locale's format where the view gave no formatter: the labels of
// value and log axes, and the tooltip's values.
export function localizeOption(option: EChartsCoreOption, locale: Locale): EChartsCoreOption {
  const nf = new Intl.NumberFormat(locale, { maximumFractionDigits: 4 });
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? nf.format(v) : v == null ? '–' : String(v));
  const axis = (a: unknown): unknown => {
    if (Array.isArray(a)) return a.map(axis);
    if (!isObj(a) || (a.type !== 'value' && a.type !== 'log')) return a;
    const label = isObj(a.axisLabel) ? a.axisLabel : {};
    return label.formatter ? a : { ...a, axisLabel: { ...label, formatter: (v: number) => nf.format(v) } };
  };
  const out: Obj = { ...(option as Obj) };
  if ('xAxis' in out) out.xAxis = axis(out.xAxis);
  if ('yAxis' in out) out.yAxis = axis(out.yAxis);
  if (isObj(out.tooltip) && !out.tooltip.formatter && !out.tooltip.valueFormatter) out.tooltip = { ...out.tooltip, valueFormatter: num };
  return out as EChartsCoreOption;
}

export interface ChartProps {
  option: EChartsCoreOption;
  label: string;
  height?: number;
}

export default function ChartCanvas({ option, label, height = 320 }: ChartProps) {
  const el = useRef<HTMLDivElement>(null);
  const { dark, lang, fmt } = useSession();
  const locale = fmt.locale;
  useEffect(() => {
    if (!el.current) return;
    const chart = echarts.init(el.current, dark ? 'dark' : undefined, { locale: lang === 'de' ? 'DE' : 'EN' });
    chart.setOption(guardTooltips(localizeOption({ backgroundColor: 'transparent', aria: { enabled: true }, animation: false, ...option }, locale)));
    const ro = new ResizeObserver(() => chart.resize());
    ro.observe(el.current);
    return () => {
      ro.disconnect();
      chart.dispose();
    };
  }, [option, dark, lang, locale]);
  return <div ref={el} className="chart" style={{ height }} role="img" aria-label={label} />;
}
