// The one box a wide data table scrolls sideways in (a phone's 390 px): the page keeps to the
// screen, the table scrolls inside this labelled, focusable region (keyboard scrolling), and a
// table of class `pinned` keeps its first column — the row's key: symbol, name, pair — in view
// while it scrolls (theme.css). DataTable puts its tables in such a box itself.
import type { ReactNode } from 'react';
import { useSession } from '../app/session';

export function TableScroll({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  const { t } = useSession();
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-label={t('table.scrollable', { label })} data-testid={testId}>
      {children}
    </div>
  );
}
