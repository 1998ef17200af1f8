#include "keel/store/clo_repository.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "backends.h"
#include "keel/core/error.h"
#include "keel/store/store.h"

namespace keel::store {
namespace {

// The same tests on every backend this binary runs (tests/store/backends.h).
class CloDealContract : public keel::testing::StoreBackend {};
INSTANTIATE_TEST_SUITE_P(Backends, CloDealContract, ::testing::ValuesIn(keel::testing::store_backends()),
                         [](const auto& info) { return info.param; });

CloCollateralRow loan(const char* obligor, double par, const char* rating) {
  CloCollateralRow r;
  r.obligor = obligor;
  r.industry = "High Tech Industries";
  r.par = par;
  r.price = 0.985;
  r.spread = 0.0375;
  r.maturity = Date::from_ymd(2031, 6, 15);
  r.rating = rating;
  return r;
}

CloDealVersionWrite first_version() {
  CloDealVersionWrite w;
  w.document = R"({"name":"Deal 1","tranches":[]})";
  w.assumptions = {0.02, 0.15, 0.7, 6};
  w.change = "created";
  w.comment = "from the trustee report";
  // A price and spread that are not exact in binary, a fixed loan in default: read back bit for bit.
  CloCollateralRow fixed = loan("L2", 12'345'678.91, "Caa2");
  fixed.coupon_type = "fixed";
  fixed.coupon = 0.0725;
  fixed.spread = 0.0;
  fixed.price = 0.1 + 0.2;
  fixed.defaulted = true;
  fixed.lien = "second";
  w.collateral = std::vector<CloCollateralRow>{loan("L1", 40'000'000.0, "B2"), fixed};
  return w;
}

// Versions: an assumptions edit keeps the collateral set, a new pool makes a new one, every older
// version stays readable as it was; loans round-trip exactly; deleting removes everything.
TEST_P(CloDealContract, VersionsKeepEveryEditAndCollateralRoundTrips) {
  auto s = open_store_under_test();
  CloDealRepository& repo = s->clo_deals();
  const CloDealRecord deal = repo.create("acme", "bsl-1", "USD", "ana", first_version());
  EXPECT_EQ(deal.name, "bsl-1");
  EXPECT_EQ(deal.version, 1);
  EXPECT_EQ(deal.created_by, "ana");
  EXPECT_THROW(repo.create("acme", "bsl-1", "USD", "ana", first_version()), Error);  // name taken
  // Another tenant may use the name and sees nothing of acme's.
  const CloDealRecord other = repo.create("globex", "bsl-1", "EUR", "bob", first_version());
  EXPECT_FALSE(repo.find("globex", deal.id).has_value());
  EXPECT_TRUE(repo.versions("globex", deal.id).empty());
  EXPECT_TRUE(repo.collateral("globex", deal.id, 1).empty());
  EXPECT_EQ(repo.list("acme").size(), 1u);

  const auto v1 = repo.version("acme", deal.id, std::nullopt);
  ASSERT_TRUE(v1);
  EXPECT_EQ(v1->version, 1);
  EXPECT_EQ(v1->loans, 2u);
  EXPECT_DOUBLE_EQ(v1->collateral_par, 40'000'000.0 + 12'345'678.91);
  EXPECT_EQ(v1->comment, "from the trustee report");
  const auto rows = repo.collateral("acme", deal.id, v1->collateral_set);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].obligor, "L1");
  EXPECT_EQ(rows[1].price, 0.1 + 0.2);  // bit for bit
  EXPECT_EQ(rows[1].par, 12'345'678.91);
  EXPECT_EQ(rows[1].coupon_type, "fixed");
  EXPECT_EQ(rows[1].coupon, 0.0725);
  EXPECT_TRUE(rows[1].defaulted);
  EXPECT_FALSE(rows[0].defaulted);
  EXPECT_EQ(rows[1].lien, "second");
  EXPECT_EQ(rows[1].rating, "Caa2");
  EXPECT_EQ(rows[1].maturity, Date::from_ymd(2031, 6, 15));

  // v2: assumptions only -> the same collateral set.
  CloDealVersionWrite edit;
  edit.document = v1->document;
  edit.assumptions = {0.035, 0.10, 0.55, 9};
  edit.change = "assumptions";
  const auto v2 = repo.add_version("acme", deal.id, "USD", "mgr", edit);
  EXPECT_EQ(v2.version, 2);
  EXPECT_EQ(v2.collateral_set, v1->collateral_set);
  EXPECT_EQ(v2.loans, 2u);
  EXPECT_EQ(v2.created_by, "mgr");
  EXPECT_DOUBLE_EQ(v2.assumptions.cdr, 0.035);
  EXPECT_EQ(v2.assumptions.recovery_lag_months, 9);

  // v3: a new pool of one loan -> a new set; v1's pool is still there.
  CloDealVersionWrite pool;
  pool.document = v1->document;
  pool.assumptions = v2.assumptions;
  pool.change = "collateral";
  pool.collateral = std::vector<CloCollateralRow>{loan("L9", 5'000'000.0, "B1")};
  const auto v3 = repo.add_version("acme", deal.id, "USD", "ana", pool);
  EXPECT_EQ(v3.version, 3);
  EXPECT_NE(v3.collateral_set, v1->collateral_set);
  EXPECT_EQ(v3.loans, 1u);
  EXPECT_EQ(repo.collateral("acme", deal.id, v1->collateral_set).size(), 2u);
  EXPECT_EQ(repo.find("acme", deal.id)->version, 3);
  EXPECT_EQ(repo.find("acme", deal.id)->updated_by, "ana");

  const auto all = repo.versions("acme", deal.id);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].change, "created");
  EXPECT_DOUBLE_EQ(all[0].assumptions.cdr, 0.02);  // unchanged by later edits
  EXPECT_EQ(all[1].change, "assumptions");
  EXPECT_EQ(all[2].change, "collateral");
  EXPECT_EQ(repo.version("acme", deal.id, 2)->assumptions.cpr, 0.10);
  EXPECT_FALSE(repo.version("acme", deal.id, 4).has_value());
  EXPECT_THROW(repo.add_version("globex", deal.id, "USD", "bob", edit), Error);  // not globex's deal

  EXPECT_FALSE(repo.remove("globex", deal.id));
  EXPECT_TRUE(repo.remove("acme", deal.id));
  EXPECT_FALSE(repo.find("acme", deal.id).has_value());
  EXPECT_TRUE(repo.versions("acme", deal.id).empty());
  EXPECT_TRUE(repo.collateral("acme", deal.id, 1).empty());
  EXPECT_EQ(repo.find_name("globex", "bsl-1")->id, other.id);
}

// A store transaction around two writes keeps both or neither.
// A deleted deal's id is never given to another: audit rows clo_deal/ID keep naming one deal (on
// SQLite a plain INTEGER PRIMARY KEY would give the newest deleted id again).
TEST_P(CloDealContract, ADeletedDealsIdIsNeverGivenAgain) {
  auto s = open_store_under_test();
  CloDealRepository& repo = s->clo_deals();
  const auto a = repo.create("acme", "a", "USD", "ana", first_version());
  const auto b = repo.create("acme", "b", "USD", "ana", first_version());
  EXPECT_GT(b.id, a.id);
  ASSERT_TRUE(repo.remove("acme", b.id));
  const auto c = repo.create("acme", "c", "USD", "ana", first_version());
  EXPECT_GT(c.id, b.id);
  EXPECT_EQ(repo.find("acme", c.id)->name, "c");
  EXPECT_FALSE(repo.find("acme", b.id).has_value());
}

TEST_P(CloDealContract, AFailedTransactionKeepsNoVersion) {
  auto s = open_store_under_test();
  CloDealRepository& repo = s->clo_deals();
  const auto deal = repo.create("acme", "d", "USD", "ana", first_version());
  CloDealVersionWrite edit;
  edit.document = "{}";
  edit.change = "assumptions";
  EXPECT_THROW(s->transaction([&] {
    repo.add_version("acme", deal.id, "USD", "ana", edit);
    throw Error::invalid_input("stop");
  }),
               Error);
  EXPECT_EQ(repo.versions("acme", deal.id).size(), 1u);
}

CloMarkRow rating_mark(int y, int m, int d, const char* obligor, const char* rating) {
  CloMarkRow r;
  r.as_of = Date::from_ymd(y, m, d);
  r.obligor = obligor;
  r.rating = rating;
  return r;
}

CloMarkRow price_mark(int y, int m, int d, const char* obligor, double price) {
  CloMarkRow r;
  r.as_of = Date::from_ymd(y, m, d);
  r.obligor = obligor;
  r.price = price;
  return r;
}

// Marks belong to the deal: ratings and prices apart, a mark of a stored (date, obligor) replaced,
// read back by date then obligor (bytes: "Zeta" before "alpha"), prices bit for bit; another
// tenant neither writes nor reads them; deleting the deal deletes them.
TEST_P(CloDealContract, MarksAreDatedPerObligorAndReplacedByDate) {
  auto s = open_store_under_test();
  CloDealRepository& repo = s->clo_deals();
  const auto deal = repo.create("acme", "d", "USD", "ana", first_version());
  const auto first = repo.put_marks("acme", deal.id, CloMarkKind::kRating,
                                    {rating_mark(2026, 3, 31, "alpha", "B3"), rating_mark(2025, 12, 31, "L1", "B2"),
                                     rating_mark(2026, 3, 31, "Zeta", "Caa1")},
                                    "ana");
  EXPECT_EQ(first.added, 3u);
  EXPECT_EQ(first.replaced, 0u);
  // 2026-03-31 alpha again (replaced), L1 on a new date (added).
  const auto second = repo.put_marks(
      "acme", deal.id, CloMarkKind::kRating,
      {rating_mark(2026, 3, 31, "alpha", "Caa2"), rating_mark(2026, 3, 31, "L1", "B3")}, "mgr");
  EXPECT_EQ(second.added, 1u);
  EXPECT_EQ(second.replaced, 1u);
  const auto ratings = repo.marks("acme", deal.id, CloMarkKind::kRating);
  ASSERT_EQ(ratings.size(), 4u);
  EXPECT_EQ(ratings[0].obligor, "L1");
  EXPECT_EQ(ratings[0].as_of, Date::from_ymd(2025, 12, 31));
  EXPECT_EQ(ratings[0].imported_by, "ana");
  EXPECT_EQ(ratings[1].obligor, "L1");
  EXPECT_EQ(ratings[1].rating, "B3");
  EXPECT_EQ(ratings[2].obligor, "Zeta");
  EXPECT_EQ(ratings[3].obligor, "alpha");
  EXPECT_EQ(ratings[3].rating, "Caa2");
  EXPECT_EQ(ratings[3].imported_by, "mgr");
  EXPECT_FALSE(ratings[3].imported_at.empty());
  EXPECT_EQ(repo.find("acme", deal.id)->updated_by, "mgr");

  EXPECT_TRUE(repo.marks("acme", deal.id, CloMarkKind::kPrice).empty());  // kinds apart
  const auto p = repo.put_marks("acme", deal.id, CloMarkKind::kPrice,
                                {price_mark(2026, 3, 31, "L1", 0.1 + 0.7), price_mark(2026, 3, 31, "Zeta", 0.6354)},
                                "ana");
  EXPECT_EQ(p.added, 2u);
  const auto prices = repo.marks("acme", deal.id, CloMarkKind::kPrice);
  ASSERT_EQ(prices.size(), 2u);
  EXPECT_EQ(prices[0].price, 0.1 + 0.7);  // bit for bit
  EXPECT_EQ(prices[0].rating, "");
  EXPECT_EQ(repo.marks("acme", deal.id, CloMarkKind::kRating).size(), 4u);

  EXPECT_THROW(repo.put_marks("globex", deal.id, CloMarkKind::kPrice, {price_mark(2026, 1, 1, "L1", 0.5)}, "bob"),
               Error);
  EXPECT_TRUE(repo.marks("globex", deal.id, CloMarkKind::kRating).empty());
  EXPECT_EQ(repo.marks("acme", deal.id, CloMarkKind::kPrice).size(), 2u);

  EXPECT_TRUE(repo.remove("acme", deal.id));
  const auto again = repo.create("acme", "d", "USD", "ana", first_version());
  EXPECT_TRUE(repo.marks("acme", deal.id, CloMarkKind::kRating).empty());
  EXPECT_TRUE(repo.marks("acme", again.id, CloMarkKind::kRating).empty());
}

}  // namespace
}  // namespace keel::store
