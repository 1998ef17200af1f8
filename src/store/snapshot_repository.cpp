// Portfolio snapshots (keel/store/snapshot_repository.h) on both backends.
#include "keel/store/snapshot_repository.h"

#include "keel/core/error.h"
#include "sql.h"

namespace keel::store {
namespace {

constexpr const char* kSnapshotColumns =
    "tenant, portfolio, as_of, net_value_amount, gross_value_amount, pnl_1d_amount, var_amount, es_amount, "
    "var_method, backtest_zone, beta_mkt, created_at, CASE WHEN report_json IS NULL THEN 0 ELSE 1 END";

PortfolioSnapshot read_row(const SqlStatement& st, bool with_report) {
  PortfolioSnapshot s;
  s.tenant = st.get_text(0);
  s.portfolio = st.get_text(1);
  const auto d = Date::parse(st.get_text(2));
  if (!d) throw Error::internal("snapshot store: bad as_of '" + st.get_text(2) + "'");
  s.as_of = *d;
  read_row(st, 3, s.net_value_amount, s.gross_value_amount, s.pnl_1d_amount, s.var_amount, s.es_amount);
  s.var_method = st.get_optional_text(8).value_or("");
  s.backtest_zone = st.get_optional_text(9).value_or("");
  s.beta_mkt = st.get_optional_double(10);
  s.created_at = st.get_text(11);
  s.report_kept = st.get_int(12) != 0;
  if (with_report) s.report_json = st.get_optional_text(13).value_or("");
  return s;
}

}  // namespace

void SnapshotRepository::save(const PortfolioSnapshot& s) {
  if (s.portfolio.empty()) throw Error::invalid_input("a snapshot needs a portfolio name");
  c_->write(s.tenant,
            upsert_sql("portfolio_snapshots",
                       "tenant, portfolio, as_of, net_value_amount, gross_value_amount, pnl_1d_amount, "
                       "var_amount, es_amount, var_method, backtest_zone, beta_mkt, report_json, created_at",
                       "tenant, portfolio, as_of"),
            s.tenant, s.portfolio, s.as_of.to_string(), s.net_value_amount, s.gross_value_amount,
            s.pnl_1d_amount, s.var_amount, s.es_amount, text_or_null(s.var_method),
            text_or_null(s.backtest_zone), s.beta_mkt, text_or_null(s.report_json), clock_->iso8601());
}

std::vector<PortfolioSnapshot> SnapshotRepository::list(const std::string& tenant,
                                                        const std::string& portfolio,
                                                        std::optional<Date> from, std::optional<Date> to,
                                                        bool with_report) {
  return c_->run(tenant, [&] {
    auto st = c_->prepare(std::string("SELECT ") + kSnapshotColumns + (with_report ? ", report_json" : "") +
                          " FROM portfolio_snapshots WHERE tenant = ? AND portfolio = ? AND " +
                          date_range("as_of") + " ORDER BY as_of");
    SqlBinder b(st);
    bind_date_range(b.add(tenant).add(portfolio), from, to);
    return st.rows([&](const SqlStatement& r) { return read_row(r, with_report); });
  });
}

std::optional<PortfolioSnapshot> SnapshotRepository::find(const std::string& tenant,
                                                          const std::string& portfolio, Date as_of) {
  return c_->first(
      tenant,
      std::string("SELECT ") + kSnapshotColumns +
          ", report_json FROM portfolio_snapshots WHERE tenant = ? AND portfolio = ? AND as_of = ?",
      [](const SqlStatement& r) { return read_row(r, true); }, tenant, portfolio, as_of.to_string());
}

std::vector<PortfolioSnapshot> SnapshotRepository::latest(const std::string& tenant) {
  return c_->rows(
      tenant,
      std::string("SELECT ") + kSnapshotColumns +
          " FROM portfolio_snapshots s WHERE tenant = ? AND as_of = (SELECT MAX(as_of) FROM "
          "portfolio_snapshots m WHERE m.tenant = s.tenant AND m.portfolio = s.portfolio) "
          "ORDER BY portfolio",
      [](const SqlStatement& r) { return read_row(r, false); }, tenant);
}

std::size_t SnapshotRepository::prune_reports(const std::string& before) {
  return c_->transaction(std::nullopt, [&] {
    if (c_->dialect().row_level_security) {
      // Across tenants, with the owner's rights (migration 103's keel_snapshot_reports_prune).
      auto st = c_->prepare("SELECT keel_snapshot_reports_prune(?)");
      st.bind(1, before).step();
      return static_cast<std::size_t>(st.get_int(0));
    }
    return static_cast<std::size_t>(
        c_->prepare("UPDATE portfolio_snapshots SET report_json = NULL WHERE report_json IS NOT NULL AND created_at < ?")
            .bind(1, before)
            .run());
  });
}

std::size_t SnapshotRepository::remove(const std::string& tenant, const std::string& portfolio) {
  return static_cast<std::size_t>(c_->change(
      tenant, "DELETE FROM portfolio_snapshots WHERE tenant = ? AND portfolio = ?", tenant, portfolio));
}

}  // namespace keel::store
