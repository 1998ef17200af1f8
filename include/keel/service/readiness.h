// keel/service/readiness.h: onboarding — what a portfolio still lacks before its risk runs
// (`keel portfolio check NAME`, GET /api/v1/portfolios/{id}/readiness), and the CSV templates
// of every import (`keel templates [KIND]`, GET /api/v1/templates/{kind}.csv).
//
// The readiness check reads the store only. Its items, in this order (docs/onboarding.md):
//   positions     the portfolio holds none
//   prices        a priced symbol (an option: its underlying) lacks a close on some of the risk
//                 window's dates: the last window + 1 dates with a price of any of the portfolio's
//                 symbols, up to `as_of` (default: the last stored price)
//   option_inputs an option without implied_vol (the risk run falls back to the underlying's
//                 historical volatility), or expired on or before as_of
//   sectors       a symbol with no sector in its position or in the security master
//   factors       the factor set holds no return, or fewer than the window's dates
//   fx            a position's currency with no stored rate against the portfolio's currency
// Each item names what is missing and a command that fixes it. `ready` is true when there is none.
//
// Thread-safety: stateless; the Store must not be used concurrently.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "keel/core/date.h"
#include "keel/service/context.h"
#include "keel/service/spec.h"

namespace keel::service {

struct ReadinessRequest {
  std::string portfolio;           // name or id
  std::size_t window = 252;        // daily returns of the risk window (risk var's default)
  std::string factor_set = "ff5";  // the factor set the betas read
  std::optional<Date> as_of;       // default: the last stored price

  static constexpr const char* kSchemaName = "ReadinessRequest";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// One thing missing.
struct ReadinessItem {
  std::string what;        // positions, prices, option_inputs, sectors, factors or fx
  std::string symbol;      // the symbol (or currency for fx) concerned; "" for the portfolio as a whole
  std::string missing;     // what is missing, in words
  std::string how_to_fix;  // a keel command that fixes it

  static constexpr const char* kSchemaName = "ReadinessItem";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct ReadinessReport {
  std::string portfolio;
  std::int64_t id = 0;
  bool ready = false;
  std::size_t positions = 0;
  std::size_t window = 0;
  spec::Nullable<Date> window_from;  // the risk window's dates (null: no price stored at all)
  spec::Nullable<Date> window_to;
  std::vector<ReadinessItem> items;

  static constexpr const char* kSchemaName = "ReadinessReport";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// The actor's tenant's portfolio's readiness. Reads only (every role may). Throws Error:
// not_found for an unknown portfolio, usage without a store.
ReadinessReport portfolio_readiness(const Context& cx, const ReadinessRequest& request);

// --- CSV templates ---

// The import kinds with a template: positions, prices, factors, curve, sectors, fx, transactions.
std::vector<std::string> template_kinds();

struct CsvTemplate {
  std::string kind;
  std::string file_name;  // "positions_template.csv"
  std::string command;    // the import that reads it: "keel import positions FILE --portfolio NAME"
  std::string csv;        // the header and one example row, "\n" line ends

  static constexpr const char* kSchemaName = "CsvTemplate";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// The template of `kind`. Throws Error::not_found naming the kinds for any other.
CsvTemplate csv_template(const std::string& kind);

struct CsvTemplates {
  std::vector<CsvTemplate> items;

  static constexpr const char* kSchemaName = "CsvTemplates";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// Every kind's template, in template_kinds() order.
CsvTemplates csv_templates();

}  // namespace keel::service
