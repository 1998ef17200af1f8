// A tab list following the WAI-ARIA tabs pattern (arrow keys, Home and End move between tabs; only the
// selected tab is in the tab order), the chosen tab kept in the URL (?tab=) so a view is bookmarkable.
// Used by the IRRBB and CLO views.
import type { ReactNode } from 'react';
import { setQuery } from '../../app/router';

export function Tabs<T extends string>({ tabs, labels, current, label, children }: {
  tabs: readonly T[];
  labels: Record<T, string>;
  current: T;
  label: string;
  children: ReactNode;
}) {
  const go = (t: T) => {
    setQuery({ tab: t });
    document.getElementById(`tab-${t}`)?.focus();
  };
  return (
    <>
      <div role="tablist" aria-label={label} className="tabs">
        {tabs.map((t) => (
          <button
            key={t}
            role="tab"
            type="button"
            id={`tab-${t}`}
            aria-selected={t === current}
            aria-controls="tabpanel"
            tabIndex={t === current ? 0 : -1}
            onClick={() => setQuery({ tab: t })}
            onKeyDown={(e) => {
              const i = tabs.indexOf(current);
              const next =
                e.key === 'ArrowRight' ? tabs[(i + 1) % tabs.length]
                : e.key === 'ArrowLeft' ? tabs[(i + tabs.length - 1) % tabs.length]
                : e.key === 'Home' ? tabs[0]
                : e.key === 'End' ? tabs[tabs.length - 1]
                : undefined;
              if (next) {
                e.preventDefault();
                go(next);
              }
            }}
          >
            {labels[t]}
          </button>
        ))}
      </div>
      <div role="tabpanel" id="tabpanel" aria-labelledby={`tab-${current}`} className="panel">
        {children}
      </div>
    </>
  );
}

// The tab of the URL when it is one of `tabs`, else the first.
export function tabOf<T extends string>(tabs: readonly T[], query: URLSearchParams): T {
  const t = query.get('tab');
  return (tabs as readonly string[]).includes(t ?? '') ? (t as T) : tabs[0]!;
}

export function Kpi({ id, label, children }: { id: string; label: string; children: ReactNode }) {
  return (
    <div className="kpi" data-kpi={id}>
      <div className="kpi-label">{label}</div>
      <div className="kpi-value">{children}</div>
    </div>
  );
}

// Row problems of a refused upload ("file:LINE:COLUMN: message", or "field.path: message"), as a
// table next to the file's name: the server names every problem at once.
export function Problems({ details, label }: { details: string[]; label: string }) {
  if (details.length === 0) return null;
  const rows = details.map((d) => {
    const m = /^([^:\s]+):(\d+)(?::(\d+))?:\s*(.*)$/.exec(d);
    return m ? { file: m[1]!, line: m[2]!, column: m[3] ?? '', message: m[4]! } : { file: '', line: '', column: '', message: d };
  });
  return (
    <table className="list" aria-label={label} data-testid="problems">
      <thead>
        <tr>
          <th>File or field</th>
          <th className="num">Line</th>
          <th className="num">Column</th>
          <th>Problem</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r, i) => (
          <tr key={i} className="bad" data-line={r.line} data-file={r.file}>
            <td>{r.file}</td>
            <td className="num">{r.line}</td>
            <td className="num">{r.column}</td>
            <td className="problems">{r.message}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

// The text of a file chosen in an <input type="file">.
export function readFile(input: HTMLInputElement | null): Promise<string | null> {
  const f = input?.files?.[0];
  return f ? f.text() : Promise.resolve(null);
}
