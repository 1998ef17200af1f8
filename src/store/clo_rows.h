// src/store/clo_rows.h (private): how stored CLO deals are laid out in their tables (migration 50),
// shared by both backends: the SELECT lists, the decoders of their rows and the encoder of a
// collateral row.
//
// A decoder takes a SqlStatement's row (sql.h), read by column
// index; the encoder appends values to either backend's parameter list (`add`, `add_null`).
//
// Thread-safety: pure functions.
#pragma once

#include <string>

#include "keel/store/clo_repository.h"
#include "sql.h"

namespace keel::store::detail {

// Deals `d` with their latest version; a backend appends WHERE and ORDER BY.
inline constexpr const char* kCloDealSelect =
    "SELECT d.id, d.tenant, d.name, d.currency, "
    "(SELECT MAX(v.version) FROM clo_deal_versions v WHERE v.deal_id = d.id), "
    "d.created_at, d.created_by, d.updated_at, d.updated_by FROM clo_deals d ";

// Versions `v` with the size of their collateral set; a backend appends WHERE and ORDER BY.
inline constexpr const char* kCloVersionSelect =
    "SELECT v.version, v.document, v.collateral_set, v.cdr, v.cpr, v.recovery, v.recovery_lag_months, "
    "v.change, v.comment, v.created_at, v.created_by, "
    "(SELECT COUNT(*) FROM clo_deal_collateral c WHERE c.deal_id = v.deal_id AND c.collateral_set = "
    "v.collateral_set), "
    "(SELECT COALESCE(SUM(c.par), 0) FROM clo_deal_collateral c WHERE c.deal_id = v.deal_id AND "
    "c.collateral_set = v.collateral_set) "
    "FROM clo_deal_versions v ";

// The columns of a collateral row after (deal_id, collateral_set), ordinal first, in the order of
// write_clo_collateral.
inline constexpr const char* kCloCollateralColumns =
    "ordinal, obligor, industry, par, price, coupon_type, spread, floor, coupon, maturity, rating, lien, "
    "defaulted";
inline constexpr int kCloCollateralColumnCount = 13;

inline CloDealRecord read_clo_deal(const SqlStatement& r) {
  CloDealRecord d;
  read_row(r, 0, d.id, d.tenant, d.name, d.currency, d.version, d.created_at, d.created_by, d.updated_at,
           d.updated_by);
  return d;
}

inline CloDealVersionRecord read_clo_version(const SqlStatement& r) {
  CloDealVersionRecord v;
  read_row(r, 0, v.version, v.document, v.collateral_set, v.assumptions.cdr, v.assumptions.cpr,
           v.assumptions.recovery, v.assumptions.recovery_lag_months, v.change, v.comment, v.created_at,
           v.created_by, v.loans, v.collateral_par);
  return v;
}

// A row of `SELECT kCloCollateralColumns FROM clo_deal_collateral` (the ordinal is not kept).
inline CloCollateralRow read_clo_collateral(const SqlStatement& r) {
  CloCollateralRow c;
  read_row(r, 1, c.obligor, c.industry, c.par, c.price, c.coupon_type, c.spread, c.floor, c.coupon);
  c.maturity = Date::parse(r.get_text(9)).value_or(Date());
  read_row(r, 10, c.rating, c.lien, c.defaulted);
  return c;
}

// Appends the kCloCollateralColumnCount values of kCloCollateralColumns.
template <class Sink>
void write_clo_collateral(Sink& out, std::int64_t ordinal, const CloCollateralRow& c) {
  out.add(ordinal).add(c.obligor).add(c.industry).add(c.par).add(c.price).add(c.coupon_type);
  out.add(c.spread).add(c.floor).add(c.coupon).add(c.maturity.to_string()).add(c.rating).add(c.lien);
  out.add(static_cast<std::int64_t>(c.defaulted ? 1 : 0));
}

}  // namespace keel::store::detail
