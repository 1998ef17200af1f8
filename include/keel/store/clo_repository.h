// keel/store/clo_repository.h: CLO deals stored per tenant, with their collateral and a history of
// versions.
//
// A deal has a name unique in its tenant and versions 1, 2, ...: each version is a complete,
// immutable picture of the deal — its structure (the deal document without its collateral, JSON
// text written by the service), a collateral set, and the scenario assumptions (CDR, CPR,
// recovery, recovery lag). A new version is added for every edit: changing the assumptions alone
// keeps the previous version's structure and collateral set (so collateral rows are not copied);
// uploading a new pool makes a new collateral set. Older versions stay readable until the deal is
// deleted, which deletes every version and collateral row with it. Every write is one transaction.
//
// Units are those of the deal file (docs/clo.md): rates, spreads, floors and coupons decimals per
// year; the loan price a fraction of par as the engine uses it (0.985), so a stored deal runs to
// the same bits as the file it was read from.
//
// A deal also keeps dated marks of its obligors (migration 85): ratings (Moody's, as the
// service maps them) and prices (fractions of par), one per deal, kind, date and obligor. They
// belong to the deal, not to a version: every version's pool is marked by obligor name when run.
//
// CloDealRepository is a concrete class, written once over the store's SQL connection (either
// backend); Store::clo_deals() hands it out. The store knows nothing of the CLO engine: rows are
// plain.
//
// Thread-safety: like the Store that owns it, one thread at a time. Ownership: the Store owns the
// repository; the reference lives as long as the Store.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "keel/core/date.h"

namespace keel {
class Clock;
}  // namespace keel

namespace keel::store {

class SqlConnection;  // the store's connection to its database

struct CloDealRecord {
  std::int64_t id = 0;
  std::string tenant;
  std::string name;
  std::string currency;
  std::int64_t version = 0;  // the latest version
  std::string created_at;    // ISO-8601 UTC
  std::string created_by;    // user name
  std::string updated_at;    // when the latest version was added
  std::string updated_by;
};

// The scenario assumptions of a version (docs/clo.md "Units").
struct CloAssumptionsRow {
  double cdr = 0.0;       // annual default rate, decimal
  double cpr = 0.0;       // annual prepayment rate, decimal
  double recovery = 0.0;  // recovery rate, decimal
  int recovery_lag_months = 0;
};

struct CloDealVersionRecord {
  std::int64_t version = 0;
  std::string document;  // the deal document without collateral (JSON text)
  std::int64_t collateral_set = 0;
  CloAssumptionsRow assumptions;
  std::string change;   // what this version changed: created, assumptions, deal, collateral, deal+collateral
  std::string comment;  // the user's note
  std::string created_at;
  std::string created_by;
  std::size_t loans = 0;        // loans in its collateral set
  double collateral_par = 0.0;  // their par
  std::string trades;           // a trade's ticket (JSON); empty for other changes
};

// One loan of a collateral set (keel::clo::Loan's fields, as plain values).
struct CloCollateralRow {
  std::string obligor;
  std::string industry;
  double par = 0.0;
  double price = 1.0;                    // fraction of par
  std::string coupon_type = "floating";  // floating or fixed
  double spread = 0.0;
  double floor = 0.0;
  double coupon = 0.0;
  Date maturity;
  std::string rating;  // Moody's: the tested rating
  std::string lien = "first";
  bool defaulted = false;
  std::string asset_id;
  std::string facility_id;
  double unfunded = 0.0;
  std::string country;
  bool cov_lite = false;
  bool dip = false;
  std::optional<std::string> moodys_rating;  // each agency's rating as given, on Moody's notches
  std::optional<std::string> sp_rating;
};

// What a new version holds; `collateral` absent keeps the previous version's collateral set.
struct CloDealVersionWrite {
  std::string document;
  CloAssumptionsRow assumptions;
  std::string change;
  std::string comment;
  std::optional<std::vector<CloCollateralRow>> collateral;
  std::string trades;  // a trade's ticket (JSON)
};

// A dated mark of an obligor: a rating (kind kRating) or a price (kind kPrice).
enum class CloMarkKind { kRating, kPrice };

struct CloMarkRow {
  Date as_of;
  std::string obligor;
  std::string rating;  // kRating: Moody's (Aaa .. C); empty for a price
  double price = 0.0;  // kPrice: fraction of par (0.985); 0 for a rating
  std::string imported_at;  // ISO-8601 UTC (read back; ignored on write)
  std::string imported_by;  // user name (read back; ignored on write)
};

// What put_marks changed.
struct CloMarksWriteStats {
  std::size_t added = 0;     // rows of a (date, obligor) the deal had no mark of
  std::size_t replaced = 0;  // rows that replaced a stored mark of the same date and obligor
};

// The tests of a deal kept for one determination date (migration 91).
struct CloDeterminationRow {
  std::int64_t id = 0;
  std::int64_t deal_id = 0;
  Date as_of;
  std::int64_t version = 0;
  bool passed = false;
  std::int64_t breaches = 0;
  std::int64_t alerts = 0;
  std::string result;         // the CloTestsResult, JSON text
  std::string determined_at;  // ISO-8601 UTC (read back; ignored on write)
  std::string determined_by;  // user name (read back; ignored on write)
};

class CloDealRepository {
 public:
  CloDealRepository(SqlConnection& c, const Clock& clock) : c_(&c), clock_(&clock) {}

  // Creates the deal with version 1 (its collateral required). Throws Error::conflict when the
  // tenant has a deal of that name.
  CloDealRecord create(const std::string& tenant, const std::string& name, const std::string& currency,
                       const std::string& user, const CloDealVersionWrite& first);
  // Deals of the tenant, by id.
  std::vector<CloDealRecord> list(const std::string& tenant);
  // nullopt when the tenant has no such deal (another tenant's included).
  std::optional<CloDealRecord> find(const std::string& tenant, std::int64_t id);
  std::optional<CloDealRecord> find_name(const std::string& tenant, const std::string& name);
  // Versions of the deal, oldest first (empty when the tenant has no such deal).
  std::vector<CloDealVersionRecord> versions(const std::string& tenant, std::int64_t id);
  // One version (the latest when `version` is nullopt); nullopt when there is none.
  std::optional<CloDealVersionRecord> version(const std::string& tenant, std::int64_t id,
                                              std::optional<std::int64_t> version);
  // The loans of a collateral set of the deal, in upload order.
  std::vector<CloCollateralRow> collateral(const std::string& tenant, std::int64_t id,
                                           std::int64_t collateral_set);
  // Adds version latest + 1 (a write with collateral makes a new collateral set, one without
  // keeps the latest version's), updates the deal's currency, updated_at and updated_by, and
  // returns the new version. Throws Error::not_found when the tenant has no such deal.
  CloDealVersionRecord add_version(const std::string& tenant, std::int64_t id, const std::string& currency,
                                   const std::string& user, const CloDealVersionWrite& next);
  // Deletes the deal, its versions, collateral and marks; false when the tenant has no such deal.
  bool remove(const std::string& tenant, std::int64_t id);

  // Stores the marks of one kind in one transaction, each replacing a stored mark of the same
  // date and obligor, and sets the deal's updated_at and updated_by. Throws Error::not_found when
  // the tenant has no such deal (nothing is written).
  CloMarksWriteStats put_marks(const std::string& tenant, std::int64_t id, CloMarkKind kind,
                               const std::vector<CloMarkRow>& rows, const std::string& user);
  // The deal's marks of one kind by date, then obligor (empty when the tenant has no such deal).
  std::vector<CloMarkRow> marks(const std::string& tenant, std::int64_t id, CloMarkKind kind);

  // Keeps the tests of `row.deal_id` for `row.as_of`, replacing those of the same date, and
  // returns the row as stored (its id, time and user). Throws Error::not_found when the tenant has
  // no such deal.
  CloDeterminationRow put_determination(const std::string& tenant, CloDeterminationRow row, const std::string& user);
  // The deal's determinations by date, oldest first, between from and to when given (empty when
  // the tenant has no such deal).
  std::vector<CloDeterminationRow> determinations(const std::string& tenant, std::int64_t id,
                                                  std::optional<Date> from = std::nullopt,
                                                  std::optional<Date> to = std::nullopt);

 private:
  SqlConnection* c_;
  const Clock* clock_;
};

}  // namespace keel::store
