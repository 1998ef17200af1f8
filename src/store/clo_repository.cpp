// CLO deals, their versions and collateral sets on SQLite (keel/store/clo_repository.h).
#include "clo_rows.h"
#include "keel/core/error.h"
#include "keel/store/database.h"
#include "sqlite_repositories.h"

namespace keel::store {
namespace {

// Inserts the loans as collateral set `set` of the deal.
void insert_collateral(Database& db, std::int64_t deal_id, std::int64_t set,
                       const std::vector<CloCollateralRow>& rows) {
  auto ins =
      db.prepare(std::string("INSERT INTO clo_deal_collateral (deal_id, collateral_set, ") +
                 detail::kCloCollateralColumns + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  std::int64_t ordinal = 0;
  for (const auto& row : rows) {
    Binder b(ins);
    b.add(deal_id).add(set);
    detail::write_clo_collateral(b, ++ordinal, row);
    ins.run();
    ins.reset();
  }
}

void insert_version(Database& db, std::int64_t deal_id, std::int64_t version, std::int64_t set,
                    const CloDealVersionWrite& w, const std::string& user, const std::string& now) {
  db.prepare(
        "INSERT INTO clo_deal_versions (deal_id, version, document, collateral_set, cdr, cpr, recovery, "
        "recovery_lag_months, change, comment, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
        "?, ?)")
      .bind(1, deal_id)
      .bind(2, version)
      .bind(3, w.document)
      .bind(4, set)
      .bind(5, w.assumptions.cdr)
      .bind(6, w.assumptions.cpr)
      .bind(7, w.assumptions.recovery)
      .bind(8, w.assumptions.recovery_lag_months)
      .bind(9, w.change)
      .bind(10, w.comment)
      .bind(11, now)
      .bind(12, user)
      .run();
}

}  // namespace

CloDealRecord SqliteCloDealRepository::create(const std::string& tenant, const std::string& name,
                                              const std::string& currency, const std::string& user,
                                              const CloDealVersionWrite& first) {
  if (!first.collateral) throw Error::invalid_input("a new CLO deal needs its collateral");
  const std::int64_t id = db_->transaction([&] {
    const std::string now = now_text(*clock_);
    db_->prepare(
           "INSERT INTO clo_deals (tenant, name, currency, created_at, created_by, updated_at, updated_by) "
           "VALUES (?, ?, ?, ?, ?, ?, ?)")
        .bind(1, tenant)
        .bind(2, name)
        .bind(3, currency)
        .bind(4, now)
        .bind(5, user)
        .bind(6, now)
        .bind(7, user)
        .run();
    const std::int64_t deal_id = db_->last_insert_id();
    insert_collateral(*db_, deal_id, 1, *first.collateral);
    insert_version(*db_, deal_id, 1, 1, first, user, now);
    return deal_id;
  });
  return *find(tenant, id);
}

std::vector<CloDealRecord> SqliteCloDealRepository::list(const std::string& tenant) {
  auto st = db_->prepare(std::string(detail::kCloDealSelect) + "WHERE d.tenant = ? ORDER BY d.id");
  st.bind(1, tenant);
  std::vector<CloDealRecord> out;
  while (st.step()) out.push_back(detail::read_clo_deal(st));
  return out;
}

std::optional<CloDealRecord> SqliteCloDealRepository::find(const std::string& tenant, std::int64_t id) {
  auto st = db_->prepare(std::string(detail::kCloDealSelect) + "WHERE d.tenant = ? AND d.id = ?");
  st.bind(1, tenant).bind(2, id);
  if (!st.step()) return std::nullopt;
  return detail::read_clo_deal(st);
}

std::optional<CloDealRecord> SqliteCloDealRepository::find_name(const std::string& tenant,
                                                                const std::string& name) {
  auto st = db_->prepare(std::string(detail::kCloDealSelect) + "WHERE d.tenant = ? AND d.name = ?");
  st.bind(1, tenant).bind(2, name);
  if (!st.step()) return std::nullopt;
  return detail::read_clo_deal(st);
}

std::vector<CloDealVersionRecord> SqliteCloDealRepository::versions(const std::string& tenant,
                                                                    std::int64_t id) {
  auto st = db_->prepare(
      std::string(detail::kCloVersionSelect) +
      "JOIN clo_deals d ON d.id = v.deal_id WHERE d.tenant = ? AND v.deal_id = ? ORDER BY v.version");
  st.bind(1, tenant).bind(2, id);
  std::vector<CloDealVersionRecord> out;
  while (st.step()) out.push_back(detail::read_clo_version(st));
  return out;
}

std::optional<CloDealVersionRecord> SqliteCloDealRepository::version(const std::string& tenant,
                                                                     std::int64_t id,
                                                                     std::optional<std::int64_t> version) {
  auto st = db_->prepare(
      std::string(detail::kCloVersionSelect) +
      "JOIN clo_deals d ON d.id = v.deal_id WHERE d.tenant = ? AND v.deal_id = ? AND v.version = "
      "COALESCE(?, (SELECT MAX(x.version) FROM clo_deal_versions x WHERE x.deal_id = v.deal_id))");
  st.bind(1, tenant).bind(2, id).bind(3, version);
  if (!st.step()) return std::nullopt;
  return detail::read_clo_version(st);
}

std::vector<CloCollateralRow> SqliteCloDealRepository::collateral(const std::string& tenant, std::int64_t id,
                                                                  std::int64_t collateral_set) {
  auto st = db_->prepare(std::string("SELECT ") + detail::kCloCollateralColumns +
                         " FROM clo_deal_collateral c JOIN clo_deals d ON d.id = c.deal_id "
                         "WHERE d.tenant = ? AND c.deal_id = ? AND c.collateral_set = ? ORDER BY c.ordinal");
  st.bind(1, tenant).bind(2, id).bind(3, collateral_set);
  std::vector<CloCollateralRow> out;
  while (st.step()) out.push_back(detail::read_clo_collateral(st));
  return out;
}

CloDealVersionRecord SqliteCloDealRepository::add_version(const std::string& tenant, std::int64_t id,
                                                          const std::string& currency,
                                                          const std::string& user,
                                                          const CloDealVersionWrite& next) {
  const std::int64_t version = db_->transaction([&] {
    const auto latest = this->version(tenant, id, std::nullopt);
    if (!latest) throw Error::not_found("no CLO deal with id " + std::to_string(id));
    std::int64_t set = latest->collateral_set;
    if (next.collateral) {
      auto q =
          db_->prepare("SELECT COALESCE(MAX(collateral_set), 0) FROM clo_deal_versions WHERE deal_id = ?");
      q.bind(1, id);
      q.step();
      set = q.get_int(0) + 1;
      insert_collateral(*db_, id, set, *next.collateral);
    }
    const std::string now = now_text(*clock_);
    insert_version(*db_, id, latest->version + 1, set, next, user, now);
    db_->prepare("UPDATE clo_deals SET currency = ?, updated_at = ?, updated_by = ? WHERE id = ?")
        .bind(1, currency)
        .bind(2, now)
        .bind(3, user)
        .bind(4, id)
        .run();
    return latest->version + 1;
  });
  return *this->version(tenant, id, version);
}

bool SqliteCloDealRepository::remove(const std::string& tenant, std::int64_t id) {
  return db_->transaction([&] {
    auto st = db_->prepare("DELETE FROM clo_deals WHERE tenant = ? AND id = ? RETURNING id");
    st.bind(1, tenant).bind(2, id);
    bool found = false;
    while (st.step()) found = true;
    return found;
  });
}

}  // namespace keel::store
