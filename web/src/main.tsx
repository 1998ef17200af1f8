import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClientProvider } from '@tanstack/react-query';
import { App } from './app/App';
import { makeQueryClient } from './app/queries';
import { SessionProvider } from './app/session';
import { registerServiceWorker } from './sw/register';
import './app/theme.css';

const queryClient = makeQueryClient();

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
