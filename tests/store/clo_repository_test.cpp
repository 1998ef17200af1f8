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

}  // namespace
}  // namespace keel::store
