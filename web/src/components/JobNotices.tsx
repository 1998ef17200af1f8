// The header's notices of the user's jobs that ended and imports that stored their rows with
// warnings (src/app/jobNotices.ts): a job's names it by its kind's words and number and links to
// its page; an import's says what was imported into what and how many warnings, lists them as
// plain text behind a disclosure and links to the portfolio or account (prices: no link). Each has
// its own dismiss button. The list is a polite live region that is always there (empty when none),
// so a screen reader announces a notice as it is added without taking the user away from what they
// are doing.
import { seg } from '../api/client';
import { dismissImportNotice, dismissJobNotice, useJobNotices, type HeaderNotice, type ImportWarnings, type JobFinished } from '../app/jobNotices';
import type { Translate } from '../app/i18n';
import { labelOf } from '../app/labels';
import { navigate } from '../app/router';
import { jobPath } from '../views/jobs/JobsView';

const MESSAGE = { succeeded: 'app.job.succeeded', failed: 'app.job.failed', cancelled: 'app.job.cancelled' } as const;

export function jobNoticeText(t: Translate, n: JobFinished): string {
  return t(MESSAGE[n.status], { kind: labelOf(t, 'jobKind', n.kind), id: n.job_id });
}

const IMPORT_MESSAGE = { positions: 'app.import.positions', transactions: 'app.import.transactions', prices: 'app.import.prices' } as const;

export function importNoticeText(t: Translate, n: ImportWarnings): string {
  return t(IMPORT_MESSAGE[n.import], { name: n.name, count: n.count });
}

// Where an import's notice links: the portfolio, the account; null for prices.
export function importPath(n: ImportWarnings): string | null {
  if (n.import === 'positions') return `/portfolios/${seg(n.name)}`;
  if (n.import === 'transactions') return `/ledger/${seg(n.name)}`;
  return null;
}

function Link({ to, children }: { to: string; children: string }) {
  return (
    <a
      href={to}
      onClick={(e) => {
        e.preventDefault();
        navigate(to);
      }}
    >
      {children}
    </a>
  );
}

function Dismiss({ label, onClick }: { label: string; onClick: () => void }) {
  return (
    <button type="button" className="linkish" aria-label={label} title={label} onClick={onClick}>
      ×
    </button>
  );
}

function JobNotice({ n, t }: { n: JobFinished; t: Translate }) {
  return (
    <span className="offline-badge notice" data-testid="job-notice" data-job={n.job_id} data-status={n.status}>
      <Link to={jobPath(n.job_id)}>{jobNoticeText(t, n)}</Link>
      <Dismiss label={t('app.job.dismiss', { id: n.job_id })} onClick={() => dismissJobNotice(n.job_id)} />
    </span>
  );
}

function ImportNotice({ n, t }: { n: ImportWarnings; t: Translate }) {
  const to = importPath(n);
  const text = importNoticeText(t, n);
  const more = n.count - n.warnings.length;
  return (
    <span className="offline-badge notice import-notice" data-testid="import-notice" data-import={n.import} data-count={n.count}>
      <details>
        {/* Text nodes only: a warning quotes the file, never read as HTML. */}
        <summary>{text}</summary>
        <ul className="import-warnings" aria-label={t('app.import.warnings')}>
          {n.warnings.map((w, i) => <li key={i}>{w}</li>)}
        </ul>
        {more > 0 && <p className="small">{t('app.import.more', { count: more })}</p>}
        {to && <Link to={to}>{t(n.import === 'positions' ? 'app.import.toPortfolio' : 'app.import.toAccount', { name: n.name })}</Link>}
      </details>
      <Dismiss label={t('app.import.dismiss')} onClick={() => dismissImportNotice(n.key)} />
    </span>
  );
}

function Notice({ n, t }: { n: HeaderNotice; t: Translate }) {
  return n.type === 'job.finished' ? <JobNotice n={n} t={t} /> : <ImportNotice n={n} t={t} />;
}

export function JobNotices({ t }: { t: Translate }) {
  const notices = useJobNotices();
  return (
    // aria-live alone, no role: the page's other status messages stay the page's one `status`.
    <div className="job-notices" aria-live="polite" data-testid="job-notices">
      {notices.map((n) => <Notice key={n.type === 'job.finished' ? `job-${n.job_id}` : `import-${n.key}`} n={n} t={t} />)}
    </div>
  );
}
