import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClient, QueryClientProvider, onlineManager } from '@tanstack/react-query';
import { ApiError } from './api/client';
import { App } from './app/App';
import { isOffline, subscribeOnline } from './app/online';
import { SessionProvider } from './app/session';
import { registerServiceWorker } from './sw/register';
import './app/theme.css';

// React Query knows when keel's server can be reached again (src/app/online.ts): the queries that
// failed for want of it load again then, without a click.
onlineManager.setEventListener((setOnline) => {
  setOnline(!isOffline());
  return subscribeOnline(() => setOnline(!isOffline()));
});

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 60_000,
      refetchOnWindowFocus: false,
      // A refusal (4xx) is an answer, not a failure to retry; no answer at all is offline, and the
      // query runs again when the server can be reached.
      retry: (n, e) => !(e instanceof ApiError && ((e.status >= 400 && e.status < 500) || e.status === 0)) && n < 2,
      // Offline, a query still runs and fails (the views then say the app is offline) rather than
      // waiting unseen: a paused query is neither loading nor failed, and a view would show nothing.
      networkMode: 'always',
    },
    // An action offline fails at once and says so, rather than waiting to run later unasked.
    mutations: { networkMode: 'always' },
  },
});

// The app shell offline (docs/web.md "Installable app and offline"): production builds only, so
// `npm run dev` never serves a cached page.
if (import.meta.env.PROD) registerServiceWorker();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <SessionProvider>
        <App />
      </SessionProvider>
    </QueryClientProvider>
  </StrictMode>,
);
