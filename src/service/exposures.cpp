#include "keel/service/exposures.h"

#include "keel/portfolio/country.h"

#include "option_rates.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <map>
#include <string>

#include "keel/core/diagnostics.h"
#include "keel/core/error.h"
#include "keel/io/csv.h"
#include "keel/io/readers.h"
#include "keel/portfolio/curve.h"
#include "keel/store/store.h"

namespace keel::service {
namespace {

std::map<std::string, std::string> read_sectors(std::unique_ptr<ByteSource> file) {
  const std::string path = file->name();
  Diagnostics diags;
  io::CsvReader csv = io::CsvReader::open(std::move(file), diags);
  const std::vector<SymbolInfo> infos = io::read_symbol_info(csv, diags);
  diags.throw_if_errors(fmt::format("cannot read sectors file {}", path));
  std::map<std::string, std::string> out;
  for (const auto& i : infos) out[i.symbol] = i.sector;
  return out;
}

CurveData read_curve_file(std::unique_ptr<ByteSource> file, const io::CurveReadOptions& options) {
  const std::string path = file->name();
  Diagnostics diags;
  io::CsvReader csv = io::CsvReader::open(std::move(file), diags);
  CurveData curve = io::read_curve(csv, options, diags);
  diags.throw_if_errors(fmt::format("cannot read curve file {}", path));
  return curve;
}

}  // namespace

ComputeCost greeks_cost(const Book& book) {
  std::size_t american = 0;
  std::size_t european = 0;
  for (const Position& p : book.positions) {
    if (!p.is_option()) continue;
    (p.exercise == ExerciseStyle::kAmerican ? american : european) += 1;
  }
  ComputeCost cost;
  cost.operation = "pricing the book's options with their Greeks";
  cost.engine = Engine::kMonteCarloVar;
  const double n = static_cast<double>(book.positions.size());
  cost.steps = n + kEuropeanGreeksSteps * static_cast<double>(european) +
               kAmericanGreeksSteps * static_cast<double>(american);
  cost.formula = fmt::format("positions {} + European options {} x {:g} + American options {} x {:g}",
                             book.positions.size(), european, kEuropeanGreeksSteps, american, kAmericanGreeksSteps);
  // Each position's exposure row and its market inputs.
  cost.memory_bytes = 512.0 * n;
  cost.parameter = "the book's options (positions)";
  return cost;
}

PricedBook price_book(const Context& cx, const BookRiskRequest& req) {
  Store* store = cx.store;
  if (!std::isfinite(req.rate) || std::abs(req.rate) > 1.0) {
    throw Error::invalid_input(
        fmt::format("rate must be a decimal between -1 and 1 (0.05 = 5%), got {:f}", req.rate));
  }
  if (!std::isfinite(req.div) || std::abs(req.div) > 1.0) {
    throw Error::invalid_input(
        fmt::format("div must be a decimal between -1 and 1 (0.02 = 2%), got {:f}", req.div));
  }
  if (req.vol_window < 2) throw Error::invalid_input("vol_window must be at least 2 trading days");
  PricedBook out;
  out.book = load_book(cx, req.source);
  Book& book = out.book;

  std::map<std::string, std::string> sectors;
  if (req.sectors_file) sectors = read_sectors(cx.env.files.open(*req.sectors_file, "sectors"));
  for (auto& p : book.positions) {
    const std::string& key = p.price_symbol();
    std::optional<SymbolInfo> info;
    if (store != nullptr && (p.country.empty() || (p.sector.empty() && !req.sectors_file))) {
      info = store->symbol_info(key);
    }
    if (p.country.empty() && info) p.country = country_code(info->country);
    if (!p.sector.empty()) continue;
    if (auto it = sectors.find(key); it != sectors.end()) {
      p.sector = it->second;
    } else if (info && !req.sectors_file && !info->sector.empty()) {
      p.sector = info->sector;
    }
  }

  const std::size_t n = book.positions.size();
  exposures::MarketInputs market;
  market.spot.assign(n, kMissing);
  market.historical_vol.assign(n, kMissing);
  std::vector<double> column;
  for (std::size_t i = 0; i < n; ++i) {
    const Position& p = book.positions[i];
    const auto col = book.closes.find(p.price_symbol());
    if (!col) continue;
    if (auto t = detail::last_priced_row(book.closes, *col)) {
      market.spot[i] = book.closes.at(*t, *col);
      if (book.closes.dates[*t] < book.as_of) {
        book.warnings.push_back(p.symbol + ": last price of " + p.price_symbol() + " is from " +
                                book.closes.dates[*t].to_string() + ", before the as-of date " +
                                book.as_of.to_string());
      }
    }
    if (p.is_option()) {
      if (const auto adj = book.prices.find(p.price_symbol())) {
        column.clear();
        for (std::size_t t = 0; t < book.prices.rows(); ++t) column.push_back(book.prices.at(t, *adj));
        if (auto v = options::historical_vol(column, req.vol_window)) market.historical_vol[i] = *v;
      }
    }
  }
  // A curve file gives the rates itself: the store's give the dividend yields only.
  detail::OptionRates stored = detail::stored_option_inputs(cx, book, req.curve_file ? "none" : req.rate_curve, req.rate);
  out.div_source = stored.div_source;
  out.rate_source = stored.source;
  book.warnings.insert(book.warnings.end(), stored.warnings.begin(), stored.warnings.end());
  if (req.curve_file) {
    io::CurveReadOptions co = req.curve;
    if (!co.date) co.date = book.as_of;
    const CurveData curve = read_curve_file(cx.env.files.open(*req.curve_file, "curve"), co);
    // The curve model of the ALM engine (keel/portfolio/curve.h): par yields are bootstrapped,
    // zero rates used as they are; each option's rate is the zero rate at its expiry.
    const ZeroCurve zero_curve = to_zero_curve(curve);
    market.rate.assign(n, kMissing);
    for (std::size_t i = 0; i < n; ++i) {
      const Position& p = book.positions[i];
      if (p.is_option() && p.expiry) {
        market.rate[i] = zero_curve.zero(std::max(year_fraction_act365(book.as_of, *p.expiry), 0.0));
      }
    }
    out.rate_source = "curve " + *req.curve_file + " (" + (curve.kind == CurveKind::kPar ? "par" : "zero") +
                      (curve.as_of ? ", " + curve.as_of->to_string() : co.date ? ", " + co.date->to_string() : "") + ")";
  } else if (stored.any_from_curve()) {
    market.rate = std::move(stored.rate);
  }
  out.options = exposures::ExposureOptions{book.as_of, req.rate, req.div, req.american_engine};
  admit_now(cx, greeks_cost(book));
  out.report = exposures::compute_exposures(book.positions, market, out.options);
  if (book.fx) {
    // Each position is valued in its own currency, then converted at the as-of date's rate
    // (docs/fx.md); load_book checked that every currency converts on that date.
    std::vector<double> fx(n, 1.0);
    for (std::size_t i = 0; i < n; ++i) {
      const std::string& c = book.positions[i].currency;
      if (c != book.currency) fx[i] = book.fx->rate(c, book.currency, book.as_of).rate;
    }
    exposures::convert_exposures(out.report, fx);
  }
  return out;
}

}  // namespace keel::service
