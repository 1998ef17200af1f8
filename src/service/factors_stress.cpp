// `keel risk stress` and `keel risk scenario-shocks` (keel/service/factors.h, docs/stress.md).
#include <algorithm>

#include "factors_inputs.h"
#include "keel/core/error.h"
#include "keel/core/parse.h"
#include "keel/core/strings.h"
#include "keel/io/scenario_reader.h"
#include "keel/service/factors.h"

namespace keel::service {
namespace {

// Each item split at commas, trimmed, empty ones dropped ("a, b" and ["a", "b"] alike).
std::vector<std::string> split_names(const std::vector<std::string>& items) {
  std::vector<std::string> out;
  for (const auto& item : items) {
    std::size_t start = 0;
    while (start <= item.size()) {
      const auto end = std::min(item.find(',', start), item.size());
      const std::string_view name = trim(std::string_view(item).substr(start, end - start));
      if (!name.empty()) out.emplace_back(name);
      start = end + 1;
    }
  }
  return out;
}

// "mkt_rf=-0.15" items (comma-separated lists allowed) into shocks; every bad item named at once.
std::vector<factors::FactorShock> parse_shocks(const std::vector<std::string>& texts) {
  std::vector<factors::FactorShock> out;
  std::vector<std::string> problems;
  for (const auto& item : split_names(texts)) {
    const auto eq = item.find('=');
    const std::string name(trim(std::string_view(item).substr(0, eq == std::string::npos ? item.size() : eq)));
    const auto value = eq == std::string::npos ? std::nullopt : parse_double(item.substr(eq + 1));
    if (name.empty() || !value) {
      problems.push_back("shock: expected FACTOR=DECIMAL_RETURN (e.g. mkt_rf=-0.15), got \"" + item + "\"");
      continue;
    }
    out.push_back({to_lower(name), *value});
  }
  if (!problems.empty()) throw Error::invalid_input("invalid stress request", problems);
  return out;
}

factors::ScenarioLibrary load_library(const Context& cx, const std::optional<std::string>& file,
                                      std::vector<std::string>& warnings) {
  factors::ScenarioLibrary lib = io::builtin_scenarios();
  if (file) {
    const factors::ScenarioLibrary user = io::read_scenarios(cx.env.files, *file, &warnings);
    for (const auto& name : factors::merge_scenarios(lib, user)) {
      warnings.push_back("scenario " + name + " from " + *file + " replaces the built-in one");
    }
  }
  return lib;
}

std::vector<const factors::Scenario*> select(const factors::ScenarioLibrary& lib, const StressRequest& req,
                                             const factors::Scenario* user) {
  std::vector<const factors::Scenario*> out;
  std::vector<std::string> names = split_names(req.scenarios);
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

StressResult risk_stress(const Context& cx, const StressRequest& req) {
  if (req.methods.empty()) throw Error::invalid_input("stress: choose at least one method");
  std::vector<factors::FactorShock> shocks = req.user_shocks;
  for (auto& s : parse_shocks(req.shock_texts)) shocks.push_back(std::move(s));
  std::vector<std::string> warnings;
  const factors::ScenarioLibrary lib = load_library(cx, req.scenarios_file, warnings);
  std::optional<factors::Scenario> user;
  if (!shocks.empty()) {
    user.emplace();
    user->name = "user";
    user->label = "User shocks";
    user->kind = factors::ScenarioKind::kUser;
    user->shocks = std::move(shocks);
    user->vol_shock = req.user_vol_shock;
    user->source = "command line";
    for (const auto& s : user->shocks) {
      if (!(s.shock > -1.0)) {
        throw Error::invalid_input("shock " + s.factor + ": a decimal return above -1 (-100%) is needed");
      }
    }
  } else if (req.user_vol_shock) {
    throw Error::usage("vol_shock needs a user scenario (shock FACTOR=RETURN)");
  }
  const auto chosen = select(lib, req, user ? &*user : nullptr);

  detail::BookFactorInputs b = detail::load_book_factor_model(cx, req.inputs, req.factors, req.window, 252.0, "stress test");
  const auto& book = b.inputs.risk_book;
  factors::StressModel model;
  model.factor_names = b.model.factor_names;
  model.asset_betas = b.model.asset_fits.betas;
  model.factor_cov = detail::factor_covariance(b.aligned);
  {
    // The replay's proxies (keel/factors/stress_proxy.h); a currency's market beta has a prior of 0.
    const factors::FactorFits& fits = b.model.asset_fits;
    const std::size_t K = model.factor_names.size();
    const auto market = factors::market_factor(model.factor_names);
    for (std::size_t a = 0; a < book.assets.size(); ++a) {
      factors::ProxyOptions o = model.proxy_options;
      if (book.has_fx() && a >= book.fx_begin()) o.market_prior = 0.0;
      model.proxies.push_back(factors::proxy_driver(
          std::span(fits.betas).subspan(a * K, K), std::span(fits.beta_se).subspan(a * K, K), fits.residual_vol[a],
          fits.r2[a], model.factor_cov, market, o));
    }
  }

  StressResult out;
  out.as_of = b.inputs.book.as_of.to_string();
  out.portfolio_name = b.inputs.book.name;
  out.currency = b.inputs.book.currency;
  out.factors = model.factor_names;
  out.factor_source = b.factor_source;
  out.window = b.returns.rows();
  out.first_date = b.returns.dates.front().to_string();
  out.last_date = b.returns.dates.back().to_string();
  for (const auto* s : chosen) {
    const std::vector<double> own = factors::own_path_returns(b.inputs.book.prices, book.assets, *s);
    for (const auto method : req.methods) {
      const factors::StressResult r = factors::run_stress(book, model, *s, method, own);
      warnings.insert(warnings.end(), r.warnings.begin(), r.warnings.end());
      out.book_value = r.book_value;
      StressScenarioResult e;
      e.name = s->name;
      e.label = s->label;
      e.kind = std::string(factors::scenario_kind_name(s->kind));
      if (s->start) e.start = s->start->to_string();
      if (s->end) e.end = s->end->to_string();
      e.method = std::string(factors::stress_method_name(method));
      e.pnl = r.pnl;
      e.pnl_pct = r.pnl_pct;
      if (r.replay_days > 0) {
        e.replay = "daily";
        e.replay_days = r.replay_days;
      }
      if (s->vol_shock) e.vol_shock.emplace(*s->vol_shock);
      for (std::size_t k = 0; k < model.factor_names.size(); ++k) {
        e.factor_shocks[model.factor_names[k]] = r.factor_shocks[k];
        if (r.given[k]) e.given_factors.push_back(model.factor_names[k]);
      }
      if (book.has_fx()) {
        e.currency_moves.emplace();
        for (std::size_t j = book.fx_begin(); j < book.assets.size(); ++j) (*e.currency_moves)[book.assets[j]] = r.asset_move[j];
      }
      for (std::size_t i = 0; i < book.size(); ++i) {
        StressPosition p;
        p.symbol = book.ids[i];
        p.pnl = r.position_pnl[i];
        p.pnl_pct = r.position_pnl_pct[i];
        p.value = book.value[i];
        if (book.asset[i] != risk::kNoAsset) {
          p.driver = book.assets[book.asset[i]];
          p.move = r.asset_move[book.asset[i]];
          if (r.replay_days > 0) {
            const std::size_t a = book.asset[i];
            p.own_days = r.own_days[a];
            if (r.own_days[a] < r.replay_days && a < model.proxies.size()) {
              p.proxy_r2 = model.proxies[a].r2;
              p.proxy_bounded = !r.proxy_bounded.empty() && r.proxy_bounded[a] != 0;
            }
          }
        }
        e.positions.push_back(std::move(p));
      }
      out.scenarios.push_back(std::move(e));
    }
  }
  warnings.insert(warnings.begin(), b.inputs.warnings.begin(), b.inputs.warnings.end());
  std::sort(warnings.begin() + static_cast<long>(b.inputs.warnings.size()), warnings.end());
  warnings.erase(std::unique(warnings.begin(), warnings.end()), warnings.end());
  out.warnings = std::move(warnings);
  return out;
}

ScenarioLibraryFile scenario_library_file(const factors::ScenarioLibrary& library) {
  ScenarioLibraryFile out;
  out.format = library.format;
  if (!library.derived_by.empty()) out.derived_by = library.derived_by;
  if (!library.factor_data.empty()) out.factor_data = library.factor_data;
  out.units =
      "shocks and vol_shock are decimals (-0.20 = -20%, 0.10 = +10 vol points); historical shocks are "
      "compounded factor returns from the close of start to the close of end; each historical scenario's daily "
      "rows are the factor returns of each day of its window (date, then one decimal per factor, in the order of "
      "its factors)";
  for (const auto& s : library.scenarios) {
    ScenarioFileEntry e;
    e.name = s.name;
    e.label = s.label;
    e.kind = std::string(factors::scenario_kind_name(s.kind));
    e.start = s.start;
    e.end = s.end;
    e.description = s.description;
    for (const auto& sh : s.shocks) e.shocks[sh.factor] = sh.shock;
    if (s.daily) {
      nlohmann::json rows = nlohmann::json::array();
      for (std::size_t t = 0; t < s.daily->rows(); ++t) {
        nlohmann::json row = nlohmann::json::array({s.daily->dates[t].to_string()});
        for (std::size_t k = 0; k < s.daily->cols(); ++k) row.push_back(s.daily->at(t, k));
        rows.push_back(std::move(row));
      }
      e.daily = nlohmann::json{{"factors", s.daily->names}, {"rows", std::move(rows)}};
    }
    e.vol_shock = s.vol_shock;
    out.scenarios.push_back(std::move(e));
  }
  return out;
}

ScenarioLibraryFile scenario_shocks(const Context& cx, const ScenarioShocksRequest& req) {
  std::vector<std::string> warnings;
  factors::ScenarioLibrary lib = io::builtin_scenarios();
  if (req.scenarios_file) lib = io::read_scenarios(cx.env.files, *req.scenarios_file, &warnings);
  const detail::LoadedFactors lf = detail::load_factors(cx, req.factors);
  factors::derive_historical_shocks(lib, lf.table, lf.source, req.factors.rf_column);
  if (!req.command.empty()) lib.derived_by = req.command;
  return scenario_library_file(lib);
}

}  // namespace keel::service
