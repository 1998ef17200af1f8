// The main navigation: one list of the destinations the user's role may reach. On a wide screen the
// list is a row of links; below 720 px (theme.css) it hides behind a "Menu" button (disclosure
// pattern: aria-expanded, aria-controls) and opens as a panel under the header. The panel closes on
// choosing a destination, on Escape (focus back on the button), when focus moves on past it and on
// a click outside.
import { useEffect, useRef, useState } from 'react';
import type { PlainKey, Translate } from '../app/i18n';
import { navigate } from '../app/router';

export interface Destination {
  to: string;
  label: PlainKey; // the catalogue's words for it
}

// Every destination, in the order shown; `permission` (any of) limits one to the roles that hold it.
const DESTINATIONS: (Destination & { permissions?: string[] })[] = [
  { to: '/', label: 'nav.overview' },
  { to: '/portfolios', label: 'nav.portfolios' },
  { to: '/jobs', label: 'nav.jobs' },
  { to: '/alm', label: 'nav.alm' },
  { to: '/clo', label: 'nav.clo' },
  { to: '/ledger', label: 'nav.ledger' },
  { to: '/plan', label: 'nav.plan' },
  { to: '/ask', label: 'nav.ask' },
  { to: '/prices/import', label: 'nav.prices', permissions: ['import_market_data'] },
  { to: '/fx', label: 'nav.fx', permissions: ['read'] },
  { to: '/admin', label: 'nav.admin', permissions: ['manage_users', 'read_audit', 'manage_keys'] },
];

// Whether the page at `pathname` is the destination `to`: the overview is / and /overview, any
// other destination its path and what is under it.
export function isCurrent(to: string, pathname: string): boolean {
  if (to === '/') return pathname === '/' || pathname === '/overview' || pathname.startsWith('/overview/');
  return pathname === to || pathname.startsWith(to + '/');
}

export function destinations(can: (permission: string) => boolean): Destination[] {
  return DESTINATIONS.filter((d) => !d.permissions || d.permissions.some(can)).map(({ to, label }) => ({ to, label }));
}

export function MainNav({ can, pathname, t }: { can: (permission: string) => boolean; pathname: string; t: Translate }) {
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const nav = useRef<HTMLElement>(null);

  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        setOpen(false);
        button.current?.focus();
      }
    };
    const onPointer = (e: PointerEvent) => {
      if (nav.current && e.target instanceof Node && !nav.current.contains(e.target)) setOpen(false);
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('pointerdown', onPointer);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('pointerdown', onPointer);
    };
  }, [open]);

  return (
    <nav
      aria-label={t('nav.main')}
      ref={nav}
      className={open ? 'main-nav open' : 'main-nav'}
      onBlur={(e) => {
        // Focus moved on past the list (Tab from the last destination): the panel closes.
        if (open && e.relatedTarget instanceof Node && !e.currentTarget.contains(e.relatedTarget)) setOpen(false);
      }}
    >
      <strong className="brand">keel</strong>
      <button
        type="button"
        ref={button}
        className="menu-button"
        aria-expanded={open}
        aria-controls="main-nav-destinations"
        onClick={() => setOpen((o) => !o)}
      >
        <span aria-hidden="true" className="menu-icon">☰</span> {t('nav.menu')}
      </button>
      <ul id="main-nav-destinations" className="destinations">
        {destinations(can).map((d) => (
          <li key={d.to}>
            <a
              href={d.to}
              aria-current={isCurrent(d.to, pathname) ? 'page' : undefined}
              onClick={(e) => {
                e.preventDefault();
                setOpen(false);
                navigate(d.to);
              }}
            >
              {t(d.label)}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
