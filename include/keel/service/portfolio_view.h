// keel/service/portfolio_view.h: a stored portfolio with last prices and market values.
//
// Market value = quantity x multiplier x last close on or before the as-of date. Options are
// valued at their own last price when the store has one; otherwise at their model value
// (Black-Scholes-Merton, or Barone-Adesi-Whaley for American exercise, with the position's
// implied vol or the underlying's historical vol and a zero rate, as `keel options greeks` does by
// default), shown with price_source "model". A cash position is its amount (quantity x multiplier,
// price 1, price_source "cash"), as the risk engines value it. Gross = sum of |value|,
// net = sum of value, long/short = sums of positive/negative values; weights are value / gross.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "keel/core/date.h"
#include "keel/portfolio/position.h"
#include "keel/service/context.h"
#include "keel/service/rules.h"
#include "keel/service/spec.h"
#include "keel/store/store.h"

namespace keel::service {

// A position as the API and `--format json` write it: option terms only for options, optional
// columns only when set.
struct PositionRecord {
  std::string symbol;
  std::string type;        // stock, etf, option, cash or other
  double quantity = 0.0;   // shares or contracts
  double multiplier = 1.0;
  std::string currency;
  std::optional<double> entry_price;
  std::optional<Date> entry_date;
  std::optional<std::string> underlying;   // options
  std::optional<double> strike;            // options
  std::optional<Date> expiry;              // options
  std::optional<std::string> option_type;  // options: call or put
  std::optional<std::string> exercise;     // options: european or american
  std::optional<double> implied_vol;       // annualised decimal
  std::optional<double> dividend_yield;    // options: the underlying's, continuous decimal per year
  std::optional<std::string> sector;
  std::optional<std::vector<std::string>> tags;
  std::optional<std::string> strategy;

  static constexpr const char* kSchemaName = "Position";
  template <class V, class S>
  static void fields(V& v, S& s);
};
PositionRecord position_record(const Position& p);

// GET /api/v1/portfolios/{id}/positions: which positions, in which order. Filters are exact and
// case-insensitive; several narrow together.
struct PositionsQuery {
  std::string portfolio;  // the path's id, resolved to a name
  std::optional<std::string> type;
  std::optional<std::string> tag;
  std::optional<std::string> sector;
  std::optional<std::string> symbol;  // the position's symbol or, for an option, its underlying
  std::optional<std::string> currency;
  std::optional<std::string> sort;    // a field, "-" first for descending; default: id
  std::optional<std::size_t> limit;   // a page of at most this many (none: every match)
  std::size_t offset = 0;             // matches skipped before the page

  static constexpr const char* kSchemaName = "PositionsQuery";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// One position as a resource: its id is its number within the portfolio, kept when the positions
// are replaced by a file holding it again (same instrument and strategy; Store::positions).
struct PositionItem {
  std::int64_t id = 0;
  PositionRecord position;

  static constexpr const char* kSchemaName = "PositionItem";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct PositionsList {
  std::int64_t id = 0;  // the portfolio's
  std::string name;
  std::size_t total = 0;  // positions of the portfolio, before the filters
  std::size_t matched = 0;  // positions that pass the filters
  spec::Nullable<std::size_t> next_offset;  // the next page's offset (null: this is the last)
  std::vector<PositionItem> items;

  static constexpr const char* kSchemaName = "PositionsList";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// The positions of the actor's tenant's portfolio `query.portfolio` that pass the filters, sorted
// (stably: equal keys keep the stored order; absent values last). Throws Error: invalid_input
// naming `type` or `sort` when not one of theirs; not_found for an unknown portfolio.
PositionsList list_positions(const Context& cx, const PositionsQuery& query);

// Position `id` of the portfolio. Throws Error::not_found when it has no such position.
PositionItem find_position(const Context& cx, const std::string& portfolio, std::int64_t id);

// The place in `numbers` (Store::positions' position ids) of position `id` of `portfolio`; throws
// Error::not_found naming both when there is none.
std::size_t stored_position_index(const std::string& portfolio, const std::vector<std::int64_t>& numbers,
                                  std::int64_t id);

struct PositionView {
  std::int64_t id = 0;  // the position's id (PositionItem::id)
  Position position;
  PositionRecord record;  // position as written
  spec::Nullable<double> last_price;
  spec::Nullable<Date> price_date;
  spec::Nullable<double> market_value_local;  // in the position's currency
  spec::Nullable<double> fx_rate;             // units of the reporting currency per unit of the position's
  spec::Nullable<double> market_value;        // in the portfolio's reporting currency
  spec::Nullable<double> weight;              // of gross market value
  spec::Nullable<std::string> price_source;   // "close", "model" (options engine) or "cash"; null unpriced

  static constexpr const char* kSchemaName = "PositionView";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct PortfolioView {
  std::optional<std::int64_t> id;  // HTTP: the stored portfolio's id
  std::string name;
  spec::Nullable<Date> as_of;  // requested date, or the latest price date in the store
  std::string currency;        // the reporting currency of every total and market_value
  std::vector<PositionView> positions;
  double net_market_value = 0.0;
  double gross_market_value = 0.0;
  double long_market_value = 0.0;
  double short_market_value = 0.0;
  std::size_t unpriced = 0;
  std::vector<std::string> warnings;

  static constexpr const char* kSchemaName = "PortfolioView";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// A stored portfolio as the API writes it (a created portfolio, a saved what-if book, the CLI's
// portfolio list).
struct PortfolioRecord {
  std::int64_t id = 0;
  std::string name;
  std::string tenant;
  std::size_t positions = 0;
  std::string base_currency;
  std::string created_at;  // ISO-8601 UTC
  std::string updated_at;  // ISO-8601 UTC

  static constexpr const char* kSchemaName = "Portfolio";
  template <class V, class S>
  static void fields(V& v, S& s);
};
PortfolioRecord portfolio_record(const PortfolioSummary& summary);

// "FIELD: expected a three-letter code such as USD, got "X"", or "" when `code` is one.
std::string currency_problem(std::string_view field, const std::string& code);
// Error::invalid_input ("currency: expected a three-letter code ...") unless `currency` is one.
void check_currency(const std::string& currency);

// `keel portfolio show NAME`, GET /api/v1/portfolios/{id}.
struct PortfolioShowRequest {
  std::string portfolio;      // CLI: the positional name; HTTP: the path's id
  std::optional<Date> as_of;  // default: the store's latest price date
  // Values in this currency for this request; default: the portfolio's reporting currency.
  std::optional<std::string> currency = std::nullopt;

  static constexpr const char* kSchemaName = "PortfolioShowRequest";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// Throws Error: not_found for an unknown portfolio, usage without a store.
PortfolioView show_portfolio(const Context& cx, const PortfolioShowRequest& request);

// `keel portfolio delete NAME`, DELETE /api/v1/portfolios/{id}.
struct PortfolioDeleted {
  bool deleted = true;
  std::int64_t id = 0;
  std::string name;
  static constexpr const char* kSchemaName = "PortfolioDeleted";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// What creating and deleting a portfolio need and write (keel/service/rules.h).
inline constexpr UseCase kPortfolioCreate{"create portfolios", Permission::kManagePortfolios, "portfolio.create"};
inline constexpr UseCase kPortfolioDelete{"delete portfolios", Permission::kManagePortfolios, "portfolio.delete"};
inline constexpr UseCase kPortfolioCurrency{"change the reporting currency of portfolios",
                                            Permission::kManagePortfolios, "portfolio.currency"};

// `keel portfolio create NAME [--currency EUR]`, POST /api/v1/portfolios.
struct PortfolioCreateRequest {
  std::string name;
  std::string currency = "USD";  // the reporting currency

  static constexpr const char* kSchemaName = "PortfolioCreateRequest";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// Creates an empty portfolio in the actor's tenant; audited as portfolio.create (resource
// portfolio/ID, details name and, when not USD, currency). Throws Error: forbidden (kPortfolioCreate),
// invalid_input for a name that is empty or longer than 200 bytes or a currency that is not a
// three-letter code, conflict when the tenant has one of that name, usage without a store.
PortfolioRecord create_portfolio(const Context& cx, const PortfolioCreateRequest& request);

// `keel portfolio set-currency NAME EUR`, PATCH /api/v1/portfolios/{id} {"currency"}.
struct PortfolioCurrencyRequest {
  std::string portfolio;  // CLI: the positional name; HTTP: the path's id
  std::string currency;

  static constexpr const char* kSchemaName = "PortfolioUpdate";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// Sets the reporting currency of the actor's tenant's portfolio; audited as portfolio.currency
// (resource portfolio/ID, details from and to). Throws Error: forbidden (kPortfolioCurrency),
// invalid_input for a currency that is not a three-letter code, not_found for an unknown
// portfolio, usage without a store.
PortfolioRecord set_portfolio_currency(const Context& cx, const PortfolioCurrencyRequest& request);

// Deletes the actor's tenant's portfolio `name` with its positions; audited as portfolio.delete
// (resource portfolio/ID, details name and positions). Throws Error: forbidden (kPortfolioDelete),
// not_found for an unknown portfolio, usage without a store.
PortfolioDeleted delete_portfolio(const Context& cx, const std::string& name);

// The actor's tenant's portfolio `ref`: its name, or else (digits only) its numeric id; a name
// made of digits is found by its name first. Every face resolves a portfolio through this one rule
// (load_book included). Error::not_found otherwise,
// including when it belongs to another tenant (a caller learns nothing of other tenants' ids);
// usage without a store. Reads only: the caller's permission to read was checked by its face.
PortfolioSummary resolve_portfolio(const Context& cx, std::string_view ref);

}  // namespace keel::service
