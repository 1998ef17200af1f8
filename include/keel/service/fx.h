// keel/service/fx.h: FX rates as stored market data — importing them, listing the stored pairs,
// and one conversion rate with its route (docs/fx.md), shared by `keel import fx`, `keel fx` and
// the HTTP API.
//
// Rates are market data shared by every tenant, so importing them needs the permission prices
// need (an administrator's). The import is all-or-nothing like every import (imports.h): the file
// is read and validated whole — each cell, then the table's rules (FxRates: a pair given both ways
// must agree) — before one transaction writes it.
//
// Thread-safety: stateless; the Store must not be shared across threads.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "keel/core/date.h"
#include "keel/portfolio/fx.h"
#include "keel/portfolio/position.h"
#include "keel/service/context.h"
#include "keel/service/imports.h"
#include "keel/service/rules.h"
#include "keel/service/spec.h"

namespace keel::service {

inline constexpr UseCase kFxImport{"import FX rates (market data shared by every tenant)",
                                   Permission::kImportMarketData, "fx.import"};

// `keel import fx FILE [--columns SPEC]`, POST /api/v1/fx (the CSV as the body).
struct ImportFxRequest {
  InputFile input;
  // "date=TIME_PERIOD,base=CURRENCY_DENOM,..." (keel's column = the file's); empty: keel's names.
  std::string columns;

  static constexpr const char* kSchemaName = "ImportFxRequest";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct FxImportResult : ImportResult {
  std::size_t pairs = 0;
  std::size_t inserted = 0;
  std::size_t updated = 0;
  std::string first_date;  // YYYY-MM-DD
  std::string last_date;

  static constexpr const char* kSchemaName = "FxImportResult";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// Throws Error: forbidden (kFxImport), usage for a bad --columns or without a store,
// invalid_input listing every bad row (file:line:column) or rule broken, with nothing stored.
FxImportResult import_fx(const Context& cx, const ImportFxRequest& request);

// One stored pair.
struct FxPairView {
  std::string pair;  // "EUR/USD"
  std::string base;
  std::string quote;
  std::string first_date;
  std::string last_date;
  std::size_t rates = 0;

  static constexpr const char* kSchemaName = "FxPair";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct FxPairsResult {
  std::vector<FxPairView> items;

  static constexpr const char* kSchemaName = "FxPairs";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// `keel fx pairs`, GET /api/v1/fx/pairs. Usage error without a store.
FxPairsResult fx_pairs(const Context& cx);

// `keel fx rate FROM TO [--date D]`, GET /api/v1/fx/rate?from=&to=&date=.
struct FxRateRequest {
  std::string from;
  std::string to;
  std::optional<Date> date;  // default: the latest stored date of a pair with `from` or `to`

  static constexpr const char* kSchemaName = "FxRateRequest";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct FxRateResult {
  std::string from;
  std::string to;
  std::string date;       // asked for
  double rate = 0.0;      // units of `to` per unit of `from`
  std::string rate_date;  // of the oldest rate used (before `date` when a stale rate was used)
  std::string route;      // "EUR/USD", "USD/EUR (inverse of EUR/USD)", "EUR→GBP via USD"
  std::string via;        // the pivot currency, or ""

  static constexpr const char* kSchemaName = "FxRate";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// Throws Error: invalid_input for a currency that is not a three-letter code, or when no rate
// converts `from` into `to` on the date (the message names the pair and the date; docs/fx.md);
// usage without a store.
FxRateResult fx_rate(const Context& cx, const FxRateRequest& request);

// The currencies of `positions` (other than `to`) that no stored rate converts into `to` on `date`
// (direct, inverse or a cross, as fx_rate finds one), each with fx_rate's message, in code order;
// empty when every one converts.
struct UnconvertedCurrency {
  std::string currency;
  std::string why;
};
std::vector<UnconvertedCurrency> unconverted_currencies(const Context& cx, const std::vector<Position>& positions,
                                                        const std::string& to, std::optional<Date> date);

// The stored rates between `currencies` (and the pivots crossing them) dated from..to, validated
// (FxRates). Empty when none is stored.
FxRates stored_fx(const Context& cx, const std::vector<std::string>& currencies, std::optional<Date> from,
                  std::optional<Date> to);

// Throws Error::invalid_input naming each rate of `rows` whose inverse pair is stored on the same
// date with a rate that is not its inverse to 1e-9 (FxRates refuses EUR/USD and USD/EUR that
// disagree, so one must not be stored against the other). `source` names the rows in the message.
void check_stored_inverses(Store& store, const FxRows& rows, const std::string& source);

}  // namespace keel::service
