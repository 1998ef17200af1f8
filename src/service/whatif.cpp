// What-if trades (keel/service/whatif.h, docs/whatif.md): apply trades to a copy of the book, run the
// book's use cases before and after, and line the results up as before / after / change.
#include "keel/service/whatif.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "keel/core/error.h"
#include "keel/service/exposures.h"
#include "keel/store/store.h"

namespace keel::service {
namespace {

using nlohmann::json;

constexpr double kZeroQuantity = 1e-9;  // shares or contracts: below this a position is closed

// The book's source with the positions in memory (everything else as requested).
BookSource in_memory(const BookSource& base, std::vector<Position> positions, std::string name,
                     std::optional<Date> as_of) {
  BookSource s;
  s.positions = std::move(positions);
  s.positions_name = std::move(name);
  s.prices_file = base.prices_file;
  s.as_of = as_of;
  s.tenant = base.tenant;
  return s;
}

std::string symbols_text(const std::vector<std::string>& symbols) {
  std::string out;
  for (const auto& s : symbols) out += (out.empty() ? "" : ", ") + s;
  return out;
}

// One side (before or after) of the comparison.
struct Side {
  json flat = json::object();
  std::map<std::string, double> sectors;  // net market value by sector
  std::vector<std::pair<std::string, double>> stress;  // ("name|method", P&L) in scenario order
  std::vector<exposures::PositionExposure> valued;
  std::vector<std::string> warnings;
};

void take_warnings(const json& out, std::vector<std::string>& into) {
  if (!out.contains("warnings")) return;
  for (const auto& w : out["warnings"]) {
    if (std::find(into.begin(), into.end(), w.get<std::string>()) == into.end()) into.push_back(w.get<std::string>());
  }
}

Side compute_side(Store* store, const WhatIfRequest& req, const BookSource& source) {
  Side s;
  BookRiskRequest book_req;
  book_req.source = source;
  book_req.rate = req.inputs.rate;
  book_req.div = req.inputs.div;
  book_req.vol_window = req.inputs.vol_window;
  const PricedBook priced = price_book(Context{store}, book_req);
  const json ex = spec::to_json(exposures_of(priced, exposures::GroupBy::kSector));
  take_warnings(ex, s.warnings);
  s.valued = priced.report.positions;
  s.flat["positions"] = source.positions->size();
  for (const char* k : {"gross", "net", "long", "short"}) s.flat[k] = ex[k];
  for (const char* k : {"gross", "net", "long", "short"}) {
    s.flat[std::string("delta_adjusted_") + k] = ex["delta_adjusted"][k];
    s.flat[std::string("notional_") + k] = ex["notional"][k];
  }
  for (const auto& [k, v] : ex["greeks"].items()) s.flat[k] = v;
  for (const auto& g : ex["groups"]) s.sectors[g["key"].get<std::string>()] = g["net"].get<double>();

  RiskVarRequest var_req;
  var_req.inputs = req.inputs;
  var_req.inputs.source = source;
  var_req.methods = req.methods;
  var_req.window = req.window;
  var_req.var = req.var;
  const json var = spec::to_json(risk_var(Context{store}, var_req));
  take_warnings(var, s.warnings);
  for (const auto& r : var["results"]) {
    const std::string m = r["method"].get<std::string>();
    s.flat["var_" + m] = r["var"];
    s.flat["es_" + m] = r["es"];
  }
  return s;
}

// Factor betas and stress P&L of one side. Both need factor data: when the factor regression cannot
// run (no factor data, dates that do not overlap, too short a history) that is reported as the
// sections' reason rather than failing the whole what-if. Stress errors (e.g. an unknown scenario
// name) are the caller's and propagate.
std::optional<std::string> add_factor_sections(Store* store, const WhatIfRequest& req, const BookSource& source,
                                               Side& s, std::vector<std::string>& names) {
  FactorsRequest f;
  f.inputs = req.inputs;
  f.inputs.source = source;
  f.factors = req.factors;
  f.window = req.factor_window;
  json out;
  try {
    out = spec::to_json(risk_factors(Context{store}, f));
  } catch (const Error& e) {
    if (e.code() != ErrorCode::kInvalidInput && e.code() != ErrorCode::kNotFound) throw;
    std::string reason = e.what();
    for (const auto& d : e.details()) reason += "; " + d;
    return reason;
  }
  take_warnings(out, s.warnings);
  names.clear();
  for (const auto& n : out["factors"]) names.push_back(n.get<std::string>());
  for (const auto& [k, v] : out["portfolio"]["betas"].items()) s.flat["beta_" + k] = v;
  s.flat["factor_r2"] = out["portfolio"]["r2"];
  StressRequest st;
  st.inputs = f.inputs;
  st.factors = req.factors;
  st.window = req.factor_window;
  st.scenarios = req.scenarios;
  st.methods = req.stress_methods;
  const json stress = spec::to_json(risk_stress(Context{store}, st));
  take_warnings(stress, s.warnings);
  for (const auto& e : stress["scenarios"]) {
    s.stress.emplace_back(e["name"].get<std::string>() + "|" + e["method"].get<std::string>(), e["pnl"].get<double>());
  }
  return std::nullopt;
}

json difference(const json& before, const json& after) {
  json out = json::object();
  auto add = [&](const std::string& k) {
    if (out.contains(k)) return;
    const auto b = before.find(k), a = after.find(k);
    const bool both = b != before.end() && a != after.end() && b->is_number() && a->is_number();
    out[k] = both ? json(a->get<double>() - b->get<double>()) : json(nullptr);
  };
  for (const auto& [k, v] : before.items()) add(k);
  for (const auto& [k, v] : after.items()) add(k);
  return out;
}

// Both sides carry every key: a metric computed on one side only is null on the other.
void align_keys(json& a, const json& b) {
  for (const auto& [k, v] : b.items()) {
    if (!a.contains(k)) a[k] = nullptr;
  }
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
    throw Error::conflict("portfolio '" + name + "' already exists (use --replace to overwrite it)");
  }
}

}  // namespace

std::string_view trade_effect_name(TradeEffect e) {
  switch (e) {
    case TradeEffect::kAdd: return "add";
    case TradeEffect::kIncrease: return "increase";
    case TradeEffect::kReduce: return "reduce";
    case TradeEffect::kClose: return "close";
    case TradeEffect::kFlip: return "flip";
    case TradeEffect::kNew: return "new";
  }
  return "new";
}

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

void check_trades_priced(Store* store, const BookSource& base, std::optional<Date> as_of,
                         const std::vector<io::Trade>& trades) {
  std::vector<Position> probe;
  for (const auto& t : trades) {
    probe.push_back(t.position);
    if (std::fabs(probe.back().quantity) < kZeroQuantity) probe.back().quantity = 1.0;
  }
  Book book;
  bool any_prices = true;
  try {
    book = load_book(Context{store}, in_memory(base, probe, "trades", as_of));
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
    details.push_back((t.origin.empty() ? "" : t.origin + ": ") + what + ": no prices" + (as_of ? " on or before " + as_of->to_string() : "") + (base.prices_file ? " in " + *base.prices_file : " in the store"));
    if (std::find(missing.begin(), missing.end(), t.position.symbol) == missing.end()) missing.push_back(t.position.symbol);
  }
  if (!missing.empty()) {
    throw Error::invalid_input("unknown symbol in the trades (no prices): " + symbols_text(missing), details);
  }
}

nlohmann::json whatif_json(Store* store, const WhatIfRequest& req) {
  if (req.trades.empty()) throw Error::invalid_input("no trades: give at least one trade");
  const std::string& tenant = req.inputs.source.tenant;
  if (req.save_as) check_save_target(store, tenant, *req.save_as, req.replace);
  const Book before_book = load_book(Context{store}, req.inputs.source);
  const Date as_of = before_book.as_of;
  AppliedTrades applied = apply_trades(before_book.positions, req.trades);
  check_trades_priced(store, req.inputs.source, as_of, req.trades);
  if (applied.positions.empty()) {
    throw Error::invalid_input("the trades close every position of " + before_book.name + ": nothing left to analyse");
  }

  const BookSource before_src = in_memory(req.inputs.source, before_book.positions, before_book.name, as_of);
  const BookSource after_src = in_memory(req.inputs.source, applied.positions, before_book.name + " (what-if)", as_of);
  Side before = compute_side(store, req, before_src);
  Side after = compute_side(store, req, after_src);
  std::vector<std::string> factor_names;
  auto reason = add_factor_sections(store, req, before_src, before, factor_names);
  if (!reason) reason = add_factor_sections(store, req, after_src, after, factor_names);
  if (reason) {
    for (Side* s : {&before, &after}) {
      for (auto it = s->flat.begin(); it != s->flat.end();) {
        if (it.key().rfind("beta_", 0) == 0 || it.key() == "factor_r2") it = s->flat.erase(it);
        else ++it;
      }
      s->stress.clear();
    }
  }
  align_keys(before.flat, after.flat);
  align_keys(after.flat, before.flat);

  json out;
  out["portfolio"] = before_book.name;
  out["as_of"] = as_of.to_string();

  // Trades with their cash impact: price given, else the last close (stocks, ETFs) or the model
  // value (options) on the as-of date, from whichever side holds the instrument.
  json trades = json::array();
  double cash = 0.0;
  std::vector<std::string> warnings;
  for (const auto& t : req.trades) {
    const auto* v = valued_position(after.valued, t.position.symbol);
    if (!v) v = valued_position(before.valued, t.position.symbol);
    const double multiplier = v ? v->multiplier : t.position.multiplier;
    json e = {{"symbol", t.position.symbol}, {"quantity", t.position.quantity}, {"multiplier", multiplier},
              {"origin", t.origin}};
    std::optional<double> price = t.price;
    std::string source = "given";
    if (!price && v) {
      price = v->price;
      source = t.position.is_option() || v->type == InstrumentType::kOption ? "model" : "close";
    }
    if (price) {
      const double amount = -t.position.quantity * *price * multiplier;
      cash += amount;
      e["price"] = *price;
      e["price_source"] = source;
      e["cash_amount"] = amount;
    } else {
      e["price"] = nullptr;
      e["price_source"] = nullptr;
      e["cash_amount"] = nullptr;
      warnings.push_back(t.position.symbol + ": no price for the cash impact (give a price column)");
    }
    trades.push_back(std::move(e));
  }
  out["trades"] = trades;
  out["cash_amount"] = cash;
  json changes = json::array();
  for (const auto& c : applied.changes) {
    changes.push_back({{"symbol", c.symbol},
                       {"quantity_before", c.quantity_before},
                       {"quantity_after", c.quantity_after},
                       {"effect", std::string(trade_effect_name(c.effect))}});
  }
  out["positions"] = changes;
  out["before"] = before.flat;
  out["after"] = after.flat;
  out["change"] = difference(before.flat, after.flat);

  json stress = json::array();
  for (const auto& [key, pnl_before] : before.stress) {
    const auto bar = key.find('|');
    const auto a = std::find_if(after.stress.begin(), after.stress.end(), [&](const auto& e) { return e.first == key; });
    const json pnl_after = a == after.stress.end() ? json(nullptr) : json(a->second);
    stress.push_back({{"name", key.substr(0, bar)},
                      {"method", key.substr(bar + 1)},
                      {"before", pnl_before},
                      {"after", pnl_after},
                      {"change", a == after.stress.end() ? json(nullptr) : json(a->second - pnl_before)}});
  }
  out["stress"] = stress;

  std::map<std::string, double> keys = before.sectors;
  for (const auto& [k, v] : after.sectors) keys.emplace(k, 0.0);
  json sectors = json::array();
  for (const auto& [k, unused] : keys) {
    const double b = before.sectors.count(k) ? before.sectors.at(k) : 0.0;
    const double a = after.sectors.count(k) ? after.sectors.at(k) : 0.0;
    sectors.push_back({{"key", k}, {"before", b}, {"after", a}, {"change", a - b}});
  }
  out["by_sector"] = sectors;
  out["factors"] = {{"available", !reason.has_value()},
                    {"reason", reason ? json(*reason) : json(nullptr)},
                    {"names", reason ? json::array() : json(factor_names)}};
  json methods = json::array();
  for (auto m : req.methods) methods.push_back(std::string(risk::var_method_name(m)));
  out["var"] = {{"confidence", req.var.confidence}, {"horizon_days", req.var.horizon_days}, {"window", req.window},
                {"methods", methods}};

  warnings.insert(warnings.begin(), req.trade_warnings.begin(), req.trade_warnings.end());
  // A warning both sides raise is listed once; one side's own is marked "before:" or "after:".
  auto seen_in = [](const std::vector<std::string>& v, const std::string& w) {
    return std::find(v.begin(), v.end(), w) != v.end();
  };
  for (const auto& w : before.warnings) warnings.push_back(seen_in(after.warnings, w) ? w : "before: " + w);
  for (const auto& w : after.warnings) {
    if (!seen_in(before.warnings, w)) warnings.push_back("after: " + w);
  }
  out["warnings"] = warnings;

  out["saved_as"] = nullptr;
  if (req.save_as) {
    const PortfolioSummary p = store->save_portfolio(tenant, *req.save_as, applied.positions, "whatif " + before_book.name);
    out["saved_as"] = {{"id", p.id}, {"name", p.name}, {"positions", p.positions}};
  }
  return out;
}

PortfolioSummary save_whatif_portfolio(Store& store, const BookSource& source, const std::vector<io::Trade>& trades,
                                       const std::string& name, bool replace) {
  if (trades.empty()) throw Error::invalid_input("no trades: give at least one trade");
  check_save_target(&store, source.tenant, name, replace);
  const Book book = load_book(Context{&store}, source);
  const AppliedTrades applied = apply_trades(book.positions, trades);
  check_trades_priced(&store, source, book.as_of, trades);
  if (applied.positions.empty()) {
    throw Error::invalid_input("the trades close every position of " + book.name + ": nothing to save");
  }
  return store.save_portfolio(source.tenant, name, applied.positions, "whatif " + book.name);
}

}  // namespace keel::service
