// MacroRepository on both backends (migration 84).
#include "keel/store/macro_repository.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "keel/core/error.h"
#include "sql.h"

namespace keel::store {
namespace {

constexpr std::size_t kRowsPerStatement = 200;  // 3 parameters a row: far below either server's limit

std::size_t count_rows(SqlConnection& c, const std::string& id) {
  return static_cast<std::size_t>(
      c.prepare("SELECT COUNT(*) FROM macro_observations WHERE series_id = ?").bind(1, id).first_int());
}

constexpr const char* kInfoSelect =
    "SELECT s.series_id, s.title, s.units, s.frequency, s.source, s.updated_at, "
    "(SELECT COUNT(*) FROM macro_observations o WHERE o.series_id = s.series_id), "
    "(SELECT MIN(date) FROM macro_observations o WHERE o.series_id = s.series_id), "
    "(SELECT MAX(date) FROM macro_observations o WHERE o.series_id = s.series_id) FROM macro_series s ";

MacroSeriesInfo read_info(const SqlStatement& r) {
  MacroSeriesInfo s;
  read_row(r, 0, s.id, s.title, s.units, s.frequency, s.source, s.updated_at, s.observations, s.first,
           s.last);
  return s;
}

}  // namespace

MacroUpsertStats MacroRepository::upsert(const MacroSeriesInfo& info,
                                         std::span<const MacroObservation> rows) {
  if (info.id.empty()) throw Error::invalid_input("a macro series needs an id");
  for (const auto& r : rows) {
    if (!std::isfinite(r.value)) {
      throw Error::invalid_input(fmt::format("macro series {}: the value of {} is not a finite number",
                                             info.id, r.date.to_string()));
    }
  }
  return c_->transaction(std::nullopt, [&] {
    MacroUpsertStats stats;
    stats.rows = rows.size();
    c_->prepare(
          upsert_sql("macro_series", "series_id, title, units, frequency, source, updated_at", "series_id"))
        .bind_all(info.id, info.title, info.units, info.frequency, info.source, clock_->iso8601())
        .run();
    const std::size_t before = count_rows(*c_, info.id);
    for (std::size_t start = 0; start < rows.size(); start += kRowsPerStatement) {
      const std::size_t n = std::min(kRowsPerStatement, rows.size() - start);
      auto st =
          c_->prepare(upsert_sql("macro_observations", "series_id, date, value", "series_id, date", "", n));
      SqlBinder b(st);
      for (std::size_t i = start; i < start + n; ++i)
        b.add(info.id).add(rows[i].date.to_string()).add(rows[i].value);
      st.run();
    }
    stats.inserted = count_rows(*c_, info.id) - before;
    stats.updated = stats.rows - stats.inserted;
    return stats;
  });
}

std::vector<MacroSeriesInfo> MacroRepository::list() {
  return c_->rows(std::nullopt, std::string(kInfoSelect) + "ORDER BY s.series_id", read_info);
}

std::optional<MacroSeriesInfo> MacroRepository::find(const std::string& id) {
  return c_->first(std::nullopt, std::string(kInfoSelect) + "WHERE s.series_id = ?", read_info, id);
}

std::vector<MacroObservation> MacroRepository::observations(const std::string& id, std::optional<Date> from,
                                                            std::optional<Date> to) {
  return c_->run(std::nullopt, [&] {
    auto st = c_->prepare("SELECT date, value FROM macro_observations WHERE series_id = ? AND " +
                          date_range("date") + " ORDER BY date");
    SqlBinder b(st);
    bind_date_range(b.add(id), from, to);
    return st.rows([](const SqlStatement& r) {
      return MacroObservation{Date::parse_or_throw(r.get_text(0), "macro_observations.date"),
                              r.get_double(1)};
    });
  });
}

}  // namespace keel::store
