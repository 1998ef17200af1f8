// keel/service/alm_shocks.h: the supervisory interest-rate shocks of a currency — `keel alm
// shocks`, GET /api/v1/alm/shocks, and a session's (alm_session_shocks, keel/service/alm_sessions.h,
// GET /api/v1/alm/sessions/{id}/shocks).
//
// The shift of each of the six BCBS shocks at the midpoints of the 19 time buckets, from the
// built-in EU table or a shock-table file (currency,parallel_bp,short_bp,long_bp); with a curve,
// also the base and shocked zero rates and the post-shock floor there. A request and its result
// are described structs (keel/service/spec.h); docs/alm.md explains the shocks. Files named on the
// command line are read through the Context's Env; nothing is stored.
//
// Thread-safety: stateless.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "keel/alm/shocks.h"
#include "keel/core/date.h"
#include "keel/io/readers.h"
#include "keel/portfolio/market_data.h"
#include "keel/service/context.h"
#include "keel/service/curve_names.h"
#include "keel/service/spec.h"

namespace keel::service {

// `keel alm shocks`, GET /api/v1/alm/shocks.
struct AlmShocksRequest {
  std::string currency = "USD";
  std::optional<std::string> shock_table;       // CSV text
  std::optional<std::string> shock_table_file;  // CLI
  std::optional<std::string> curve_file;        // CLI: adds base and shocked zero rates per bucket
  CurveKind curve_type = CurveKind::kZero;
  io::RateUnits rate_units = io::RateUnits::kDecimal;
  std::optional<Date> curve_date;
  bool floor = true;
  // Not described: a curve and a shock table already read (an ALM session's).
  std::optional<CurveData> curve;
  std::optional<alm::ShockTable> table;

  static constexpr const char* kSchemaName = "AlmShocksRequest";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "currency", .help = "ISO currency"}, s.currency);
    v.field({.name = "shock_table", .help = "Shock sizes CSV, inline (default: built-in EU table)",
             .faces = spec::kHttp},
            s.shock_table);
    v.field({.name = "shock_table_file", .help = "Shock sizes CSV (default: built-in EU table)", .faces = spec::kCli,
             .cli_name = "shock-table"},
            s.shock_table_file);
    v.field({.name = "curve_file", .help = "Curve file: adds base and shocked zero rates per bucket",
             .faces = spec::kCli, .cli_name = "curve"},
            s.curve_file);
    v.choice({.name = "curve_type", .help = "How a tenor,rate curve is quoted", .faces = spec::kCli},
             s.curve_type, kCurveKindNames);
    v.choice({.name = "rate_units", .help = "Curve rate units", .faces = spec::kCli}, s.rate_units,
             kRateUnitsNames);
    v.field({.name = "curve_date", .help = "Row of a dated curve file", .faces = spec::kCli, .cli_name = "date"},
            s.curve_date);
    v.field({.name = "floor", .help = "Apply the post-shock floor"}, s.floor);
  }
};

struct AlmShockSizes {
  double parallel_bp = 0.0;
  double short_bp = 0.0;
  double long_bp = 0.0;

  static constexpr const char* kSchemaName = "AlmShockSizes";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "parallel_bp", .unit = "bp"}, s.parallel_bp);
    v.field({.name = "short_bp", .unit = "bp"}, s.short_bp);
    v.field({.name = "long_bp", .unit = "bp"}, s.long_bp);
  }
};

struct AlmShockBucket {
  std::string name;
  double midpoint_years = 0.0;
  std::map<std::string, double> shift_bp;               // by shock name
  std::optional<std::map<std::string, double>> rates;   // with a curve: base and shocked zero rates
  std::optional<double> floor;                          // with a curve: the post-shock floor

  static constexpr const char* kSchemaName = "AlmShockBucket";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "name", .help = "BCBS time bucket"}, s.name);
    v.field({.name = "midpoint_years", .unit = "years"}, s.midpoint_years);
    v.field({.name = "shift_bp", .help = "Rate shift by shock", .unit = "bp"}, s.shift_bp);
    v.field({.name = "rates", .help = "With a curve: base and shocked zero rates", .unit = "decimal"}, s.rates);
    v.field({.name = "floor", .help = "With a curve: the post-shock floor", .unit = "decimal"}, s.floor);
  }
};

struct AlmShocksResult {
  std::string currency;
  AlmShockSizes sizes;
  std::string source;
  bool floor = true;
  std::vector<AlmShockBucket> buckets;

  static constexpr const char* kSchemaName = "AlmShocksResult";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "currency"}, s.currency);
    v.field({.name = "sizes"}, s.sizes);
    v.field({.name = "source", .help = "The shock table: a file name or the built-in regulation"}, s.source);
    v.field({.name = "floor", .help = "Whether the post-shock floor applies"}, s.floor);
    v.field({.name = "buckets"}, s.buckets);
  }
};
AlmShocksResult alm_shocks(const Context& cx, const AlmShocksRequest& request);

}  // namespace keel::service
