// Who is signed in: the browser's one sign-in (src/api/tokens.ts: the access token, the refresh
// token and their ends) in memory and localStorage, shared by every tab of the browser and kept
// fresh by src/api/client.ts; the user's role, tenant and permissions (from /api/v1/auth/me), theme
// and locale (the language and the number format together: en-US English, de-DE German; t and rich
// speak it, fmt formats in it). Signing out removes the stored sign-in (the other tabs sign out at
// once, on their `storage` event) and ends it on the server (POST /api/v1/auth/logout) before this
// tab forgets it; a 401 that no refresh mends only forgets it (the server already refuses it) and
// shows the sign-in page, here and in the other tabs. A sign-in in one tab signs the others in.
// Offline (src/app/online.ts), a reload keeps the tab signed in: the user as /api/v1/auth/me last
// gave it is kept beside the sign-in in localStorage, shown until the server can be asked again,
// and asked again as soon as it can (a 401 then signs out as usual). A single sign-on (the server's
// OpenID Connect provider, src/app/singleSignOn.ts) ends as a login does: its answer is kept the
// same way.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import {
  adoptSignIn,
  api,
  ApiError,
  changeSignIn,
  currentToken,
  heldSignIn,
  keepSignIn,
  revokeToken,
  setUnauthorizedHandler,
  storedSignIn,
  unstoreSignIn,
} from '../api/client';
import { onStoredChange, SIGN_IN_KEY, signInOf, type SignIn } from '../api/tokens';
import type { LoginResult, Me, PreferencesResult, UserPreferences } from '../api/types';
import { initialLocale, makeFmt, type Fmt, type Locale } from './format';
import { isOffline, subscribeOnline } from './online';
import { navigate } from './router';
import { enT, isLoaded, langOf, loadLanguage, makeRich, makeT, type Lang, type Rich, type Translate } from './i18n';

export type Theme = 'system' | 'light' | 'dark';

interface Session {
  me: Me | null;
  can: (permission: string) => boolean;
  // `tenant`: for a user a manager added, who signs in with the tenant (docs/security.md).
  signIn: (username: string, password: string, tenant?: string) => Promise<void>;
  // POST /api/v1/auth/oidc/callback with the provider's code and the state this tab kept: the
  // server redeems the code and answers as login does, and the sign-in is kept as a login's. A
  // sign-in this tab held before (another user's) is ended on the server.
  finishSingleSignOn: (code: string, state: string) => Promise<void>;
  // Resolves true when the browser is on its way to the identity provider's sign-out (the page
  // then must not navigate: a history change could cancel that navigation), else false.
  signOut: () => Promise<boolean>;
  // POST /api/v1/me/password: the server revokes every token of the user (other browsers are
  // signed out) and answers as login does; this tab keeps going with the new token.
  changePassword: (current: string, next: string) => Promise<void>;
  // Counts the sign-ins this tab has been given since it loaded (a new one after a password change):
  // what holds a token open (the event stream) starts again with the new one. A refresh does not
  // count: the old token lasts until it expires, and a stream then opens again with the new one.
  tokenGeneration: number;
  expired: boolean;
  // Signed out because another tab of the browser signed out.
  signedOutElsewhere: boolean;
  // Set when the server could not be told of the sign-out (the token was forgotten here all the same).
  signOutProblem: string | null;
  fmt: Fmt;
  // The words of the chosen language (src/app/i18n.ts).
  t: Translate;
  rich: Rich;
  lang: Lang;
  setLocale: (l: Locale) => void;
  theme: Theme;
  setTheme: (t: Theme) => void;
  dark: boolean;
}

const Ctx = createContext<Session | null>(null);
const ME = 'keel.me';
// Where each tab kept its own token and user before the tabs shared one sign-in: removed (a tab
// of then signs in once more).
const TAB_KEYS = ['keel.token', 'keel.me'];
// How long the first /api/v1/auth/me of a page may take before the server counts as unreachable.
const ME_TIMEOUT_MS = 20_000;

// The saved user of sign-in `s` (another user's is not shown).
function savedMe(s: SignIn): Me | null {
  try {
    const t = localStorage.getItem(ME);
    const m = t ? (JSON.parse(t) as Me) : null;
    const ok = m && typeof m.username === 'string' && Array.isArray(m.permissions);
    return ok && m.username === s.username && m.tenant === s.tenant ? m : null;
  } catch {
    return null;
  }
}

function saveMe(m: Me): Me {
  try {
    localStorage.setItem(ME, JSON.stringify(m));
  } catch {
    // Not kept: a reload offline shows the sign-in page.
  }
  return m;
}

function removeSaved(): void {
  try {
    localStorage.removeItem(ME);
  } catch {
    // Nothing stored.
  }
}

function removeTabKeys(): void {
  try {
    for (const k of TAB_KEYS) sessionStorage.removeItem(k);
  } catch {
    // Nothing stored.
  }
}

function systemDark(): boolean {
  return window.matchMedia?.('(prefers-color-scheme: dark)').matches ?? false;
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const qc = useQueryClient();
  const [me, setMe] = useState<Me | null>(null);
  const [ready, setReady] = useState(false);
  const [expired, setExpired] = useState(false);
  const [signedOutElsewhere, setSignedOutElsewhere] = useState(false);
  // The user shown is the saved one, not yet confirmed by the server (the page started offline).
  const [unconfirmed, setUnconfirmed] = useState(false);
  const [signOutProblem, setSignOutProblem] = useState<string | null>(null);
  const [tokenGeneration, setTokenGeneration] = useState(0);
  const [locale, setLocaleState] = useState<Locale>(initialLocale);
  // The chosen language's catalogue is loaded before anything is shown in it.
  const [words, setWords] = useState(() => isLoaded(langOf(locale)));
  useEffect(() => {
    if (!words) void loadLanguage(langOf(locale)).then(() => setWords(true));
  }, [words, locale]);
  const t = useMemo(() => makeT(locale), [locale, words]);
  const [theme, setThemeState] = useState<Theme>(() => (localStorage.getItem('keel.theme') as Theme) || 'system');
  const [sysDark, setSysDark] = useState(systemDark);

  // The user's preferences are kept on the server (GET/PUT /api/v1/me/preferences): once the server
  // has confirmed who is signed in, what the user chose anywhere else wins over this browser's.
  const applyLocale = useCallback((l: Locale) => {
    localStorage.setItem('keel.locale', l);
    void loadLanguage(langOf(l)).then(() => setLocaleState(l));
  }, []);
  const applyTheme = useCallback((th: Theme) => {
    localStorage.setItem('keel.theme', th);
    setThemeState(th);
  }, []);
  useEffect(() => {
    if (!me || unconfirmed) return;
    let live = true;
    api<PreferencesResult>('GET', '/api/v1/me/preferences')
      .then(({ preferences: p }) => {
        if (!live) return;
        if (p.locale === 'en-US' || p.locale === 'de-DE') applyLocale(p.locale);
        if (p.theme === 'light' || p.theme === 'dark' || p.theme === 'system') applyTheme(p.theme);
      })
      .catch(() => {
        // Not kept (an older server, offline): this browser's choice stands.
      });
    return () => {
      live = false;
    };
  }, [me, unconfirmed, applyLocale, applyTheme]);
  // A choice is kept on the server for the user's other browsers; this one has it at once. The
  // changes are sent one after another, so the server keeps the last one made.
  const [sending] = useState(() => ({ last: Promise.resolve() as Promise<unknown> }));
  const keep = useCallback(
    (change: UserPreferences) => {
      if (!me || unconfirmed) return;
      sending.last = sending.last
        .catch(() => undefined)
        .then(() => api('PUT', '/api/v1/me/preferences', { body: change }))
        .catch(() => undefined);
    },
    [me, unconfirmed, sending],
  );

  // Forgets the sign-in here: memory and every cached answer; `everywhere`, the stored one too
  // (every tab of the browser signs out).
  const forget = useCallback(
    (everywhere: boolean) => {
      if (everywhere) {
        keepSignIn(null);
        removeSaved();
      } else adoptSignIn(null);
      setMe(null);
      setUnconfirmed(false);
      qc.clear();
    },
    [qc],
  );

  // Takes up a stored sign-in (at the page's start, or one another tab made): the user as the
  // server confirms it. A 401 signs out through the unauthorized handler. The server unreachable
  // shows the saved user (offline) when there is one. Any other failure (or the request cut short
  // because the page is being left) shows sign-in but keeps the stored sign-in: removing it here
  // would sign out the page being navigated to, and the other tabs.
  const resume = useCallback(async (s: SignIn) => {
    adoptSignIn(s);
    const known = savedMe(s);
    const offline = () => {
      setMe(known);
      setUnconfirmed(true);
    };
    if (known && isOffline()) return offline();
    try {
      setMe(saveMe(await api<Me>('GET', '/api/v1/auth/me', { signal: AbortSignal.timeout(ME_TIMEOUT_MS) })));
    } catch (e) {
      if (known && e instanceof ApiError && e.status === 0) offline();
      else adoptSignIn(null);
    }
  }, []);

  // The stored sign-in first (the other tabs sign out at once), then the server (the tokens must
  // stop working, not just be dropped by this browser), then here. A token about to expire is
  // refreshed first: the server ends the sign-in of a token it still takes.
  const signOut = useCallback(async () => {
    setSignOutProblem(null);
    setSignedOutElsewhere(false);
    const tok = await currentToken();
    unstoreSignIn();
    let provider = '';
    if (tok) {
      try {
        provider = await revokeToken(tok);
      } catch (e) {
        const why = e instanceof ApiError ? `${e.status ? t('state.errorStatus', { status: e.status }) : ''}${e.message}` : String(e);
        setSignOutProblem(t('app.signOutProblem', { why }));
      }
    }
    forget(true);
    // A single sign-on user signs out at the identity provider too, which sends the browser back.
    if (!provider) return false;
    window.location.assign(provider);
    return true;
  }, [forget, t]);

  useEffect(() => {
    setUnauthorizedHandler(() => {
      setExpired(true);
      forget(true);
    });
    removeTabKeys();
    const saved = storedSignIn();
    if (!saved) {
      removeSaved();
      setReady(true);
      return;
    }
    void resume(saved).finally(() => setReady(true));
  }, [forget, resume]);

  // Another tab changed the stored sign-in: signed out (this tab forgets too), refreshed (this tab
  // takes the newer token), or signed in (this tab starts with it; a sign-in of another user
  // replaces this tab's).
  useEffect(() => {
    const changed = (e: StorageEvent) => {
      if (e.storageArea !== localStorage || (e.key !== SIGN_IN_KEY && e.key !== null)) return;
      const stored = storedSignIn();
      if (stored === undefined) return;
      const change = onStoredChange(stored, heldSignIn());
      if (change === 'adopt') adoptSignIn(stored);
      if (change === 'forget' || change === 'start') {
        forget(false);
        setExpired(false);
        setSignOutProblem(null);
        setSignedOutElsewhere(change === 'forget');
      }
      if (change === 'start' && stored) {
        void resume(stored);
        if (location.pathname === '/signin') navigate('/', true);
      }
    };
    window.addEventListener('storage', changed);
    return () => window.removeEventListener('storage', changed);
  }, [forget, resume]);

  // The saved user, shown offline, is asked for again when the server can be reached.
  useEffect(() => {
    if (!unconfirmed) return;
    const confirm = () => {
      if (isOffline()) return;
      api<Me>('GET', '/api/v1/auth/me')
        .then((m) => {
          setMe(saveMe(m));
          setUnconfirmed(false);
        })
        .catch(() => {}); // a 401 signs out (the handler); no answer leaves it for the next time
    };
    confirm();
    return subscribeOnline(confirm);
  }, [unconfirmed]);

  useEffect(() => {
    const mq = window.matchMedia?.('(prefers-color-scheme: dark)');
    const on = () => setSysDark(mq.matches);
    mq?.addEventListener('change', on);
    return () => mq?.removeEventListener('change', on);
  }, []);

  const dark = theme === 'dark' || (theme === 'system' && sysDark);
  useEffect(() => {
    document.documentElement.dataset.theme = dark ? 'dark' : 'light';
    // The browser's (and the installed app's) title bar in the header's colour of the chosen theme.
    const panel = getComputedStyle(document.documentElement).getPropertyValue('--panel').trim();
    if (panel) document.querySelectorAll('meta[name="theme-color"]').forEach((m) => m.setAttribute('content', panel));
  }, [dark]);
  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);

  // A sign-in's answer (a login's, a single sign-on's) kept: memory and localStorage (the other tabs
  // sign in too), then the user as the server confirms it.
  const begin = useCallback(async (r: LoginResult) => {
    keepSignIn(signInOf(r));
    setMe(saveMe(await api<Me>('GET', '/api/v1/auth/me')));
    setExpired(false);
    setSignedOutElsewhere(false);
    setSignOutProblem(null);
  }, []);

  const value = useMemo<Session>(
    () => ({
      me,
      can: (p) => !!me?.permissions.includes(p),
      signIn: async (username, password, tenant) => {
        const body = tenant ? { username, password, tenant } : { username, password };
        await begin(await api<LoginResult>('POST', '/api/v1/auth/login', { body }));
      },
      finishSingleSignOn: async (code, state) => {
        const r = await api<LoginResult>('POST', '/api/v1/auth/oidc/callback', { body: { code, state } });
        const before = heldSignIn();
        if (before) {
          // The tab was signed in (as someone else, or as this user in another sign-in): nothing of
          // that sign-in is shown to this one, and the server ends it.
          qc.clear();
          void revokeToken(before.token).catch(() => undefined);
        }
        await begin(r);
      },
      signOut,
      changePassword: async (current, next) => {
        // Not paced: a 429 here is the sign-in throttle, and a repeated wrong password counts again.
        await changeSignIn(() =>
          api<LoginResult>('POST', '/api/v1/me/password', { body: { current_password: current, new_password: next }, paced: false }),
        );
        setTokenGeneration((g) => g + 1);
      },
      tokenGeneration,
      expired,
      signedOutElsewhere,
      signOutProblem,
      fmt: makeFmt(locale),
      t,
      rich: makeRich(locale),
      lang: langOf(locale),
      setLocale: (l) => {
        applyLocale(l);
        keep({ locale: l });
      },
      theme,
      setTheme: (th) => {
        applyTheme(th);
        keep({ theme: th });
      },
      dark,
    }),
    [me, begin, qc, signOut, tokenGeneration, expired, signedOutElsewhere, signOutProblem, locale, t, theme, dark, applyLocale, applyTheme, keep],
  );
  if (!ready || !words) return null;
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

// The session's words; English outside a session (a component rendered on its own, in a test).
export function useT(): Translate {
  return useContext(Ctx)?.t ?? enT;
}

// What the signed-in role may do; outside a session (a component rendered on its own), anything.
export function useCan(): (permission: string) => boolean {
  return useContext(Ctx)?.can ?? (() => true);
}

export function useSession(): Session {
  const s = useContext(Ctx);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}
