// keel/service/macro.h: macro-economic series — `keel fetch macro ID...` (FRED series by id into
// the store), `keel macro list|show`, GET /api/v1/macro and /api/v1/macro/{id} — and what other
// use cases read of them: the year-over-year change that planning takes as its inflation
// (PlanRequest::inflation_series) and the move that sizes the ALM parallel shock
// (AlmRequest::rate_driver). docs/macro.md is the user's account, with the formulas.
//
// Series are market data shared by every tenant (keel/store/macro_repository.h): fetching them
// needs the permission of the other market-data imports, reading them only that of reading.
//
// Thread-safety: stateless; the Store must not be used concurrently.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "keel/core/date.h"
#include "keel/service/context.h"
#include "keel/service/market_data.h"
#include "keel/service/rules.h"
#include "keel/service/spec.h"

namespace keel::service {

inline constexpr UseCase kMacroFetch{"fetch macro series (market data shared by every tenant)",
                                     Permission::kImportMarketData, "macro.fetch"};

// How far back a series never stored is fetched when `from` is not given.
inline constexpr int kMacroDefaultYears = 10;

// `keel fetch macro CPIAUCSL UNRATE [--from D] [--to D] [--full]`.
struct FetchMacroRequest {
  MarketDataSource source = provider_source("fred");
  std::vector<std::string> series;  // FRED ids, 1 to 40 letters, digits or _ (upper-cased)
  std::optional<Date> from;         // default: after each series' last stored date, else 10 years back
  std::optional<Date> to;           // default: today (UTC)
  bool full = false;                // ignore what is stored: request from..to again

  static constexpr const char* kSchemaName = "FetchMacroRequest";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// A series as stored: its description and what is held of it.
struct MacroSeriesView {
  std::string id;
  std::string title;
  std::string units;
  std::string frequency;
  std::string source;
  std::size_t observations = 0;
  spec::Nullable<Date> first;
  spec::Nullable<Date> last;
  std::string updated_at;

  static constexpr const char* kSchemaName = "MacroSeries";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// One series of a fetch.
struct FetchedMacroSeries {
  MacroSeriesView series;  // as stored after the fetch
  spec::Nullable<Date> stored_until;  // its last stored date before the fetch
  Date from;                          // the range asked for
  std::size_t received = 0;           // observations received and stored
  std::string status;                 // fetched, no_new_data or up_to_date

  static constexpr const char* kSchemaName = "FetchedMacroSeries";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct FetchMacroResult {
  std::string provider;
  Date to;
  std::vector<FetchedMacroSeries> series;
  std::size_t observations = 0;
  ProviderStats stats;

  static constexpr const char* kSchemaName = "FetchMacroResult";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// Throws keel::Error (nothing stored): forbidden (kMacroFetch); usage without a store, without a
// series, for a provider without macro series; invalid_input naming each malformed id; the
// provider's errors (an unknown id: its 400). Every series is fetched before anything is written,
// then all of them in ONE transaction; audited as macro.fetch (details provider, series,
// observations).
FetchMacroResult fetch_macro(const Context& cx, const FetchMacroRequest& request);

struct MacroListResult {
  std::vector<MacroSeriesView> items;

  static constexpr const char* kSchemaName = "MacroSeriesList";
  template <class V, class S>
  static void fields(V& v, S& s);
};
MacroListResult macro_list(const Context& cx);

// `keel macro show ID [--from D] [--to D]`, GET /api/v1/macro/{id}.
struct MacroShowRequest {
  std::string id;  // CLI: the positional ID; HTTP: the path's
  std::optional<Date> from;
  std::optional<Date> to;

  static constexpr const char* kSchemaName = "MacroShowRequest";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct MacroPoint {
  Date date;
  double value = 0.0;
  spec::Nullable<double> yoy;  // value / value a year earlier - 1

  static constexpr const char* kSchemaName = "MacroPoint";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct MacroShowResult {
  MacroSeriesView series;
  std::vector<MacroPoint> observations;

  static constexpr const char* kSchemaName = "MacroSeriesShown";
  template <class V, class S>
  static void fields(V& v, S& s);
};
// Throws not_found for a series not stored (naming keel fetch macro).
MacroShowResult macro_show(const Context& cx, const MacroShowRequest& request);

// A series named as a driver: "fred:CPIAUCSL" or "CPIAUCSL" (the provider prefix is accepted and
// the stored series of that id read, whoever fetched it).
std::string macro_series_id(std::string_view ref);

// The year-over-year change of a stored series at its latest observation on or before `as_of`
// (any date when absent): x(t) / x(s) - 1, s the latest observation on or before t minus one year
// and no more than 31 days before it. Throws not_found for a series not stored, invalid_input
// (naming `field`) when there is no such pair of observations.
struct MacroChange {
  std::string id;
  Date date;       // t
  Date base_date;  // s
  double value = 0.0;
  double base_value = 0.0;
  double change = 0.0;  // yoy: value / base_value - 1; level: value - base_value
};
MacroChange macro_yoy(const Context& cx, std::string_view ref, std::optional<Date> as_of, std::string_view field);
// The change in level over `months` months: x(t) - x(s), t the latest observation on or before
// `as_of` and s the latest on or before t minus `months` months (no more than 31 days before it).
MacroChange macro_level_change(const Context& cx, std::string_view ref, std::optional<Date> as_of, int months,
                               std::string_view field);

}  // namespace keel::service
