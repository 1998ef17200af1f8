// keel/service/alm.h: the IRRBB use cases shared by `keel alm ...` and the HTTP API (issue #8).
//
// A request names a balance sheet (a file or an uploaded text; or a stored session), one curve
// per currency (a `tenor,rate` file, the wide Treasury par file with a date, or a curve stored by
// `keel import curve`), the shock table (built-in unless a file is given), the as-of date, Tier 1
// and FX rates. The use cases read and validate everything (all problems at once, nothing stored
// when any input is bad), run keel::alm::run_irrbb and return the JSON of INTERFACES.md:
//   eve:    {"as_of","currency","positions","base","scenarios":[{"name","eve","delta",...}],
//            "worst":{"name","delta"},"sot":{"tier1","ratio","outlier","threshold"},"currencies":[..]}
//   nii:    {"as_of","currency","horizon_months","base","scenarios":[{"name","nii","delta",...}],
//            "worst":{..},"outlier_test":{..},"monthly":[{"month","start","base","parallel_up",
//            "parallel_down"}],"currencies":[..]}
//   gap:    {"as_of","currency","buckets":[{"name","from_years","to_years","midpoint_years",
//            "assets","liabilities","gap","cumulative_gap"}],"currencies":[..]}
//   shocks: {"currency","sizes":{..},"floor":bool,"buckets":[{"name","midpoint_years",
//            "shift_bp":{"parallel_up",..}}]} (+ "rates" per bucket when a curve is given)
// Uploaded texts are parsed in memory and never written to disk.
//
// Sessions keep the parsed inputs and the latest results in the store (keel/store/alm_repository.h);
// every session command first deletes expired sessions and enforces the disk budget.
//
// Thread-safety: stateless; the Store must not be shared across threads.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "keel/alm/irrbb.h"
#include "keel/core/date.h"
#include "keel/io/readers.h"
#include "keel/service/imports.h"
#include "keel/store/store.h"

namespace keel::service {

struct AlmCurveInput {
  std::string currency;                 // empty: AlmRequest::currency
  std::optional<InputFile> file;        // `tenor,rate` or the wide Treasury file
  std::optional<std::string> stored;    // or a curve stored with `keel import curve` (by name)
  CurveKind kind = CurveKind::kZero;    // how a `tenor,rate` file is quoted
  io::RateUnits units = io::RateUnits::kDecimal;
  std::optional<Date> date;             // row of a dated file; also the stored curve's date
};

struct AlmRequest {
  std::optional<InputFile> balance_sheet;
  std::optional<std::string> session;       // or a stored session
  std::string tenant = kDefaultTenant;
  std::vector<AlmCurveInput> curves;
  std::optional<std::string> currency;      // reporting and default position currency (USD)
  std::optional<Date> as_of;                // default: the curve's date
  std::optional<double> tier1;              // reporting currency
  std::optional<InputFile> shock_table;     // default: built-in table
  std::optional<InputFile> scenarios;       // user-defined EVE scenarios (name,tenor,shift_bp)
  std::map<std::string, double> fx;         // reporting units per unit of currency
  std::optional<int> nii_horizon_months;    // 12
  std::optional<bool> floor;                // post-shock floor (true)
  std::optional<double> gain_weight;        // 0.5 (EU); 0 for BCBS
};

// Everything a run needs, read and validated.
struct AlmInputs {
  alm::BalanceSheet book;
  std::map<std::string, CurveData> curves;  // as quoted, by currency
  std::optional<alm::ShockTable> user_shocks;
  alm::AlmMarket market;
  alm::AlmOptions options;
  std::vector<std::string> warnings;
  std::optional<std::int64_t> session_id;
};

// Throws keel::Error: usage (no balance sheet, no curve, no as-of date), not_found (file, stored
// curve or session), invalid_input (every bad row of every file).
AlmInputs load_alm_inputs(Store* store, const AlmRequest& request, std::int64_t now_epoch);

nlohmann::json eve_json(const alm::AlmResult& r);
nlohmann::json nii_json(const alm::AlmResult& r);
nlohmann::json gap_json(const alm::AlmResult& r);

// The commands. With a session, the result is also stored in it.
nlohmann::json alm_eve(Store* store, const AlmRequest& request);
nlohmann::json alm_nii(Store* store, const AlmRequest& request);
nlohmann::json alm_gap(Store* store, const AlmRequest& request);

struct AlmShocksRequest {
  std::string currency = "USD";
  std::optional<InputFile> shock_table;
  std::optional<AlmCurveInput> curve;  // adds base and shocked zero rates per bucket
  bool floor = true;
};
nlohmann::json alm_shocks(Store* store, const AlmShocksRequest& request);

// Sessions. `ttl_seconds` default 7 days; `disk_budget_bytes` 0 = none (default 1 GiB in the CLI).
struct AlmSessionCreate {
  std::string name;
  AlmRequest inputs;
  std::int64_t ttl_seconds = 7 * 24 * 3600;
};
// {"session":{...},"eve":{..},"nii":{..},"gap":{..}}
nlohmann::json alm_session_create(Store& store, const AlmSessionCreate& request, std::int64_t now_epoch);
nlohmann::json alm_session_list(Store& store, const std::string& tenant);
// {"session":{...},"results":{"eve":..,"nii":..,"gap":..}}; marks the session accessed.
nlohmann::json alm_session_show(Store& store, const std::string& tenant, const std::string& name,
                                std::int64_t now_epoch);
nlohmann::json alm_session_delete(Store& store, const std::string& tenant, const std::string& name);
// {"expired":n,"evicted":n,"bytes_after":n}
nlohmann::json alm_session_cleanup(Store& store, std::int64_t now_epoch, std::int64_t disk_budget_bytes);

}  // namespace keel::service
