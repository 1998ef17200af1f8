import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClient, QueryClientProvider, onlineManager } from '@tanstack/react-query';
import { ApiError } from './api/client';
import { App } from './app/App';
import { isOffline, subscribeOnline } from './app/online';
import { SessionProvider } from './app/session';
import { registerServiceWorker } from './sw/register';
import './app/theme.css';

// Queries wait while keel's server cannot be reached (the views say the app is offline) and load
// again when it can.
onlineManager.setEventListener((setOnline) => {
  setOnline(!isOffline());
  return subscribeOnline(() => setOnline(!isOffline()));
});

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 60_000,
      refetchOnWindowFocus: false,
      // A refusal (4xx) is an answer, not a failure to retry.
      retry: (n, e) => !(e instanceof ApiError && e.status >= 400 && e.status < 500) && n < 2,
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
