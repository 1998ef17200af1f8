#include "keel/service/imports.h"

#include <utility>

#include "keel/core/error.h"
#include "keel/io/csv.h"

namespace keel::service {
namespace {

io::CsvReader open_reader(const InputFile& file, Diagnostics& diags) {
  if (file.text) return io::CsvReader::from_text(file.name, *file.text, diags);
  return io::CsvReader::open(file.name, diags);
}

std::vector<std::string> warning_lines(const Diagnostics& diags) {
  std::vector<std::string> out;
  for (const auto& w : diags.warnings()) out.push_back(w.to_string());
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

}  // namespace

nlohmann::json to_json(const ImportResult& r) {
  nlohmann::json j = {{"kind", r.kind}, {"file", r.file}, {"rows", r.rows}, {"warnings", r.warnings}};
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
  const PriceRows rows = read_prices_file(file, &r.warnings);
  const PriceImportStats s = store.upsert_prices(rows, progress);
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
