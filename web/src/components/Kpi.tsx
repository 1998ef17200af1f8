// One figure of a KPI strip: its label over its value; data-kpi names it for tests.
import type { ReactNode } from 'react';

export function Kpi({ id, label, children }: { id: string; label: string; children: ReactNode }) {
  return (
    <div className="kpi" data-kpi={id}>
      <div className="kpi-label">{label}</div>
      <div className="kpi-value">{children}</div>
    </div>
  );
}
