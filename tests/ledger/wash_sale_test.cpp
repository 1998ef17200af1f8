// Wash sales (IRS Pub. 550 "Wash Sales", 26 U.S.C. 1091) on hand-worked sequences.
#include <gtest/gtest.h>

#include <vector>

#include "keel/ledger/booking.h"
#include "ledger_test_util.h"

namespace keel::ledger {
namespace {

using namespace testing;

// 2023-01-03 BUY 100 @ 50 (5000); 2023-06-01 SELL 100 @ 40 (4000): loss 1000.
std::vector<Transaction> loss_then_rebuy(const char* rebuy_date, const char* qty) {
  return {buy("2023-01-03", "W", "100", "50"), sell("2023-06-01", "W", "100", "40"),
          buy(rebuy_date, "W", qty, "42")};
}

TEST(WashSale, RebuyWithinThirtyDaysDisallowsLossAndCarriesBasisAndHoldingPeriod) {
  // Rebuy 100 @ 42 on 2023-06-20 (19 days after). Loss 1000 disallowed; the new lot's basis is
  // 4200 + 1000 = 5200 and its holding period starts 149 days (2023-01-03 .. 2023-06-01) before
  // 2023-06-20, i.e. on 2023-01-22.
  const auto r = book(loss_then_rebuy("2023-06-20", "100"), {});
  ASSERT_EQ(r.realized.size(), 1u);
  EXPECT_EQ(r.realized[0].cost - r.realized[0].proceeds, D("1000"));
  EXPECT_EQ(r.realized[0].wash_disallowed, D("1000"));
  EXPECT_EQ(r.realized[0].gain(), D("0"));
  ASSERT_EQ(r.open_lots.size(), 1u);
  EXPECT_EQ(r.open_lots[0].basis, D("5200"));
  EXPECT_EQ(r.open_lots[0].wash_adjustment, D("1000"));
  EXPECT_EQ(r.open_lots[0].purchase_date, day("2023-06-20"));
  EXPECT_EQ(r.open_lots[0].acquired, day("2023-01-22"));
}

// Without the realized rows kept, the wash-sale rule still adjusts the replacement lot: the open
// lots, income and cash are those of a full booking.
TEST(WashSale, BookingWithoutRealizedRowsKeepsTheAdjustedLots) {
  auto t = loss_then_rebuy("2023-06-20", "60");
  t.push_back(sell("2023-07-10", "W", "10", "30"));  // a loss again, matched by the rebuy's shares
  t.push_back(buy("2023-07-20", "W", "5", "31"));
  BookOptions lean;
  lean.keep_realized = false;
  const auto full = book(t, {});
  const auto r = book(t, lean);
  EXPECT_EQ(full.realized.size(), 2u);
  EXPECT_TRUE(r.realized.empty());
  EXPECT_TRUE(r.disposals.empty());
  ASSERT_EQ(r.open_lots.size(), full.open_lots.size());
  for (std::size_t i = 0; i < r.open_lots.size(); ++i) {
    EXPECT_EQ(r.open_lots[i].lot_id, full.open_lots[i].lot_id);
    EXPECT_EQ(r.open_lots[i].quantity, full.open_lots[i].quantity);
    EXPECT_EQ(r.open_lots[i].basis, full.open_lots[i].basis);
    EXPECT_EQ(r.open_lots[i].wash_adjustment, full.open_lots[i].wash_adjustment);
    EXPECT_EQ(r.open_lots[i].acquired, full.open_lots[i].acquired);
  }
  EXPECT_FALSE(full.open_lots[0].wash_adjustment.is_zero());
  EXPECT_EQ(r.cash, full.cash);
  EXPECT_EQ(r.lot_ids, full.lot_ids);
}

TEST(WashSale, CarriedHoldingPeriodMakesALaterSaleLongTerm) {
  // Selling the replacement on 2024-01-25 @ 60: proceeds 6000, cost 5200, gain 800. Held from
  // 2023-01-22 (carried) it is long term; from 2023-06-20 alone it would be short.
  auto t = loss_then_rebuy("2023-06-20", "100");
  t.push_back(sell("2024-01-25", "W", "100", "60"));
  const auto r = book(t, {});
  ASSERT_EQ(r.realized.size(), 2u);
  EXPECT_EQ(r.realized[1].cost, D("5200"));
  EXPECT_EQ(r.realized[1].gain(), D("800"));
  EXPECT_EQ(r.realized[1].term, Term::kLong);
}

TEST(WashSale, WindowIsThirtyDaysInclusive) {
  // 2023-07-01 is 30 days after 2023-06-01: a wash sale. 2023-07-02 (31 days) is not.
  const auto inside = book(loss_then_rebuy("2023-07-01", "100"), {});
  EXPECT_EQ(inside.realized[0].wash_disallowed, D("1000"));
  const auto outside = book(loss_then_rebuy("2023-07-02", "100"), {});
  EXPECT_EQ(outside.realized[0].wash_disallowed, D("0"));
  EXPECT_EQ(outside.realized[0].gain(), D("-1000"));
  EXPECT_EQ(outside.open_lots[0].basis, D("4200"));
  // Turned off: no adjustment.
  BookOptions off;
  off.wash_sales = false;
  EXPECT_EQ(book(loss_then_rebuy("2023-06-20", "100"), off).realized[0].gain(), D("-1000"));
}

TEST(WashSale, PartialReplacementDisallowsAProportionalLoss) {
  // Rebuy 60 shares: 60/100 of the 1000 loss = 600 disallowed; 400 allowed.
  // Replacement basis 60 x 42 = 2520 + 600 = 3120.
  const auto r = book(loss_then_rebuy("2023-06-20", "60"), {});
  EXPECT_EQ(r.realized[0].wash_disallowed, D("600"));
  EXPECT_EQ(r.realized[0].gain(), D("-400"));
  EXPECT_EQ(r.open_lots[0].basis, D("3120"));
}

TEST(WashSale, PurchaseBeforeTheSaleIsAReplacement) {
  // 2023-05-01 BUY 100 @ 50 (5000); 2023-05-20 BUY 100 @ 41 (4100);
  // 2023-06-01 SELL 100 @ 40 FIFO: closes the first lot at a 1000 loss. The 2023-05-20 purchase
  // (12 days before) is the replacement: basis 4100 + 1000 = 5100; the sold shares were held 31 days
  // (2023-05-01 .. 2023-06-01), so its holding period starts 2023-05-20 - 31 = 2023-04-19.
  std::vector<Transaction> t = {buy("2023-05-01", "W", "100", "50"), buy("2023-05-20", "W", "100", "41"),
                                sell("2023-06-01", "W", "100", "40")};
  const auto r = book(t, {});
  ASSERT_EQ(r.realized.size(), 1u);
  EXPECT_EQ(r.realized[0].wash_disallowed, D("1000"));
  ASSERT_EQ(r.open_lots.size(), 1u);
  EXPECT_EQ(r.open_lots[0].basis, D("5100"));
  EXPECT_EQ(r.open_lots[0].acquired, day("2023-04-19"));
}

TEST(WashSale, WindowBeforeTheSaleIsThirtyDaysInclusive) {
  // Loss sale on 2023-06-01 of the 2023-01-03 lot (loss 1000). A purchase on 2023-05-02 is 30 days
  // before: a replacement. One on 2023-05-01 is 31 days before: not.
  auto with_prior = [](const char* prior) {
    return std::vector<Transaction>{buy("2023-01-03", "W", "100", "50"), buy(prior, "W", "100", "41"),
                                    sell("2023-06-01", "W", "100", "40")};
  };
  EXPECT_EQ(day("2023-06-01") - day("2023-05-02"), 30);
  EXPECT_EQ(book(with_prior("2023-05-02"), {}).realized[0].wash_disallowed, D("1000"));
  EXPECT_EQ(book(with_prior("2023-05-01"), {}).realized[0].wash_disallowed, D("0"));
}

TEST(WashSale, GainsAndTheSoldLotItselfAreNeverWashSales) {
  // A gain is never disallowed, whatever is bought around it.
  std::vector<Transaction> g = {buy("2023-05-01", "W", "100", "30"), sell("2023-06-01", "W", "100", "40"),
                                buy("2023-06-05", "W", "100", "41")};
  EXPECT_EQ(book(g, {}).realized[0].wash_disallowed, D("0"));
  // Selling part of a lot at a loss: the rest of the same purchase is not a replacement.
  std::vector<Transaction> p = {buy("2023-05-01", "W", "100", "50"), sell("2023-05-15", "W", "40", "45")};
  const auto r = book(p, {});
  EXPECT_EQ(r.realized[0].gain(), D("-200"));
  EXPECT_EQ(r.realized[0].wash_disallowed, D("0"));
}

TEST(WashSale, EachReplacementShareAbsorbsOneLossOnly) {
  // Two loss sales of 100 shares (2023-06-01 and 2023-06-02, 1000 and 1100) and one rebuy of 100
  // on 2023-06-10: only the first loss is washed.
  std::vector<Transaction> t = {buy("2023-01-03", "W", "200", "50"), sell("2023-06-01", "W", "100", "40"),
                                sell("2023-06-02", "W", "100", "39"), buy("2023-06-10", "W", "100", "42")};
  const auto r = book(t, {});
  ASSERT_EQ(r.realized.size(), 2u);
  EXPECT_EQ(r.realized[0].wash_disallowed, D("1000"));
  EXPECT_EQ(r.realized[1].wash_disallowed, D("0"));
  EXPECT_EQ(r.realized[1].gain(), D("-1100"));
  EXPECT_EQ(r.open_lots[0].basis, D("5200"));
}

TEST(WashSale, ChainedWashSalesCarryAccumulatedBasisAndHoldingPeriod) {
  // 2023-01-03 BUY 100 @ 50 (5000); 2023-06-01 SELL 100 @ 40: loss 1000, washed by
  // 2023-06-10 BUY 100 @ 42: basis 4200 + 1000 = 5200, holding period from 2023-06-10 - 149 days =
  // 2023-01-12. 2023-07-01 SELL those 100 @ 30: proceeds 3000, loss 2200 (its own purchase is not a
  // replacement), washed by 2023-07-15 BUY 100 @ 31: basis 3100 + 2200 = 5300, holding period from
  // 2023-07-15 - 170 days (2023-01-12 .. 2023-07-01) = 2023-01-26.
  std::vector<Transaction> t = {buy("2023-01-03", "W", "100", "50"), sell("2023-06-01", "W", "100", "40"),
                                buy("2023-06-10", "W", "100", "42"), sell("2023-07-01", "W", "100", "30"),
                                buy("2023-07-15", "W", "100", "31")};
  const auto r = book(t, {});
  ASSERT_EQ(r.realized.size(), 2u);
  EXPECT_EQ(r.realized[1].acquired, day("2023-01-12"));
  EXPECT_EQ(r.realized[1].cost, D("5200"));
  EXPECT_EQ(r.realized[1].wash_disallowed, D("2200"));
  EXPECT_EQ(r.realized[1].gain(), D("0"));
  ASSERT_EQ(r.open_lots.size(), 1u);
  EXPECT_EQ(r.open_lots[0].basis, D("5300"));
  EXPECT_EQ(r.open_lots[0].wash_adjustment, D("2200"));
  EXPECT_EQ(r.open_lots[0].acquired, day("2023-01-26"));
  EXPECT_EQ(r.lot_id(r.realized[1]), "T3");  // the unnamed buy on input row 3
}

TEST(WashSale, SharesAlreadyUsedAsReplacementAbsorbNoSecondLoss) {
  // 2023-05-01 BUY 100 @ 50 (B1); 2023-05-20 BUY 100 @ 45 (B2); 2023-05-25 SELL 40 of B2 @ 48
  // (gain 120). 2023-06-01 SELL 60 @ 40 (FIFO: B1): loss 600, replaced by the 60 B2 shares still
  // held: their basis 2700 + 600 = 3300. 2023-06-02 SELL the other 40 of B1 @ 40: loss 400; the only
  // purchase in the window, B2, has no share left that is not already a replacement (its 40 other
  // shares were sold), so the loss is allowed.
  std::vector<Transaction> t = {buy("2023-05-01", "W", "100", "50", "0", "B1"),
                                buy("2023-05-20", "W", "100", "45", "0", "B2"),
                                sell("2023-05-25", "W", "40", "48", "0", "B2"),
                                sell("2023-06-01", "W", "60", "40"), sell("2023-06-02", "W", "40", "40")};
  const auto r = book(t, {});
  ASSERT_EQ(r.realized.size(), 3u);
  EXPECT_EQ(r.realized[0].gain(), D("120"));
  EXPECT_EQ(r.realized[1].wash_disallowed, D("600"));
  EXPECT_EQ(r.realized[2].wash_disallowed, D("0"));
  EXPECT_EQ(r.realized[2].gain(), D("-400"));
  ASSERT_EQ(r.open_lots.size(), 1u);
  EXPECT_EQ(r.open_lots[0].quantity, D("60"));
  EXPECT_EQ(r.open_lots[0].basis, D("3300"));
  EXPECT_EQ(r.open_lots[0].wash_adjustment, D("600"));
}

}  // namespace
}  // namespace keel::ledger
