// The shell: header with navigation (MainNav: a row of links, a menu on narrow screens), the user's
// role and tenant, locale and theme switches, sign out; the view the URL names. Routes: / and
// /overview (the home: OverviewView), /portfolios, /portfolios/:name[?tab=..&params],
// /portfolios/:name/import, /portfolios/:name/positions (the positions editor),
// /portfolios/:name/report[?snapshot=YYYY-MM-DD] (the current report, or the one the batch kept that day),
// /portfolios/:name/whatif[?session=ID], /portfolios/:name/optimize|rebalance[?params], /prices/import (administrators), /fx (FX rates), /jobs, /jobs/:id, /ask[/:id] (the assistant), /signin,
// /sign-in/oidc (where the single sign-on provider sends the browser back, signed in or not),
// /alm, /alm/sessions/:id (bank IRRBB), /clo, /clo/deals/:id (CLO deals).
// /ledger, /ledger/:account[?tab=..], /plan[?inputs], /admin/users|audit|webhooks (managers, administrators),
// /account (the signed-in user's password).
import { lazy, Suspense, useState, type FormEvent } from 'react';
import { ApiError } from '../api/client';
import { LOCALES, type Locale } from './format';
import { LANGUAGE_NAMES } from './i18n';
import { setCloNotice, useCloNotice, useLiveUpdates } from './live';
import { useOffline } from './online';
import { usePacing } from './pacing';
import { confirmLeave, navigate, useLocation } from './router';
import { useSession, type Theme } from './session';
import { SingleSignOnButton, SingleSignOnReturn } from './SingleSignOn';
import { useUpdateReady } from '../sw/register';
import { ErrorBox, Offline } from '../components/States';
import { MainNav } from '../components/MainNav';
import { JobNotices } from '../components/JobNotices';
import { PortfoliosView } from '../views/portfolios/PortfoliosView';
import { ImportView, PricesImportView } from '../views/portfolios/ImportView';
import { JobsView, JobView } from '../views/jobs/JobsView';
import { snapshotDate } from '../views/reports/keptReport';
import { Loading } from '../components/States';
import { pageOf, type Page } from './pages';

// The overview, dashboard and report carry the charts (ECharts): loaded when first opened, so the
// first load (sign in) stays small.
const loadOverview = () => import('../views/overview/OverviewView').then((m) => ({ default: m.OverviewView }));
const loadDashboard = () => import('../views/risk/Dashboard').then((m) => ({ default: m.Dashboard }));
const loadAccount = () => import('../views/ledger/AccountView').then((m) => ({ default: m.AccountView }));
const OverviewView = lazy(loadOverview);
const Dashboard = lazy(loadDashboard);
const PositionsEditor = lazy(() => import('../views/portfolios/PositionsEditor').then((m) => ({ default: m.PositionsEditor })));
const WhatIfView = lazy(() => import('../views/whatif/WhatIfView').then((m) => ({ default: m.WhatIfView })));
const OptimizeView = lazy(() => import('../views/construct/OptimizeView').then((m) => ({ default: m.OptimizeView })));
const RebalanceView = lazy(() => import('../views/construct/RebalanceView').then((m) => ({ default: m.RebalanceView })));
const ReportView = lazy(() => import('../views/reports/ReportView').then((m) => ({ default: m.ReportView })));
const AlmView = lazy(() => import('../views/alm/AlmView').then((m) => ({ default: m.AlmView })));
const CloView = lazy(() => import('../views/clo/CloView').then((m) => ({ default: m.CloView })));
const LedgerView = lazy(() => import('../views/ledger/LedgerView').then((m) => ({ default: m.LedgerView })));
const AccountView = lazy(loadAccount);
const PlanView = lazy(() => import('../views/plan/PlanView').then((m) => ({ default: m.PlanView })));
const AdminView = lazy(() => import('../views/admin/AdminView').then((m) => ({ default: m.AdminView })));
const FxView = lazy(() => import('../views/fx/FxView').then((m) => ({ default: m.FxView })));
const UserAccountView = lazy(() => import('../views/account/UserAccountView').then((m) => ({ default: m.UserAccountView })));
const AskView = lazy(() => import('../views/assistant/AskView').then((m) => ({ default: m.AskView })));

// The view a page load opens (the overview, a dashboard, a ledger account: the pages people open
// directly) is fetched at once, beside the session's check (GET /api/v1/auth/me), rather than
// after it: one round trip less before its first words. lazy() then finds the module loaded.
const prefetched: Partial<Record<Page, () => Promise<unknown>>> = {
  dashboard: loadDashboard,
  'ledger-account': loadAccount,
  overview: loadOverview,
};
function prefetchView(pathname: string): void {
  const load = prefetched[pageOf(pathname.split('/').filter(Boolean))];
  void load?.().catch(() => undefined);  // failed (offline): lazy() asks again and says so
}
if (typeof location !== 'undefined') prefetchView(location.pathname);

function SignIn() {
  const { signIn, expired, signedOutElsewhere, signOutProblem, t } = useSession();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [tenant, setTenant] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const offline = useOffline();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn(username, password, tenant.trim() || undefined);
      if (location.pathname === '/signin') navigate('/', true);
    } catch (err) {
      setError(err instanceof ApiError && err.status === 401 ? new ApiError(401, 'unauthorized', t('app.wrongPassword'), [], err.requestId) : err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <main className="signin">
      <form onSubmit={submit} aria-label={t('app.signIn')}>
        <h1>keel</h1>
        {expired && <p role="status">{t('app.expired')}</p>}
        {signedOutElsewhere && <p role="status">{t('app.signedOutElsewhere')}</p>}
        {signOutProblem && <p role="alert" className="warning">{signOutProblem}</p>}
        {offline && <Offline>{t('app.offline.signIn')}</Offline>}
        <label htmlFor="username">{t('app.userName')}</label>
        <input id="username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} required />
        <label htmlFor="password">{t('app.password')}</label>
        <input id="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
        <label htmlFor="tenant">{t('app.signInTenant')}</label>
        <input id="tenant" autoComplete="organization" value={tenant} onChange={(e) => setTenant(e.target.value)} />
        <button type="submit" className="primary" disabled={busy}>{t('app.signIn')}</button>
        <ErrorBox error={error} />
        <SingleSignOnButton back={location.pathname + location.search} />
      </form>
    </main>
  );
}

export function App() {
  const { me, signOut, fmt, setLocale, theme, setTheme, can, t, tokenGeneration } = useSession();
  const { path, query } = useLocation();
  const [leaving, setLeaving] = useState(false);
  const offline = useOffline();
  // Requests waiting out the server's rate limit: one badge for all of them (src/app/pacing.ts).
  const paced = usePacing();
  const updateReady = useUpdateReady();
  // Another browser's or a job's change of a portfolio reloads what shows it (src/app/live.ts).
  useLiveUpdates(me?.username, tokenGeneration);
  // A CLO determination with a breach or an alert, heard on the stream: one notice until dismissed.
  const clo = useCloNotice();
  const [a, b, c] = path;
  if (a === 'sign-in' && b === 'oidc' && !c) return <SingleSignOnReturn />;
  if (!me) return <SignIn />;
  const portfolio = b ?? '';
  let view;
  switch (pageOf(path)) {
    case 'import': view = <ImportView portfolio={portfolio} />; break;
    case 'report': {
      const snapshot = snapshotDate(query);
      view = <ReportView key={`${portfolio}\n${snapshot ?? ''}`} portfolio={portfolio} snapshot={snapshot} />;
      break;
    }
    case 'whatif': view = <WhatIfView portfolio={portfolio} />; break;
    case 'optimize': view = <OptimizeView portfolio={portfolio} />; break;
    case 'rebalance': view = <RebalanceView portfolio={portfolio} />; break;
    case 'positions': view = <PositionsEditor key={portfolio} portfolio={portfolio} />; break;
    case 'dashboard': view = <Dashboard key={portfolio} portfolio={portfolio} />; break;
    case 'prices-import': view = <PricesImportView />; break;
    case 'fx': view = <FxView />; break;
    case 'job': view = <JobView id={Number(b)} />; break;
    case 'jobs': view = <JobsView />; break;
    case 'alm': view = <AlmView path={path} />; break;
    case 'clo': view = <CloView path={path} />; break;
    case 'ledger-account': view = <AccountView key={b} name={b ?? ''} />; break;
    case 'ledger': view = <LedgerView />; break;
    case 'plan': view = <PlanView />; break;
    case 'admin': view = <AdminView section={b} />; break;
    case 'account': view = <UserAccountView />; break;
    case 'ask': view = <AskView conversation={b ? Number(b) : undefined} />; break;
    case 'portfolios': view = <PortfoliosView />; break;
    case 'overview': view = <OverviewView />; break;
  }
  return (
    <>
      <a className="skip" href="#main">{t('app.skip')}</a>
      <header>
        <MainNav can={can} pathname={location.pathname} t={t} />
        <span className="spacer" />
        {offline && (
          <span className="offline-badge" data-testid="offline-badge" title={t('app.offline.title')}>
            {t('app.offline.badge')}
          </span>
        )}
        {paced > 0 && (
          <span className="offline-badge" role="status" data-testid="pacing" title={t('app.pacing.title')}>
            {t('app.pacing.badge', { seconds: paced })}
          </span>
        )}
        {clo && (
          <span className="offline-badge notice" role="status" data-testid="clo-notice">
            <a
              href={`/clo/deals/${clo.deal_id}?tab=compliance`}
              onClick={(e) => {
                e.preventDefault();
                navigate(`/clo/deals/${clo.deal_id}?tab=compliance`);
              }}
            >
              {t(clo.what === 'breach' ? 'app.clo.breach' : 'app.clo.alert', { deal: clo.deal })}
            </a>
            <button type="button" className="linkish" aria-label={t('app.clo.dismiss')} title={t('app.clo.dismiss')} onClick={() => setCloNotice(null)}>
              ×
            </button>
          </span>
        )}
        {/* The user's jobs that ended, wherever they are in the app (src/app/jobNotices.ts). */}
        <JobNotices t={t} />
        <span className="who" data-testid="who">
          <a
            href="/account"
            data-testid="account"
            title={t('app.account.title')}
            onClick={(e) => {
              e.preventDefault();
              navigate('/account');
            }}
          >
            {me.username}
          </a>{' '}· <span data-testid="role">{t.has(`admin.roles.${me.role}`) ? t(`admin.roles.${me.role}` as 'admin.roles.viewer') : me.role}</span> · {t('app.tenant')} <span data-testid="tenant">{me.tenant}</span>
        </span>
        <label className="compact">
          <span className="sr-only">{t('app.language')}</span>
          <select aria-label={t('app.language')} data-testid="language" value={fmt.locale} onChange={(e) => setLocale(e.target.value as Locale)}>
            {LOCALES.map((l) => <option key={l} value={l} lang={l}>{LANGUAGE_NAMES[l]}</option>)}
          </select>
        </label>
        <label className="compact">
          <span className="sr-only">{t('app.theme')}</span>
          <select aria-label={t('app.theme')} data-testid="theme" value={theme} onChange={(e) => setTheme(e.target.value as Theme)}>
            <option value="system">{t('app.theme.system')}</option>
            <option value="light">{t('app.theme.light')}</option>
            <option value="dark">{t('app.theme.dark')}</option>
          </select>
        </label>
        <button
          type="button"
          disabled={leaving}
          onClick={() => {
            if (!confirmLeave()) return;
            setLeaving(true);
            void signOut().then((toProvider) => {
              setLeaving(false);
              // On the way to the provider's sign-out, which sends the browser back to /signin: a
              // history change now could cancel that navigation.
              if (!toProvider) navigate('/signin');
            });
          }}
        >
          {t('app.signOut')}
        </button>
      </header>
      {updateReady && (
        <div className="update" role="status">
          {t('app.update.ready')}{' '}
          <button type="button" onClick={() => location.reload()}>
            {t('app.update.reload')}
          </button>
        </div>
      )}
      <main id="main">
        <Suspense fallback={<Loading what={t('app.loading.view')} />}>{view}</Suspense>
      </main>
    </>
  );
}
