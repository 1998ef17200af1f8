// One figure of a KPI strip: its label over its value; data-kpi names it for tests. A figure given
// as text (an amount with its currency and sign) never wraps inside itself — "-USD 1,197,320" or
// "-1.197.320 USD" stays on one line in any language; what follows it (a percentage) may wrap.
import { Children, type ReactNode } from 'react';

export function Kpi({ id, label, children }: { id: string; label: string; children: ReactNode }) {
  return (
    <div className="kpi" data-kpi={id}>
      <div className="kpi-label">{label}</div>
      <div className="kpi-value">
        {Children.map(children, (c) => (typeof c === 'string' || typeof c === 'number' ? <span className="nb">{c}</span> : c))}
      </div>
    </div>
  );
}
