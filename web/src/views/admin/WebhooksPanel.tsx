// Administration: the tenant's webhooks (docs/webhooks.md; managers and administrators). The list —
// URL, events in words, description, who added it and when, enabled or disabled with the reason —
// with enable, disable and delete (after a confirmation); a form that adds one (URL, the event
// types or all events, description), after which the signing secret is shown once, read-only and
// copyable, with the warning that it will not be shown again (it is kept in this panel's state
// only, never in the query cache); and a webhook's deliveries (?webhook=ID): status, event,
// attempts, the last HTTP status and error, the times, the body posted as a key/value table (the
// JSON behind Show JSON), and Redeliver for a failed one. The list of deliveries is asked again
// every two seconds while one is pending.
import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { CreateWebhookRequest, Webhook, WebhookDelivery, WebhookDeliveryPage, WebhookPage } from '../../api/types';
import { setQuery, useLocation } from '../../app/router';
import { useSession } from '../../app/session';
import { DeleteButton } from '../../components/DeleteButton';
import { KeyValues } from '../../components/KeyValues';
import { Empty, ErrorBox, Loading } from '../../components/States';
import { TableScroll } from '../../components/TableScroll';
import { anyPending, deliveryStatusWords, eventsToSend, eventWords, WEBHOOK_EVENTS } from './webhooks';

const LIST = ['webhooks'];

export function WebhooksPanel() {
  const { t, fmt } = useSession();
  const { query } = useLocation();
  const qc = useQueryClient();
  const selected = Number(query.get('webhook') ?? '') || null;
  const hooks = useQuery({ queryKey: LIST, queryFn: () => api<WebhookPage>('GET', '/api/v1/webhooks') });
  const refresh = () => void qc.invalidateQueries({ queryKey: LIST });
  const toggle = useMutation({
    mutationFn: (w: Webhook) => api<Webhook>('PATCH', `/api/v1/webhooks/${w.id}`, { body: { disabled: !w.disabled } }),
    onSuccess: refresh,
  });
  const remove = useMutation({
    mutationFn: (w: Webhook) => api('DELETE', `/api/v1/webhooks/${w.id}`),
    onSuccess: (_, w) => {
      if (selected === w.id) setQuery({ webhook: null });
      qc.removeQueries({ queryKey: ['webhook-deliveries', w.id] });
      refresh();
    },
  });
  const items = hooks.data?.items ?? [];
  const shown = items.find((w) => w.id === selected) ?? null;
  return (
    <>
      <p className="muted">{t('webhooks.help')}</p>
      {hooks.isLoading && <Loading what={t('webhooks.loading')} />}
      <ErrorBox error={hooks.error} />
      {hooks.data && items.length === 0 && <Empty>{t('webhooks.none')}</Empty>}
      {items.length > 0 && (
        <TableScroll label={t('admin.tab.webhooks')}>
          <table className="list" aria-label={t('admin.tab.webhooks')}>
            <thead>
              <tr>
                <th>{t('webhooks.url')}</th><th>{t('webhooks.events')}</th><th>{t('webhooks.description')}</th><th>{t('webhooks.createdBy')}</th>
                <th>{t('common.created')}</th><th>{t('common.status')}</th><th><span className="sr-only">{t('common.actions')}</span></th>
              </tr>
            </thead>
            <tbody>
              {items.map((w) => (
                <tr key={w.id} data-webhook={w.id} data-url={w.url} className={w.disabled ? 'muted' : undefined}>
                  <td data-field="url">{w.url}</td>
                  <td data-field="events">{w.events.map((e) => eventWords(t, e)).join(', ')}</td>
                  <td data-field="description" className="wrap">{w.description}</td>
                  <td>{w.created_by}</td>
                  <td>{fmt.date(w.created_at)}</td>
                  <td data-field="status" className="wrap">
                    {w.disabled ? (w.disabled_reason ? t('webhooks.disabledBecause', { reason: w.disabled_reason }) : t('webhooks.disabled')) : t('webhooks.enabled')}
                  </td>
                  <td>
                    <div className="actions row-actions">
                      <button type="button" aria-pressed={selected === w.id} onClick={() => setQuery({ webhook: selected === w.id ? null : String(w.id) })}>
                        {t('webhooks.deliveries')}
                      </button>
                      <button type="button" className={w.disabled ? undefined : 'danger'} disabled={toggle.isPending} onClick={() => toggle.mutate(w)}>
                        {w.disabled ? t('webhooks.enable') : t('webhooks.disable')}
                      </button>
                      <DeleteButton label={t('webhooks.deleteOf', { url: w.url })} confirm={t('webhooks.confirmDelete', { url: w.url })} onDelete={() => remove.mutate(w)} />
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      <ErrorBox error={toggle.error ?? remove.error} />
      {shown && <Deliveries key={shown.id} webhook={shown} />}
      <AddWebhook onAdded={refresh} />
    </>
  );
}

function AddWebhook({ onAdded }: { onAdded: () => void }) {
  const { t } = useSession();
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [all, setAll] = useState(false);
  const [chosen, setChosen] = useState<string[]>([]);
  const [local, setLocal] = useState<string | null>(null);
  // The answer that creates a webhook is the only one that carries its secret.
  const [created, setCreated] = useState<{ url: string; secret: string } | null>(null);
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);
  const add = useMutation({
    mutationFn: (body: CreateWebhookRequest) => api<Webhook>('POST', '/api/v1/webhooks', { body }),
    onSuccess: (w) => {
      setCreated({ url: w.url, secret: w.secret ?? '' });
      setCopied(null);
      setUrl('');
      setDescription('');
      setAll(false);
      setChosen([]);
      onAdded();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const events = eventsToSend(all, chosen);
    setLocal(events.length ? null : t('webhooks.pickEvents'));
    if (!events.length) return;
    setCreated(null);
    add.mutate({ url: url.trim(), events, description: description.trim() });
  };
  const copy = async (secret: string) => {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied('yes');
    } catch {
      setCopied('no');
    }
  };
  return (
    <>
      {created && (
        <div className="secret-once" data-testid="webhook-secret">
          <p className="ok" role="status">{t('webhooks.added', { url: created.url })}</p>
          <p className="warning"><strong>{t('webhooks.secretWarning')}</strong></p>
          <label htmlFor="webhook-secret">{t('webhooks.secret')}</label>
          <div className="actions">
            <input id="webhook-secret" className="secret" readOnly value={created.secret} spellCheck={false} autoComplete="off" onFocus={(e) => e.target.select()} />
            <button type="button" onClick={() => void copy(created.secret)}>{t('webhooks.copy')}</button>
          </div>
          {copied && <p role="status" className={copied === 'yes' ? 'muted' : 'warning'}>{copied === 'yes' ? t('webhooks.copied') : t('webhooks.copyFailed')}</p>}
          <button type="button" onClick={() => setCreated(null)}>{t('webhooks.secretDone')}</button>
        </div>
      )}
      <h2>{t('webhooks.add')}</h2>
      <form className="stack narrow" aria-label={t('webhooks.add')} onSubmit={submit}>
        <label htmlFor="webhook-url">{t('webhooks.url')}</label>
        <input id="webhook-url" type="url" inputMode="url" autoComplete="off" placeholder="https://hooks.example.com/keel" aria-describedby="webhook-url-hint" value={url} onChange={(e) => setUrl(e.target.value)} required />
        <span id="webhook-url-hint" className="muted small">{t('webhooks.urlHint')}</span>
        <fieldset>
          <legend>{t('webhooks.events')}</legend>
          <label className="check">
            <input type="checkbox" checked={all} onChange={(e) => setAll(e.target.checked)} /> {t('webhooks.allEvents')}
          </label>
          {WEBHOOK_EVENTS.map((ev) => (
            <label key={ev} className="check">
              <input
                type="checkbox"
                value={ev}
                disabled={all}
                checked={all || chosen.includes(ev)}
                onChange={(e) => setChosen(e.target.checked ? [...chosen, ev] : chosen.filter((x) => x !== ev))}
              />{' '}
              {eventWords(t, ev)}
            </label>
          ))}
        </fieldset>
        <label htmlFor="webhook-description">{t('webhooks.description')}</label>
        <input id="webhook-description" maxLength={200} value={description} onChange={(e) => setDescription(e.target.value)} />
        <div>
          <button type="submit" className="primary" disabled={add.isPending}>{t('webhooks.addButton')}</button>
        </div>
        {local && <p className="error" role="alert">{local}</p>}
        <ErrorBox error={add.error} />
      </form>
    </>
  );
}

function Deliveries({ webhook }: { webhook: Webhook }) {
  const { t, fmt } = useSession();
  const qc = useQueryClient();
  const key = ['webhook-deliveries', webhook.id];
  const deliveries = useQuery({
    queryKey: key,
    queryFn: () => api<WebhookDeliveryPage>('GET', `/api/v1/webhooks/${webhook.id}/deliveries?limit=50`),
    staleTime: 0,
    refetchInterval: (q) => (anyPending(q.state.data?.items) ? 2000 : false),
  });
  const redeliver = useMutation({
    mutationFn: (d: WebhookDelivery) => api<WebhookDelivery>('POST', `/api/v1/webhooks/${webhook.id}/deliveries/${d.id}/redeliver`),
    onSuccess: () => void qc.invalidateQueries({ queryKey: key }),
  });
  const items = deliveries.data?.items ?? [];
  const heading = t('webhooks.deliveriesOf', { url: webhook.url });
  return (
    <section aria-label={heading} data-testid="webhook-deliveries">
      <div className="titlebar">
        <h2>{heading}</h2>
        <button type="button" onClick={() => void deliveries.refetch()} disabled={deliveries.isFetching}>{t('webhooks.refresh')}</button>
      </div>
      {deliveries.isLoading && <Loading what={t('webhooks.loadingDeliveries')} />}
      <ErrorBox error={deliveries.error} />
      {deliveries.data && items.length === 0 && <Empty>{t('webhooks.noDeliveries')}</Empty>}
      {items.length > 0 && (
        <TableScroll label={heading}>
          <table className="list" aria-label={heading}>
            <thead>
              <tr>
                <th>{t('webhooks.delivery')}</th><th>{t('webhooks.event')}</th><th>{t('common.status')}</th><th className="num">{t('webhooks.attempts')}</th>
                <th className="num">{t('webhooks.lastStatus')}</th><th>{t('webhooks.lastError')}</th><th>{t('webhooks.lastAttempt')}</th>
                <th>{t('webhooks.nextAttempt')}</th><th>{t('common.created')}</th><th>{t('webhooks.payload')}</th>
                <th><span className="sr-only">{t('common.actions')}</span></th>
              </tr>
            </thead>
            <tbody>
              {items.map((d) => (
                <tr key={d.id} data-delivery={d.id} data-status={d.status}>
                  <td>msg_{d.id}</td>
                  <td data-field="event" title={d.event}>{eventWords(t, d.event)}</td>
                  <td data-field="status">{deliveryStatusWords(t, d.status)}</td>
                  <td className="num" data-field="attempts">{d.attempts}</td>
                  <td className="num" data-field="last_status">{d.last_status ?? (d.attempts > 0 ? t('webhooks.noAnswer') : '–')}</td>
                  <td data-field="last_error" className="wrap">{d.last_error || '–'}</td>
                  <td>{fmt.date(d.last_attempt_at)}</td>
                  <td>{d.status === 'pending' ? fmt.date(d.next_attempt_at) : '–'}</td>
                  <td>{fmt.date(d.created_at)}</td>
                  <td className="small wrap" data-field="payload">
                    <KeyValues value={d.payload} label={t('webhooks.payloadOf', { id: d.id })} max={5} />
                  </td>
                  <td>
                    {d.status === 'failed' && (
                      <button type="button" disabled={redeliver.isPending} onClick={() => redeliver.mutate(d)}>{t('webhooks.redeliver')}</button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      <ErrorBox error={redeliver.error} />
      {redeliver.data && <p className="ok" role="status">{t('webhooks.redelivered', { id: redeliver.data.id })}</p>}
    </section>
  );
}
