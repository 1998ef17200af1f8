#include "keel/service/imports.h"

#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>
#include <utility>

#include "keel/core/error.h"
#include "keel/io/csv.h"
#include "keel/io/input.h"

namespace keel::service {
namespace {

io::CsvReader open_reader(const InputFile& file, Diagnostics& diags) {
  if (file.text) return io::CsvReader::from_text(file.name, *file.text, diags);
  return io::CsvReader::open(file.name, diags);
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

// Reads with `read`, then fails with every problem or returns the value and the warnings.
template <class Reader>
auto read_validated(const InputFile& file, const char* what, Reader&& read, std::vector<std::string>* warnings) {
  Diagnostics diags;
  io::CsvReader csv = open_reader(file, diags);
  auto value = read(csv, diags);
  diags.throw_if_errors(std::string("cannot import ") + what + " from " + file.name);
  if (warnings) *warnings = warning_lines(diags);
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

}  // namespace

nlohmann::json to_json(const ImportResult& r) {
  std::vector<std::string> warnings;
  for (const auto& w : r.warnings) warnings.push_back(printable(w));
  nlohmann::json j = {{"kind", r.kind}, {"file", printable(r.file)}, {"rows", r.rows}, {"warnings", warnings}};
  for (auto it = r.details.begin(); it != r.details.end(); ++it) j[it.key()] = it.value();
  return j;
}

std::vector<Position> read_positions_file(const InputFile& file, std::vector<std::string>* warnings) {
  return read_validated(file, "positions", [](io::CsvReader& c, Diagnostics& d) { return io::read_positions(c, d); },
                        warnings);
}

PriceRows read_prices_file(const InputFile& file, std::vector<std::string>* warnings) {
  return read_validated(file, "prices", [](io::CsvReader& c, Diagnostics& d) { return io::read_prices(c, d); },
                        warnings);
}

ImportResult import_prices(Store& store, const InputFile& file, const ProgressFn& progress) {
  ImportResult r{"prices", file.name, 0, {}, {}};
  // The reader parses and validates on a second thread while this one writes the rows it has
  // checked so far, all in one transaction; if the reader finds any bad row, the transaction is
  // rolled back before commit, so the import stays all-or-nothing.
  Diagnostics diags;
  ChunkQueue queue;
  PriceRows all;
  std::exception_ptr reader_error;
  std::thread reader([&] {
    try {
      io::CsvReader csv = open_reader(file, diags);
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
  s.rows = all.size();  // repeated identical rows were written twice but count once
  s.updated = s.rows - s.inserted;
  r.rows = s.rows;
  r.details = {{"symbols", s.symbols},
               {"inserted", s.inserted},
               {"updated", s.updated},
               {"first_date", s.first_date ? s.first_date->to_string() : ""},
               {"last_date", s.last_date ? s.last_date->to_string() : ""}};
  return r;
}

ImportResult import_positions(Store& store, const InputFile& file, const std::string& portfolio,
                              const std::string& tenant) {
  if (portfolio.empty()) throw Error::usage("import positions needs --portfolio NAME");
  ImportResult r{"positions", file.name, 0, {}, {}};
  const auto positions = read_positions_file(file, &r.warnings);
  const PortfolioSummary s = store.save_portfolio(tenant, portfolio, positions, file.name);
  r.rows = positions.size();
  std::size_t options = 0;
  for (const auto& p : positions) options += p.is_option() ? 1 : 0;
  r.details = {{"portfolio", s.name}, {"positions", s.positions}, {"options", options}};
  return r;
}

ImportResult import_factors(Store& store, const InputFile& file, const std::string& set_name,
                            io::RateUnits units) {
  ImportResult r{"factors", file.name, 0, {}, {}};
  const FactorTable t = read_validated(
      file, "factors", [&](io::CsvReader& c, Diagnostics& d) { return io::read_factors(c, units, d); }, &r.warnings);
  store.upsert_factors(set_name, t);
  r.rows = t.rows();
  r.details = {{"set", set_name},
               {"factors", t.names},
               {"first_date", t.dates.front().to_string()},
               {"last_date", t.dates.back().to_string()}};
  return r;
}

ImportResult import_curve(Store& store, const InputFile& file, const io::CurveReadOptions& options) {
  ImportResult r{"curve", file.name, 0, {}, {}};
  const CurveData c = read_validated(
      file, "curve", [&](io::CsvReader& csv, Diagnostics& d) { return io::read_curve(csv, options, d); }, &r.warnings);
  store.save_curve(c);
  r.rows = c.points.size();
  r.details = {{"name", c.name},
               {"as_of", c.as_of ? c.as_of->to_string() : ""},
               {"curve_type", c.kind == CurveKind::kPar ? "par" : "zero"},
               {"currency", c.currency}};
  return r;
}

ImportResult import_symbol_info(Store& store, const InputFile& file) {
  ImportResult r{"sectors", file.name, 0, {}, {}};
  const auto infos = read_validated(
      file, "sectors", [](io::CsvReader& c, Diagnostics& d) { return io::read_symbol_info(c, d); }, &r.warnings);
  store.upsert_symbol_info(infos);
  r.rows = infos.size();
  return r;
}

}  // namespace keel::service
