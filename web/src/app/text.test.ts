// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { escapeHtml, guardTooltips, safeFileName, tip, tipLines, TipHtml } from './text';

const HOSTILE = '<img src=x onerror="window.__xss=1"> & <b>bold</b> \'q\'';

describe('escapeHtml', () => {
  it('escapes & < > " and \' so a name is text in HTML', () => {
    expect(escapeHtml(HOSTILE)).toBe('&lt;img src=x onerror=&quot;window.__xss=1&quot;&gt; &amp; &lt;b&gt;bold&lt;/b&gt; &#39;q&#39;');
    expect(escapeHtml('&amp;')).toBe('&amp;amp;');
    expect(escapeHtml(null)).toBe('');
    expect(escapeHtml(0.5)).toBe('0.5');
  });

  it('leaves no element when the result is parsed as HTML', () => {
    const div = document.createElement('div');
    // eslint-disable-next-line no-restricted-syntax -- parses the escaped text as HTML on purpose
    div.append(document.createRange().createContextualFragment(`<span>${escapeHtml(HOSTILE)}</span>`));
    expect(div.querySelector('img, b')).toBeNull();
    expect(div.textContent).toBe(HOSTILE);
  });
});

describe('tip', () => {
  it('escapes every interpolated value and keeps its own markup', () => {
    const t = tip`${HOSTILE}<br/>${'a<b'}: ${12}`;
    expect(t).toBeInstanceOf(TipHtml);
    expect(t.html).toBe(`${escapeHtml(HOSTILE)}<br/>a&lt;b: 12`);
  });

  it('keeps a nested tip as markup, escaping it once', () => {
    expect(tip`<b>${tip`${'<i>'}`}</b>`.html).toBe('<b>&lt;i&gt;</b>');
    expect(tipLines(['<b>x</b>', tip`${'y'}<hr/>`]).html).toBe('&lt;b&gt;x&lt;/b&gt;<br/>y<hr/>');
  });
});

describe('guardTooltips', () => {
  type F = (p: unknown) => unknown;
  it('escapes what a tooltip formatter returns unless tip built it, at every level of the option', () => {
    const raw = (p: unknown) => `${String(p)}<br/>`;
    const option = {
      tooltip: { trigger: 'item', formatter: raw },
      series: [
        { type: 'bar', tooltip: { formatter: (p: unknown) => tip`${p}<br/>` }, data: [1, 2, { value: 3, tooltip: { formatter: raw } }] },
        { type: 'line', data: [4], markLine: { tooltip: { formatter: '{b}<img src=x>' } } },
      ],
      xAxis: { axisLabel: { formatter: (v: number) => `<${v}>` } },
    };
    const g = guardTooltips(option);
    expect((g.tooltip.formatter as F)(HOSTILE)).toBe(escapeHtml(`${HOSTILE}<br/>`));
    expect((g.series[0]!.tooltip!.formatter as F)(HOSTILE)).toBe(`${escapeHtml(HOSTILE)}<br/>`);
    const item = g.series[0]!.data![2] as { tooltip: { formatter: F } };
    expect(item.tooltip.formatter('<b>')).toBe('&lt;b&gt;&lt;br/&gt;');
    expect(g.series[1]!.markLine!.tooltip.formatter).toBe('{b}&lt;img src=x&gt;');
    // Axis labels are drawn on the canvas as text: left as they are.
    expect(g.xAxis.axisLabel.formatter).toBe(option.xAxis.axisLabel.formatter);
    // The option given is not changed, and guarding twice escapes once.
    expect(option.tooltip.formatter).toBe(raw);
    expect((guardTooltips(g).tooltip.formatter as F)('<')).toBe('&lt;&lt;br/&gt;');
  });

  it('shares the parts that hold no tooltip', () => {
    const data = [[0, 0, 1]];
    const option = { tooltip: {}, series: [{ type: 'heatmap', data }] };
    const g = guardTooltips(option);
    expect(g).toBe(option);
    expect(g.series[0]!.data).toBe(data);
  });
});

describe('safeFileName', () => {
  it('keeps a name a file system and a header can take', () => {
    expect(safeFileName('hnw.zip')).toBe('hnw.zip');
    expect(safeFileName('<img src=x onerror="window.__xss=1">.json')).toBe('_img src=x onerror=_window.__xss=1__.json');
    expect(safeFileName('../../etc/passwd')).toBe('_.._etc_passwd');
    expect(safeFileName('a\\b:c*d?e|f\u0000g\nh')).toBe('a_b_c_d_e_f_g_h');
    expect(safeFileName('...')).toBe('download');
    expect(safeFileName('///', 'x.csv')).toBe('x.csv');
  });

  it('cuts a long name before its extension', () => {
    const s = safeFileName(`${'n'.repeat(300)}_v2_collateral.csv`);
    expect(s.length).toBe(120);
    expect(s.endsWith('.csv')).toBe(true);
  });
});
