// Loading, empty and error states shared by every view. Errors say what went wrong in words, with
// the HTTP status and the request id (for the server's log), and a 403 says the role may not do it.
// Offline (src/app/online.ts), a view says so instead of loading, and a request that got no answer
// says the same.
import type { ReactNode } from 'react';
import { ApiError } from '../api/client';
import { hintsFor } from '../app/hints';
import { useOffline } from '../app/online';
import { navigate } from '../app/router';
import { useCan, useT } from '../app/session';

export function Offline({ children }: { children?: ReactNode }) {
  const t = useT();
  return (
    <div className="state offline" role="status" data-testid="offline">
      <strong>{t('state.offline')}</strong> {children}
    </div>
  );
}

export function Loading({ what }: { what: string }) {
  const t = useT();
  const offline = useOffline();
  if (offline) return <Offline>{t('state.offline.loading', { what })}</Offline>;
  return (
    <div className="state" role="status" aria-live="polite">
      {t('state.loading', { what })}
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <div className="state empty">{children}</div>;
}

// Where in the app to click for a step the messages name as a keel command (src/app/hints.ts).
export function Hints({ messages }: { messages: readonly (string | null | undefined)[] }) {
  const t = useT();
  const can = useCan();
  const hints = hintsFor(t, messages, can);
  if (hints.length === 0) return null;
  return (
    <>
      {hints.map((h) => (
        <div key={h.id} className="hint" data-hint={h.id}>
          {t('hint.lead')}
          {h.to ? (
            <a href={h.to} onClick={(e) => { e.preventDefault(); navigate(h.to!); }}>{h.text}</a>
          ) : (
            <strong>{h.text}</strong>
          )}
        </div>
      ))}
    </>
  );
}

// A 403 for the user's role ("role viewer may not ...") rather than a rule of another kind (an
// outbound address the network policy refuses, a key bound to another origin).
const forRole = (e: ApiError) => /^role \S+ may not /.test(e.message);

export function ErrorBox({ error }: { error: unknown }) {
  const t = useT();
  if (!error) return null;
  if (error instanceof ApiError && error.status === 0 && error.code === 'network') {
    return (
      <div className="error" role="alert">
        <strong>{t('state.offline')}</strong> {t('state.offline.retry')}
      </div>
    );
  }
  if (error instanceof ApiError) {
    return (
      <div className="error" role="alert">
        <strong>{error.status === 403 ? t(forRole(error) ? 'state.notAllowed' : 'state.refused') : error.status === 0 ? '' : t('state.error', { status: error.status })}</strong>
        {error.message}
        {error.details.length > 0 && (
          <ul>
            {error.details.map((d, i) => (
              <li key={i}>{d}</li>
            ))}
          </ul>
        )}
        <Hints messages={[error.message, ...error.details]} />
        {error.requestId && <div className="reqid">{t('state.requestId', { id: error.requestId })}</div>}
      </div>
    );
  }
  return (
    <div className="error" role="alert">
      {String(error)}
    </div>
  );
}
