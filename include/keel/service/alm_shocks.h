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
  static void fields(V& v, S& s);
};

struct AlmShockSizes {
  double parallel_bp = 0.0;
  double short_bp = 0.0;
  double long_bp = 0.0;

  static constexpr const char* kSchemaName = "AlmShockSizes";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct AlmShockBucket {
  std::string name;
  double midpoint_years = 0.0;
  std::map<std::string, double> shift_bp;               // by shock name
  std::optional<std::map<std::string, double>> rates;   // with a curve: base and shocked zero rates
  std::optional<double> floor;                          // with a curve: the post-shock floor

  static constexpr const char* kSchemaName = "AlmShockBucket";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct AlmShocksResult {
  std::string currency;
  AlmShockSizes sizes;
  std::string source;
  bool floor = true;
  std::vector<AlmShockBucket> buckets;

  static constexpr const char* kSchemaName = "AlmShocksResult";
  template <class V, class S>
  static void fields(V& v, S& s);
};
AlmShocksResult alm_shocks(const Context& cx, const AlmShocksRequest& request);

}  // namespace keel::service
