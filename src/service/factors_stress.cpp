// `keel risk stress` and `keel risk scenario-shocks` (keel/service/factors.h, docs/stress.md).
#include <algorithm>

#include "factors_inputs.h"
#include "keel/core/error.h"
#include "keel/io/scenario_reader.h"
#include "keel/service/factors.h"

namespace keel::service {
namespace {

using nlohmann::json;

factors::ScenarioLibrary load_library(const std::optional<std::string>& file, std::vector<std::string>& warnings) {
  factors::ScenarioLibrary lib = io::builtin_scenarios();
  if (file) {
    const factors::ScenarioLibrary user = io::read_scenarios(*file, &warnings);
    for (const auto& name : factors::merge_scenarios(lib, user)) {
      warnings.push_back("scenario " + name + " from " + *file + " replaces the built-in one");
    }
  }
  return lib;
}

std::vector<const factors::Scenario*> select(const factors::ScenarioLibrary& lib, const StressRequest& req,
                                             const factors::Scenario* user) {
  std::vector<const factors::Scenario*> out;
  std::vector<std::string> names = req.scenarios;
  if (names.empty()) names.push_back(user ? "user" : "all");
  std::vector<std::string> unknown;
  for (const auto& n : names) {
    if (n == "all") {
      for (const auto& s : lib.scenarios) out.push_back(&s);
      if (user) out.push_back(user);
    } else if (n == "user" && user) {
      out.push_back(user);
    } else if (const auto* s = lib.find(n)) {
      out.push_back(s);
    } else {
      unknown.push_back(n);
    }
  }
  if (!unknown.empty()) {
    std::string known;
    for (const auto& s : lib.scenarios) known += (known.empty() ? "" : ", ") + s.name;
    std::string list;
    for (const auto& u : unknown) list += (list.empty() ? "" : ", ") + u;
    throw Error(ErrorCode::kNotFound, "unknown scenario: " + list, {"known scenarios: " + known + ", all"});
  }
  // Each scenario once, in the order asked.
  std::vector<const factors::Scenario*> unique;
  for (const auto* s : out) {
    if (std::find(unique.begin(), unique.end(), s) == unique.end()) unique.push_back(s);
  }
  return unique;
}

}  // namespace

nlohmann::json risk_stress_json(Store* store, const StressRequest& req) {
  if (req.methods.empty()) throw Error::invalid_input("stress: choose at least one method");
  std::vector<std::string> warnings;
  const factors::ScenarioLibrary lib = load_library(req.scenarios_file, warnings);
  std::optional<factors::Scenario> user;
  if (!req.user_shocks.empty()) {
    user.emplace();
    user->name = "user";
    user->label = "User shocks";
    user->kind = factors::ScenarioKind::kUser;
    user->shocks = req.user_shocks;
    user->vol_shock = req.user_vol_shock;
    user->source = "command line";
    for (const auto& s : user->shocks) {
      if (!(s.shock > -1.0)) {
        throw Error::invalid_input("--shock " + s.factor + ": a decimal return above -1 (-100%) is needed");
      }
    }
  } else if (req.user_vol_shock) {
    throw Error::usage("--vol-shock needs --shock FACTOR=RETURN (a user scenario)");
  }
  const auto chosen = select(lib, req, user ? &*user : nullptr);

  detail::BookFactorInputs b = detail::load_book_factor_model(store, req.inputs, req.factors, req.window, 252.0);
  const auto& book = b.inputs.risk_book;
  factors::StressModel model;
  model.factor_names = b.model.factor_names;
  model.asset_betas = b.model.asset_fits.betas;
  model.factor_cov = detail::factor_covariance(b.aligned);

  json out;
  out["as_of"] = b.inputs.book.as_of.to_string();
  out["portfolio_name"] = b.inputs.book.name;
  out["factors"] = model.factor_names;
  out["factor_source"] = b.factor_source;
  out["window"] = b.returns.rows();
  out["first_date"] = b.returns.dates.front().to_string();
  out["last_date"] = b.returns.dates.back().to_string();
  json scenarios = json::array();
  double book_value = 0.0;
  for (const auto* s : chosen) {
    for (const auto method : req.methods) {
      const factors::StressResult r = factors::run_stress(book, model, *s, method);
      warnings.insert(warnings.end(), r.warnings.begin(), r.warnings.end());
      book_value = r.book_value;
      json e;
      e["name"] = s->name;
      e["label"] = s->label;
      e["kind"] = std::string(factors::scenario_kind_name(s->kind));
      if (s->start) e["start"] = s->start->to_string();
      if (s->end) e["end"] = s->end->to_string();
      e["method"] = std::string(factors::stress_method_name(method));
      e["pnl"] = r.pnl;
      e["pnl_pct"] = r.pnl_pct;
      e["vol_shock"] = s->vol_shock ? json(*s->vol_shock) : json(nullptr);
      json shocks = json::object();
      json given = json::array();
      for (std::size_t k = 0; k < model.factor_names.size(); ++k) {
        shocks[model.factor_names[k]] = r.factor_shocks[k];
        if (r.given[k]) given.push_back(model.factor_names[k]);
      }
      e["factor_shocks"] = std::move(shocks);
      e["given_factors"] = std::move(given);
      json positions = json::array();
      for (std::size_t i = 0; i < book.size(); ++i) {
        json p{{"symbol", book.ids[i]},
               {"pnl", r.position_pnl[i]},
               {"pnl_pct", r.position_pnl_pct[i]},
               {"value", book.value[i]}};
        if (book.asset[i] != risk::kNoAsset) {
          p["driver"] = book.assets[book.asset[i]];
          p["move"] = r.asset_move[book.asset[i]];
        }
        positions.push_back(std::move(p));
      }
      e["positions"] = std::move(positions);
      scenarios.push_back(std::move(e));
    }
  }
  out["book_value"] = book_value;
  out["scenarios"] = std::move(scenarios);
  warnings.insert(warnings.begin(), b.inputs.warnings.begin(), b.inputs.warnings.end());
  std::sort(warnings.begin() + static_cast<long>(b.inputs.warnings.size()), warnings.end());
  warnings.erase(std::unique(warnings.begin(), warnings.end()), warnings.end());
  out["warnings"] = warnings;
  return out;
}

nlohmann::ordered_json scenario_shocks_json(Store* store, const ScenarioShocksRequest& req) {
  std::vector<std::string> warnings;
  factors::ScenarioLibrary lib = io::builtin_scenarios();
  if (req.scenarios_file) lib = io::read_scenarios(*req.scenarios_file, &warnings);
  const detail::LoadedFactors lf = detail::load_factors(store, req.factors);
  factors::derive_historical_shocks(lib, lf.table, lf.source, req.factors.rf_column);
  if (!req.command.empty()) lib.derived_by = req.command;
  return io::scenarios_to_json(lib);
}

}  // namespace keel::service
