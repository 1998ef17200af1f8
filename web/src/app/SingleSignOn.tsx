// Single sign-on in the page (docs/web.md "Signing in"): the sign-in page's "Sign in with …" button,
// shown when the server has an OpenID Connect provider (GET /api/v1/auth/oidc), and the page the
// provider sends the browser back to, /sign-in/oidc. The button asks the server to start a sign-in
// (POST /api/v1/auth/oidc/start), keeps the state it answers in this tab (src/app/singleSignOn.ts)
// and goes to the provider. Back at /sign-in/oidc?code=…&state=…, the code and state are taken off
// the URL at once; a state that is not the one kept is refused here, before the server hears of
// it; else the server redeems the code (POST /api/v1/auth/oidc/callback) and the sign-in is kept as
// a login's, landing on the page the user was on. The provider's error and the server's refusal
// are shown as text, with the way back to sign in.
import { useEffect, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import type { SingleSignOnInfo, SingleSignOnStart } from '../api/types';
import { navigate } from './router';
import { useSession } from './session';
import { useTitle } from './title';
import { forgetStarted, isWebUrl, keepStarted, keptStarted, landingOf, readRedirect, SSO_RETURN_PATH, type Redirect } from './singleSignOn';
import { ErrorBox, Loading } from '../components/States';

// Whether the server signs in through a provider, and its name (none when it cannot be asked).
function useSingleSignOn(): SingleSignOnInfo | undefined {
  return useQuery({
    queryKey: ['auth', 'oidc'],
    queryFn: () => api<SingleSignOnInfo>('GET', '/api/v1/auth/oidc'),
    staleTime: Infinity,
    retry: false,
  }).data;
}

// "Sign in with Bank SSO": nothing when the server has no provider. `back`: the page to land on;
// `or`: set apart from a password form above it.
export function SingleSignOnButton({ back, or = true }: { back: string; or?: boolean }) {
  const { t } = useSession();
  const info = useSingleSignOn();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  // Back from the provider, the browser may show this page as it was left (the back-forward cache):
  // the button is usable again.
  useEffect(() => {
    const shown = (e: PageTransitionEvent) => {
      if (e.persisted) setBusy(false);
    };
    window.addEventListener('pageshow', shown);
    return () => window.removeEventListener('pageshow', shown);
  }, []);
  if (!info?.enabled) return null;
  const start = async () => {
    setBusy(true);
    setError(null);
    try {
      const s = await api<SingleSignOnStart>('POST', '/api/v1/auth/oidc/start');
      if (!isWebUrl(s.authorization_url)) throw new Error(t('sso.badUrl'));
      keepStarted({ state: s.state, back: landingOf(back) });
      window.location.assign(s.authorization_url);
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };
  return (
    <>
      {or && <p className="sso-or muted">{t('sso.or')}</p>}
      <button type="button" data-testid="sso" disabled={busy} onClick={() => void start()}>
        {t('sso.signInWith', { provider: info.display_name || t('sso.provider') })}
      </button>
      <ErrorBox error={error} />
    </>
  );
}

// The server's redemption of a code, once per code (React runs a page's effects twice in
// development; the state is good once).
const redeeming = new Map<string, Promise<void>>();

// /sign-in/oidc: the provider's redirect.
export function SingleSignOnReturn() {
  const { finishSingleSignOn, t } = useSession();
  useTitle(t('sso.title'));
  // Read once, before the URL loses its query.
  const [redirect] = useState<Redirect>(() => readRedirect(new URLSearchParams(location.search), keptStarted()));
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    // The code and state are not left in the address bar, the history or a bookmark.
    if (location.search) navigate(SSO_RETURN_PATH, true);
    // The state is good once: a redirect that matched it uses it up.
    if (redirect.kind !== 'foreign') forgetStarted();
    if (redirect.kind !== 'code') return;
    let live = true;
    let run = redeeming.get(redirect.code);
    if (!run) {
      run = finishSingleSignOn(redirect.code, redirect.state);
      redeeming.set(redirect.code, run);
    }
    run.then(
      () => {
        if (live) navigate(redirect.back, true);
      },
      (e: unknown) => {
        if (live) setError(e);
      },
    );
    return () => {
      live = false;
    };
  }, [redirect, finishSingleSignOn]);

  const failed = redirect.kind !== 'code' || error !== null;
  return (
    <main className="signin">
      <section className="sso-return" aria-labelledby="sso-title">
        <h1 id="sso-title">keel</h1>
        {redirect.kind === 'code' && error === null && <Loading what={t('sso.finishing')} />}
        {redirect.kind === 'foreign' && (
          <div className="error" role="alert" data-testid="sso-error">{t('sso.notStartedHere')}</div>
        )}
        {redirect.kind === 'refused' && (
          <div className="error" role="alert" data-testid="sso-error">
            {t('sso.providerRefused', { why: redirect.description || redirect.error })}
          </div>
        )}
        {error !== null && (
          <div data-testid="sso-error">
            <p>{t('sso.serverRefused')}</p>
            <ErrorBox error={error} />
          </div>
        )}
        {failed && (
          <>
            <SingleSignOnButton back={redirect.kind === 'foreign' ? '/' : redirect.back} or={false} />
            <p>
              <a
                href="/signin"
                onClick={(e) => {
                  e.preventDefault();
                  navigate('/signin');
                }}
              >
                {t('sso.backToSignIn')}
              </a>
            </p>
          </>
        )}
      </section>
    </main>
  );
}
