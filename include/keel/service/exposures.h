// keel/service/exposures.h: the exposures and book-Greeks use cases (`keel exposures`,
// `keel options greeks`, and the same JSON over HTTP).
//
// Inputs per position (docs/exposures.md): spot = the underlying's last close on or before the
// as-of date; vol = the position's implied_vol, else the historical vol of the underlying's
// adjusted closes over `vol_window` trading days (shown per position as vol_source); rate and
// dividend yield from the request, or the zero rate of a curve file at each option's expiry on
// the curve model of keel/portfolio/curve.h (the ALM engine's): zero rates (continuous, act/365)
// as given, par yields (bond-equivalent, semi-annual, e.g. the Treasury file) bootstrapped;
// linear in the zero rate between pillars, flat beyond the ends. Sector from the position, else
// the sectors file, else the store's security master, else "Unknown".
//
// Thread-safety: stateless; the Store must not be used concurrently.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "keel/exposures/exposures.h"
#include "keel/io/readers.h"
#include "keel/options/historical_vol.h"
#include "keel/service/admission.h"
#include "keel/service/book.h"
#include "keel/service/curve_names.h"
#include "keel/service/risk.h"

namespace keel::service {

inline constexpr spec::Choice<exposures::GroupBy> kGroupByNames[] = {
    {exposures::GroupBy::kType, "type"},
    {exposures::GroupBy::kSector, "sector"},
    {exposures::GroupBy::kTag, "tag"},
    {exposures::GroupBy::kStrategy, "strategy"},
    {exposures::GroupBy::kUnderlying, "underlying"},
    {exposures::GroupBy::kCurrency, "currency"},
    {exposures::GroupBy::kCountry, "country"},
    {exposures::GroupBy::kRegion, "region"}};

// What values a book position by position: the book (book_source_fields), the valuation inputs
// shared with the market-risk requests (valuation_fields), and on the command line a sectors
// file and a rate curve.
struct BookRiskRequest {
  BookSource source;
  double rate = 0.0;               // risk-free rate, continuous decimal
  std::string rate_curve = "auto";  // options' rates from a stored curve (rate_curve_field)
  double div = 0.0;                // dividend yield of the underlyings, continuous decimal
  std::size_t vol_window = options::kDefaultVolWindow;  // trading days of historical vol
  options::AmericanEngine american_engine = options::kDefaultAmericanEngine;  // American options
  std::optional<std::string> sectors_file;  // symbol -> sector (S&P constituents layout works)
  // Rates of options from a curve instead of `rate` (io::read_curve formats).
  std::optional<std::string> curve_file;
  io::CurveReadOptions curve;  // kind and units of a tenor,rate file; `date` defaults to the as-of

  template <class V, class S>
  static void fields(V& v, S& s);
};

struct PricedBook {
  Book book;
  std::string rate_source;  // "flag", "curve FILE (zero|par, DATE)" or "stored curve NAME (DATE)"
  std::string div_source = "flag";  // "flag" or "stored dividends (12 months) of SYM, ..."
  exposures::ExposureOptions options;
  exposures::ExposureReport report;
};

// Loads the book (service::load_book) and values every position; files named by the request are
// read through cx.env.files. Throws keel::Error as load_book does, and invalid_input for a bad
// rate, dividend yield, window or sectors file; positions that cannot be valued are reported per
// position, not thrown.
PricedBook price_book(const Context& cx, const BookRiskRequest& request);


// The cost of pricing a book with its Greeks (exposures, Greeks, the dashboard), stated before any
// option is priced (keel/service/admission.h), in Monte Carlo steps at their measured rate: a
// position 1 step; a European option's price and Greeks in closed form 100; an American option's
// Greeks by finite differences of its engine, 51 microseconds each on the machine of docs/server.md,
// 16,000 steps. No job runs it: a book over the foreground limit is refused (413) naming the
// options. price_book admits it.
inline constexpr double kEuropeanGreeksSteps = 100.0;
inline constexpr double kAmericanGreeksSteps = 16000.0;
ComputeCost greeks_cost(const Book& book);

// ---- results ---------------------------------------------------------------------------------

// Gross, net, long and short of one measure, portfolio currency.
struct ExposureTotals {
  double gross = 0.0;
  double net = 0.0;
  double long_ = 0.0;
  double short_ = 0.0;  // <= 0

  static constexpr const char* kSchemaName = "ExposureTotals";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// The book's Greeks in money terms.
struct BookGreeksResult {
  double dollar_delta = 0.0;
  double dollar_gamma_1pct = 0.0;
  double vega_per_point = 0.0;
  double theta_per_day = 0.0;
  double rho_per_point = 0.0;

  static constexpr const char* kSchemaName = "BookGreeks";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// A position that could not be valued.
struct PositionError {
  std::string symbol;
  std::string message;

  static constexpr const char* kSchemaName = "PositionError";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// The inputs an option was valued with (absent on other positions).
struct OptionValuation {
  std::optional<spec::Nullable<std::string>> right;   // call or put
  std::optional<spec::Nullable<double>> strike;
  std::optional<spec::Nullable<std::string>> expiry;  // YYYY-MM-DD
  std::optional<std::string> exercise;                // european or american
  std::optional<double> years;                        // to expiry, act/365
  std::optional<double> rate;                         // continuous decimal
  std::optional<double> div;                          // continuous decimal
  std::optional<spec::Nullable<double>> vol;          // annualised decimal; null without one
  std::optional<std::string> vol_source;              // implied, historical or none
  std::optional<std::string> model;                   // bsm, alo-fixed-point or baw-approximation

  template <class V, class S>
  static void fields(V& v, S& s);
};

// What every per-position row of exposures and Greeks starts with.
struct PositionValuation {
  std::string symbol;
  std::string underlying;  // price symbol
  std::string type;        // instrument type
  double quantity = 0.0;
  double multiplier = 1.0;
  double spot = 0.0;
  double price = 0.0;
  double market_value = 0.0;

  template <class V, class S>
  static void fields(V& v, S& s);
};

struct ExposurePosition {
  PositionValuation position;
  std::string sector;
  double notional = 0.0;
  double delta = 0.0;
  double delta_adjusted = 0.0;
  OptionValuation option;

  static constexpr const char* kSchemaName = "ExposurePosition";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct ExposureGroup {
  std::string key;
  std::size_t positions = 0;
  ExposureTotals market_value;
  ExposureTotals delta_adjusted;
  ExposureTotals notional;
  // Grouped by currency only: the part of the currency's market value offset by positions of the
  // opposite sign in the same currency (a short cash balance, short positions quoted in it).
  std::optional<double> hedged;
  std::optional<double> hedge_ratio;

  static constexpr const char* kSchemaName = "ExposureGroup";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// The header of exposures and Greeks results.
struct ValuationHeader {
  std::string portfolio;
  std::string as_of;
  double rate = 0.0;
  std::string rate_source;
  double div = 0.0;
  std::string div_source;
  std::size_t positions_valued = 0;
  std::size_t positions_failed = 0;

  template <class V, class S>
  static void fields(V& v, S& s);
};

// The header every result of a priced book starts with (portfolio, as-of date, rate and yield
// sources, positions valued and failed).
ValuationHeader valuation_header(const PricedBook& priced);

struct ExposuresRequest {
  BookRiskRequest book;
  exposures::GroupBy by = exposures::GroupBy::kType;

  static constexpr const char* kSchemaName = "ExposuresRequest";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct ExposuresResult {
  ValuationHeader header;
  std::optional<std::int64_t> portfolio_id;  // HTTP
  std::string by;
  ExposureTotals market_value;
  ExposureTotals delta_adjusted;
  ExposureTotals notional;
  BookGreeksResult greeks;
  std::vector<ExposureGroup> groups;
  std::vector<ExposurePosition> positions;  // valued positions, book order
  std::vector<PositionError> errors;
  std::vector<std::string> warnings;
  // GET .../strategies: each strategy's positions.
  struct Strategy {
    std::string strategy;
    std::vector<std::string> symbols;
    static constexpr const char* kSchemaName = "StrategyMembers";
    template <class V, class S>
    static void fields(V& v, S& s);
  };
  std::optional<std::vector<Strategy>> strategies;

  static constexpr const char* kSchemaName = "ExposuresResult";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// `keel exposures` and POST /api/v1/portfolios/{id}/exposures: market value, notional and
// delta-adjusted exposure, grouped, with the book's Greeks in money terms. Throws as price_book.
ExposuresResult book_exposures(const Context& cx, const ExposuresRequest& request);
// The same of a book already valued (grouped by `by`).
ExposuresResult exposures_of(const PricedBook& priced, exposures::GroupBy by);

struct OptionGreeksRequest {
  BookRiskRequest book;

  static constexpr const char* kSchemaName = "OptionGreeksRequest";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct GreeksPosition {
  PositionValuation position;
  double delta = 0.0;   // per share of underlying
  double gamma = 0.0;
  double vega = 0.0;    // per 1.00 of vol
  double theta = 0.0;   // per year
  double rho = 0.0;     // per 1.00 of rate
  double dollar_delta = 0.0;
  double dollar_gamma_1pct = 0.0;
  double vega_per_point = 0.0;
  double theta_per_day = 0.0;
  double rho_per_point = 0.0;
  OptionValuation option;

  static constexpr const char* kSchemaName = "GreeksPosition";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct OptionGreeksResult {
  ValuationHeader header;
  std::optional<std::int64_t> portfolio_id;  // HTTP
  std::vector<GreeksPosition> positions;     // valued positions, book order
  BookGreeksResult totals;
  std::vector<PositionError> errors;
  std::vector<std::string> warnings;

  static constexpr const char* kSchemaName = "OptionGreeksResult";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// `keel options greeks` and POST /api/v1/portfolios/{id}/greeks: per-position price and Greeks
// with their inputs, and book totals. Throws as price_book.
OptionGreeksResult option_greeks(const Context& cx, const OptionGreeksRequest& request);
// The same of a book already valued.
OptionGreeksResult option_greeks_of(const PricedBook& priced);

}  // namespace keel::service
