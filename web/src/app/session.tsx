// Who is signed in: the JWT in memory and sessionStorage (gone when the tab closes), the user's
// role, tenant and permissions (from /api/v1/auth/me), theme and locale (the language and the number
// format together: en-US English, de-DE German; t and rich speak it, fmt formats in it). Signing out revokes the
// token on the server (POST /api/v1/auth/logout) before the app forgets it; a 401 from any request
// only forgets it (the server already refuses it) and shows the sign-in page.
// Offline (src/app/online.ts), a reload keeps the tab signed in: the user as /api/v1/auth/me last
// gave it is kept beside the token in sessionStorage, shown until the server can be asked again,
// and asked again as soon as it can (a 401 then signs out as usual).
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { api, ApiError, getToken, revokeToken, setToken, setUnauthorizedHandler } from '../api/client';
import type { LoginResult, Me, PreferencesResult, UserPreferences } from '../api/types';
import { initialLocale, makeFmt, type Fmt, type Locale } from './format';
import { isOffline, subscribeOnline } from './online';
import { enT, isLoaded, langOf, loadLanguage, makeRich, makeT, type Lang, type Rich, type Translate } from './i18n';

export type Theme = 'system' | 'light' | 'dark';

interface Session {
  me: Me | null;
  can: (permission: string) => boolean;
  // `tenant`: for a user a manager added, who signs in with the tenant (docs/security.md).
  signIn: (username: string, password: string, tenant?: string) => Promise<void>;
  signOut: () => Promise<void>;
  // POST /api/v1/me/password: the server revokes every token of the user (other browsers are
  // signed out) and answers as login does; this tab keeps going with the new token.
  changePassword: (current: string, next: string) => Promise<void>;
  // Counts the tokens this tab has been given since it loaded (a new one after a password change):
  // what holds a token open (the event stream) starts again with the new one.
  tokenGeneration: number;
  expired: boolean;
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
const KEY = 'keel.token';
const ME = 'keel.me';
// How long the first /api/v1/auth/me of a page may take before the server counts as unreachable.
const ME_TIMEOUT_MS = 20_000;

function savedMe(): Me | null {
  try {
    const s = sessionStorage.getItem(ME);
    const m = s ? (JSON.parse(s) as Me) : null;
    return m && typeof m.username === 'string' && Array.isArray(m.permissions) ? m : null;
  } catch {
    return null;
  }
}

function saveMe(m: Me): Me {
  sessionStorage.setItem(ME, JSON.stringify(m));
  return m;
}

function systemDark(): boolean {
  return window.matchMedia?.('(prefers-color-scheme: dark)').matches ?? false;
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const qc = useQueryClient();
  const [me, setMe] = useState<Me | null>(null);
  const [ready, setReady] = useState(false);
  const [expired, setExpired] = useState(false);
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

  // Forgets the token here: memory, sessionStorage and every cached answer.
  const forget = useCallback(() => {
    setToken(null);
    sessionStorage.removeItem(KEY);
    sessionStorage.removeItem(ME);
    setMe(null);
    setUnconfirmed(false);
    qc.clear();
  }, [qc]);

  // The server first (the token must stop working, not just be dropped by this tab), then here.
  const signOut = useCallback(async () => {
    const tok = getToken();
    setSignOutProblem(null);
    if (tok) {
      try {
        await revokeToken(tok);
      } catch (e) {
        const why = e instanceof ApiError ? `${e.status ? t('state.errorStatus', { status: e.status }) : ''}${e.message}` : String(e);
        setSignOutProblem(t('app.signOutProblem', { why }));
      }
    }
    forget();
  }, [forget, t]);

  useEffect(() => {
    setUnauthorizedHandler(() => {
      setExpired(true);
      forget();
    });
    const saved = sessionStorage.getItem(KEY);
    if (!saved) {
      setReady(true);
      return;
    }
    setToken(saved);
    const known = savedMe();
    const offline = () => {
      setMe(known);
      setUnconfirmed(true);
    };
    if (known && isOffline()) {
      offline();
      setReady(true);
      return;
    }
    // A 401 signs out through the handler above. The server unreachable shows the saved user
    // (offline) when there is one. Any other failure (or the request cut short because the page is
    // being left) shows sign-in but keeps the saved token: removing it here would sign out the page
    // being navigated to.
    api<Me>('GET', '/api/v1/auth/me', { signal: AbortSignal.timeout(ME_TIMEOUT_MS) })
      .then((m) => setMe(saveMe(m)))
      .catch((e: unknown) => {
        if (known && e instanceof ApiError && e.status === 0) offline();
        else setToken(null);
      })
      .finally(() => setReady(true));
  }, [forget]);

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

  const value = useMemo<Session>(
    () => ({
      me,
      can: (p) => !!me?.permissions.includes(p),
      signIn: async (username, password, tenant) => {
        const body = tenant ? { username, password, tenant } : { username, password };
        const r = await api<LoginResult>('POST', '/api/v1/auth/login', { body });
        setToken(r.token);
        sessionStorage.setItem(KEY, r.token);
        setMe(saveMe(await api<Me>('GET', '/api/v1/auth/me')));
        setExpired(false);
        setSignOutProblem(null);
      },
      signOut,
      changePassword: async (current, next) => {
        // Not paced: a 429 here is the sign-in throttle, and a repeated wrong password counts again.
        const r = await api<LoginResult>('POST', '/api/v1/me/password', { body: { current_password: current, new_password: next }, paced: false });
        setToken(r.token);
        sessionStorage.setItem(KEY, r.token);
        setTokenGeneration((g) => g + 1);
      },
      tokenGeneration,
      expired,
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
    [me, signOut, tokenGeneration, expired, signOutProblem, locale, t, theme, dark, applyLocale, applyTheme, keep],
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
