// Loading, empty and error states shared by every view. Errors say what went wrong in words, with
// the HTTP status and the request id (for the server's log), and a 403 says the role may not do it.
// Offline (src/app/online.ts), a view says so instead of loading, and a request that got no answer
// says the same.
import type { ReactNode } from 'react';
import { ApiError } from '../api/client';
import { useOffline } from '../app/online';

export const OFFLINE = "You are offline: keel's server cannot be reached.";

export function Offline({ children }: { children?: ReactNode }) {
  return (
    <div className="state offline" role="status" data-testid="offline">
      <strong>{OFFLINE}</strong> {children}
    </div>
  );
}

export function Loading({ what }: { what: string }) {
  const offline = useOffline();
  if (offline) return <Offline>Loading {what} resumes when it can be reached.</Offline>;
  return (
    <div className="state" role="status" aria-live="polite">
      Loading {what}…
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <div className="state empty">{children}</div>;
}

export function ErrorBox({ error }: { error: unknown }) {
  if (!error) return null;
  if (error instanceof ApiError && error.status === 0 && error.code === 'network') {
    return (
      <div className="error" role="alert">
        <strong>{OFFLINE}</strong> Try again when it can be reached.
      </div>
    );
  }
  if (error instanceof ApiError) {
    return (
      <div className="error" role="alert">
        <strong>{error.status === 403 ? 'Not allowed for your role: ' : error.status === 0 ? '' : `Error ${error.status}: `}</strong>
        {error.message}
        {error.details.length > 0 && (
          <ul>
            {error.details.map((d, i) => (
              <li key={i}>{d}</li>
            ))}
          </ul>
        )}
        {error.requestId && <div className="reqid">request id {error.requestId}</div>}
      </div>
    );
  }
  return (
    <div className="error" role="alert">
      {String(error)}
    </div>
  );
}
