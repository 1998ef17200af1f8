// What-if trades (keel/service/whatif.h, docs/whatif.md): apply trades to a copy of the book, run the
// book's use cases before and after, and line the results up as before / after / change.
#include "keel/service/whatif.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <map>

#include "keel/core/error.h"
#include "keel/core/strings.h"
#include "keel/service/admission.h"
#include "keel/service/exposures.h"
#include "keel/store/store.h"
#include "risk_compute.h"

namespace keel::service {
namespace {

constexpr double kZeroQuantity = 1e-9;  // shares or contracts: below this a position is closed

// The book's source with the positions in memory (everything else as requested).
BookSource in_memory(const BookSource& base, std::vector<Position> positions, std::string name,
                     std::optional<Date> as_of) {
  BookSource s;
  s.positions = std::move(positions);
  s.positions_name = std::move(name);
  s.prices_file = base.prices_file;
  s.loaded_prices = base.loaded_prices;
  s.as_of = as_of;
  s.currency = base.currency;
  s.fx_file = base.fx_file;
  s.loaded_fx = base.loaded_fx;
  return s;
}

std::string symbols_text(const std::vector<std::string>& symbols) {
  std::string out;
  for (const auto& s : symbols) out += (out.empty() ? "" : ", ") + s;
  return out;
}

// One side (before or after) of the comparison.
struct Side {
  WhatIfMetrics metrics;
  std::map<std::string, double> sectors;  // net market value by sector
  std::vector<std::pair<std::string, double>> stress;  // ("name|method", P&L) in scenario order
  std::vector<exposures::PositionExposure> valued;
  std::vector<std::string> warnings;
};

void take_warnings(const std::vector<std::string>& from, std::vector<std::string>& into) {
  for (const auto& w : from) {
    if (std::find(into.begin(), into.end(), w) == into.end()) into.push_back(w);
  }
}

// The VaR and ES members of `m` for `method` (parametric, historical or montecarlo).
std::pair<std::optional<double>*, std::optional<double>*> var_members(WhatIfMetrics& m, std::string_view method) {
  if (method == "historical") return {&m.var_historical, &m.es_historical};
  if (method == "parametric") return {&m.var_parametric, &m.es_parametric};
  if (method == "montecarlo") return {&m.var_montecarlo, &m.es_montecarlo};
  throw Error::internal("what-if: unknown VaR method " + std::string(method));
}

Side compute_side(const Context& cx, const WhatIfRequest& req, const BookSource& source) {
  Side s;
  BookRiskRequest book_req;
  book_req.source = source;
  book_req.rate = req.inputs.rate;
  book_req.rate_curve = req.inputs.rate_curve;
  book_req.div = req.inputs.div;
  book_req.vol_window = req.inputs.vol_window;
  const PricedBook priced = price_book(cx, book_req);
  const ExposuresResult ex = exposures_of(priced, exposures::GroupBy::kSector);
  take_warnings(ex.warnings, s.warnings);
  s.valued = priced.report.positions;
  s.metrics.positions = source.positions->size();
  s.metrics.market_value = ex.market_value;
  s.metrics.delta_adjusted = ex.delta_adjusted;
  s.metrics.notional = ex.notional;
  s.metrics.greeks = ex.greeks;
  for (const auto& g : ex.groups) s.sectors[g.key] = g.market_value.net;

  RiskVarRequest var_req;
  var_req.inputs = req.inputs;
  var_req.inputs.source = source;
  var_req.methods = req.methods;
  var_req.window = req.window;
  var_req.var = req.var;
  const RiskVarResult var = risk_var(cx, var_req);
  take_warnings(var.warnings, s.warnings);
  for (const auto& r : var.results) {
    auto [v, e] = var_members(s.metrics, r.method);
    *v = r.var;
    *e = r.es;
  }
  return s;
}

// Factor betas and stress P&L of one side. Both need factor data: when the factor regression cannot
// run (no factor data, dates that do not overlap, too short a history) that is reported as the
// sections' reason rather than failing the whole what-if. Stress errors (e.g. an unknown scenario
// name) are the caller's and propagate.
std::optional<std::string> add_factor_sections(const Context& cx, const WhatIfRequest& req,
                                               const BookSource& source, Side& s,
                                               std::vector<std::string>& names) {
  FactorsRequest f;
  f.inputs = req.inputs;
  f.inputs.source = source;
  f.factors = req.factors;
  f.window = req.factor_window;
  FactorsResult out;
  try {
    out = risk_factors(cx, f);
  } catch (const Error& e) {
    if (e.code() != ErrorCode::kInvalidInput && e.code() != ErrorCode::kNotFound) throw;
    std::string reason = e.what();
    for (const auto& d : e.details()) reason += "; " + d;
    return reason;
  }
  take_warnings(out.warnings, s.warnings);
  names = out.factors;
  s.metrics.betas = out.portfolio.betas;
  s.metrics.factor_r2 = out.portfolio.r2;
  StressRequest st;
  st.inputs = f.inputs;
  st.factors = req.factors;
  st.window = req.factor_window;
  st.scenarios = req.scenarios;
  st.methods = req.stress_methods;
  const StressResult stress = risk_stress(cx, st);
  take_warnings(stress.warnings, s.warnings);
  for (const auto& e : stress.scenarios) s.stress.emplace_back(e.name + "|" + e.method, e.pnl);
  return std::nullopt;
}

// Both sides carry every metric: one computed on one side only is NaN (null) on the other.
void align(std::optional<double>& a, std::optional<double>& b) {
  if (a && !b) b = std::nan("");
  if (b && !a) a = std::nan("");
}
void align(WhatIfMetrics& a, WhatIfMetrics& b) {
  align(a.var_historical, b.var_historical);
  align(a.es_historical, b.es_historical);
  align(a.var_parametric, b.var_parametric);
  align(a.es_parametric, b.es_parametric);
  align(a.var_montecarlo, b.var_montecarlo);
  align(a.es_montecarlo, b.es_montecarlo);
  align(a.factor_r2, b.factor_r2);
  for (const auto& [k, v] : a.betas) b.betas.emplace(k, std::nan(""));
  for (const auto& [k, v] : b.betas) a.betas.emplace(k, std::nan(""));
}

std::optional<double> difference(const std::optional<double>& before, const std::optional<double>& after) {
  if (!before || !after) return std::nullopt;
  return *after - *before;
}
ExposureTotals difference(const ExposureTotals& before, const ExposureTotals& after) {
  return {after.gross - before.gross, after.net - before.net, after.long_ - before.long_,
          after.short_ - before.short_};
}

// after - before of every metric (the sides are aligned: NaN where a side lacks one).
WhatIfChange difference(const WhatIfMetrics& before, const WhatIfMetrics& after) {
  WhatIfChange c;
  c.positions = static_cast<double>(after.positions) - static_cast<double>(before.positions);
  c.market_value = difference(before.market_value, after.market_value);
  c.delta_adjusted = difference(before.delta_adjusted, after.delta_adjusted);
  c.notional = difference(before.notional, after.notional);
  c.greeks.dollar_delta = after.greeks.dollar_delta - before.greeks.dollar_delta;
  c.greeks.dollar_gamma_1pct = after.greeks.dollar_gamma_1pct - before.greeks.dollar_gamma_1pct;
  c.greeks.vega_per_point = after.greeks.vega_per_point - before.greeks.vega_per_point;
  c.greeks.theta_per_day = after.greeks.theta_per_day - before.greeks.theta_per_day;
  c.greeks.rho_per_point = after.greeks.rho_per_point - before.greeks.rho_per_point;
  c.var_historical = difference(before.var_historical, after.var_historical);
  c.es_historical = difference(before.es_historical, after.es_historical);
  c.var_parametric = difference(before.var_parametric, after.var_parametric);
  c.es_parametric = difference(before.es_parametric, after.es_parametric);
  c.var_montecarlo = difference(before.var_montecarlo, after.var_montecarlo);
  c.es_montecarlo = difference(before.es_montecarlo, after.es_montecarlo);
  for (const auto& [k, b] : before.betas) c.betas[k] = after.betas.at(k) - b;
  c.factor_r2 = difference(before.factor_r2, after.factor_r2);
  return c;
}

const exposures::PositionExposure* valued_position(const std::vector<exposures::PositionExposure>& v,
                                                   const std::string& symbol) {
  for (const auto& p : v) {
    if (p.symbol == symbol && p.error.empty()) return &p;
  }
  return nullptr;
}

void check_save_target(Store* store, const std::string& tenant, const std::string& name, bool replace) {
  if (store == nullptr) throw Error::usage("--save-as needs a store (--db)");
  if (name.empty()) throw Error::invalid_input("the name to save the what-if book under is empty");
  if (!replace && store->find_portfolio(tenant, name)) {
    throw Error::conflict("portfolio " + shown_with(name, 64, '\'') + " already exists (use --replace to overwrite it)");
  }
}

}  // namespace

std::string_view trade_effect_name(TradeEffect e) { return spec::choice_name(kTradeEffectNames, e); }

AppliedTrades apply_trades(const std::vector<Position>& positions, const std::vector<io::Trade>& trades) {
  AppliedTrades out;
  out.positions = positions;
  std::vector<bool> removed(positions.size(), false);
  std::map<std::string, std::size_t> change_of;  // symbol -> index in out.changes
  for (const auto& t : trades) {
    const Position& tp = t.position;
    std::size_t i = 0;
    for (; i < out.positions.size(); ++i) {
      const Position& p = out.positions[i];
      if (p.symbol == tp.symbol && (tp.strategy.empty() || p.strategy == tp.strategy)) break;
    }
    if (i < out.positions.size() && i < removed.size() && removed[i]) {
      // A closed position is reopened by a later trade, keeping its terms.
      removed[i] = false;
    }
    auto [it, inserted] = change_of.emplace(tp.symbol, out.changes.size());
    if (inserted) {
      const double before = i < out.positions.size() ? out.positions[i].quantity : 0.0;
      out.changes.push_back({tp.symbol, before, before, TradeEffect::kNew});
    }
    if (i == out.positions.size()) {
      Position p = tp;
      if (t.price) p.entry_price = t.price;
      out.positions.push_back(std::move(p));
      removed.push_back(false);
    } else {
      out.positions[i].quantity += tp.quantity;
    }
    if (std::fabs(out.positions[i].quantity) < kZeroQuantity) {
      out.positions[i].quantity = 0.0;
      removed[i] = true;
    }
    out.changes[it->second].quantity_after = out.positions[i].quantity;
  }
  for (auto& c : out.changes) {
    const double b = c.quantity_before, a = c.quantity_after;
    if (b == 0.0) c.effect = TradeEffect::kNew;
    else if (a == 0.0) c.effect = TradeEffect::kClose;
    else if ((a > 0) != (b > 0)) c.effect = TradeEffect::kFlip;
    else if (std::fabs(a) > std::fabs(b)) c.effect = TradeEffect::kIncrease;
    else if (std::fabs(a) < std::fabs(b)) c.effect = TradeEffect::kReduce;
    else c.effect = TradeEffect::kAdd;  // trades that net to no change of a held position
  }
  std::vector<Position> kept;
  for (std::size_t i = 0; i < out.positions.size(); ++i) {
    if (!removed[i]) kept.push_back(std::move(out.positions[i]));
  }
  out.positions = std::move(kept);
  return out;
}

void check_trades_priced(const Context& cx, const BookSource& base, std::optional<Date> as_of,
                         const std::vector<io::Trade>& trades) {
  std::vector<Position> probe;
  for (const auto& t : trades) {
    probe.push_back(t.position);
    if (std::fabs(probe.back().quantity) < kZeroQuantity) probe.back().quantity = 1.0;
  }
  Book book;
  bool any_prices = true;
  try {
    book = load_book(cx, in_memory(base, probe, "trades", as_of));
  } catch (const Error& e) {
    if (e.code() != ErrorCode::kInvalidInput) throw;
    any_prices = false;  // no traded symbol has any price at all
  }
  std::vector<std::string> missing, details;
  for (const auto& t : trades) {
    const std::string& sym = t.position.price_symbol();
    bool has = false;
    if (any_prices) {
      if (const auto col = book.prices.find(sym)) {
        for (std::size_t r = 0; r < book.prices.rows() && !has; ++r) has = !is_missing(book.prices.at(r, *col));
      }
    }
    if (has) continue;
    const std::string what = t.position.is_option() ? "underlying " + sym + " of " + t.position.symbol : sym;
    details.push_back((t.origin.empty() ? "" : t.origin + ": ") + what + ": no prices" +
                      (as_of ? " on or before " + as_of->to_string() : "") +
                      (base.prices_file     ? " in " + *base.prices_file
                       : base.loaded_prices ? " in the prices given"
                                            : " in the store"));
    if (std::find(missing.begin(), missing.end(), t.position.symbol) == missing.end()) missing.push_back(t.position.symbol);
  }
  if (!missing.empty()) {
    throw Error::invalid_input("unknown symbol in the trades (no prices): " + symbols_text(missing), details);
  }
}

ComputeCost whatif_cost(const WhatIfRequest& req, VarBookSize book) {
  ComputeCost cost = var_cost(req.methods, req.var, req.window, book, "what-if calculation");
  cost.steps *= 2.0;
  cost.formula = "2 books x (" + cost.formula + ")";
  return cost;
}

WhatIfResult whatif(const Context& cx, const WhatIfRequest& req) {
  Store* store = cx.store;
  if (req.trades.empty()) throw Error::invalid_input("no trades: give at least one trade");
  const std::string& tenant = cx.actor.tenant;
  if (req.save_as) {
    authorize(cx, kWhatIfSave, fmt::format("portfolio/{}", *req.save_as));
    check_save_target(store, tenant, *req.save_as, req.replace);
  }
  const Book before_book = load_book(cx, req.inputs.source);
  const Date as_of = before_book.as_of;
  AppliedTrades applied = apply_trades(before_book.positions, req.trades);
  // Both books' VaR, before either runs (keel/service/admission.h): here and now, so over the
  // foreground limit is a refusal unless this runs as a job.
  const VarBookSize before_size = var_book_size(before_book.positions);
  const VarBookSize after_size = var_book_size(applied.positions);
  admit_now(cx, whatif_cost(req, {std::max(before_size.positions, after_size.positions),
                                  std::max(before_size.options, after_size.options)}));
  check_trades_priced(cx, req.inputs.source, as_of, req.trades);
  if (applied.positions.empty()) {
    throw Error::invalid_input("the trades close every position of " + before_book.name + ": nothing left to analyse");
  }

  // Both sides in the before book's reporting currency, with the rates it was valued with.
  BookSource base = req.inputs.source;
  base.currency = before_book.currency;
  if (before_book.fx) base.loaded_fx = before_book.fx;
  const BookSource before_src = in_memory(base, before_book.positions, before_book.name, as_of);
  const BookSource after_src = in_memory(base, applied.positions, before_book.name + " (what-if)", as_of);
  Side before = compute_side(cx, req, before_src);
  Side after = compute_side(cx, req, after_src);
  std::vector<std::string> factor_names;
  auto reason = add_factor_sections(cx, req, before_src, before, factor_names);
  if (!reason) reason = add_factor_sections(cx, req, after_src, after, factor_names);
  if (reason) {
    for (Side* s : {&before, &after}) {
      s->metrics.betas.clear();
      s->metrics.factor_r2.reset();
      s->stress.clear();
    }
  }
  align(before.metrics, after.metrics);

  WhatIfResult out;
  out.portfolio = before_book.name;
  out.currency = before_book.currency;
  out.as_of = as_of;

  // Trades with their cash impact: price given, else the last close (stocks, ETFs) or the model
  // value (options) on the as-of date, from whichever side holds the instrument.
  std::vector<std::string> warnings;
  for (const auto& t : req.trades) {
    const auto* v = valued_position(after.valued, t.position.symbol);
    if (!v) v = valued_position(before.valued, t.position.symbol);
    WhatIfTrade e;
    e.symbol = t.position.symbol;
    e.quantity = t.position.quantity;
    e.multiplier = v ? v->multiplier : t.position.multiplier;
    e.origin = t.origin;
    std::optional<double> price = t.price;
    std::string source = "given";
    if (!price && v) {
      price = v->price;
      source = t.position.is_option() || v->type == InstrumentType::kOption ? "model" : "close";
    }
    if (price) {
      const double amount = -t.position.quantity * *price * e.multiplier;
      out.cash_amount += amount;
      e.price.emplace(*price);
      e.price_source.emplace(source);
      e.cash_amount.emplace(amount);
    } else {
      warnings.push_back(t.position.symbol + ": no price for the cash impact (give a price column)");
    }
    out.trades.push_back(std::move(e));
  }
  out.positions = applied.changes;
  out.before = before.metrics;
  out.after = after.metrics;
  out.change = difference(before.metrics, after.metrics);

  for (const auto& [key, pnl_before] : before.stress) {
    const auto bar = key.find('|');
    const auto a = std::find_if(after.stress.begin(), after.stress.end(), [&](const auto& e) { return e.first == key; });
    WhatIfStress row;
    row.name = key.substr(0, bar);
    row.method = key.substr(bar + 1);
    row.before = pnl_before;
    if (a != after.stress.end()) {
      row.after.emplace(a->second);
      row.change.emplace(a->second - pnl_before);
    }
    out.stress.push_back(std::move(row));
  }

  std::map<std::string, double> keys = before.sectors;
  for (const auto& [k, v] : after.sectors) keys.emplace(k, 0.0);
  for (const auto& [k, unused] : keys) {
    const double b = before.sectors.count(k) ? before.sectors.at(k) : 0.0;
    const double a = after.sectors.count(k) ? after.sectors.at(k) : 0.0;
    out.by_sector.push_back({k, b, a, a - b});
  }
  out.factors.available = !reason.has_value();
  if (reason) out.factors.reason.emplace(*reason);
  else out.factors.names = factor_names;
  out.var = {req.var.confidence, req.var.horizon_days, req.window, req.methods};

  warnings.insert(warnings.begin(), req.trade_warnings.begin(), req.trade_warnings.end());
  // A warning both sides raise is listed once; one side's own is marked "before:" or "after:".
  auto seen_in = [](const std::vector<std::string>& v, const std::string& w) {
    return std::find(v.begin(), v.end(), w) != v.end();
  };
  for (const auto& w : before.warnings) warnings.push_back(seen_in(after.warnings, w) ? w : "before: " + w);
  for (const auto& w : after.warnings) {
    if (!seen_in(before.warnings, w)) warnings.push_back("after: " + w);
  }
  out.warnings = std::move(warnings);

  if (req.save_as) {
    const PortfolioSummary p = store->save_portfolio(tenant, *req.save_as, applied.positions, "whatif " + before_book.name);
    audit(cx, kWhatIfSave, fmt::format("portfolio/{}", p.id),
          {{"name", p.name}, {"from", before_book.name}, {"trades", req.trades.size()}, {"replace", req.replace}});
    out.saved_as.emplace(WhatIfSaved{p.id, p.name, p.positions});
  }
  return out;
}

PortfolioSummary save_whatif_portfolio(const Context& cx, const BookSource& source,
                                       const std::vector<io::Trade>& trades, const std::string& name,
                                       bool replace) {
  if (trades.empty()) throw Error::invalid_input("no trades: give at least one trade");
  check_save_target(cx.store, cx.actor.tenant, name, replace);
  Store& store = *cx.store;
  const Book book = load_book(cx, source);
  const AppliedTrades applied = apply_trades(book.positions, trades);
  check_trades_priced(cx, source, book.as_of, trades);
  if (applied.positions.empty()) {
    throw Error::invalid_input("the trades close every position of " + book.name + ": nothing to save");
  }
  return store.save_portfolio(cx.actor.tenant, name, applied.positions, "whatif " + book.name);
}

}  // namespace keel::service
