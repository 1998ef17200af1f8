// The header's notices of the user's jobs that ended (src/app/jobNotices.ts): each names the job by
// its kind's words and number, links to its page and has its own dismiss button. The list is a
// polite live region that is always there (empty when no job ended), so a screen reader announces
// a notice as it is added without taking the user away from what they are doing.
import { dismissJobNotice, useJobNotices, type JobFinished } from '../app/jobNotices';
import type { Translate } from '../app/i18n';
import { labelOf } from '../app/labels';
import { navigate } from '../app/router';
import { jobPath } from '../views/jobs/JobsView';

const MESSAGE = { succeeded: 'app.job.succeeded', failed: 'app.job.failed', cancelled: 'app.job.cancelled' } as const;

export function jobNoticeText(t: Translate, n: JobFinished): string {
  return t(MESSAGE[n.status], { kind: labelOf(t, 'jobKind', n.kind), id: n.job_id });
}

function Notice({ n, t }: { n: JobFinished; t: Translate }) {
  const to = jobPath(n.job_id);
  return (
    <span className="offline-badge notice" data-testid="job-notice" data-job={n.job_id} data-status={n.status}>
      <a
        href={to}
        onClick={(e) => {
          e.preventDefault();
          navigate(to);
        }}
      >
        {jobNoticeText(t, n)}
      </a>
      <button
        type="button"
        className="linkish"
        aria-label={t('app.job.dismiss', { id: n.job_id })}
        title={t('app.job.dismiss', { id: n.job_id })}
        onClick={() => dismissJobNotice(n.job_id)}
      >
        ×
      </button>
    </span>
  );
}

export function JobNotices({ t }: { t: Translate }) {
  const notices = useJobNotices();
  return (
    // aria-live alone, no role: the page's other status messages stay the page's one `status`.
    <div className="job-notices" aria-live="polite" data-testid="job-notices">
      {notices.map((n) => <Notice key={n.job_id} n={n} t={t} />)}
    </div>
  );
}
