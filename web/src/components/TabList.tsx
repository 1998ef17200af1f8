// A row of tabs following the WAI-ARIA tabs pattern (arrow keys, Home, End), the chosen tab kept in
// the URL's `tab` parameter so a view can be bookmarked on it.
import { setQuery } from '../app/router';

export function TabList<T extends string>({ tabs, labels, current, label }: { tabs: readonly T[]; labels: Record<T, string>; current: T; label: string }) {
  const go = (t: T) => {
    setQuery({ tab: t });
    document.getElementById(`tab-${t}`)?.focus();
  };
  return (
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
            if (e.key === 'ArrowRight') go(tabs[(i + 1) % tabs.length]!);
            else if (e.key === 'ArrowLeft') go(tabs[(i + tabs.length - 1) % tabs.length]!);
            else if (e.key === 'Home') go(tabs[0]!);
            else if (e.key === 'End') go(tabs[tabs.length - 1]!);
          }}
        >
          {labels[t]}
        </button>
      ))}
    </div>
  );
}

export function pickTab<T extends string>(tabs: readonly T[], value: string | null, fallback: T): T {
  return (tabs as readonly string[]).includes(value ?? '') ? (value as T) : fallback;
}
