// CLO deals, their versions and collateral sets (keel/store/clo_repository.h) on both backends,
// with their row layout (migration 50): the SELECT lists, the decoders of their rows and the
// encoder of a collateral row (values appended to a statement's parameters: `add`, `add_null`).
#include "keel/store/clo_repository.h"

#include <fmt/format.h>

#include <algorithm>
#include <string>

#include "keel/core/error.h"
#include "sql.h"

namespace keel::store {
namespace {

// Deals `d` with their latest version; each query appends WHERE and ORDER BY.
constexpr const char* kCloDealSelect =
    "SELECT d.id, d.tenant, d.name, d.currency, "
    "(SELECT MAX(v.version) FROM clo_deal_versions v WHERE v.deal_id = d.id), "
    "d.created_at, d.created_by, d.updated_at, d.updated_by FROM clo_deals d ";

// Versions `v` with the size of their collateral set; each query appends WHERE and ORDER BY.
constexpr const char* kCloVersionSelect =
    "SELECT v.version, v.document, v.collateral_set, v.cdr, v.cpr, v.recovery, v.recovery_lag_months, "
    "v.change, v.comment, v.created_at, v.created_by, v.trades, "
    "(SELECT COUNT(*) FROM clo_deal_collateral c WHERE c.deal_id = v.deal_id AND c.collateral_set = "
    "v.collateral_set), "
    "(SELECT COALESCE(SUM(c.par), 0) FROM clo_deal_collateral c WHERE c.deal_id = v.deal_id AND "
    "c.collateral_set = v.collateral_set) "
    "FROM clo_deal_versions v ";

// The columns of a collateral row after (deal_id, collateral_set), ordinal first, in the order of
// write_clo_collateral.
constexpr const char* kCloCollateralColumns =
    "ordinal, obligor, industry, par, price, coupon_type, spread, floor, coupon, maturity, rating, lien, "
    "defaulted, asset_id, facility_id, unfunded, country, cov_lite, dip, moodys_rating, sp_rating";

CloDealRecord read_clo_deal(const SqlStatement& r) {
  CloDealRecord d;
  read_row(r, 0, d.id, d.tenant, d.name, d.currency, d.version, d.created_at, d.created_by, d.updated_at,
           d.updated_by);
  return d;
}

CloDealVersionRecord read_clo_version(const SqlStatement& r) {
  CloDealVersionRecord v;
  read_row(r, 0, v.version, v.document, v.collateral_set, v.assumptions.cdr, v.assumptions.cpr,
           v.assumptions.recovery, v.assumptions.recovery_lag_months, v.change, v.comment, v.created_at,
           v.created_by, v.trades, v.loans, v.collateral_par);
  return v;
}

// A row of `SELECT kCloCollateralColumns FROM clo_deal_collateral` (the ordinal is not kept).
CloCollateralRow read_clo_collateral(const SqlStatement& r) {
  CloCollateralRow c;
  read_row(r, 1, c.obligor, c.industry, c.par, c.price, c.coupon_type, c.spread, c.floor, c.coupon);
  c.maturity = Date::parse(r.get_text(9)).value_or(Date());
  read_row(r, 10, c.rating, c.lien, c.defaulted, c.asset_id, c.facility_id, c.unfunded, c.country, c.cov_lite, c.dip,
           c.moodys_rating, c.sp_rating);
  return c;
}

// Appends the values of kCloCollateralColumns.
template <class Sink>
void write_clo_collateral(Sink& out, std::int64_t ordinal, const CloCollateralRow& c) {
  out.add(ordinal).add(c.obligor).add(c.industry).add(c.par).add(c.price).add(c.coupon_type);
  out.add(c.spread).add(c.floor).add(c.coupon).add(c.maturity.to_string()).add(c.rating).add(c.lien);
  out.add(static_cast<std::int64_t>(c.defaulted ? 1 : 0));
  out.add(c.asset_id).add(c.facility_id).add(c.unfunded).add(c.country);
  out.add(static_cast<std::int64_t>(c.cov_lite ? 1 : 0)).add(static_cast<std::int64_t>(c.dip ? 1 : 0));
  out.add(c.moodys_rating).add(c.sp_rating);
}

// Inserts the loans as collateral set `set` of the deal.
void insert_collateral(SqlConnection& c, std::int64_t deal_id, std::int64_t set,
                       const std::vector<CloCollateralRow>& rows) {
  auto ins = c.prepare(
      insert_sql("clo_deal_collateral", std::string("deal_id, collateral_set, ") + kCloCollateralColumns));
  std::int64_t ordinal = 0;
  for (const auto& row : rows) {
    SqlBinder b(ins);
    b.add(deal_id).add(set);
    write_clo_collateral(b, ++ordinal, row);
    ins.run();
    ins.reset();
  }
}

void insert_version(SqlConnection& c, std::int64_t deal_id, std::int64_t version, std::int64_t set,
                    const CloDealVersionWrite& w, const std::string& user, const std::string& now) {
  c
      .prepare(insert_sql(
          "clo_deal_versions",
          "deal_id, version, document, collateral_set, cdr, cpr, recovery, recovery_lag_months, change, "
          "comment, created_at, created_by, trades"))
      .bind_all(deal_id, version, w.document, set, w.assumptions.cdr, w.assumptions.cpr,
                w.assumptions.recovery, w.assumptions.recovery_lag_months, w.change, w.comment, now, user,
                w.trades)
      .run();
}

// The deal's version `version`, or its latest when none is named.
std::optional<CloDealVersionRecord> version_of(SqlConnection& c, const std::string& tenant, std::int64_t id,
                                               std::optional<std::int64_t> version) {
  return c
      .prepare(std::string(kCloVersionSelect) +
               "JOIN clo_deals d ON d.id = v.deal_id WHERE d.tenant = ? AND v.deal_id = ? AND v.version = "
               "COALESCE(CAST(? AS BIGINT), (SELECT MAX(x.version) FROM clo_deal_versions x WHERE "
               "x.deal_id = v.deal_id))")
      .bind_all(tenant, id, version)
      .first(read_clo_version);
}

std::optional<CloDealRecord> deal_where(SqlConnection& c, const std::string& condition,
                                        const std::string& tenant, const auto& key) {
  return c.prepare(std::string(kCloDealSelect) + "WHERE d.tenant = ? AND " + condition)
      .bind_all(tenant, key)
      .first(read_clo_deal);
}

const char* kind_name(CloMarkKind kind) { return kind == CloMarkKind::kRating ? "rating" : "price"; }

std::int64_t count_marks(SqlConnection& c, std::int64_t id, CloMarkKind kind) {
  return c.prepare("SELECT COUNT(*) FROM clo_deal_marks WHERE deal_id = ? AND kind = ?")
      .bind_all(id, std::string(kind_name(kind)))
      .first_int();
}

CloMarkRow read_mark(const SqlStatement& r) {
  CloMarkRow m;
  m.as_of = Date::parse(r.get_text(0)).value_or(Date());
  read_row(r, 1, m.obligor, m.rating, m.price, m.imported_at, m.imported_by);
  return m;
}

}  // namespace

CloDealRecord CloDealRepository::create(const std::string& tenant, const std::string& name,
                                        const std::string& currency, const std::string& user,
                                        const CloDealVersionWrite& first) {
  if (!first.collateral) throw Error::invalid_input("a new CLO deal needs its collateral");
  const std::int64_t id = c_->transaction(tenant, [&] {
    const std::string now = clock_->iso8601();
    std::int64_t deal_id = 0;
    if (c_->dialect().row_locks) {
      // PostgreSQL: the identity sequence never gives an id twice.
      deal_id = c_->prepare(insert_sql("clo_deals",
                                       "tenant, name, currency, created_at, created_by, updated_at, updated_by") +
                            " RETURNING id")
                    .bind_all(tenant, name, currency, now, user, now, user)
                    .first_int();
    } else {
      // SQLite would give max(id) + 1, the id of a deal deleted last: the next id past every id given
      // (migration 92), in this write transaction.
      deal_id = 1 + c_->prepare(
                        "SELECT MAX(COALESCE((SELECT last_id FROM id_high_water WHERE name = 'clo_deals'), 0), "
                        "COALESCE((SELECT MAX(id) FROM clo_deals), 0))")
                        .first_int();
      c_->prepare("INSERT INTO id_high_water (name, last_id) VALUES ('clo_deals', ?) "
                  "ON CONFLICT (name) DO UPDATE SET last_id = excluded.last_id")
          .bind_all(deal_id)
          .run();
      c_->prepare(insert_sql("clo_deals",
                             "id, tenant, name, currency, created_at, created_by, updated_at, updated_by"))
          .bind_all(deal_id, tenant, name, currency, now, user, now, user)
          .run();
    }
    insert_collateral(*c_, deal_id, 1, *first.collateral);
    insert_version(*c_, deal_id, 1, 1, first, user, now);
    return deal_id;
  });
  return *find(tenant, id);
}

std::vector<CloDealRecord> CloDealRepository::list(const std::string& tenant) {
  return c_->rows(tenant, std::string(kCloDealSelect) + "WHERE d.tenant = ? ORDER BY d.id", read_clo_deal,
                  tenant);
}

std::optional<CloDealRecord> CloDealRepository::find(const std::string& tenant, std::int64_t id) {
  return c_->run(tenant, [&] { return deal_where(*c_, "d.id = ?", tenant, id); });
}

std::optional<CloDealRecord> CloDealRepository::find_name(const std::string& tenant,
                                                          const std::string& name) {
  return c_->run(tenant, [&] { return deal_where(*c_, "d.name = ?", tenant, name); });
}

std::vector<CloDealVersionRecord> CloDealRepository::versions(const std::string& tenant, std::int64_t id) {
  return c_->rows(
      tenant,
      std::string(kCloVersionSelect) +
          "JOIN clo_deals d ON d.id = v.deal_id WHERE d.tenant = ? AND v.deal_id = ? ORDER BY v.version",
      read_clo_version, tenant, id);
}

std::optional<CloDealVersionRecord> CloDealRepository::version(const std::string& tenant, std::int64_t id,
                                                               std::optional<std::int64_t> version) {
  return c_->run(tenant, [&] { return version_of(*c_, tenant, id, version); });
}

std::vector<CloCollateralRow> CloDealRepository::collateral(const std::string& tenant, std::int64_t id,
                                                            std::int64_t collateral_set) {
  return c_->rows(tenant,
                  std::string("SELECT ") + kCloCollateralColumns +
                      " FROM clo_deal_collateral c JOIN clo_deals d ON d.id = c.deal_id "
                      "WHERE d.tenant = ? AND c.deal_id = ? AND c.collateral_set = ? ORDER BY c.ordinal",
                  read_clo_collateral, tenant, id, collateral_set);
}

CloDealVersionRecord CloDealRepository::add_version(const std::string& tenant, std::int64_t id,
                                                    const std::string& currency, const std::string& user,
                                                    const CloDealVersionWrite& next) {
  return c_->transaction(tenant, [&] {
    const std::string no_deal = fmt::format("no CLO deal with id {}", id);
    // FOR UPDATE on the deal where there are row locks: concurrent edits take turns, so version
    // numbers are never reused (SQLite's write transaction already excludes other writers).
    if (c_->dialect().row_locks &&
        !c_->prepare("SELECT 1 FROM clo_deals WHERE tenant = ? AND id = ? FOR UPDATE")
             .bind_all(tenant, id)
             .step()) {
      throw Error::not_found(no_deal);
    }
    const auto latest = version_of(*c_, tenant, id, std::nullopt);
    if (!latest) throw Error::not_found(no_deal);
    std::int64_t set = latest->collateral_set;
    if (next.collateral) {
      auto q =
          c_->prepare("SELECT COALESCE(MAX(collateral_set), 0) FROM clo_deal_versions WHERE deal_id = ?");
      q.bind(1, id).step();
      set = q.get_int(0) + 1;
      insert_collateral(*c_, id, set, *next.collateral);
    }
    const std::string now = clock_->iso8601();
    insert_version(*c_, id, latest->version + 1, set, next, user, now);
    c_->prepare("UPDATE clo_deals SET currency = ?, updated_at = ?, updated_by = ? WHERE id = ?")
        .bind_all(currency, now, user, id)
        .run();
    return *version_of(*c_, tenant, id, latest->version + 1);
  });
}

bool CloDealRepository::remove(const std::string& tenant, std::int64_t id) {
  return c_->change(tenant, "DELETE FROM clo_deals WHERE tenant = ? AND id = ?", tenant, id) > 0;
}

CloMarksWriteStats CloDealRepository::put_marks(const std::string& tenant, std::int64_t id, CloMarkKind kind,
                                                const std::vector<CloMarkRow>& rows,
                                                const std::string& user) {
  return c_->transaction(tenant, [&] {
    // The deal row locked where there are row locks, so a delete cannot run between the check and the writes.
    const std::string lock = c_->dialect().row_locks ? " FOR UPDATE" : "";
    if (!c_->prepare("SELECT 1 FROM clo_deals WHERE tenant = ? AND id = ?" + lock).bind_all(tenant, id).step()) {
      throw Error::not_found(fmt::format("no CLO deal with id {}", id));
    }
    const std::string now = clock_->iso8601();
    const std::int64_t before = count_marks(*c_, id, kind);
    auto ins = c_->prepare(
        upsert_sql("clo_deal_marks", "deal_id, kind, as_of, obligor, rating, price, imported_at, imported_by",
                   "deal_id, kind, as_of, obligor"));
    const std::string k = kind_name(kind);
    for (const auto& m : rows) {
      const bool rating = kind == CloMarkKind::kRating;
      ins.run_row(id, k, m.as_of.to_string(), m.obligor, rating ? m.rating : std::string(), rating ? 0.0 : m.price,
                  now, user);
    }
    const std::int64_t after = count_marks(*c_, id, kind);
    c_->prepare("UPDATE clo_deals SET updated_at = ?, updated_by = ? WHERE id = ?").bind_all(now, user, id).run();
    CloMarksWriteStats stats;
    stats.added = static_cast<std::size_t>(after - before);
    stats.replaced = rows.size() - stats.added;
    return stats;
  });
}

std::vector<CloMarkRow> CloDealRepository::marks(const std::string& tenant, std::int64_t id,
                                                 CloMarkKind kind) {
  return c_->run(tenant, [&] {
    auto st = c_->prepare(
        "SELECT m.as_of, m.obligor, m.rating, m.price, m.imported_at, m.imported_by FROM clo_deal_marks m "
        "JOIN clo_deals d ON d.id = m.deal_id WHERE d.tenant = ? AND m.deal_id = ? AND m.kind = ?");
    st.bind_all(tenant, id, std::string(kind_name(kind)));
    auto out = st.rows(read_mark);
    // Sorted here, by bytes: a PostgreSQL database's collation would order the names its own way.
    std::sort(out.begin(), out.end(), [](const CloMarkRow& a, const CloMarkRow& b) {
      return a.as_of != b.as_of ? a.as_of < b.as_of : a.obligor < b.obligor;
    });
    return out;
  });
}

CloDeterminationRow CloDealRepository::put_determination(const std::string& tenant, CloDeterminationRow row,
                                                        const std::string& user) {
  return c_->transaction(tenant, [&] {
    const std::string lock = c_->dialect().row_locks ? " FOR UPDATE" : "";
    if (!c_->prepare("SELECT 1 FROM clo_deals WHERE tenant = ? AND id = ?" + lock).bind_all(tenant, row.deal_id).step()) {
      throw Error::not_found(fmt::format("no CLO deal with id {}", row.deal_id));
    }
    c_->prepare("DELETE FROM clo_determinations WHERE deal_id = ? AND as_of = ?")
        .bind_all(row.deal_id, row.as_of.to_string())
        .run();
    row.determined_at = clock_->iso8601();
    row.determined_by = user;
    row.id = c_->prepare(
                    "INSERT INTO clo_determinations (deal_id, as_of, version, passed, breaches, alerts, result, "
                    "determined_at, determined_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id")
                 .bind_all(row.deal_id, row.as_of.to_string(), row.version, row.passed ? 1 : 0, row.breaches,
                           row.alerts, row.result, row.determined_at, row.determined_by)
                 .first_int();
    return row;
  });
}

std::vector<CloDeterminationRow> CloDealRepository::determinations(const std::string& tenant, std::int64_t id,
                                                                   std::optional<Date> from, std::optional<Date> to) {
  return c_->run(tenant, [&] {
    auto st = c_->prepare(
        "SELECT t.id, t.deal_id, t.as_of, t.version, t.passed, t.breaches, t.alerts, t.result, t.determined_at, "
        "t.determined_by FROM clo_determinations t JOIN clo_deals d ON d.id = t.deal_id WHERE d.tenant = ? AND "
        "t.deal_id = ? AND t.as_of >= ? AND t.as_of <= ? ORDER BY t.as_of");
    st.bind_all(tenant, id, from ? from->to_string() : std::string("0000-00-00"),
                to ? to->to_string() : std::string("9999-99-99"));
    return st.rows([](const SqlStatement& r) {
      CloDeterminationRow d;
      std::string as_of;
      read_row(r, 0, d.id, d.deal_id, as_of, d.version, d.passed, d.breaches, d.alerts, d.result, d.determined_at,
               d.determined_by);
      d.as_of = Date::parse(as_of).value_or(Date());
      return d;
    });
  });
}

}  // namespace keel::store
