#include "keel/service/imports.h"
#include "keel/service/changes.h"
#include "keel/service/portfolio_view.h"

#include <fmt/format.h>

#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>
#include <utility>

#include "keel/core/error.h"
#include "keel/core/strings.h"
#include "keel/io/csv.h"
#include "keel/io/input.h"
#include "keel/io/statement.h"
#include "broker_files.h"

namespace keel::service {
namespace {

io::CsvReader open_reader(const InputFile& file, const char* what, Diagnostics& diags, const Files& files) {
  if (file.text) return io::CsvReader::from_text(file.name, *file.text, diags);
  return io::CsvReader::open(files.open(file.name, what), diags);
}

// `s` when it is UTF-8, else with its invalid bytes shown as \xNN: a result is serialised as
// JSON after the commit, and must not fail then (a file name can be any bytes).
std::string printable(const std::string& s) {
  if (io::utf8_error_offset(s) == std::string_view::npos) return s;
  const std::string q = io::shown(s, s.size());
  return q.substr(1, q.size() - 2);
}

std::vector<std::string> warning_lines(const Diagnostics& diags) {
  std::vector<std::string> out;
  for (const auto& w : diags.warnings()) out.push_back(printable(w.to_string()));
  return out;
}

// Reads with `read`, then fails with every problem or returns the value, adding the warnings to
// `warnings`.
template <class Reader>
auto read_validated(const InputFile& file, const char* what, Reader&& read, std::vector<std::string>* warnings,
                    const Files& files) {
  Diagnostics diags;
  io::CsvReader csv = open_reader(file, what, diags, files);
  auto value = read(csv, diags);
  diags.throw_if_errors(std::string("cannot import ") + what + " from " + file.name);
  if (warnings) {
    // Appended: a book read from several files keeps every file's warnings.
    for (auto& w : warning_lines(diags)) warnings->push_back(std::move(w));
  }
  return value;
}

// A small bounded hand-off between the reader thread and the writer (two chunks in flight keep
// both busy without holding the whole file twice).
class ChunkQueue {
 public:
  void push(PriceRows chunk) {
    std::unique_lock lock(mu_);
    not_full_.wait(lock, [&] { return closed_ || items_.size() < kCapacity; });
    if (closed_) return;
    items_.push_back(std::move(chunk));
    not_empty_.notify_one();
  }
  // False when closed and drained.
  bool pop(PriceRows& out) {
    std::unique_lock lock(mu_);
    not_empty_.wait(lock, [&] { return closed_ || !items_.empty(); });
    if (items_.empty()) return false;
    out = std::move(items_.front());
    items_.pop_front();
    not_full_.notify_one();
    return true;
  }
  void close() {
    std::lock_guard lock(mu_);
    closed_ = true;
    not_empty_.notify_all();
    not_full_.notify_all();
  }

 private:
  static constexpr std::size_t kCapacity = 2;
  std::mutex mu_;
  std::condition_variable not_empty_, not_full_;
  std::deque<PriceRows> items_;
  bool closed_ = false;
};

// The part every import reports, its file name made printable.
void start_result(ImportResult& r, const char* kind, const InputFile& file) {
  r.kind = kind;
  r.file = printable(file.name);
}

}  // namespace

std::optional<io::BrokerPositions> read_statement_positions(const InputFile& file, const Files& files,
                                                            std::string_view broker_account, std::string_view what) {
  const io::StatementFormat format =
      file.text ? io::detect_statement_format(*file.text) : io::detect_statement_file(files, file.name, what);
  if (format == io::StatementFormat::kCsv) return std::nullopt;
  const std::string text = file.text ? *file.text : io::read_statement_file(files, file.name, what);
  io::StatementReadOptions options;
  options.broker_account = std::string(broker_account);
  Diagnostics diags;
  const io::Statement st = io::read_statement(text, format, file.name, options, diags);
  diags.throw_if_errors(fmt::format("{}: {} problem(s) in the {} statement", printable(file.name), diags.error_count(),
                                    io::statement_format_name(format)));
  if (!st.has_positions) {
    throw Error::invalid_input(fmt::format("{}: the {} statement lists no positions ({})", printable(file.name),
                                           io::statement_format_name(format),
                                           format == io::StatementFormat::kOfx ? "no INVPOSLIST" : "no OpenPositions"));
  }
  return io::broker_positions_of(st);
}

std::vector<Position> read_positions_file(const InputFile& file, std::vector<std::string>* warnings,
                                          const Files& files, std::string_view broker_account) {
  // A broker's statement (OFX, IBKR Flex): the positions it lists.
  if (auto statement = read_statement_positions(file, files, broker_account, "positions")) {
    Diagnostics diags;
    auto out = io::positions_from_broker(*statement, printable(file.name), diags);
    diags.throw_if_errors(printable(file.name) + ": bad positions");
    if (out.empty()) throw Error::invalid_input(printable(file.name) + ": no positions: the statement lists none");
    if (warnings) {
      for (const auto& w : diags.warnings()) warnings->push_back(w.to_string());
    }
    return out;
  }
  return read_validated(file, "positions",
                        [&](io::CsvReader& c, Diagnostics& d) { return io::read_positions(c, d, broker_account); },
                        warnings, files);
}

PriceRows read_prices_file(const InputFile& file, std::vector<std::string>* warnings, const Files& files) {
  return read_validated(file, "prices", [](io::CsvReader& c, Diagnostics& d) { return io::read_prices(c, d); },
                        warnings, files);
}

FxRows read_fx_file(const InputFile& file, const io::FxColumnNames& names, std::vector<std::string>* warnings,
                    const Files& files) {
  return read_validated(
      file, "FX rates", [&names](io::CsvReader& c, Diagnostics& d) { return io::read_fx(c, names, d); }, warnings,
      files);
}

PricesImportResult import_prices(const Context& cx, const ImportPricesRequest& request, const ProgressFn& progress) {
  authorize(cx, kPricesImport, "prices");
  Store& store = require_store(cx, "imports are stored");
  const InputFile& file = request.input;
  PricesImportResult r;
  start_result(r, "prices", file);
  // The reader parses and validates on a second thread while this one writes the rows it has
  // checked so far, all in one transaction; if the reader finds any bad row, the transaction is
  // rolled back before commit, so the import stays all-or-nothing.
  Diagnostics diags;
  ChunkQueue queue;
  PriceRows all;
  std::exception_ptr reader_error;
  std::thread reader([&] {
    try {
      io::CsvReader csv = open_reader(file, "file", diags, cx.env.files);
      all = io::read_prices(
          csv, diags,
          [&](PriceRows chunk) {
            if (progress) progress(static_cast<std::size_t>(1000 * csv.progress()), 1000);
            queue.push(std::move(chunk));
          },
          16384);
    } catch (...) {
      reader_error = std::current_exception();
    }
    queue.close();
  });
  PriceImportStats s;
  try {
    s = store.upsert_price_chunks([&](PriceRows& out) { return queue.pop(out); },
                                  [&] {
                                    reader.join();
                                    if (reader_error) std::rethrow_exception(reader_error);
                                    diags.throw_if_errors("cannot import prices from " + file.name);
                                  });
  } catch (...) {
    queue.close();
    if (reader.joinable()) reader.join();
    throw;
  }
  if (progress) progress(1000, 1000);
  r.warnings = warning_lines(diags);
  r.rows = all.size();  // repeated identical rows were written twice but count once
  r.symbols = s.symbols;
  r.inserted = s.inserted;
  r.updated = r.rows - s.inserted;
  r.first_date = s.first_date ? s.first_date->to_string() : "";
  r.last_date = s.last_date ? s.last_date->to_string() : "";
  audit(cx, kPricesImport, "prices", {{"rows", r.rows}});
  import_warned(cx, "prices", 0, "", r.warnings);
  return r;
}

PositionsImportResult import_positions(const Context& cx, const ImportPositionsRequest& request) {
  authorize(cx, kPositionsImport, "portfolio/" + shown_with(request.portfolio, 200, 0));
  Store& store = require_store(cx, "positions are stored");
  if (request.portfolio.empty()) throw Error::usage("import positions needs a portfolio name");
  PositionsImportResult r;
  start_result(r, "positions", request.input);
  if (request.currency) check_currency(*request.currency);
  auto positions = read_positions_file(request.input, &r.warnings, cx.env.files, request.broker_account.value_or(""));
  // A stock the security master knows as an ETF or a fund (keel symbols fetch, keel import sectors)
  // is stored as an ETF: a file of tickers need not say that SPY is one.
  std::vector<std::string> funds;
  for (Position& p : positions) {
    if (p.type != InstrumentType::kStock) continue;
    const auto info = store.symbol_info(p.symbol);
    if (!info || (info->asset_type != "etf" && info->asset_type != "fund")) continue;
    p.type = InstrumentType::kEtf;
    funds.push_back(p.symbol);
  }
  if (!funds.empty()) {
    r.warnings.push_back(fmt::format("stored as etf, as the security master lists them: {}", fmt::join(funds, ", ")));
  }
  const std::string& tenant = cx.actor.tenant;
  // Importing into a portfolio that does not exist creates it: the right to create portfolios,
  // as POST /api/v1/portfolios asks (an analyst may fill a portfolio, not make one).
  if (!store.find_portfolio(tenant, request.portfolio)) {
    authorize(cx, kPortfolioCreate, "portfolio/" + shown_with(request.portfolio, 200, 0));
  }
  const PortfolioSummary s = store.transaction([&] {
    const auto existing = store.find_portfolio(tenant, request.portfolio);
    if (request.currency && existing && existing->base_currency != *request.currency) {
      throw Error::conflict(fmt::format(
          "portfolio {} reports in {}, not {}: change it with keel portfolio set-currency {} {}",
          shown_with(request.portfolio, 200, '\''), existing->base_currency, *request.currency,
          shown_with(request.portfolio, 200, 0), *request.currency));
    }
    PortfolioSummary saved = store.save_portfolio(tenant, request.portfolio, positions, request.input.name);
    if (request.currency && !existing) {
      store.set_portfolio_currency(tenant, request.portfolio, *request.currency);
      saved.base_currency = *request.currency;
    }
    return saved;
  });
  r.rows = positions.size();
  for (const auto& p : positions) r.options += p.is_option() ? 1 : 0;
  r.portfolio = s.name;
  r.positions = s.positions;
  nlohmann::json details{{"rows", r.rows}, {"name", s.name}};
  if (request.currency) details["currency"] = *request.currency;
  audit(cx, kPositionsImport, fmt::format("portfolio/{}", s.id), details);
  portfolio_changed(cx, s.id, s.name, "positions");
  import_warned(cx, "positions", s.id, s.name, r.warnings);
  return r;
}

FactorsImportResult import_factors(const Context& cx, const ImportFactorsRequest& request) {
  Store& store = require_store(cx, "factors are stored");
  FactorsImportResult r;
  start_result(r, "factors", request.input);
  const FactorTable t = read_validated(
      request.input, "factors",
      [&](io::CsvReader& c, Diagnostics& d) { return io::read_factors(c, request.factor_units, d); }, &r.warnings,
      cx.env.files);
  store.upsert_factors(request.set, t);
  r.rows = t.rows();
  r.set = request.set;
  r.factors = t.names;
  r.first_date = t.dates.front().to_string();
  r.last_date = t.dates.back().to_string();
  return r;
}

CurveImportResult import_curve(const Context& cx, const ImportCurveRequest& request) {
  Store& store = require_store(cx, "curves are stored");
  io::CurveReadOptions options;
  options.kind = request.curve_type;
  options.units = request.rate_units;
  options.date = request.date;
  options.name = request.name;
  options.currency = request.currency;
  CurveImportResult r;
  start_result(r, "curve", request.input);
  const CurveData c = read_validated(
      request.input, "curve", [&](io::CsvReader& csv, Diagnostics& d) { return io::read_curve(csv, options, d); },
      &r.warnings, cx.env.files);
  store.save_curve(c);
  r.rows = c.points.size();
  r.name = c.name;
  r.as_of = c.as_of ? c.as_of->to_string() : "";
  r.curve_type = c.kind == CurveKind::kPar ? "par" : "zero";
  r.currency = c.currency;
  return r;
}

SectorsImportResult import_symbol_info(const Context& cx, const ImportSectorsRequest& request) {
  Store& store = require_store(cx, "the security master is stored");
  SectorsImportResult r;
  start_result(r, "sectors", request.input);
  const auto infos = read_validated(
      request.input, "sectors", [](io::CsvReader& c, Diagnostics& d) { return io::read_symbol_info(c, d); },
      &r.warnings, cx.env.files);
  store.upsert_symbol_info(infos);
  r.rows = infos.size();
  return r;
}

}  // namespace keel::service
