// What to click instead of a command: a server message names the keel command that does a step
// ("… (keel ledger snapshot records one)", "import FX rates (keel import fx FILE)"); where the web
// app has a button for that step, hintsFor() says where it is, in words, with a link to the page
// when there is one page for it. Only the commands whose button is known to be there are listed
// (each entry names the view that holds it); any other message gets no hint. The message itself
// is the server's and is shown as it is.
import type { Translate } from './i18n';

export interface Hint {
  id: string; // for tests and data-hint
  text: string; // where to click, in words
  to?: string; // the page that holds the button
  permission: string; // the role's permission the button needs (session.can)
}

interface Rule {
  id: string;
  test: RegExp;
  permission: string;
  to?: string;
  text: (t: Translate) => string;
}

const RULES: Rule[] = [
  // src/views/ledger/LedgerView.tsx: "Record a snapshot of every account" (POST /networth/snapshots).
  { id: 'snapshot', test: /\bkeel ledger snapshot\b/, permission: 'compute', to: '/ledger', text: (t) => t('hint.path', { page: t('nav.ledger'), button: t('ledger.snapshotAll') }) },
  // src/views/jobs/JobsView.tsx: "Run the daily batch" (POST /batch), for a portfolio's snapshots (not
  // for a provider the server lacks: "keel batch run --market-data NAME" gets no hint).
  { id: 'batch', test: /\bkeel batch run --portfolio\b/, permission: 'compute', to: '/jobs', text: (t) => t('hint.path', { page: t('nav.jobs'), button: t('jobs.batch') }) },
  // src/views/risk/ReadinessPanel.tsx: "Fetch the FX rates" (POST /fx/fetch) of a portfolio's currencies,
  // on the portfolio's page: the portfolio messages' "import FX rates (keel import fx FILE)" (not the
  // ledger's, whose currencies that button does not fetch).
  { id: 'fx', test: /import FX rates \(keel import fx FILE\)/, permission: 'compute', text: (t) => t('hint.fx', { button: t('ready.fetchFx') }) },
  // src/views/portfolios/PortfoliosView.tsx: each portfolio's "Import" (its import view).
  { id: 'positions', test: /\bkeel import positions\b/, permission: 'import_positions', to: '/portfolios', text: (t) => t('hint.positions', { button: t('common.import') }) },
];

// The hints of the messages (an error's message and details, a result's warnings), each once, in
// the order of the rules; none for a step the role may not do (`can`).
export function hintsFor(t: Translate, messages: readonly (string | null | undefined)[], can: (permission: string) => boolean = () => true): Hint[] {
  const text = messages.filter((m): m is string => typeof m === 'string').join('\n');
  if (!text.includes('keel ')) return [];
  return RULES.filter((r) => r.test.test(text) && can(r.permission)).map((r) => ({ id: r.id, text: r.text(t), to: r.to, permission: r.permission }));
}
