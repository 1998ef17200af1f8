// The page a path opens, read in one place: the router (App) shows it, and the page load fetches
// its module at once when it is one people open directly (App's prefetch). A portfolio's path with
// an unknown tail opens its dashboard; any other unknown path, the overview.
export type Page =
  | 'dashboard'
  | 'import'
  | 'report'
  | 'whatif'
  | 'optimize'
  | 'rebalance'
  | 'positions'
  | 'portfolios'
  | 'prices-import'
  | 'fx'
  | 'job'
  | 'jobs'
  | 'alm'
  | 'clo'
  | 'ledger-account'
  | 'ledger'
  | 'plan'
  | 'admin'
  | 'account'
  | 'ask'
  | 'overview';

const portfolioTabs: readonly Page[] = ['import', 'report', 'whatif', 'optimize', 'rebalance', 'positions'];
const sections: readonly Page[] = ['fx', 'alm', 'clo', 'plan', 'admin', 'account', 'ask', 'portfolios'];

// `path` is the URL's path split at "/" without empty parts (useLocation's `path`).
export function pageOf(path: readonly string[]): Page {
  const [a, b, c] = path;
  if (a === 'portfolios' && b) return portfolioTabs.find((tab) => tab === c) ?? 'dashboard';
  if (a === 'prices' && b === 'import') return 'prices-import';
  if (a === 'jobs') return b ? 'job' : 'jobs';
  if (a === 'ledger') return b ? 'ledger-account' : 'ledger';
  return sections.find((s) => s === a) ?? 'overview';
}
