#include "risk_inputs.h"
#include "option_rates.h"

#include <cmath>

#include <fmt/format.h>

#include "keel/core/error.h"
#include "keel/options/historical_vol.h"
#include "keel/risk/stage_profile.h"

namespace keel::service::detail {

RiskInputs load_risk_inputs(const Context& cx, const RiskInputsRequest& req) {
  if (!std::isfinite(req.rate) || std::abs(req.rate) > 1.0) {
    throw Error::invalid_input(
        fmt::format("rate must be a decimal between -1 and 1 (0.05 = 5%), got {:f}", req.rate));
  }
  if (!std::isfinite(req.div) || std::abs(req.div) > 1.0) {
    throw Error::invalid_input(
        fmt::format("div must be a decimal between -1 and 1 (0.02 = 2%), got {:f}", req.div));
  }
  RiskInputs out;
  out.book = load_book(cx, req.source);
  risk::profile_mark("store read (positions, prices)");
  Book& book = out.book;
  out.warnings = book.warnings;
  if (book.positions.empty()) throw Error::invalid_input("the portfolio " + book.name + " has no positions");

  // Options without an implied vol: the underlying's historical vol, said in a warning.
  std::vector<double> column;
  for (Position& p : book.positions) {
    if (!p.is_option() || p.implied_vol) continue;
    const auto col = book.prices.find(p.price_symbol());
    if (!col) continue;  // build_risk_book reports the missing price
    column.clear();
    for (std::size_t t = 0; t < book.prices.rows(); ++t) column.push_back(book.prices.at(t, *col));
    if (auto v = options::historical_vol(column, req.vol_window)) {
      p.implied_vol = *v;
      out.warnings.push_back(fmt::format("{}: no implied_vol; using the {}-day historical vol of {} ({:f})",
                                         p.symbol, req.vol_window, p.price_symbol(), *v));
    }
  }
  const PriceHistory& spots = book.closes.rows() > 0 ? book.closes : book.prices;
  // A position whose price symbol has no price on or before the as-of date is left out, named in a
  // warning, so that one symbol without data does not stop the rest of the book (onboarding a book
  // before all its prices are in). When none is priced, build_risk_book says why for each.
  auto priced = [&](const Position& p) {
    if (p.type == InstrumentType::kCash || p.price_symbol().empty()) return true;
    const auto col = spots.find(p.price_symbol());
    if (!col) return false;
    for (std::size_t t = 0; t < spots.rows() && spots.dates[t] <= book.as_of; ++t) {
      if (!is_missing(spots.at(t, *col))) return true;
    }
    return false;
  };
  std::vector<std::string> unpriced;
  bool any_priced = false;
  for (const Position& p : book.positions) {
    if (p.type == InstrumentType::kCash) continue;
    if (priced(p)) {
      any_priced = true;
    } else {
      unpriced.push_back(p.symbol);
    }
  }
  if (any_priced && !unpriced.empty()) {
    std::erase_if(book.positions, [&](const Position& p) { return !priced(p); });
    out.warnings.push_back(fmt::format("{}: no price on or before {}: left out (its value and risk are not counted); "
                                       "fetch or import its prices",
                                       fmt::join(unpriced, ", "), book.as_of.to_string()));
  }
  OptionRates rates = stored_option_inputs(cx, book, req.rate_curve, req.rate);
  out.rate_source = rates.source;
  out.warnings.insert(out.warnings.end(), rates.warnings.begin(), rates.warnings.end());
  risk::BookOptions options;
  options.rate = req.rate;
  if (rates.any_from_curve()) options.position_rates = std::move(rates.rate);
  options.div = req.div;
  options.american_engine = req.american_engine;
  options.currency = book.currency;
  options.fx = book.fx.get();
  out.risk_book = risk::build_risk_book(book.positions, spots, book.as_of, options);
  if (out.risk_book.assets.empty()) {
    throw Error::invalid_input("the portfolio " + book.name + " has no position with market risk");
  }
  risk::profile_mark("risk book (valuation)");
  return out;
}

risk::ReturnMatrix risk_returns(RiskInputs& in, const RiskInputsRequest& req, std::size_t window) {
  const risk::RiskBook& rb = in.risk_book;
  // Price returns of the price drivers; the FX columns, after them, on the same dates.
  risk::ReturnMatrix r = risk::simple_returns(
      in.book.prices, std::span<const std::string>(rb.assets.data(), rb.fx_begin()),
      {.window = window, .as_of = in.book.as_of, .missing = req.missing});
  if (rb.has_fx()) risk::append_fx_returns(r, rb.fx_currencies, rb.currency, *in.book.fx);
  in.warnings.insert(in.warnings.end(), r.warnings.begin(), r.warnings.end());
  risk::profile_mark("return matrix");
  return r;
}

}  // namespace keel::service::detail
