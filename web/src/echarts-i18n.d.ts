// ECharts' locale files (UMD, no types of their own): an object of ECharts' words.
declare module 'echarts/i18n/langDE-obj.js' {
  const locale: Record<string, unknown>;
  export default locale;
}
