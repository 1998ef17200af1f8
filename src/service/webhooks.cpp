// A tenant's webhooks: the use cases, the Standard Webhooks signature and the sender's turn
// (keel/service/webhooks.h).
#include "keel/service/webhooks.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "keel/core/date.h"
#include "keel/core/error.h"
#include "keel/core/strings.h"
#include "keel/net/crypto.h"
#include "keel/net/http_client.h"
#include "keel/service/secrets.h"
#include "keel/store/store.h"
#include "keel/store/webhook_repository.h"

namespace keel::service {
namespace {

store::WebhookRepository& webhooks_of(const Context& cx) {
  return require_store(cx, "webhooks are stored").webhooks();
}

std::vector<std::string> split_events(const std::string& events) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= events.size()) {
    const auto comma = events.find(',', start);
    const std::string one = events.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (!one.empty()) out.push_back(one);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

WebhookResult result_of(const store::WebhookRecord& h) {
  return {h.id, h.url, split_events(h.events), h.description, h.created_by, h.created_at, h.disabled,
          h.disabled_reason, std::nullopt};
}

WebhookDeliveryResult delivery_of(const store::WebhookDelivery& d) {
  auto payload = nlohmann::json::parse(d.payload, nullptr, false);
  return {d.id,
          d.webhook_id,
          d.event,
          d.event_id,
          d.status,
          d.attempts,
          d.status == "pending" ? iso_utc(static_cast<std::int64_t>(d.next_attempt_at)) : "",
          d.last_status,
          d.last_error,
          d.last_attempt_at,
          d.created_at,
          payload.is_discarded() ? nlohmann::json::object() : payload};
}

store::WebhookRecord hook_of(const Context& cx, std::int64_t id) {
  auto hook = webhooks_of(cx).find(cx.actor.tenant, id);
  if (!hook) throw Error::not_found(fmt::format("no webhook {}", id));
  return *hook;
}

// The name of a webhook's signing secret in its tenant's key vault.
std::string secret_name(std::int64_t id) { return fmt::format("webhook.{}", id); }

// Moves a secret the row still keeps in clear (a webhook made before the vault kept them, or where
// there was none) into the tenant's key vault, with no origin (it signs; it is never sent).
void seal_secret(const Context& cx, store::WebhookRecord& hook) {
  if (hook.secret.empty() || cx.secrets == nullptr) return;
  cx.secrets->put(hook.tenant, secret_name(hook.id), hook.secret, hook.created_by);
  webhooks_of(cx).set_secret(hook.tenant, hook.id, "");
  hook.secret.clear();
}

// The webhook's signing secret: the vault's, or the row's while it is not sealed; nullopt when
// neither holds it (the vault's key was deleted).
std::optional<std::string> signing_secret(const Context& cx, const store::WebhookRecord& hook) {
  if (!hook.secret.empty()) return hook.secret;
  if (cx.secrets == nullptr) return std::nullopt;
  return cx.secrets->get(hook.tenant, secret_name(hook.id));
}

bool wants(const std::string& events, const std::string& type) {
  const auto list = split_events(events);
  return std::find(list.begin(), list.end(), "*") != list.end() ||
         std::find(list.begin(), list.end(), type) != list.end();
}


}  // namespace

spec::ItemsOf<WebhookResult> list_webhooks(const Context& cx) {
  authorize(cx, kWebhookList, "webhooks");
  spec::ItemsOf<WebhookResult> out;
  for (const auto& h : webhooks_of(cx).list(cx.actor.tenant)) out.items.push_back(result_of(h));
  return out;
}

WebhookResult create_webhook(const Context& cx, const CreateWebhookRequest& request, const net::OutboundPolicy& policy) {
  authorize(cx, kWebhookCreate, "webhooks");
  std::vector<std::string> problems;
  if (request.events.empty()) problems.push_back("events: expected at least one event type, or *");
  for (std::size_t i = 0; i < request.events.size(); ++i) {
    const auto& e = request.events[i];
    if (e != "*" && std::find(kWebhookEventTypes.begin(), kWebhookEventTypes.end(), e) == kWebhookEventTypes.end()) {
      problems.push_back(fmt::format("events[{}]: {} is not one of job.finished, clo.breach, clo.alert, "
                                     "portfolio.changed, import.warnings, *",
                                     i, shown_with(e, 40, '\'')));
    }
  }
  std::string why;
  const auto origin = net::normalize_origin(request.url, &why);
  if (!origin) {
    problems.push_back("url: " + why);
  } else if (origin->starts_with("http://") && policy.enforce &&
             !net::host_listed(policy.allowed_hosts, net::host_for_policy(request.url))) {
    problems.push_back("url: expected https (http only to a host the operator allows: keel serve --webhook-allow-host)");
  }
  if (!problems.empty()) throw Error::invalid_input("invalid webhook", problems);
  net::check_destination(policy, request.url);  // a private or loopback address: refused now, not at each delivery
  std::string events;
  for (const auto& e : request.events) events += (events.empty() ? "" : ",") + e;
  store::WebhookRecord row;
  row.tenant = cx.actor.tenant;
  row.url = request.url;
  row.events = events;
  const std::string secret = "whsec_" + net::base64_encode(net::random_bytes(32));
  row.secret = secret;
  row.description = request.description;
  row.created_by = audit_user(cx.actor);
  auto kept = webhooks_of(cx).add(row);
  try {
    seal_secret(cx, kept);
  } catch (...) {
    webhooks_of(cx).remove(kept.tenant, kept.id);  // no webhook whose secret could not be kept
    throw;
  }
  audit(cx, kWebhookCreate, fmt::format("webhook/{}", kept.id), {{"url", kept.url}, {"events", request.events}});
  WebhookResult out = result_of(kept);
  out.secret = secret;
  return out;
}

WebhookResult update_webhook(const Context& cx, std::int64_t id, const UpdateWebhookRequest& request) {
  authorize(cx, kWebhookUpdate, fmt::format("webhook/{}", id));
  auto hook = hook_of(cx, id);
  seal_secret(cx, hook);  // a secret kept in clear before the vault held them goes in now
  webhooks_of(cx).set_disabled(cx.actor.tenant, id, request.disabled, "");
  audit(cx, kWebhookUpdate, fmt::format("webhook/{}", id), {{"disabled", request.disabled}});
  return result_of(hook_of(cx, id));
}

WebhookDeleteResult delete_webhook(const Context& cx, std::int64_t id) {
  authorize(cx, kWebhookDelete, fmt::format("webhook/{}", id));
  const auto hook = hook_of(cx, id);
  webhooks_of(cx).remove(cx.actor.tenant, id);
  if (cx.secrets) cx.secrets->remove(cx.actor.tenant, secret_name(id));
  audit(cx, kWebhookDelete, fmt::format("webhook/{}", id), {{"url", hook.url}});
  return {true, id};
}

spec::ItemsOf<WebhookDeliveryResult> list_webhook_deliveries(const Context& cx, std::int64_t id,
                                                             const WebhookDeliveriesRequest& request) {
  authorize(cx, kWebhookList, fmt::format("webhook/{}", id));
  hook_of(cx, id);
  spec::ItemsOf<WebhookDeliveryResult> out;
  for (const auto& d : webhooks_of(cx).deliveries(cx.actor.tenant, id, request.limit)) {
    out.items.push_back(delivery_of(d));
  }
  return out;
}

WebhookDeliveryResult redeliver_webhook(const Context& cx, std::int64_t id, std::int64_t delivery_id) {
  authorize(cx, kWebhookRedeliver, fmt::format("webhook/{}", id));
  hook_of(cx, id);
  auto& repo = webhooks_of(cx);
  const auto d = repo.delivery(cx.actor.tenant, delivery_id);
  if (!d || d->webhook_id != id) throw Error::not_found(fmt::format("webhook {} has no delivery {}", id, delivery_id));
  repo.redeliver(cx.actor.tenant, delivery_id, static_cast<double>(cx.env.clock.unix_seconds()));
  audit(cx, kWebhookRedeliver, fmt::format("webhook/{}", id), {{"delivery_id", delivery_id}, {"event", d->event}});
  return delivery_of(*repo.delivery(cx.actor.tenant, delivery_id));
}

std::string webhook_signature(const std::string& secret, const std::string& msg_id, std::int64_t timestamp,
                              const std::string& body) {
  const auto key = secret.starts_with("whsec_") ? net::base64_decode(secret.substr(6)) : std::nullopt;
  if (!key || key->empty()) throw Error::invalid_input("a webhook secret is whsec_ and base64");
  return "v1," + net::base64_encode(net::hmac_sha256(*key, fmt::format("{}.{}.{}", msg_id, timestamp, body)));
}

WebhookPost curl_webhook_post(const WebhookSenderSettings& settings) {
  return [settings](const std::string& url, const std::vector<std::pair<std::string, std::string>>& headers,
                    const std::string& body) -> std::pair<std::optional<int>, std::string> {
    net::OutboundGuard guard(settings.policy);
    const net::PlainAnswer answer = net::send_plain({.url = url, .user_agent = "keel-webhooks",
                                                     .timeout_ms = settings.timeout_ms, .headers = headers,
                                                     .body = body, .basic_auth = "", .max_body_bytes = 0},
                                                    &guard);  // the answer's body is not kept
    if (!answer.failure.empty()) return {std::nullopt, answer.failure};
    return {static_cast<int>(answer.status), ""};
  };
}

std::pair<std::string, nlohmann::json> webhook_event(const PortfolioChange& c) {
  if (c.kind == "job") {
    return {"job.finished", {{"job_id", c.portfolio_id}, {"kind", c.portfolio}, {"status", c.what}, {"user", c.user}}};
  }
  if (c.kind == "clo") return {"clo." + c.what, {{"deal_id", c.portfolio_id}, {"deal", c.portfolio}}};
  if (c.kind == "import") {
    auto data = import_notice(c);
    data["user"] = c.user;
    return {"import.warnings", data};
  }
  return {"portfolio.changed", {{"portfolio_id", c.portfolio_id}, {"portfolio", c.portfolio}, {"what", c.what}}};
}

std::size_t run_webhooks(const Context& cx, const WebhookSenderSettings& settings, const WebhookPost& post,
                         double now, WebhookSenderState& state) {
  auto& repo = webhooks_of(cx);
  if (now - state.pruned_at >= 600.0) {
    repo.prune(now - settings.retention_seconds);
    state.pruned_at = now;
  }
  if (state.seen < 0) {
    // Where the store's senders left off (events journaled while no server ran are posted), else
    // the journal's end: a first sender does not post the day before it existed.
    const auto cursor = repo.cursor();
    state.seen = cursor ? *cursor : last_change_id(cx);
    if (!cursor) repo.advance_cursor(state.seen);
  }
  const std::int64_t seen_before = state.seen;
  // Enqueue what was journaled since the last turn, for the webhooks of each change's tenant.
  for (;;) {
    const auto changes = changes_after(cx, state.seen, 500);
    if (changes.empty()) break;
    auto hooks = repo.enabled();
    for (auto& hook : hooks) {
      try {
        seal_secret(cx, hook);  // a secret kept in clear before the vault held them
      } catch (const Error&) {
        // The vault cannot take it now: deliveries are signed with the row's secret meanwhile.
      }
    }
    for (const auto& change : changes) {
      const auto [type, data] = webhook_event(change);
      for (const auto& hook : hooks) {
        if (hook.tenant != change.tenant || !wants(hook.events, type)) continue;
        store::WebhookDelivery d;
        d.tenant = hook.tenant;
        d.webhook_id = hook.id;
        d.event_id = change.id;
        d.event = type;
        d.payload = nlohmann::json{{"type", type}, {"timestamp", iso_utc(static_cast<std::int64_t>(now))},
                                   {"tenant", change.tenant}, {"data", data}}
                        .dump();
        repo.enqueue(d, now);
      }
      // Past this change only once all its deliveries are kept: a failure above (the store busy)
      // leaves it to the next turn, which enqueues it again (once per webhook and event).
      state.seen = std::max(state.seen, change.id);
    }
    if (changes.size() < 500) break;
  }
  if (state.seen > seen_before) repo.advance_cursor(state.seen);
  // Post the deliveries due.
  const auto due = repo.lease_due(now, static_cast<double>(settings.timeout_ms) / 1000.0 + 30.0, settings.batch);
  std::map<std::pair<std::string, std::int64_t>, std::optional<store::WebhookRecord>> hooks;
  for (const auto& d : due) {
    auto& hook = hooks[{d.tenant, d.webhook_id}];
    if (!hook) hook = repo.find(d.tenant, d.webhook_id);
    // Disabled in this turn (a 410 to an earlier delivery): the rest wait, their leases lapsing,
    // until the webhook is enabled; deleted: its deliveries went with it.
    if (!hook || hook->disabled) continue;
    try {
      seal_secret(cx, *hook);
    } catch (const Error&) {
      // The vault cannot take it now: the delivery is signed with the row's secret, sealed later.
    }
    const auto secret = signing_secret(cx, *hook);
    if (!secret) {
      repo.record_attempt(d.tenant, d.id, std::nullopt,
                          fmt::format("the webhook's signing secret ({}) is not in the key vault", secret_name(hook->id)),
                          "failed", now);
      continue;
    }
    const std::string msg_id = fmt::format("msg_{}", d.id);
    const auto timestamp = static_cast<std::int64_t>(now);
    const auto [status, error] =
        post(hook->url,
             {{"Content-Type", "application/json"},
              {"webhook-id", msg_id},
              {"webhook-timestamp", std::to_string(timestamp)},
              {"webhook-signature", webhook_signature(*secret, msg_id, timestamp, d.payload)}},
             d.payload);
    const int attempt = d.attempts + 1;
    if (status && *status >= 200 && *status < 300) {
      repo.record_attempt(d.tenant, d.id, status, "", "delivered", now);
    } else if (status && *status == 410) {
      repo.record_attempt(d.tenant, d.id, status, "the endpoint answered 410 Gone", "failed", now);
      repo.set_disabled(d.tenant, d.webhook_id, true, "the endpoint answered 410 Gone");
      hook->disabled = true;
    } else {
      const std::string why = status ? fmt::format("the endpoint answered {}", *status) : error;
      const double wait =
          std::min(settings.retry_max_seconds, settings.retry_base_seconds * std::pow(4.0, attempt - 1));
      repo.record_attempt(d.tenant, d.id, status, why.substr(0, 300),
                          attempt >= settings.max_attempts ? "failed" : "pending", now + wait);
    }
  }
  return due.size();
}

}  // namespace keel::service
