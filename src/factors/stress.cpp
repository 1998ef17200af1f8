#include "keel/factors/stress.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <optional>
#include <string>

#include "keel/core/error.h"
#include "keel/options/american.h"
#include "keel/portfolio/fx.h"

namespace keel::factors {

std::string_view stress_method_name(StressMethod m) {
  return m == StressMethod::kDirect ? "direct" : "correlated";
}

std::vector<double> conditional_factor_shocks(const Eigen::MatrixXd& cov, std::span<const std::uint8_t> given,
                                              std::span<const double> shocks, std::span<const std::string> names) {
  const auto K = static_cast<std::size_t>(cov.rows());
  if (cov.cols() != cov.rows() || given.size() != K || shocks.size() != K) {
    throw Error::invalid_input("conditional shocks: covariance, flags and shocks differ in size");
  }
  std::vector<Eigen::Index> s_idx;
  std::vector<Eigen::Index> o_idx;
  for (std::size_t k = 0; k < K; ++k) (given[k] ? s_idx : o_idx).push_back(static_cast<Eigen::Index>(k));
  if (s_idx.empty()) throw Error::invalid_input("conditional shocks: the scenario shocks no factor");
  std::vector<double> out(shocks.begin(), shocks.end());
  if (o_idx.empty()) return out;

  const auto ns = static_cast<Eigen::Index>(s_idx.size());
  const auto no = static_cast<Eigen::Index>(o_idx.size());
  Eigen::MatrixXd Sss(ns, ns);
  Eigen::MatrixXd Sos(no, ns);
  Eigen::VectorXd s(ns);
  for (Eigen::Index i = 0; i < ns; ++i) {
    s(i) = shocks[static_cast<std::size_t>(s_idx[static_cast<std::size_t>(i)])];
    for (Eigen::Index j = 0; j < ns; ++j) Sss(i, j) = cov(s_idx[static_cast<std::size_t>(i)], s_idx[static_cast<std::size_t>(j)]);
    for (Eigen::Index o = 0; o < no; ++o) Sos(o, i) = cov(o_idx[static_cast<std::size_t>(o)], s_idx[static_cast<std::size_t>(i)]);
  }
  const Eigen::LDLT<Eigen::MatrixXd> ldlt(Sss);
  const double scale = Sss.diagonal().cwiseAbs().maxCoeff();
  const bool singular = ldlt.info() != Eigen::Success || !(scale > 0.0) ||
                        ldlt.vectorD().minCoeff() <= 1e-12 * scale;
  if (singular) {
    std::string list;
    for (auto k : s_idx) {
      const auto kk = static_cast<std::size_t>(k);
      list += (list.empty() ? "" : ", ") + (kk < names.size() ? names[kk] : fmt::format("#{}", kk + 1));
    }
    throw Error::invalid_input("conditional shocks: the covariance of the shocked factors (" + list +
                               ") is singular; shock fewer or other factors, or use the direct method");
  }
  const Eigen::VectorXd fill = Sos * ldlt.solve(s);
  for (Eigen::Index o = 0; o < no; ++o) out[static_cast<std::size_t>(o_idx[static_cast<std::size_t>(o)])] = fill(o);
  return out;
}

namespace {

// The day-by-day moves of a scenario with a daily path (see the header): fills r.factor_shocks
// (compounded), r.asset_move, r.own_days and r.replay_days. r.given holds the factors the path sets.
void replay(const StressModel& model, const Scenario& scenario, StressMethod method, std::span<const double> own,
            std::span<const std::string> assets, StressResult& r) {
  const FactorTable& path = *scenario.daily;
  const std::size_t K = model.factor_names.size();
  const std::size_t A = assets.size();
  const std::size_t T = path.rows();
  std::vector<std::size_t> column(K, path.cols());  // the path's column of each model factor
  for (std::size_t k = 0; k < K; ++k) {
    if (const auto c = path.find(model.factor_names[k])) column[k] = *c;
  }
  std::vector<double> growth(A, 1.0);
  std::vector<double> factor_growth(K, 1.0);
  r.own_days.assign(A, 0);
  const bool proxied = !model.proxies.empty();
  const std::optional<std::size_t> market = market_factor(model.factor_names);
  std::vector<ProxyPath> paths(proxied ? A : 0);
  std::vector<double> day(K);
  std::size_t capped = 0;
  for (std::size_t t = 0; t < T; ++t) {
    for (std::size_t k = 0; k < K; ++k) day[k] = column[k] < path.cols() ? path.at(t, column[k]) : 0.0;
    if (method == StressMethod::kCorrelated) {
      day = conditional_factor_shocks(model.factor_cov, r.given, day, model.factor_names);
    }
    for (std::size_t k = 0; k < K; ++k) factor_growth[k] *= 1.0 + day[k];
    for (std::size_t a = 0; a < A; ++a) {
      double move = own.empty() ? std::nan("") : own[a * T + t];
      if (std::isfinite(move)) {
        ++r.own_days[a];
      } else if (proxied) {
        paths[a].add(model.proxies[a], market, day);
        continue;
      } else {
        move = 0.0;
        for (std::size_t k = 0; k < K; ++k) move += model.asset_betas[a * K + k] * day[k];
      }
      if (move < -1.0) {
        ++capped;
        move = -1.0;
      }
      growth[a] *= 1.0 + move;
    }
  }
  if (proxied) {
    r.proxy_bounded.assign(A, 0);
    std::string bounded, weak;
    const double bound_sd = model.proxy_options.bound_sd;
    for (std::size_t a = 0; a < A; ++a) {
      const ProxyPath& p = paths[a];
      if (p.days() == 0) continue;
      const ProxyDriver& d = model.proxies[a];
      growth[a] *= p.growth(d, bound_sd);
      capped += p.capped();
      if (p.bounded(d, bound_sd)) {
        r.proxy_bounded[a] = 1;
        const double bound = std::copysign(p.bound(d, bound_sd), p.style_log());
        bounded += fmt::format("{}{} ({:+.0f}% beyond its market move, bounded to {:+.0f}%)", bounded.empty() ? "" : ", ",
                               assets[a], std::expm1(p.style_log()) * 100.0, std::expm1(bound) * 100.0);
      }
      if (d.r2 < 0.2) weak += fmt::format("{}{} (R^2 {:.2f})", weak.empty() ? "" : ", ", assets[a], d.r2);
    }
    if (!bounded.empty()) {
      r.warnings.push_back(fmt::format("scenario {}: the factor proxy's style part was bounded at {:g} sd of the driver's "
                                       "non-market moves: {}",
                                       scenario.name, bound_sd, bounded));
    }
    if (!weak.empty()) {
      r.warnings.push_back(fmt::format("scenario {}: proxied by factors that explain less than 20% of their daily "
                                       "variance: {}",
                                       scenario.name, weak));
    }
  }
  if (capped) {
    r.warnings.push_back(fmt::format("scenario {}: {} daily move(s) below -100% capped at -100%", scenario.name, capped));
  }
  for (std::size_t k = 0; k < K; ++k) r.factor_shocks[k] = factor_growth[k] - 1.0;
  r.asset_move.resize(A);
  for (std::size_t a = 0; a < A; ++a) r.asset_move[a] = growth[a] - 1.0;
  r.replay_days = T;
}

// The shocks applied at once (see the header): fills r.factor_shocks (filled when correlated) and
// r.asset_move.
void one_step(const StressModel& model, const Scenario& scenario, StressMethod method,
              std::span<const std::string> assets, StressResult& r) {
  const std::size_t K = model.factor_names.size();
  if (method == StressMethod::kCorrelated) {
    r.factor_shocks = conditional_factor_shocks(model.factor_cov, r.given, r.factor_shocks, model.factor_names);
  }
  r.asset_move.assign(assets.size(), 0.0);
  for (std::size_t a = 0; a < assets.size(); ++a) {
    double m = 0.0;
    for (std::size_t k = 0; k < K; ++k) m += model.asset_betas[a * K + k] * r.factor_shocks[k];
    if (m < -1.0) {
      r.warnings.push_back(
          fmt::format("scenario {}: the implied move of {} ({:f}) is below -100%; capped at -100%",
                      scenario.name, assets[a], m));
      m = -1.0;
    }
    r.asset_move[a] = m;
  }
}

}  // namespace

std::vector<double> own_path_returns(const PriceHistory& prices, std::span<const std::string> assets,
                                     const Scenario& scenario) {
  if (!scenario.daily || !scenario.start) return {};
  const FactorTable& path = *scenario.daily;
  const std::size_t T = path.rows();
  std::vector<double> out(assets.size() * T, std::nan(""));
  // The history's row of each day of the path and of the start (dates ascending in both).
  std::vector<std::optional<std::size_t>> row(T + 1);
  auto row_of = [&](Date d) -> std::optional<std::size_t> {
    const auto it = std::lower_bound(prices.dates.begin(), prices.dates.end(), d);
    if (it == prices.dates.end() || *it != d) return std::nullopt;
    return static_cast<std::size_t>(it - prices.dates.begin());
  };
  row[0] = row_of(*scenario.start);
  for (std::size_t t = 0; t < T; ++t) row[t + 1] = row_of(path.dates[t]);
  for (std::size_t a = 0; a < assets.size(); ++a) {
    const auto col = prices.find(assets[a]);
    if (!col) continue;
    for (std::size_t t = 0; t < T; ++t) {
      if (!row[t] || !row[t + 1]) continue;
      const double before = prices.at(*row[t], *col);
      const double after = prices.at(*row[t + 1], *col);
      if (std::isfinite(before) && std::isfinite(after) && before > 0.0 && after > 0.0) {
        out[a * T + t] = after / before - 1.0;
      }
    }
  }
  return out;
}

namespace {

// Position P&L of r.asset_move (the price drivers' moves, then the FX columns'): a stock earns
// value x m, or V ((1 + m)(1 + f) - 1) in a foreign currency; an option is revalued in its own
// currency and converted, moved by f; foreign cash earns V f.
void revalue(const risk::RiskBook& book, const Scenario& scenario, StressResult& r) {
  double net = 0.0;
  double gross = 0.0;
  const double vol_shock = scenario.vol_shock.value_or(0.0);
  r.position_pnl.assign(book.size(), 0.0);
  r.position_pnl_pct.assign(book.size(), 0.0);
  r.pnl = 0.0;
  for (std::size_t i = 0; i < book.size(); ++i) {
    net += book.value[i];
    gross += std::abs(book.exposure[i]);
    const std::size_t c = book.fx_of(i);
    const double f = c == risk::kNoAsset ? 0.0 : r.asset_move[c];
    if (book.asset[i] == risk::kNoAsset) {
      if (c == risk::kNoAsset) continue;
      r.position_pnl[i] = book.value[i] * f;
    } else {
      const double m = r.asset_move[book.asset[i]];
      double pnl = 0.0;
      if (const auto& opt = book.option[i]) {
        options::BsmInputs in{opt->right, book.spot[i] * (1.0 + m), opt->strike, opt->years,
                              std::max(opt->vol + vol_shock, 0.0), opt->rate, opt->div};
        const double v = book.units[i] * options::option_price(opt->exercise, in, opt->american_engine);
        pnl = c == risk::kNoAsset ? v - book.value[i] : v * book.fx_rate[i] * (1.0 + f) - book.value[i];
      } else {
        pnl = c == risk::kNoAsset ? book.exposure[i] * m : book.exposure[i] * (m + (1.0 + m) * f);
      }
      r.position_pnl[i] = pnl;
    }
    r.position_pnl_pct[i] = book.value[i] != 0.0 ? r.position_pnl[i] / std::abs(book.value[i]) : 0.0;
    r.pnl += r.position_pnl[i];
  }
  r.book_value = net > 0.0 ? net : gross;
  r.pnl_pct = r.book_value > 0.0 ? r.pnl / r.book_value : 0.0;
}

std::string upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

std::optional<CurrencyShockKey> parse_currency_shock(std::string_view key) {
  const std::string k = upper(key);
  auto code = [](std::string_view c) { return c.size() == 3 && is_currency_code(c); };
  if (k.size() == 6 && k.starts_with("FX:") && code(std::string_view(k).substr(3))) {
    return CurrencyShockKey{k.substr(3), ""};
  }
  if (k.size() == 7 && (k[3] == '/' || k[3] == '.' || k[3] == '-') && code(std::string_view(k).substr(0, 3)) &&
      code(std::string_view(k).substr(4))) {
    return CurrencyShockKey{k.substr(0, 3), k.substr(4)};
  }
  if (k.size() == 6 && code(std::string_view(k).substr(0, 3)) && code(std::string_view(k).substr(3))) {
    return CurrencyShockKey{k.substr(0, 3), k.substr(3)};
  }
  return std::nullopt;
}

StressResult run_stress(const risk::RiskBook& book, const StressModel& model, const Scenario& scenario,
                        StressMethod method, std::span<const double> own_returns) {
  // Currency shocks: the move of each FX column of the book the scenario sets (NaN: not set). A
  // pair given the other way round (USD/EUR in a USD book) moves the column by 1 / (1 + s) - 1.
  const std::size_t n_fx = book.fx_currencies.size();
  std::vector<double> fx_shock(n_fx, std::nan(""));
  std::vector<std::string> currency_keys;  // the scenario's shocks read as currency shocks
  std::vector<std::string> fx_warnings;
  for (const auto& sh : scenario.shocks) {
    // "rf", "smb" and the like are never currency codes; a six-letter factor name that reads as a
    // pair of currency codes is taken as a currency shock only when the model has no such factor.
    if (std::find(model.factor_names.begin(), model.factor_names.end(), sh.factor) != model.factor_names.end()) continue;
    const auto key = parse_currency_shock(sh.factor);
    if (!key) continue;
    currency_keys.push_back(sh.factor);
    if (!(sh.shock > -1.0)) {
      throw Error::invalid_input(fmt::format("scenario {}: currency shock {} must be a decimal return above -1",
                                             scenario.name, sh.factor));
    }
    std::optional<std::size_t> c;
    double move = sh.shock;
    for (std::size_t j = 0; j < n_fx && !c; ++j) {
      const std::string& cur = book.fx_currencies[j];
      if (key->quote.empty() || (key->base == cur && key->quote == book.currency)) {
        if (key->base == cur) c = j;
      } else if (key->base == book.currency && key->quote == cur) {
        c = j;
        move = 1.0 / (1.0 + sh.shock) - 1.0;
      }
    }
    if (!c) {
      fx_warnings.push_back(fmt::format("scenario {}: currency shock {} moves no currency of the book (it reports "
                                        "in {}{}); ignored",
                                        scenario.name, sh.factor, book.currency,
                                        n_fx == 0 ? " and holds nothing in another currency" : ""));
      continue;
    }
    fx_shock[*c] = move;
  }
  const bool is_currency = !currency_keys.empty();
  Scenario factor_part;
  const Scenario* sc = &scenario;
  if (is_currency) {
    factor_part = scenario;
    std::erase_if(factor_part.shocks, [&](const FactorShock& f) {
      return std::find(currency_keys.begin(), currency_keys.end(), f.factor) != currency_keys.end();
    });
    sc = &factor_part;
  }
  StressResult r = run_factor_stress(book, model, *sc, method, own_returns, is_currency);
  r.warnings.insert(r.warnings.end(), fx_warnings.begin(), fx_warnings.end());
  if (n_fx == 0 && !is_currency) return r;
  for (std::size_t j = 0; j < n_fx; ++j) {
    if (std::isfinite(fx_shock[j])) r.asset_move[book.fx_begin() + j] = fx_shock[j];
  }
  revalue(book, scenario, r);
  return r;
}

StressResult run_factor_stress(const risk::RiskBook& book, const StressModel& model, const Scenario& scenario,
                               StressMethod method, std::span<const double> own_returns, bool currency_shocks) {
  const std::size_t K = model.factor_names.size();
  const std::size_t A = book.assets.size();
  if (model.asset_betas.size() != A * K) {
    throw Error::invalid_input(
        fmt::format("stress: the factor model has betas for {} assets, the book has {}",
                    K == 0 ? 0 : model.asset_betas.size() / K, A));
  }
  const std::size_t T = scenario.daily ? scenario.daily->rows() : 0;
  if (!own_returns.empty() && own_returns.size() != A * T) {
    throw Error::invalid_input(fmt::format("stress: {} own returns given for {} assets over {} days",
                                           own_returns.size(), A, T));
  }
  StressResult r;
  r.scenario = scenario.name;
  r.method = method;
  r.factor_shocks.assign(K, 0.0);
  r.given.assign(K, 0);
  if (scenario.daily) {
    for (std::size_t k = 0; k < K; ++k) r.given[k] = scenario.daily->find(model.factor_names[k]) ? 1 : 0;
    for (const auto& name : scenario.daily->names) {
      if (std::find(model.factor_names.begin(), model.factor_names.end(), name) == model.factor_names.end()) {
        r.warnings.push_back("scenario " + scenario.name + ": factor " + name +
                             " is not in the factor model; its daily returns are ignored");
      }
    }
  }
  for (const auto& sh : scenario.shocks) {
    if (scenario.daily) break;  // the path's factors are the scenario's
    const auto it = std::find(model.factor_names.begin(), model.factor_names.end(), sh.factor);
    if (it == model.factor_names.end()) {
      r.warnings.push_back("scenario " + scenario.name + ": factor " + sh.factor +
                           " is not in the factor model; its shock is ignored");
      continue;
    }
    const auto k = static_cast<std::size_t>(it - model.factor_names.begin());
    r.factor_shocks[k] = sh.shock;
    r.given[k] = 1;
  }
  if (std::none_of(r.given.begin(), r.given.end(), [](auto g) { return g != 0; })) {
    if (currency_shocks) {
      // A scenario of currency shocks alone: no factor moves, no asset moves but the currencies.
      r.asset_move.assign(A, 0.0);
      revalue(book, scenario, r);
      return r;
    }
    std::string model_list;
    for (const auto& n : model.factor_names) model_list += (model_list.empty() ? "" : ", ") + n;
    std::string scen_list;
    for (const auto& s : scenario.shocks) scen_list += (scen_list.empty() ? "" : ", ") + s.factor;
    throw Error::invalid_input("scenario " + scenario.name + " shocks none of the model's factors (" + model_list +
                               "); it shocks: " + (scen_list.empty() ? "nothing" : scen_list));
  }
  if (method == StressMethod::kCorrelated && static_cast<std::size_t>(model.factor_cov.rows()) != K) {
    throw Error::invalid_input("stress: the factor covariance does not match the factors");
  }
  if (scenario.daily) {
    replay(model, scenario, method, own_returns, book.assets, r);
  } else {
    one_step(model, scenario, method, book.assets, r);
  }

  revalue(book, scenario, r);
  return r;
}

}  // namespace keel::factors
