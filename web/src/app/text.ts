// Names and every other text from the API are data, never markup. React escapes what it renders;
// the one place the app hands strings to something that reads them as HTML is an ECharts tooltip
// (its default render mode writes the formatter's string into a <div> as HTML). So:
// - escapeHtml escapes & < > " ' in a value;
// - tip`…${value}…` builds tooltip markup with every interpolated value escaped (a nested tip is
//   kept as markup); it is the only way to put markup such as <br/> into a tooltip;
// - guardTooltips (applied by Chart to every option) wraps each tooltip formatter so that what it
//   returns is escaped unless it was built with tip, and escapes a tooltip's string template;
// - safeFileName makes a download's file name from a name (no path separators, quotes, angle
//   brackets or control characters).

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

// Tooltip markup whose every value was escaped when it was built.
export class TipHtml {
  constructor(readonly html: string) {}
  toString(): string {
    return this.html;
  }
}

export function tip(strings: TemplateStringsArray, ...values: unknown[]): TipHtml {
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    out += (v instanceof TipHtml ? v.html : escapeHtml(v)) + (strings[i + 1] ?? '');
  });
  return new TipHtml(out);
}

// Lines of a tooltip, each escaped unless built with tip, joined by line breaks.
export function tipLines(lines: (TipHtml | string)[]): TipHtml {
  return new TipHtml(lines.map((l) => (l instanceof TipHtml ? l.html : escapeHtml(l))).join('<br/>'));
}

// What a guarded formatter hands to ECharts: markup built by tip as it is, anything else as text.
export function tooltipHtml(out: unknown): unknown {
  if (out instanceof TipHtml) return out.html;
  if (typeof out === 'string') return escapeHtml(out);
  if (Array.isArray(out)) return out.map(tooltipHtml); // an array of elements (never markup strings)
  if (typeof out === 'object' && out !== null && typeof Node !== 'undefined' && out instanceof Node) return out;
  return out == null ? '' : escapeHtml(out);
}

type Fn = (...args: unknown[]) => unknown;
const guarded = new WeakSet<Fn>();

function guardFormatter(f: Fn): Fn {
  if (guarded.has(f)) return f;
  const g: Fn = (...args) => tooltipHtml(f(...args));
  guarded.add(g);
  return g;
}

function guardTooltip(t: unknown): unknown {
  if (Array.isArray(t)) return t.map(guardTooltip);
  if (typeof t === 'string') return escapeHtml(t); // a data item's or component's tooltip given as text
  if (!isPlain(t)) return t;
  const f = t.formatter;
  if (typeof f === 'function') return { ...t, formatter: guardFormatter(f as Fn) };
  // A string template: ECharts escapes the {a}, {b}, {c} it fills in; the template's own text is ours.
  if (typeof f === 'string') return { ...t, formatter: escapeHtml(f) };
  return t;
}

function isPlain(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const p = Object.getPrototypeOf(v) as unknown;
  return p === Object.prototype || p === null;
}

// A copy of an ECharts option in which every tooltip (top level, series, data item, mark line,
// legend…) formats text as text. Parts without a tooltip are shared, not copied.
export function guardTooltips<T>(option: T): T {
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) {
      let changed = false;
      const out = v.map((x) => {
        const y = typeof x === 'object' && x !== null ? walk(x) : x;
        if (y !== x) changed = true;
        return y;
      });
      return changed ? out : v;
    }
    if (!isPlain(v)) return v;
    let out: Record<string, unknown> | null = null;
    for (const [k, x] of Object.entries(v)) {
      const y = k === 'tooltip' ? guardTooltip(walk(x)) : typeof x === 'object' && x !== null ? walk(x) : x;
      if (y !== x) (out ??= { ...v })[k] = y;
    }
    return out ?? v;
  };
  return walk(option) as T;
}

// A file name made from a name: characters that mean something to a file system or a header
// (/ \ : * ? " < > | and control characters) become '_', leading and trailing dots and spaces go,
// and a long name is cut before its extension.
export function safeFileName(name: string, fallback = 'download'): string {
  let s = name.replace(/[\u0000-\u001f\u007f/\\:*?"<>|]/g, '_').replace(/^[.\s]+|[.\s]+$/g, '');
  const MAX = 120;
  if (s.length > MAX) {
    const dot = s.lastIndexOf('.');
    const ext = dot > 0 && s.length - dot <= 10 ? s.slice(dot) : '';
    s = s.slice(0, MAX - ext.length) + ext;
  }
  return s.replace(/^_+$/, '') || fallback;
}
