// FxRepository on both backends (migration 78).
#include "keel/store/fx_repository.h"

#include <fmt/format.h>

#include <algorithm>

#include "sql.h"

namespace keel::store {
namespace {

// Rows per INSERT: few round trips on PostgreSQL, and 4 parameters a row stay far below either
// server's limit on parameters.
constexpr std::size_t kRowsPerStatement = 200;

std::string rates_upsert(std::size_t n) {
  return upsert_sql("fx_rates", "base, quote, date, rate", "base, quote, date", "", n);
}

std::size_t count_rates(SqlConnection& c) {
  return static_cast<std::size_t>(c.prepare("SELECT COUNT(*) FROM fx_rates").first_int());
}

}  // namespace

FxUpsertStats FxRepository::upsert(const FxRows& rows) {
  return c_->transaction(std::nullopt, [&] {
    FxUpsertStats stats;
    stats.rows = rows.size();
    const std::size_t before = count_rates(*c_);
    std::optional<SqlStatement> full;  // the statement of kRowsPerStatement rows, prepared once
    for (std::size_t start = 0; start < rows.size(); start += kRowsPerStatement) {
      const std::size_t n = std::min(kRowsPerStatement, rows.size() - start);
      std::optional<SqlStatement> last;
      if (n == kRowsPerStatement && !full) full.emplace(c_->prepare(rates_upsert(n)));
      if (n < kRowsPerStatement) last.emplace(c_->prepare(rates_upsert(n)));
      SqlStatement& st = n == kRowsPerStatement ? *full : *last;
      SqlBinder b(st);
      for (std::size_t i = start; i < start + n; ++i) {
        b.add(rows.base[i]).add(rows.quote[i]).add(rows.date[i].to_string()).add(rows.rate[i]);
      }
      st.run();
      st.reset();
    }
    stats.inserted = count_rates(*c_) - before;
    stats.updated = stats.rows - stats.inserted;
    return stats;
  });
}

FxRows FxRepository::rows(const std::vector<std::string>& currencies, std::optional<Date> from,
                          std::optional<Date> to) {
  return c_->run(std::nullopt, [&] {
    const std::string in = placeholders(static_cast<int>(currencies.size()));
    std::string sql = "SELECT base, quote, date, rate FROM fx_rates WHERE " + date_range("date");
    if (!currencies.empty()) sql += fmt::format(" AND (base IN ({0}) OR quote IN ({0}))", in);
    sql += " ORDER BY base, quote, date";
    auto st = c_->prepare(sql);
    SqlBinder b(st);
    bind_date_range(b, from, to);
    for (const auto& c : currencies) b.add(c);
    for (const auto& c : currencies) b.add(c);
    FxRows out;
    while (st.step()) {
      out.add(Date::parse_or_throw(st.get_text(2), "fx_rates.date"), st.get_text(0), st.get_text(1),
              st.get_double(3));
    }
    return out;
  });
}

std::vector<FxPairSummary> FxRepository::pairs() {
  return c_->rows(std::nullopt,
                  "SELECT base, quote, MIN(date), MAX(date), COUNT(*) FROM fx_rates GROUP BY base, quote "
                  "ORDER BY base, quote",
                  [](const SqlStatement& r) {
                    return FxPairSummary{r.get_text(0), r.get_text(1),
                                         Date::parse_or_throw(r.get_text(2), "fx_rates.date"),
                                         Date::parse_or_throw(r.get_text(3), "fx_rates.date"),
                                         static_cast<std::size_t>(r.get_int(4))};
                  });
}

}  // namespace keel::store
