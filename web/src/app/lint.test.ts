// @vitest-environment node
// The lint (eslint.config.js) refuses every way of putting a string into the page as HTML, and
// charts drawn around Chart.tsx; the app's own files pass it.
import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';

const cwd = decodeURIComponent(new URL('../..', import.meta.url).pathname); // web/

async function rules(code: string, filePath = 'src/views/x/Bad.tsx'): Promise<string[]> {
  const [r] = await new ESLint({ cwd }).lintText(code, { filePath });
  return r!.messages.map((m) => `${m.line} ${m.ruleId}`);
}

describe('lint: names are never markup', () => {
  it('fails on dangerouslySetInnerHTML, innerHTML, outerHTML, insertAdjacentHTML and document.write', async () => {
    const code = [
      'export function Bad({ name }: { name: string }) {',
      "  const d = document.createElement('div');",
      '  d.innerHTML = name;',
      "  d['outerHTML'] = name;",
      "  d.insertAdjacentHTML('beforeend', name);",
      '  document.write(name);',
      '  return <p dangerouslySetInnerHTML={{ __html: name }} />;',
      '}',
    ].join('\n');
    const found = await rules(code);
    expect(found).toEqual(expect.arrayContaining(['3 no-restricted-syntax', '4 no-restricted-syntax', '5 no-restricted-syntax', '6 no-restricted-properties', '7 react/no-danger']));
  }, 30_000);

  it('fails on echarts used outside ChartCanvas.tsx', async () => {
    expect(await rules("import * as echarts from 'echarts/core';\nexport const e = echarts;\n")).toEqual(['1 no-restricted-imports']);
    expect(await rules("import * as echarts from 'echarts/core';\nexport const e = echarts;\n", 'src/components/ChartCanvas.tsx')).toEqual([]);
  }, 30_000);

  it('passes text rendered by React', async () => {
    expect(await rules('export function Ok({ name }: { name: string }) {\n  return <p title={name}>{name}</p>;\n}\n')).toEqual([]);
  }, 30_000);
});
