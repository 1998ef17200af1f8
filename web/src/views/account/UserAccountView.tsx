// The signed-in user's account (/account, the user name in the header): who they are, and a
// password change (POST /api/v1/me/password, docs/server.md). On success the server has revoked
// every token of the user — the other browsers are signed out — and this tab goes on with the new
// token the answer carries. A wrong current password (403), a new one the server refuses (400, its
// reasons listed) and the sign-in throttle (429, with the wait it names) are shown in words. A user
// of the identity provider (`me.sign_in` single_sign_on) has no password here: the page says so
// and shows the e-mail and name the provider gave instead of the form.
import { useState, type FormEvent } from 'react';
import { ApiError } from '../../api/client';
import { useSession } from '../../app/session';
import { useTitle } from '../../app/title';
import { ErrorBox } from '../../components/States';

// The one thing the form checks itself: the new password typed twice alike. Its length and that it
// differs from the current one are the server's rules (a 400 naming them).
export const repeatedAlike = (next: string, repeat: string): boolean => next === repeat;

export function UserAccountView() {
  const { me, changePassword, t } = useSession();
  useTitle(t('account.title'));
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [local, setLocal] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setDone(false);
    const alike = repeatedAlike(next, repeat);
    setLocal(alike ? null : t('account.mismatch'));
    if (!alike) return;
    setBusy(true);
    try {
      await changePassword(current, next);
      setDone(true);
      setCurrent('');
      setNext('');
      setRepeat('');
    } catch (err) {
      if (err instanceof ApiError && err.status === 403) setError(new ApiError(403, err.code, t('account.wrongCurrent'), [], err.requestId));
      else if (err instanceof ApiError && err.status === 429) {
        const wait = err.retryAfter != null ? t('account.throttledWait', { seconds: err.retryAfter }) : '';
        setError(new ApiError(429, err.code, `${t('account.throttled')}${wait}`, [], err.requestId));
      } else setError(err);
    } finally {
      setBusy(false);
    }
  };
  if (!me) return null;
  return (
    <section>
      <h1>{t('account.title')}</h1>
      <p className="muted">{t('account.who', { user: me.username, tenant: me.tenant })}</p>
      {me.sign_in === 'single_sign_on' ? (
        <>
          {(me.full_name || me.email) && (
            <p data-testid="account-profile">{[me.full_name, me.email].filter(Boolean).join(' · ')}</p>
          )}
          <p data-testid="account-sso">{t('account.sso')}</p>
        </>
      ) : (
      <form className="stack narrow" onSubmit={submit} aria-label={t('account.change')} data-testid="password-form">
        <h2>{t('account.change')}</h2>
        <p className="muted small">{t('account.help')}</p>
        <label htmlFor="current-password">{t('account.current')}</label>
        <input id="current-password" type="password" autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.target.value)} required />
        <label htmlFor="new-password">{t('account.new')}</label>
        <input id="new-password" type="password" autoComplete="new-password" value={next} onChange={(e) => setNext(e.target.value)} required />
        <label htmlFor="repeat-password">{t('account.repeat')}</label>
        <input id="repeat-password" type="password" autoComplete="new-password" value={repeat} onChange={(e) => setRepeat(e.target.value)} required />
        <div>
          <button type="submit" className="primary" disabled={busy}>{t('account.submit')}</button>
        </div>
        {local && <p className="error" role="alert">{local}</p>}
        {done && <p className="ok" role="status" data-testid="password-changed">{t('account.changed')}</p>}
        <ErrorBox error={error} />
      </form>
      )}
    </section>
  );
}
