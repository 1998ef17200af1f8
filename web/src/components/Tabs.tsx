// The tabs of a view, following the WAI-ARIA tabs pattern: arrow keys, Home and End move between
// tabs and only the selected tab is in the tab order; the chosen tab's content is the tabpanel. The
// tab is kept in the URL, so a view can be bookmarked on it: by default the `tab` query parameter,
// or wherever `onSelect` puts it (the administration view's path).
import type { ReactNode } from 'react';
import { setQuery } from '../app/router';

export function Tabs<T extends string>({ tabs, labels, current, label, onSelect, children }: {
  tabs: readonly T[];
  labels: Record<T, string>;
  current: T;
  label: string;
  onSelect?: (tab: T) => void;
  children: ReactNode;
}) {
  const select = onSelect ?? ((t: T) => setQuery({ tab: t }));
  const go = (t: T) => {
    select(t);
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
            onClick={() => select(t)}
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

// `value` when it is one of `tabs`, else `fallback` (the first tab when not given).
export function pickTab<T extends string>(tabs: readonly T[], value: string | null | undefined, fallback: T = tabs[0]!): T {
  return (tabs as readonly string[]).includes(value ?? '') ? (value as T) : fallback;
}
