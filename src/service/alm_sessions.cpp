// ALM sessions (keel/service/alm_sessions.h): parsed inputs and results kept in the store, with TTL
// and an LRU disk budget.
#include "keel/service/alm_sessions.h"

#include <fmt/format.h>

#include "keel/core/error.h"
#include "keel/core/strings.h"
#include "keel/store/alm_repository.h"
#include "alm_internal.h"

namespace keel::service {
namespace {

using nlohmann::json;

AlmSessionInfo info_of(const store::AlmSessionInfo& s) {
  AlmSessionInfo o;
  o.name = s.name;
  if (s.as_of) o.as_of.emplace(s.as_of->to_string());
  o.currency = s.currency;
  o.source = s.source;
  o.positions = s.positions;
  o.curves = s.curve_currencies;
  o.results = s.results;
  o.created_at = s.created_at;
  o.last_accessed = iso_utc(s.last_accessed);
  o.ttl_seconds = s.ttl_seconds;
  o.expires_at = iso_utc(s.last_accessed + s.ttl_seconds);
  o.size_bytes = s.size_bytes;
  o.settings = session_settings(s.settings);
  o.owner = s.owner;
  o.shared = s.shared;
  return o;
}

// Whether the actor may see (and run) the session: its owner, any user when it is shared or has
// no owner, an administrator always.
bool visible(const Context& cx, const store::AlmSessionInfo& s) {
  return s.shared || s.owner.empty() || s.owner == cx.actor.user || cx.actor.role == Role::kAdmin;
}

// Whether the actor may delete it or change its sharing: its owner or an administrator (a session
// without an owner: any user allowed the use case).
bool manages(const Context& cx, const store::AlmSessionInfo& s) {
  return s.owner.empty() || s.owner == cx.actor.user || cx.actor.role == Role::kAdmin;
}

// The tenant's session `name` as the actor may see it: nullopt when missing or not visible.
std::optional<store::AlmSessionInfo> find_visible(const Context& cx, store::AlmRepository& repo,
                                                  const std::string& name) {
  auto s = repo.find(cx.actor.tenant, name);
  if (s && !visible(cx, *s)) return std::nullopt;
  return s;
}

// A stored result read back into its struct.
template <class R>
std::optional<R> stored_result(store::AlmRepository& repo, std::int64_t id, const std::string& kind) {
  auto text = repo.result(id, kind);
  if (!text) return std::nullopt;
  const json j = json::parse(*text, nullptr, false);
  if (j.is_discarded()) throw Error::internal("the stored ALM " + kind + " result is not JSON");
  R r;
  spec::read_json(j, r, "stored ALM " + kind + " result");
  return r;
}

}  // namespace

namespace detail {

void require_visible_alm_session(const Context& cx, const std::string& name) {
  if (cx.store == nullptr) return;
  const auto s = cx.store->alm_sessions().find(cx.actor.tenant, name);
  if (s && !visible(cx, *s)) store::throw_no_alm_session(name, nullptr);
}

}  // namespace detail

AlmSessionSettings session_settings(const std::string& stored) {
  AlmSessionSettings out;
  const json j = json::parse(stored, nullptr, false);
  if (!j.is_object()) return out;
  try {
    spec::read_json(j, out, "stored ALM session settings");
  } catch (const Error&) {
    return AlmSessionSettings{};  // written by keel; a damaged row runs with the defaults
  }
  return out;
}

AlmSessionCreated alm_session_create(const Context& cx, const AlmSessionCreateRequest& request) {
  authorize(cx, kAlmSessionCreate, "alm_session/" + shown_with(request.name, 200, 0));
  Store& store = require_store(cx, "ALM sessions");
  const std::string& tenant = cx.actor.tenant;
  const std::int64_t now_epoch = cx.env.clock.unix_seconds();
  if (request.name.empty()) throw Error::usage("a session needs a name");
  if (const auto p = spec::name_problem(request.name, 200); !p.empty()) {
    throw Error::invalid_input("invalid ALM session", {"name: " + p});
  }
  if (request.inputs.session) throw Error::usage("a new session takes a balance sheet and curves, not a session");
  // An expired session of that name is gone (creating deletes it first).
  if (auto old = store.alm_sessions().find(tenant, request.name); old && !store::expired(*old, now_epoch)) {
    throw Error::conflict(fmt::format("an ALM session named {} exists already", shown_with(request.name, 200, '"')));
  }
  // Parse and validate everything, and run once, before anything is stored.
  AlmInputs in = load_alm_inputs(cx, request.inputs);
  const alm::AlmResult r = alm::run_irrbb(in.book, in.market, in.options);
  AlmSessionSettings settings;
  if (in.options.tier1) settings.tier1.emplace(*in.options.tier1);
  settings.fx = in.options.fx_rates;
  settings.horizon_months = in.options.nii_horizon_months;
  settings.nii_buckets = in.options.nii_calendar_months ? NiiBuckets::kCalendar : NiiBuckets::kAnniversary;
  settings.floor = in.options.apply_floor;
  settings.gain_weight = in.options.gain_weight;
  settings.warnings = in.warnings;
  store::AlmRepository& repo = store.alm_sessions();
  repo.cleanup(now_epoch, 0);
  // Stored with its owner in one transaction: it is never seen without one.
  const store::AlmSessionInfo created = store.transaction([&] {
    auto c = repo.create(tenant, request.name, in.book, in.curves, in.user_shocks, in.options.as_of,
                         in.options.reporting_currency, spec::to_json(settings).dump(), request.ttl_seconds,
                         now_epoch);
    repo.set_access(c.id, cx.actor.user, false);
    return c;
  });
  AlmSessionCreated out;
  out.eve = eve_result(r);
  out.nii = nii_result(r);
  out.gap = gap_result(r);
  out.eve.warnings = out.nii.warnings = out.gap.warnings = in.warnings;  // kept with the stored results
  repo.save_result(created.id, "eve", spec::to_json(out.eve).dump(), now_epoch);
  repo.save_result(created.id, "nii", spec::to_json(out.nii).dump(), now_epoch);
  repo.save_result(created.id, "gap", spec::to_json(out.gap).dump(), now_epoch);
  const auto info = repo.find(tenant, request.name);
  out.session = info_of(*info);
  out.session.id = info->id;
  out.warnings = std::move(in.warnings);
  audit(cx, kAlmSessionCreate, fmt::format("alm_session/{}", info->id),
        {{"name", request.name}, {"positions", out.session.positions}});
  return out;
}

AlmSessionList alm_session_list(const Context& cx) {
  const std::string& tenant = cx.actor.tenant;
  store::AlmRepository& repo = require_store(cx, "ALM sessions").alm_sessions();
  const std::int64_t now_epoch = cx.env.clock.unix_seconds();
  AlmSessionList out;
  for (const auto& s : repo.list(tenant)) {
    if (store::expired(s, now_epoch)) continue;  // gone, though cleanup has not deleted it yet
    if (!visible(cx, s)) continue;
    out.items.push_back(info_of(s));
    out.items.back().id = s.id;
  }
  return out;
}

AlmSessionInfo alm_session_find(const Context& cx, std::string_view ref) {
  store::AlmRepository& repo = require_store(cx, "ALM sessions").alm_sessions();
  for (const auto& s : repo.list(cx.actor.tenant)) {
    if (!visible(cx, s)) continue;
    if (s.name == ref || fmt::format("{}", s.id) == ref) {
      if (store::expired(s, cx.env.clock.unix_seconds())) store::throw_no_alm_session(s.name, &s);
      AlmSessionInfo out = info_of(s);
      out.id = s.id;
      return out;
    }
  }
  // The words of store::throw_no_alm_session, which the use cases that take a name throw.
  throw Error::not_found(fmt::format("no ALM session named {}", shown_with(ref, 200, '"')));
}

AlmSessionShown alm_session_show(const Context& cx, const std::string& name) {
  store::AlmRepository& repo = require_store(cx, "ALM sessions").alm_sessions();
  const std::int64_t now_epoch = cx.env.clock.unix_seconds();
  auto info = find_visible(cx, repo, name);
  if (!info || store::expired(*info, now_epoch)) store::throw_no_alm_session(name, info ? &*info : nullptr);
  AlmSessionShown out;
  out.results.eve = stored_result<AlmEveResult>(repo, info->id, "eve");
  out.results.nii = stored_result<AlmNiiResult>(repo, info->id, "nii");
  out.results.gap = stored_result<AlmGapResult>(repo, info->id, "gap");
  repo.touch(info->id, now_epoch);
  info->last_accessed = now_epoch;
  out.session = info_of(*info);
  out.session.id = info->id;
  return out;
}

AlmSessionDeleted alm_session_delete(const Context& cx, const std::string& name) {
  authorize(cx, kAlmSessionDelete, "alm_session/" + shown_with(name, 200, 0));
  const std::string& tenant = cx.actor.tenant;
  store::AlmRepository& repo = require_store(cx, "ALM sessions").alm_sessions();
  const auto info = find_visible(cx, repo, name);
  if (!info || store::expired(*info, cx.env.clock.unix_seconds())) {
    store::throw_no_alm_session(name, info ? &*info : nullptr);
  }
  if (!manages(cx, *info)) {
    refuse(cx, kAlmSessionDelete, fmt::format("alm_session/{}", info->id),
           fmt::format("ALM session {} is {}'s: only its owner or an administrator may delete it",
                       shown_with(name, 200, '"'), info->owner));
  }
  if (!repo.remove(tenant, name)) throw Error::not_found("no ALM session named \"" + name + "\"");
  audit(cx, kAlmSessionDelete, fmt::format("alm_session/{}", info->id), {{"name", name}});
  return {name, info->id};
}

AlmSessionInfo alm_session_share(const Context& cx, const AlmSessionShareRequest& request) {
  authorize(cx, kAlmSessionShare, "alm_session/" + shown_with(request.session, 200, 0));
  store::AlmRepository& repo = require_store(cx, "ALM sessions").alm_sessions();
  const AlmSessionInfo found = alm_session_find(cx, request.session);  // visible and live, by name or id
  const auto info = repo.find(cx.actor.tenant, found.name);
  if (!info) store::throw_no_alm_session(found.name, nullptr);
  if (!manages(cx, *info)) {
    refuse(cx, kAlmSessionShare, fmt::format("alm_session/{}", info->id),
           fmt::format("ALM session {} is {}'s: only its owner or an administrator may share it",
                       shown_with(found.name, 200, '"'), info->owner));
  }
  const bool shared = request.shared.value_or(true);
  // A session without an owner that is made private becomes the actor's (else nobody would own it).
  const std::string owner = info->owner.empty() ? cx.actor.user : info->owner;
  repo.set_access(info->id, owner, shared);
  audit(cx, kAlmSessionShare, fmt::format("alm_session/{}", info->id), {{"name", info->name}, {"shared", shared}});
  AlmSessionInfo out = found;
  out.owner = owner;
  out.shared = shared;
  return out;
}

AlmShocksResult alm_session_shocks(const Context& cx, const std::string& name,
                                   const std::optional<std::string>& currency, std::optional<bool> floor) {
  const std::string& tenant = cx.actor.tenant;
  store::AlmRepository& repo = require_store(cx, "ALM sessions").alm_sessions();
  detail::require_visible_alm_session(cx, name);
  store::AlmSessionData data = repo.load(tenant, name, cx.env.clock.unix_seconds());
  const json settings = json::parse(data.info.settings, nullptr, false);
  AlmShocksRequest r;
  r.currency = currency.value_or(data.info.currency);
  r.floor = floor.value_or(settings.is_object() ? settings.value("floor", true) : true);
  const auto curve = data.curves.find(r.currency);
  if (curve == data.curves.end()) {
    std::string have;
    for (const auto& [ccy, c] : data.curves) have += (have.empty() ? "" : ", ") + ccy;
    throw Error::invalid_input("invalid ALM shocks request",
                               {"currency: session \"" + name + "\" has no " + r.currency + " curve (it has " + have + ")"});
  }
  r.curve = curve->second;
  r.table = std::move(data.shock_table);
  return alm_shocks(cx, r);
}

AlmSessionCleanup alm_session_cleanup(const Context& cx, const AlmSessionCleanupRequest& request) {
  store::AlmRepository& repo = require_store(cx, "ALM sessions").alm_sessions();
  const auto s = repo.cleanup(cx.env.clock.unix_seconds(), request.disk_budget_mb * 1024 * 1024,
                              request.user_budget_mb * 1024 * 1024);
  return {s.expired, s.evicted, s.bytes_after};
}

AlmUsage alm_usage(const Context& cx, std::int64_t disk_budget_mb, std::int64_t user_budget_mb) {
  authorize(cx, kAlmSessionCleanup, "alm_sessions");
  AlmUsage out;
  out.tenant = cx.actor.tenant;
  out.disk_budget_mb = disk_budget_mb;
  out.user_budget_mb = user_budget_mb;
  for (const auto& u : require_store(cx, "ALM sessions").alm_sessions().usage(cx.actor.tenant)) {
    out.users.push_back({u.owner, u.sessions, u.bytes});
    out.bytes += u.bytes;
  }
  return out;
}

AlmSessionCleanup clean_up_alm_sessions(const Context& cx, const AlmSessionCleanupRequest& request) {
  authorize(cx, kAlmSessionCleanup, "alm_sessions");
  const AlmSessionCleanup out = alm_session_cleanup(cx, request);
  audit(cx, kAlmSessionCleanup, "alm_sessions",
        {{"disk_budget_mb", request.disk_budget_mb},
         {"user_budget_mb", request.user_budget_mb},
         {"expired", out.expired},
         {"evicted", out.evicted}});
  return out;
}

}  // namespace keel::service
