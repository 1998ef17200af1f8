#include "keel/service/portfolio_view.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>

#include "keel/core/error.h"
#include "keel/core/strings.h"
#include "keel/service/exposures.h"
#include "keel/service/fx.h"

namespace keel::service {

PortfolioView show_portfolio(const Context& cx, const PortfolioShowRequest& request) {
  Store& store = require_store(cx, "a stored portfolio is shown");
  const std::string& name = request.portfolio;
  const std::string& tenant = cx.actor.tenant;
  const std::optional<Date>& as_of = request.as_of;
  PortfolioView v;
  v.name = name;
  const auto positions = store.positions(tenant, name);
  if (const auto d = as_of ? as_of : store.last_price_date()) v.as_of.emplace(*d);
  const auto summary = store.find_portfolio(tenant, name);
  v.currency = request.currency ? *request.currency : summary ? summary->base_currency : "USD";
  if (!is_currency_code(v.currency)) {
    throw Error::invalid_input("invalid currency",
                               {fmt::format("currency: expected a three-letter code such as USD, "
                                            "got {}",
                                            shown_with(v.currency, 40, '"'))});
  }
  // The stored rates between the positions' currencies and the reporting one, read once; a
  // position whose rate is missing is left unvalued with a warning naming the pair and the date,
  // never converted at 1.
  std::optional<FxRates> rates;
  auto fx_rate = [&](const Position& p) -> std::optional<double> {
    if (p.currency == v.currency) return 1.0;
    if (!v.as_of) return std::nullopt;
    if (!rates) {
      std::vector<std::string> currencies{v.currency};
      for (const auto& q : positions) currencies.push_back(q.currency);
      rates.emplace(stored_fx(cx, currencies, std::nullopt, *v.as_of));
    }
    try {
      return rates->rate(p.currency, v.currency, *v.as_of).rate;
    } catch (const Error& e) {
      v.warnings.push_back(fmt::format("{}: not valued in {}: {}: import FX rates (keel import fx FILE)", p.symbol,
                                       v.currency, e.what()));
      return std::nullopt;
    }
  };
  // Options without a stored price are valued by the options engine, once for the whole book.
  std::optional<PricedBook> priced;
  auto model_value = [&](std::size_t i) -> const exposures::PositionExposure* {
    if (!priced) {
      BookRiskRequest req;
      req.source.portfolio = name;
      req.source.as_of = v.as_of;
      req.source.currency = v.currency;
      try {
        priced = price_book(cx, req);
      } catch (const Error& e) {
        v.warnings.push_back(std::string("options could not be valued: ") + e.what());
        priced = PricedBook{};
      }
    }
    if (i >= priced->report.positions.size()) return nullptr;
    const auto& pe = priced->report.positions[i];
    return pe.error.empty() ? &pe : nullptr;
  };
  for (std::size_t i = 0; i < positions.size(); ++i) {
    const Position& p = positions[i];
    PositionView pv;
    pv.position = p;
    pv.record = position_record(p);
    const auto lp = store.latest_price(p.symbol, v.as_of);
    const exposures::PositionExposure* pe = (!lp && p.is_option()) ? model_value(i) : nullptr;
    if (pe != nullptr) {
      pv.last_price.emplace(pe->price);
      pv.price_date = v.as_of;
      // In the position's own currency, like a close: the priced book's market value is already
      // converted into the reporting currency, and the conversion below is the one that applies.
      pv.market_value.emplace(p.quantity * p.multiplier * pe->price);
      pv.price_source.emplace("model");
    } else if (lp) {
      pv.last_price.emplace(lp->close);
      pv.price_date.emplace(lp->date);
      pv.market_value.emplace(p.quantity * p.multiplier * lp->close);
      pv.price_source.emplace("close");
      if (v.as_of && lp->date < v.as_of->add_days(-7)) {
        v.warnings.push_back(p.symbol + ": last price is from " + lp->date.to_string() + ", stale against " +
                             v.as_of->to_string());
      }
    } else {
      ++v.unpriced;
      v.warnings.push_back(p.symbol + ": no price on or before " +
                           (v.as_of ? v.as_of->to_string() : std::string("any date")) +
                           (p.is_option() ? " and no model value (see `keel options greeks`)" : ""));
    }
    if (pv.market_value) {
      pv.market_value_local = pv.market_value;
      pv.market_value.reset();
      if (const auto rate = fx_rate(p)) {
        pv.fx_rate.emplace(*rate);
        pv.market_value.emplace(*pv.market_value_local * *rate);
      } else {
        ++v.unpriced;
      }
    }
    if (pv.market_value) {
      const double mv = *pv.market_value;
      v.net_market_value += mv;
      v.gross_market_value += std::fabs(mv);
      (mv >= 0 ? v.long_market_value : v.short_market_value) += mv;
    }
    v.positions.push_back(std::move(pv));
  }
  for (auto& pv : v.positions) {
    if (pv.market_value && v.gross_market_value > 0) pv.weight.emplace(*pv.market_value / v.gross_market_value);
  }
  return v;
}

void check_currency(const std::string& currency) {
  if (!is_currency_code(currency)) {
    throw Error::invalid_input("invalid currency",
                               {fmt::format("currency: expected a three-letter code such as USD, got {}",
                                            shown_with(currency, 40, '"'))});
  }
}

PositionRecord position_record(const Position& p) {
  PositionRecord r;
  r.symbol = p.symbol;
  r.type = std::string(instrument_type_name(p.type));
  r.quantity = p.quantity;
  r.multiplier = p.multiplier;
  r.currency = p.currency;
  r.entry_price = p.entry_price;
  r.entry_date = p.entry_date;
  if (p.is_option()) {
    r.underlying = p.underlying;
    r.strike = p.strike;
    r.expiry = p.expiry;
    if (p.option_type) r.option_type = std::string(option_right_name(*p.option_type));
    r.exercise = std::string(exercise_style_name(p.exercise));
    r.dividend_yield = p.dividend_yield;
  }
  r.implied_vol = p.implied_vol;
  if (!p.sector.empty()) r.sector = p.sector;
  if (!p.tags.empty()) r.tags = p.tags;
  if (!p.strategy.empty()) r.strategy = p.strategy;
  return r;
}

std::vector<PositionRecord> portfolio_positions(const Context& cx, const std::string& name) {
  std::vector<PositionRecord> out;
  for (const auto& p : require_store(cx, "a stored portfolio is read").positions(cx.actor.tenant, name)) {
    out.push_back(position_record(p));
  }
  return out;
}

PortfolioRecord portfolio_record(const PortfolioSummary& s) {
  return {s.id, s.name, s.tenant, s.positions, s.base_currency, s.created_at, s.updated_at};
}

PortfolioRecord create_portfolio(const Context& cx, const PortfolioCreateRequest& request) {
  authorize(cx, kPortfolioCreate, "portfolio/" + shown_with(request.name, 200, 0));
  Store& store = require_store(cx, "a portfolio is stored");
  if (request.name.empty() || request.name.size() > 200) {
    throw Error::invalid_input("invalid portfolio", {"name: expected 1 to 200 characters"});
  }
  check_currency(request.currency);
  const std::string& tenant = cx.actor.tenant;
  const PortfolioSummary p = store.transaction([&] {
    if (store.find_portfolio(tenant, request.name)) {
      throw Error::conflict(fmt::format("portfolio {} already exists", shown_with(request.name, 200, '\'')));
    }
    store.save_portfolio(tenant, request.name, {}, "api");
    store.set_portfolio_currency(tenant, request.name, request.currency);
    return *store.find_portfolio(tenant, request.name);
  });
  // The currency is written when it is not the default, so a default creation's row stays {name}.
  nlohmann::json details{{"name", p.name}};
  if (p.base_currency != "USD") details["currency"] = p.base_currency;
  audit(cx, kPortfolioCreate, fmt::format("portfolio/{}", p.id), details);
  return portfolio_record(p);
}

PortfolioRecord set_portfolio_currency(const Context& cx, const PortfolioCurrencyRequest& request) {
  authorize(cx, kPortfolioCurrency, "portfolio/" + shown_with(request.portfolio, 200, 0));
  Store& store = require_store(cx, "a stored portfolio is changed");
  check_currency(request.currency);
  const std::string& tenant = cx.actor.tenant;
  std::string before;
  const PortfolioSummary p = store.transaction([&] {
    const auto found = store.find_portfolio(tenant, request.portfolio);
    if (!found) throw Error::not_found(fmt::format("no portfolio named {}", shown_with(request.portfolio, 200, '"')));
    before = found->base_currency;
    store.set_portfolio_currency(tenant, request.portfolio, request.currency);
    return *store.find_portfolio(tenant, request.portfolio);
  });
  audit(cx, kPortfolioCurrency, fmt::format("portfolio/{}", p.id),
        {{"name", p.name}, {"from", before}, {"to", p.base_currency}});
  return portfolio_record(p);
}

PortfolioDeleted delete_portfolio(const Context& cx, const std::string& name) {
  authorize(cx, kPortfolioDelete, "portfolio/" + shown_with(name, 200, 0));
  Store& store = require_store(cx, "a stored portfolio is deleted");
  const std::string& tenant = cx.actor.tenant;
  const auto found = store.find_portfolio(tenant, name);
  if (!found || !store.delete_portfolio(tenant, name)) {
    throw Error::not_found(fmt::format("no portfolio named {}", shown_with(name, 200, '"')));
  }
  audit(cx, kPortfolioDelete, fmt::format("portfolio/{}", found->id),
        {{"name", found->name}, {"positions", found->positions}});
  return {true, found->id, found->name};
}

PortfolioSummary resolve_portfolio(const Context& cx, std::string_view ref) {
  Store& store = require_store(cx, "a stored portfolio is read");
  const std::string& tenant = cx.actor.tenant;
  std::int64_t id = 0;
  const auto [ptr, ec] = std::from_chars(ref.data(), ref.data() + ref.size(), id);
  if (ec == std::errc() && ptr == ref.data() + ref.size()) {
    for (auto& p : store.list_portfolios(tenant)) {
      if (p.id == id) return p;
    }
  } else if (auto p = store.find_portfolio(tenant, std::string(ref))) {
    return *p;
  }
  throw Error::not_found(fmt::format("no portfolio {}", shown_with(ref, 200, 0)));
}

}  // namespace keel::service
