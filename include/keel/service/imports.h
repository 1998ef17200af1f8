// keel/service/imports.h: the import use cases shared by `keel import ...` and the HTTP API.
//
// Each import reads and validates the whole input first; when any row is bad it throws
// keel::Error(invalid_input) listing every problem, and the store is not touched. Otherwise it
// writes everything in one transaction and returns a summary (with the readers' warnings).
//
// Thread-safety: stateless; the Store must not be shared across threads.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "keel/core/date.h"
#include "keel/io/readers.h"
#include "keel/store/store.h"

namespace keel::service {

// A file on disk (`text` absent) or an uploaded body reported under `name`.
struct InputFile {
  std::string name;
  std::optional<std::string> text;
};

struct ImportResult {
  std::string kind;  // prices, positions, factors, curve, sectors
  std::string file;
  std::size_t rows = 0;
  std::vector<std::string> warnings;
  nlohmann::json details;  // kind-specific figures (symbols, date range, inserted, updated ...)
};

nlohmann::json to_json(const ImportResult& r);

ImportResult import_prices(Store& store, const InputFile& file, const ProgressFn& progress = {});
ImportResult import_positions(Store& store, const InputFile& file, const std::string& portfolio,
                              const std::string& tenant = kDefaultTenant);
ImportResult import_factors(Store& store, const InputFile& file, const std::string& set_name,
                            io::RateUnits units);
ImportResult import_curve(Store& store, const InputFile& file, const io::CurveReadOptions& options);
ImportResult import_symbol_info(Store& store, const InputFile& file);

// Reads a positions file into positions, throwing invalid_input with every problem (no store).
std::vector<Position> read_positions_file(const InputFile& file, std::vector<std::string>* warnings = nullptr);
// Reads a prices file, throwing invalid_input with every problem.
PriceRows read_prices_file(const InputFile& file, std::vector<std::string>* warnings = nullptr);

}  // namespace keel::service
