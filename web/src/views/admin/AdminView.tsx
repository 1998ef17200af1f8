// Administration: the users of the tenant (a manager's own tenant; an administrator's every tenant,
// ?tenant= to choose) — add, change role, disable and enable; each user's e-mail, full name and how
// they sign in (password or single sign-on) — the audit log (administrators) with filters on user,
// action and time range, a page at a time, the tenant's webhooks (WebhooksPanel.tsx) and what the
// tenant keeps in the store (StoragePanel.tsx; managers and administrators). The API
// decides what each role may do (a manager cannot touch administrators nor make one, nobody changes
// their own role); the page shows only the controls the role may use and says a 403 as such.
import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { AuditPage, User, UserPage } from '../../api/types';
import { navigate, setQuery, useLocation } from '../../app/router';
import { KNOWN, labelOf } from '../../app/labels';
import { useSession } from '../../app/session';
import { KeyValues } from '../../components/KeyValues';
import { Empty, ErrorBox, Loading } from '../../components/States';
import { pickTab, Tabs } from '../../components/Tabs';
import { humanise } from '../../app/labels';
import { WebhooksPanel } from './WebhooksPanel';
import { mayManageWebhooks } from './webhooks';
import { StoragePanel } from './StoragePanel';
import { mayReadStorage } from './storage';

const ROLES = ['viewer', 'analyst', 'manager', 'admin'] as const;
type Role = (typeof ROLES)[number];
const TABS = ['users', 'audit', 'webhooks', 'storage'] as const;


export function AdminView({ section }: { section: string | undefined }) {
  const { can, t } = useSession();
  const tab = pickTab(TABS, section ?? null, can('manage_users') ? 'users' : 'audit');
  const allowed = { users: can('manage_users'), audit: can('read_audit'), webhooks: mayManageWebhooks(can), storage: mayReadStorage(can) };
  const tabs = TABS.filter((x) => allowed[x]);
  const labels = { users: t('admin.tab.users'), audit: t('admin.tab.audit'), webhooks: t('admin.tab.webhooks'), storage: t('admin.tab.storage') };
  if (tabs.length === 0) return <div className="error" role="alert">{t('state.notAllowed')}{t('admin.notAllowed')}</div>;
  return (
    <section>
      <h1>{t('admin.title')}</h1>
      <Tabs tabs={tabs} labels={labels} current={tab} label={t('admin.title')} onSelect={(x) => navigate(`/admin/${x}`)}>
        {tab === 'users' && (can('manage_users') ? <UsersPanel /> : <div className="error" role="alert">{t('state.notAllowed')}{t('admin.usersNotAllowed')}</div>)}
        {tab === 'audit' && (can('read_audit') ? <AuditPanel /> : <div className="error" role="alert">{t('state.notAllowed')}{t('admin.auditNotAllowed')}</div>)}
        {tab === 'webhooks' && (allowed.webhooks ? <WebhooksPanel /> : <div className="error" role="alert">{t('state.notAllowed')}{t('admin.webhooksNotAllowed')}</div>)}
        {tab === 'storage' && (allowed.storage ? <StoragePanel /> : <div className="error" role="alert">{t('state.notAllowed')}{t('admin.storageNotAllowed')}</div>)}
      </Tabs>
    </section>
  );
}

function UsersPanel() {
  const { me, t, fmt } = useSession();
  const { query } = useLocation();
  const qc = useQueryClient();
  const admin = me?.role === 'admin';
  const tenant = admin ? query.get('tenant') ?? '' : '';
  const cursor = query.get('cursor') ?? '';
  const qs = new URLSearchParams({ limit: '50' });
  if (tenant) qs.set('tenant', tenant);
  if (cursor) qs.set('cursor', cursor);
  const users = useQuery({ queryKey: ['users', qs.toString()], queryFn: () => api<UserPage>('GET', `/api/v1/users?${qs}`) });
  const refresh = () => void qc.invalidateQueries({ queryKey: ['users'] });
  const [form, setForm] = useState({ username: '', password: '', role: 'viewer' as Role, tenant: '' });
  const add = useMutation({
    mutationFn: () => api<User>('POST', '/api/v1/users', { body: { username: form.username, password: form.password, role: form.role, ...(admin && form.tenant ? { tenant: form.tenant } : {}) } }),
    onSuccess: () => {
      setForm({ ...form, username: '', password: '' });
      refresh();
    },
  });
  const act = useMutation({
    mutationFn: ({ user, path, body }: { user: User; path: string; body?: unknown }) => api<User>('POST', `/api/v1/users/${user.id}/${path}`, { body }),
    onSuccess: refresh,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    add.mutate();
  };
  // What this caller may do to a user (the server checks the same).
  const mayManage = (u: User) => u.username !== me?.username && (admin || u.role !== 'admin');
  const roles = admin ? ROLES : ROLES.filter((r) => r !== 'admin');
  // How a user signs in, in words: password, or single sign-on (the server's OpenID Connect provider).
  const signInWords = (how: string) => {
    const key = `admin.signIn.${how}`;
    return t.has(key) ? t(key as 'admin.signIn.password') : humanise(how);
  };
  return (
    <>
      {admin && (
        <form className="params" aria-label={t('admin.usersFilter')} onSubmit={(e) => e.preventDefault()}>
          <label htmlFor="users-tenant">
            {t('admin.tenantFilter')}
            <input id="users-tenant" defaultValue={tenant} onBlur={(e) => setQuery({ tenant: e.target.value.trim() || null, cursor: null })} />
          </label>
        </form>
      )}
      {!admin && <p className="muted">{t('admin.managerHelp', { tenant: me?.tenant ?? '' })}</p>}
      {users.isLoading && <Loading what={t('admin.loading.users')} />}
      <ErrorBox error={users.error} />
      {users.data && users.data.items.length === 0 && <Empty>{t('admin.noUsers')}</Empty>}
      {users.data && users.data.items.length > 0 && (
        <table className="list" aria-label={t('admin.tab.users')}>
          <thead><tr><th>{t('admin.user')}</th><th>{t('admin.tenant')}</th><th>{t('admin.email')}</th><th>{t('admin.fullName')}</th><th>{t('admin.signInMethod')}</th><th>{t('admin.role')}</th><th>{t('common.status')}</th><th>{t('common.created')}</th><th><span className="sr-only">{t('common.actions')}</span></th></tr></thead>
          <tbody>
            {users.data.items.map((u) => (
              <tr key={u.id} data-user={u.username}>
                <td>{u.username}{u.username === me?.username ? t('admin.you') : ''}</td>
                <td>{u.tenant}</td>
                <td data-field="email">{u.email}</td>
                <td data-field="full_name">{u.full_name}</td>
                <td data-field="sign_in" data-sign-in={u.sign_in}>{signInWords(u.sign_in)}</td>
                <td>
                  <select aria-label={t('admin.roleOf', { name: u.username })} value={u.role} disabled={!mayManage(u) || act.isPending}
                    onChange={(e) => act.mutate({ user: u, path: 'role', body: { role: e.target.value } })}>
                    {(mayManage(u) ? roles : ROLES).map((r) => <option key={r} value={r}>{t(`admin.roles.${r}`)}</option>)}
                  </select>
                </td>
                <td data-field="status">{u.disabled ? t('admin.disabled') : t('admin.active')}</td>
                <td>{fmt.date(u.created_at)}</td>
                <td>
                  {mayManage(u) && (u.disabled ? (
                    <button type="button" onClick={() => act.mutate({ user: u, path: 'enable' })} disabled={act.isPending}>{t('admin.enable', { name: u.username })}</button>
                  ) : (
                    <button type="button" className="danger" onClick={() => act.mutate({ user: u, path: 'disable' })} disabled={act.isPending}>{t('admin.disable', { name: u.username })}</button>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager cursor={cursor} next={users.data?.next_cursor ?? null} />
      <ErrorBox error={act.error} />
      <h2>{t('admin.addUser')}</h2>
      <form className="inline" aria-label={t('admin.addUser')} onSubmit={submit}>
        <label htmlFor="new-username">{t('admin.userName')}</label>
        <input id="new-username" autoComplete="off" value={form.username} onChange={(e) => setForm({ ...form, username: e.target.value })} required />
        <label htmlFor="new-password">{t('admin.password')}</label>
        <input id="new-password" type="password" autoComplete="new-password" minLength={8} value={form.password} onChange={(e) => setForm({ ...form, password: e.target.value })} required />
        <label htmlFor="new-role">{t('admin.roleLower')}</label>
        <select id="new-role" value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as Role })}>
          {roles.map((r) => <option key={r} value={r}>{t(`admin.roles.${r}`)}</option>)}
        </select>
        {admin && (
          <>
            <label htmlFor="new-tenant">{t('admin.tenantLower')}</label>
            <input id="new-tenant" value={form.tenant} placeholder={me?.tenant} onChange={(e) => setForm({ ...form, tenant: e.target.value })} />
          </>
        )}
        <button type="submit" className="primary" disabled={add.isPending}>{t('admin.add')}</button>
      </form>
      <ErrorBox error={add.error} />
      {add.data && <div className="ok" role="status">{t('admin.added', { name: add.data.username, role: add.data.role, tenant: add.data.tenant })}</div>}
    </>
  );
}

// Cursor paging kept in the URL: the first page, and the next one while there is one.
function Pager({ cursor, next }: { cursor: string; next: string | null }) {
  const { t } = useSession();
  if (!cursor && !next) return null;
  return (
    <div className="actions">
      <button type="button" disabled={!cursor} onClick={() => setQuery({ cursor: null })}>{t('admin.firstPage')}</button>
      <button type="button" disabled={!next} onClick={() => setQuery({ cursor: next })}>{t('admin.nextPage')}</button>
    </div>
  );
}

const FILTERS = ['user', 'action', 'tenant', 'from', 'to'] as const;

function AuditPanel() {
  const { t, fmt } = useSession();
  const { query } = useLocation();
  const qs = new URLSearchParams({ limit: query.get('limit') ?? '50' });
  for (const f of [...FILTERS, 'cursor']) {
    const v = query.get(f);
    if (v) qs.set(f, v);
  }
  const audit = useQuery({ queryKey: ['audit', qs.toString()], queryFn: () => api<AuditPage>('GET', `/api/v1/audit?${qs}`) });
  return (
    <>
      <form className="params" aria-label={t('admin.auditFilters')} onSubmit={(e) => e.preventDefault()}>
        {FILTERS.map((f) => (
          <label key={f} htmlFor={`audit-${f}`} title={f === 'from' || f === 'to' ? t('admin.isoHint') : undefined}>
            {t(`admin.filter.${f}`)}
            <input id={`audit-${f}`} list={f === 'action' ? 'audit-actions' : undefined} defaultValue={query.get(f) ?? ''} placeholder={f === 'action' ? 'user.role' : f === 'from' || f === 'to' ? 'YYYY-MM-DD[Thh:mm:ssZ]' : ''}
              onBlur={(e) => { if ((query.get(f) ?? '') !== e.target.value.trim()) setQuery({ [f]: e.target.value.trim() || null, cursor: null }); }} />
          </label>
        ))}
        <datalist id="audit-actions">
          {KNOWN.auditAction.map((a) => <option key={a} value={a} label={labelOf(t, 'auditAction', a)} />)}
        </datalist>
        <label htmlFor="audit-limit">
          {t('admin.perPage')}
          <select id="audit-limit" value={query.get('limit') ?? '50'} onChange={(e) => setQuery({ limit: e.target.value, cursor: null })}>
            {['5', '10', '50', '200'].map((n) => <option key={n}>{n}</option>)}
          </select>
        </label>
      </form>
      {audit.isLoading && <Loading what={t('admin.loading.audit')} />}
      <ErrorBox error={audit.error} />
      {audit.data && audit.data.items.length === 0 && <Empty>{t('admin.noEntries')}</Empty>}
      {audit.data && audit.data.items.length > 0 && (
        <div className="scroller" tabIndex={0} role="region" aria-label={t('table.scrollable', { label: t('admin.tab.audit') })}>
          <table className="list" aria-label={t('admin.tab.audit')}>
            <thead><tr><th>{t('admin.at')}</th><th>{t('admin.user')}</th><th>{t('admin.tenant')}</th><th>{t('admin.action')}</th><th>{t('admin.resource')}</th><th>{t('admin.outcome')}</th><th>{t('admin.client')}</th><th>{t('admin.requestId')}</th><th>{t('admin.details')}</th></tr></thead>
            <tbody>
              {audit.data.items.map((e) => (
                <tr key={e.id} data-action={e.action}>
                  <td>{fmt.date(e.at)}</td><td>{e.user}</td><td>{e.tenant}</td><td data-field="action" title={e.action}>{labelOf(t, 'auditAction', e.action)}</td><td>{e.resource}</td>
                  <td data-field="outcome" data-outcome={e.outcome}>{labelOf(t, 'outcome', e.outcome)}</td><td>{e.client}</td><td>{e.request_id}</td>
                  <td className="small" style={{ whiteSpace: 'normal' }} data-field="details"><KeyValues value={e.details} label={t('admin.detailsOf', { id: e.id })} max={5} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager cursor={query.get('cursor') ?? ''} next={audit.data?.next_cursor ?? null} />
    </>
  );
}
