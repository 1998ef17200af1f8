// keel/service/imports.h: the import use cases shared by `keel import ...` and the HTTP API.
//
// Each import reads and validates the whole input first; when any row is bad it throws
// keel::Error(invalid_input) listing every problem, and the store is not touched. Otherwise it
// writes everything in one transaction and returns a summary (with the readers' warnings).
//
// Requests and results are described structs (keel/service/spec.h): the CLI flags come from the
// requests' descriptions and `--format json` / the HTTP body from the results'. The input itself
// is the command's FILE argument (read through the Context's Env) or the HTTP request body (an
// in-memory text), so it is not a described field.
//
// Thread-safety: stateless; the Store must not be shared across threads.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "keel/core/date.h"
#include "keel/io/readers.h"
#include "keel/service/context.h"
#include "keel/service/curve_names.h"
#include "keel/service/rules.h"
#include "keel/service/spec.h"
#include "keel/store/store.h"

namespace keel::service {

// A file on disk (`text` absent; read through the Context's Env) or an uploaded body reported
// under `name`.
struct InputFile {
  std::string name;
  std::optional<std::string> text;
};

// What every import reports. File names and warnings are made printable (invalid UTF-8 bytes
// shown as \xNN) so the summary of a committed import always serialises.
struct ImportResult {
  std::string kind;  // prices, positions, factors, curve, sectors
  std::string file;
  std::size_t rows = 0;
  std::vector<std::string> warnings;

  template <class V, class S>
  static void fields(V& v, S& s);
};

// `keel import prices FILE`, POST /api/v1/prices (the CSV as the body).
struct ImportPricesRequest {
  InputFile input;  // the command's FILE or the body

  static constexpr const char* kSchemaName = "ImportPricesRequest";
  template <class V, class S>
  static void fields(V&, S&);
};

struct PricesImportResult : ImportResult {
  std::size_t symbols = 0;
  std::size_t inserted = 0;  // new (symbol, date) pairs
  std::size_t updated = 0;   // existing pairs overwritten
  std::string first_date;    // YYYY-MM-DD, "" when the file had no rows
  std::string last_date;

  static constexpr const char* kSchemaName = "PricesImportResult";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// What importing positions and prices need and write (keel/service/rules.h). Prices are market
// data shared by every tenant, hence an administrator's.
inline constexpr UseCase kPositionsImport{"import positions", Permission::kImportPositions, "positions.import"};
inline constexpr UseCase kPricesImport{"import prices (market data shared by every tenant)",
                                       Permission::kImportMarketData, "prices.import"};

// `keel import positions FILE --portfolio NAME`, POST /api/v1/portfolios/{id}/positions: the
// positions of the actor's tenant's portfolio.
struct ImportPositionsRequest {
  InputFile input;
  std::string portfolio;  // HTTP: the path's portfolio
  // The reporting currency of a portfolio this import creates; an existing portfolio must already
  // report in it (`keel portfolio set-currency` changes it).
  std::optional<std::string> currency;
  // Of a broker's positions download holding several accounts (keel/io/broker_positions.h), the
  // account whose rows become the positions.
  std::optional<std::string> broker_account;

  static constexpr const char* kSchemaName = "ImportPositionsRequest";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct PositionsImportResult : ImportResult {
  std::string portfolio;
  std::size_t positions = 0;  // stored in the portfolio now
  std::size_t options = 0;    // of which option contracts
  std::optional<std::int64_t> id;  // HTTP: the portfolio's id

  static constexpr const char* kSchemaName = "PositionsImportResult";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// `keel portfolio from-ledger NAME [--account A] [--as-of D]`,
// POST /api/v1/portfolios/{id}/positions/from-ledger: the portfolio's positions become what the
// ledger holds (one account, or every account of the tenant) on a date, so the market risk of the
// household's holdings runs on them. A positions import (import_positions) of that book: each
// symbol's shares summed over the accounts, at their average cost (entry_price = basis / shares,
// when the price is in the account's currency) from the first open lot's date, and each
// currency's cash as a cash position. The rest (sector, ETF) comes from the security master.
struct PortfolioFromLedgerRequest {
  std::string portfolio;               // CLI: the positional name; HTTP: the path's portfolio
  std::optional<std::string> account;  // else every account of the tenant
  std::optional<Date> as_of;           // else the later of the last transaction and price
  // The reporting currency of a portfolio this creates; an existing one must already report in it.
  std::optional<std::string> currency;

  static constexpr const char* kSchemaName = "PortfolioFromLedgerRequest";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// `keel import factors FILE [--set NAME] [--factor-units percent|decimal]`.
struct ImportFactorsRequest {
  InputFile input;
  std::string set = "ff5";
  io::RateUnits factor_units = io::RateUnits::kDecimal;

  static constexpr const char* kSchemaName = "ImportFactorsRequest";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct FactorsImportResult : ImportResult {
  std::string set;
  std::vector<std::string> factors;
  std::string first_date;
  std::string last_date;

  static constexpr const char* kSchemaName = "FactorsImportResult";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// `keel import curve FILE [--name N] [--curve-type zero|par] [--rate-units ..] [--date D]`.
struct ImportCurveRequest {
  InputFile input;
  std::string name;  // default: the file's stem
  CurveKind curve_type = CurveKind::kZero;
  io::RateUnits rate_units = io::RateUnits::kDecimal;
  std::optional<Date> date;
  std::string currency = "USD";

  static constexpr const char* kSchemaName = "ImportCurveRequest";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct CurveImportResult : ImportResult {
  std::string name;
  std::string as_of;  // YYYY-MM-DD, "" for an undated tenor,rate file
  std::string curve_type;
  std::string currency;

  static constexpr const char* kSchemaName = "CurveImportResult";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// `keel import sectors FILE`.
struct ImportSectorsRequest {
  InputFile input;

  static constexpr const char* kSchemaName = "ImportSectorsRequest";
  template <class V, class S>
  static void fields(V&, S&);
};

struct SectorsImportResult : ImportResult {
  static constexpr const char* kSchemaName = "SectorsImportResult";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// They need a store (Error::usage without one). `progress` (prices) is called with (done, total)
// as the file is read.
PricesImportResult import_prices(const Context& cx, const ImportPricesRequest& request,
                                 const ProgressFn& progress = {});
PositionsImportResult import_positions(const Context& cx, const ImportPositionsRequest& request);
// Needs the ledger's read permission and the positions import's; throws not_found for an unknown
// account, invalid_input when the ledger holds nothing on that date.
PositionsImportResult portfolio_from_ledger(const Context& cx, const PortfolioFromLedgerRequest& request);
FactorsImportResult import_factors(const Context& cx, const ImportFactorsRequest& request);
CurveImportResult import_curve(const Context& cx, const ImportCurveRequest& request);
SectorsImportResult import_symbol_info(const Context& cx, const ImportSectorsRequest& request);

// Reads a positions file into positions, throwing invalid_input with every problem (no store).
// A file (no text) is opened through `files`. These readers append their warnings to `warnings`
// (what is there stays: a book read from a positions, a prices and an FX file reports all three).
// `broker_account`: of a broker's positions download holding several accounts, the one read.
std::vector<Position> read_positions_file(const InputFile& file, std::vector<std::string>* warnings = nullptr,
                                          const Files& files = local_files(), std::string_view broker_account = {});
// Reads a prices file, throwing invalid_input with every problem.
PriceRows read_prices_file(const InputFile& file, std::vector<std::string>* warnings = nullptr,
                           const Files& files = local_files());
// Reads an FX rates file (docs/fx.md) with its columns named by `names`, throwing invalid_input with
// every problem.
FxRows read_fx_file(const InputFile& file, const io::FxColumnNames& names = {},
                    std::vector<std::string>* warnings = nullptr, const Files& files = local_files());

}  // namespace keel::service
