// The app's React Query client: how queries and actions behave, offline included
// (src/app/online.ts). main.tsx provides it to the app.
import { QueryClient, onlineManager } from '@tanstack/react-query';
import { ApiError } from '../api/client';
import { isOffline, subscribeOnline } from './online';

export function makeQueryClient(): QueryClient {
  // React Query knows when keel's server can be reached again: the queries that failed for want
  // of it load again then, without a click.
  onlineManager.setEventListener((setOnline) => {
    setOnline(!isOffline());
    return subscribeOnline(() => setOnline(!isOffline()));
  });
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 60_000,
        refetchOnWindowFocus: false,
        // A refusal (4xx) is an answer, not a failure to retry; no answer at all is offline, and
        // the query runs again when the server can be reached.
        retry: (n, e) => !(e instanceof ApiError && ((e.status >= 400 && e.status < 500) || e.status === 0)) && n < 2,
        // Offline, a query still runs and fails (the views then say the app is offline) rather
        // than waiting unseen: a paused query is neither loading nor failed, and a view would
        // show nothing…
        networkMode: 'always',
        // …and runs again when the server can be reached (with networkMode 'always' React Query
        // would not).
        refetchOnReconnect: true,
      },
      // An action offline fails at once and says so, rather than waiting to run later unasked.
      mutations: { networkMode: 'always' },
    },
  });
}
