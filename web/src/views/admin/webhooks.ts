// The webhooks page's words and choices (WebhooksPanel.tsx; docs/webhooks.md): the event types a
// webhook may ask for, in words; the events a new webhook sends; a delivery's status in words.
import type { Translate } from '../../app/i18n';
import { humanise } from '../../app/labels';

// The event types of the change journal a webhook may be posted (the server's kWebhookEventTypes);
// ALL_EVENTS asks for every type, those added later too.
export const WEBHOOK_EVENTS = ['job.finished', 'clo.breach', 'clo.alert', 'portfolio.changed'] as const;
export const ALL_EVENTS = '*';
// The roles that manage the tenant's webhooks (managers and administrators): any of these.
export const WEBHOOK_PERMISSIONS = ['manage_users', 'manage_keys'] as const;

export function mayManageWebhooks(can: (permission: string) => boolean): boolean {
  return WEBHOOK_PERMISSIONS.some(can);
}

// An event type in words ("Portfolio changed"; "*" is "All events"); a type the app does not know
// yet is spelt out.
export function eventWords(t: Translate, event: string): string {
  if (event === ALL_EVENTS) return t('webhooks.event.all');
  const key = `webhooks.event.${event}`;
  return t.has(key) ? t(key as 'webhooks.event.all') : humanise(event);
}

// The `events` of a new webhook: ["*"] for all, else the chosen types in the server's order; empty
// when none is chosen (the form says to choose one).
export function eventsToSend(all: boolean, chosen: readonly string[]): string[] {
  if (all) return [ALL_EVENTS];
  return WEBHOOK_EVENTS.filter((e) => chosen.includes(e));
}

// A delivery's status (pending, delivered, failed) in words.
export function deliveryStatusWords(t: Translate, status: string): string {
  const key = `webhooks.deliveryStatus.${status}`;
  return t.has(key) ? t(key as 'webhooks.deliveryStatus.pending') : humanise(status);
}

// Whether a list of deliveries still has one the server will try again (the list is asked again
// until none is).
export function anyPending(deliveries: readonly { status: string }[] | undefined): boolean {
  return !!deliveries?.some((d) => d.status === 'pending');
}
