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

template <class Row>
CloDealRecord read_clo_deal(const Row& r) {
  CloDealRecord d;
  d.id = r.get_int(0);
  d.tenant = r.get_text(1);
  d.name = r.get_text(2);
  d.currency = r.get_text(3);
  d.version = r.get_int(4);
  d.created_at = r.get_text(5);
  d.created_by = r.get_text(6);
  d.updated_at = r.get_text(7);
  d.updated_by = r.get_text(8);
  return d;
}

template <class Row>
CloDealVersionRecord read_clo_version(const Row& r) {
  CloDealVersionRecord v;
  v.version = r.get_int(0);
  v.document = r.get_text(1);
  v.collateral_set = r.get_int(2);
  v.assumptions.cdr = r.get_double(3);
  v.assumptions.cpr = r.get_double(4);
  v.assumptions.recovery = r.get_double(5);
  v.assumptions.recovery_lag_months = static_cast<int>(r.get_int(6));
  v.change = r.get_text(7);
  v.comment = r.get_text(8);
  v.created_at = r.get_text(9);
  v.created_by = r.get_text(10);
  v.loans = static_cast<std::size_t>(r.get_int(11));
  v.collateral_par = r.get_double(12);
  return v;
}

// A row of `SELECT kCloCollateralColumns FROM clo_deal_collateral` (the ordinal is not kept).
template <class Row>
CloCollateralRow read_clo_collateral(const Row& r) {
  CloCollateralRow c;
  c.obligor = r.get_text(1);
  c.industry = r.get_text(2);
  c.par = r.get_double(3);
  c.price = r.get_double(4);
  c.coupon_type = r.get_text(5);
  c.spread = r.get_double(6);
  c.floor = r.get_double(7);
  c.coupon = r.get_double(8);
  c.maturity = Date::parse(r.get_text(9)).value_or(Date());
  c.rating = r.get_text(10);
  c.lien = r.get_text(11);
  c.defaulted = r.get_int(12) != 0;
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
