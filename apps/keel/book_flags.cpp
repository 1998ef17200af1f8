// Flags shared by `keel options greeks` and `keel exposures` (see book_flags.h).
#include "book_flags.h"

#include "keel/core/error.h"
#include "keel/store/store.h"

namespace keel::cli {

void add_book_risk_flags(CLI::App* cmd, BookFlags& f) {
  cmd->add_option("--portfolio,-p", f.portfolio, "Stored portfolio name");
  cmd->add_option("--positions", f.positions, "Positions CSV (instead of --portfolio)");
  cmd->add_option("--prices", f.prices, "Prices CSV (default: the store's prices)");
  cmd->add_option("--as-of", f.as_of, "Valuation date (default: the last date with prices)");
  cmd->add_option("--rate", f.rate, "Risk-free rate, continuous decimal (0.05 = 5%)");
  cmd->add_option("--div", f.div, "Dividend yield of the underlyings, continuous decimal (options without a dividend_yield column)");
  cmd->add_option("--vol-window", f.vol_window,
                  "Trading days of historical vol for options without implied_vol");
  cmd->add_option("--sectors", f.sectors, "Symbol-to-sector file (e.g. examples/market/sectors.csv)");
  cmd->add_option("--curve", f.curve,
                  "Rate curve file: option rates at each expiry instead of --rate (tenor,rate or the "
                  "Treasury date,1m,...,30y file)");
  cmd->add_option("--curve-type", f.curve_type, "zero (continuous, act/365) or par, for a tenor,rate file")
      ->check(CLI::IsMember({"zero", "par"}));
  cmd->add_option("--rate-units", f.rate_units, "decimal or percent, for a tenor,rate file")
      ->check(CLI::IsMember({"decimal", "percent"}));
  cmd->add_option("--curve-date", f.curve_date, "Row of a dated curve file (default: the as-of date)");
  cmd->add_option("--american-engine", f.american_engine,
                  "American options: alo (Andersen-Lake-Offengenden fixed point, default) or baw "
                  "(Barone-Adesi-Whaley approximation)")
      ->check(CLI::IsMember({"alo", "baw"}));
}

service::PricedBook price_book_from_flags(Context& ctx, const BookFlags& f) {
  service::BookRiskRequest req;
  if (!f.portfolio.empty()) req.source.portfolio = f.portfolio;
  if (!f.positions.empty()) req.source.positions_file = f.positions;
  if (!f.prices.empty()) req.source.prices_file = f.prices;
  if (!f.as_of.empty()) req.source.as_of = Date::parse_or_throw(f.as_of, "--as-of");
  if (!f.sectors.empty()) req.sectors_file = f.sectors;
  req.rate = f.rate;
  if (!f.curve.empty()) {
    req.curve_file = f.curve;
    req.curve.kind = f.curve_type == "par" ? CurveKind::kPar : CurveKind::kZero;
    req.curve.units = f.rate_units == "percent" ? io::RateUnits::kPercent : io::RateUnits::kDecimal;
    if (!f.curve_date.empty()) req.curve.date = Date::parse_or_throw(f.curve_date, "--curve-date");
  }
  req.div = f.div;
  req.vol_window = f.vol_window;
  req.american_engine = options::parse_american_engine(f.american_engine).value_or(options::kDefaultAmericanEngine);
  Store* store = nullptr;
  if (!f.portfolio.empty() || ctx.has_store_file()) store = &ctx.store();
  service::PricedBook priced = service::price_book(store, req);
  for (const auto& w : priced.book.warnings) ctx.warn(w);
  for (const auto& e : priced.report.positions) {
    if (!e.error.empty()) ctx.warn(e.symbol + ": not valued: " + e.error);
  }
  return priced;
}

}  // namespace keel::cli
