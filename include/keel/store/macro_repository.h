// keel/store/macro_repository.h: macro-economic series as market data (FRED series by id: CPI,
// unemployment, Treasury yields), one value per (series, date).
//
// Store migration 84. A series keeps its title, units and frequency as its provider states them
// ("Index 1982-1984=100", "Percent", "Monthly"); values are stored as given, in those units.
// Series are global like prices and FX rates: every tenant reads the same tables.
//
// MacroRepository is a concrete class, written once over the store's SQL connection (either
// backend); Store::macro() hands it out.
//
// Thread-safety: like the Store that owns it, one thread at a time. Ownership: the Store owns the
// repository; the reference lives as long as the Store.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "keel/core/date.h"

namespace keel {
class Clock;
}  // namespace keel

namespace keel::store {

class SqlConnection;  // the store's connection to its database

struct MacroSeriesInfo {
  std::string id;         // the provider's series id, upper case: CPIAUCSL, UNRATE, DGS10
  std::string title;      // "Consumer Price Index for All Urban Consumers: All Items in U.S. City Average"
  std::string units;      // "Index 1982-1984=100", "Percent"
  std::string frequency;  // "Monthly", "Daily"
  std::string source;     // the provider: fred
  std::string updated_at;  // ISO-8601 UTC of the last write (set by the store)
  // Of the stored observations (list() and series() fill them).
  std::size_t observations = 0;
  std::optional<Date> first;
  std::optional<Date> last;
};

struct MacroObservation {
  Date date;
  double value = 0.0;  // in the series' units
};

struct MacroUpsertStats {
  std::size_t rows = 0;
  std::size_t inserted = 0;  // new dates
  std::size_t updated = 0;   // dates whose value was replaced
};

class MacroRepository {
 public:
  MacroRepository(SqlConnection& c, const Clock& clock) : c_(&c), clock_(&clock) {}

  // Writes the series' description and its observations in ONE transaction (all or none): a date
  // already stored gets the new value. Throws Error(invalid_input) for an empty id or a value
  // that is not finite.
  MacroUpsertStats upsert(const MacroSeriesInfo& info, std::span<const MacroObservation> rows);
  // Every stored series with its observation count and date range, by id.
  std::vector<MacroSeriesInfo> list();
  // The series' description (nullopt when not stored).
  std::optional<MacroSeriesInfo> find(const std::string& id);
  // Its observations dated from..to (inclusive, either open), by date.
  std::vector<MacroObservation> observations(const std::string& id, std::optional<Date> from,
                                             std::optional<Date> to);

 private:
  SqlConnection* c_;
  const Clock* clock_;
};

}  // namespace keel::store
