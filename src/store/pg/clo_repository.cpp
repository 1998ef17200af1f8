#include "clo_repository.h"

#include "clo_rows.h"
#include "keel/core/error.h"

namespace keel::store::pg {
namespace {

void insert_collateral(Tx& tx, std::int64_t deal_id, std::int64_t set,
                       const std::vector<CloCollateralRow>& rows) {
  std::string sql = std::string("INSERT INTO clo_deal_collateral (deal_id, collateral_set, ") +
                    detail::kCloCollateralColumns + ") VALUES ($1, $2";
  for (int c = 0; c < detail::kCloCollateralColumnCount; ++c) sql += ", $" + std::to_string(c + 3);
  sql += ")";
  std::int64_t ordinal = 0;
  for (const auto& row : rows) {
    Params p;
    p.add(deal_id).add(set);
    detail::write_clo_collateral(p, ++ordinal, row);
    tx.exec(sql, p);
  }
}

void insert_version(Tx& tx, std::int64_t deal_id, std::int64_t version, std::int64_t set,
                    const CloDealVersionWrite& w, const std::string& user, const std::string& now) {
  tx.exec(
      "INSERT INTO clo_deal_versions (deal_id, version, document, collateral_set, cdr, cpr, recovery, "
      "recovery_lag_months, change, comment, created_at, created_by) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
      Params()
          .add(deal_id)
          .add(version)
          .add(w.document)
          .add(set)
          .add(w.assumptions.cdr)
          .add(w.assumptions.cpr)
          .add(w.assumptions.recovery)
          .add(w.assumptions.recovery_lag_months)
          .add(w.change)
          .add(w.comment)
          .add(now)
          .add(user));
}

std::optional<CloDealVersionRecord> version_in(Tx& tx, const std::string& tenant, std::int64_t id,
                                               std::optional<std::int64_t> version) {
  const auto r =
      tx.exec(std::string(detail::kCloVersionSelect) +
                  "JOIN clo_deals d ON d.id = v.deal_id WHERE d.tenant = $1 AND v.deal_id = $2 AND "
                  "v.version = COALESCE($3::bigint, (SELECT MAX(x.version) FROM clo_deal_versions x WHERE "
                  "x.deal_id = v.deal_id))",
              Params().add(tenant).add(id).add(version));
  if (r.empty()) return std::nullopt;
  return detail::read_clo_version(RowView(r[0]));
}

}  // namespace

CloDealRecord PgCloDealRepository::create(const std::string& tenant, const std::string& name,
                                          const std::string& currency, const std::string& user,
                                          const CloDealVersionWrite& first) {
  if (!first.collateral) throw Error::invalid_input("a new CLO deal needs its collateral");
  const std::int64_t id = s_->run(tenant, [&](Tx& tx) {
    const std::string now = clock_->iso8601();
    const std::int64_t deal_id = integer(tx.exec1(
        "INSERT INTO clo_deals (tenant, name, currency, created_at, created_by, updated_at, updated_by) "
        "VALUES ($1, $2, $3, $4, $5, $4, $5) RETURNING id",
        Params().add(tenant).add(name).add(currency).add(now).add(user))[0]);
    insert_collateral(tx, deal_id, 1, *first.collateral);
    insert_version(tx, deal_id, 1, 1, first, user, now);
    return deal_id;
  });
  return *find(tenant, id);
}

std::vector<CloDealRecord> PgCloDealRepository::list(const std::string& tenant) {
  return s_->run(tenant, [&](Tx& tx) {
    std::vector<CloDealRecord> out;
    for (const auto& r : tx.exec(std::string(detail::kCloDealSelect) + "WHERE d.tenant = $1 ORDER BY d.id",
                                 Params().add(tenant))) {
      out.push_back(detail::read_clo_deal(RowView(r)));
    }
    return out;
  });
}

std::optional<CloDealRecord> PgCloDealRepository::find(const std::string& tenant, std::int64_t id) {
  return s_->run(tenant, [&](Tx& tx) -> std::optional<CloDealRecord> {
    const auto r = tx.exec(std::string(detail::kCloDealSelect) + "WHERE d.tenant = $1 AND d.id = $2",
                           Params().add(tenant).add(id));
    if (r.empty()) return std::nullopt;
    return detail::read_clo_deal(RowView(r[0]));
  });
}

std::optional<CloDealRecord> PgCloDealRepository::find_name(const std::string& tenant,
                                                            const std::string& name) {
  return s_->run(tenant, [&](Tx& tx) -> std::optional<CloDealRecord> {
    const auto r = tx.exec(std::string(detail::kCloDealSelect) + "WHERE d.tenant = $1 AND d.name = $2",
                           Params().add(tenant).add(name));
    if (r.empty()) return std::nullopt;
    return detail::read_clo_deal(RowView(r[0]));
  });
}

std::vector<CloDealVersionRecord> PgCloDealRepository::versions(const std::string& tenant, std::int64_t id) {
  return s_->run(tenant, [&](Tx& tx) {
    std::vector<CloDealVersionRecord> out;
    for (const auto& r :
         tx.exec(std::string(detail::kCloVersionSelect) +
                     "JOIN clo_deals d ON d.id = v.deal_id WHERE d.tenant = $1 AND v.deal_id = $2 "
                     "ORDER BY v.version",
                 Params().add(tenant).add(id))) {
      out.push_back(detail::read_clo_version(RowView(r)));
    }
    return out;
  });
}

std::optional<CloDealVersionRecord> PgCloDealRepository::version(const std::string& tenant, std::int64_t id,
                                                                 std::optional<std::int64_t> version) {
  return s_->run(tenant, [&](Tx& tx) { return version_in(tx, tenant, id, version); });
}

std::vector<CloCollateralRow> PgCloDealRepository::collateral(const std::string& tenant, std::int64_t id,
                                                              std::int64_t collateral_set) {
  return s_->run(tenant, [&](Tx& tx) {
    std::vector<CloCollateralRow> out;
    for (const auto& r : tx.exec(std::string("SELECT ") + detail::kCloCollateralColumns +
                                     " FROM clo_deal_collateral c JOIN clo_deals d ON d.id = c.deal_id "
                                     "WHERE d.tenant = $1 AND c.deal_id = $2 AND c.collateral_set = $3 "
                                     "ORDER BY c.ordinal",
                                 Params().add(tenant).add(id).add(collateral_set))) {
      out.push_back(detail::read_clo_collateral(RowView(r)));
    }
    return out;
  });
}

CloDealVersionRecord PgCloDealRepository::add_version(const std::string& tenant, std::int64_t id,
                                                      const std::string& currency, const std::string& user,
                                                      const CloDealVersionWrite& next) {
  return s_->run(tenant, [&](Tx& tx) {
    // FOR UPDATE on the deal: concurrent edits take turns, so version numbers are never reused.
    if (tx.exec("SELECT 1 FROM clo_deals WHERE tenant = $1 AND id = $2 FOR UPDATE",
                Params().add(tenant).add(id))
            .empty()) {
      throw Error::not_found("no CLO deal with id " + std::to_string(id));
    }
    const auto latest = version_in(tx, tenant, id, std::nullopt);
    if (!latest) throw Error::not_found("no CLO deal with id " + std::to_string(id));
    std::int64_t set = latest->collateral_set;
    if (next.collateral) {
      set = integer(
                tx.exec1("SELECT COALESCE(MAX(collateral_set), 0) FROM clo_deal_versions WHERE deal_id = $1",
                         Params().add(id))[0]) +
            1;
      insert_collateral(tx, id, set, *next.collateral);
    }
    const std::string now = clock_->iso8601();
    insert_version(tx, id, latest->version + 1, set, next, user, now);
    tx.exec("UPDATE clo_deals SET currency = $1, updated_at = $2, updated_by = $3 WHERE id = $4",
            Params().add(currency).add(now).add(user).add(id));
    return *version_in(tx, tenant, id, latest->version + 1);
  });
}

bool PgCloDealRepository::remove(const std::string& tenant, std::int64_t id) {
  return s_->run(tenant, [&](Tx& tx) {
    return tx.exec("DELETE FROM clo_deals WHERE tenant = $1 AND id = $2", Params().add(tenant).add(id))
               .affected_rows() > 0;
  });
}

}  // namespace keel::store::pg
