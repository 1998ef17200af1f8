// ALM sessions: parsed inputs and results kept in the store, with TTL and an LRU disk budget.
#include "keel/core/error.h"
#include "keel/service/alm.h"
#include "keel/store/alm_repository.h"

namespace keel::service {
namespace {

using nlohmann::json;

json info_json(const store::AlmSessionInfo& s) {
  return {{"name", s.name},
          {"as_of", s.as_of ? json(s.as_of->to_string()) : json(nullptr)},
          {"currency", s.currency},
          {"source", s.source},
          {"positions", s.positions},
          {"curves", s.curve_currencies},
          {"results", s.results},
          {"created_at", s.created_at},
          {"last_accessed", s.last_accessed},
          {"ttl_seconds", s.ttl_seconds},
          {"expires_at", s.last_accessed + s.ttl_seconds},
          {"size_bytes", s.size_bytes},
          {"settings", json::parse(s.settings, nullptr, false).is_discarded() ? json::object() : json::parse(s.settings)}};
}

}  // namespace

json alm_session_create(Store& store, const AlmSessionCreate& request, std::int64_t now_epoch) {
  if (request.name.empty()) throw Error::usage("a session needs a name");
  if (request.inputs.session) throw Error::usage("a new session takes files, not --session");
  // Parse and validate everything, and run once, before anything is stored.
  AlmInputs in = load_alm_inputs(&store, request.inputs, now_epoch);
  const alm::AlmResult r = alm::run_irrbb(in.book, in.market, in.options);
  json settings{{"tier1", in.options.tier1 ? json(*in.options.tier1) : json(nullptr)},
                {"fx", in.options.fx_rates},
                {"horizon_months", in.options.nii_horizon_months},
                {"floor", in.options.apply_floor},
                {"gain_weight", in.options.gain_weight}};
  store::AlmRepository& repo = store.alm_sessions();
  repo.cleanup(now_epoch, 0);
  const store::AlmSessionInfo created =
      repo.create(request.inputs.tenant, request.name, in.book, in.curves, in.user_shocks, in.options.as_of,
                  in.options.reporting_currency, settings.dump(), request.ttl_seconds, now_epoch);
  const json eve = eve_json(r), nii = nii_json(r), gap = gap_json(r);
  repo.save_result(created.id, "eve", eve.dump(), now_epoch);
  repo.save_result(created.id, "nii", nii.dump(), now_epoch);
  repo.save_result(created.id, "gap", gap.dump(), now_epoch);
  const auto info = repo.find(request.inputs.tenant, request.name);
  return {{"session", info_json(*info)}, {"eve", eve}, {"nii", nii}, {"gap", gap}, {"warnings", in.warnings}};
}

json alm_session_list(Store& store, const std::string& tenant) {
  store::AlmRepository& repo = store.alm_sessions();
  json items = json::array();
  for (const auto& s : repo.list(tenant)) items.push_back(info_json(s));
  return {{"items", items}};
}

json alm_session_show(Store& store, const std::string& tenant, const std::string& name, std::int64_t now_epoch) {
  store::AlmRepository& repo = store.alm_sessions();
  auto info = repo.find(tenant, name);
  if (!info) throw Error::not_found("no ALM session named \"" + name + "\"");
  json results = json::object();
  for (const auto& kind : info->results) {
    if (auto text = repo.result(info->id, kind)) results[kind] = json::parse(*text);
  }
  repo.touch(info->id, now_epoch);
  info->last_accessed = now_epoch;
  return {{"session", info_json(*info)}, {"results", results}};
}

json alm_session_delete(Store& store, const std::string& tenant, const std::string& name) {
  store::AlmRepository& repo = store.alm_sessions();
  if (!repo.remove(tenant, name)) throw Error::not_found("no ALM session named \"" + name + "\"");
  return {{"deleted", name}};
}

json alm_session_cleanup(Store& store, std::int64_t now_epoch, std::int64_t disk_budget_bytes) {
  store::AlmRepository& repo = store.alm_sessions();
  const auto s = repo.cleanup(now_epoch, disk_budget_bytes);
  return {{"expired", s.expired}, {"evicted", s.evicted}, {"bytes_after", s.bytes_after}};
}

}  // namespace keel::service
