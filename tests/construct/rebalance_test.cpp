// Rebalancing worked by hand: lot sizes, the odd lot of a full sale, the minimum trade, costs and
// the cash that caps the buys; then a taxable account whose lots, gains to the cent, wash sales
// avoided and binding tax budget are written out below.
#include <gtest/gtest.h>

#include "keel/construct/rebalance.h"
#include "keel/core/error.h"

namespace keel::construct {
namespace {

const Trade* find(const RebalancePlan& p, const std::string& sym) {
  for (const Trade& t : p.trades)
    if (t.symbol == sym) return &t;
  return nullptr;
}

// AAA 100 @ 50 (5,000), CCC 10 @ 30 (300), DDD 5 @ 10 (50), BBB none @ 26, cash 4,650: V = 10,000.
// Targets AAA 30%, BBB 70% (CCC, DDD omitted: 0), lots of 10 shares, 10 bp, minimum trade 100.
//   AAA: 3,000 / 50 = 60 shares: sell 40 (4 lots), 2,000, cost 2.00.
//   BBB: 7,000 / 26 = 269.23 shares, nearest lot 270: 7,020, cost 7.02.
//   CCC: target 0 sells the whole holding, 10 shares: 300, cost 0.30.
//   DDD: target 0, 5 shares = 50 < 100: no trade.
//   Cash: 4,650 + 2,000 + 300 - 7,020 - 9.32 = -79.32 < 0: BBB gives way, ceil(79.32 / (26 x 1.001)
//   / 10) = 1 lot: 260 shares, 6,760, cost 6.76. Cash after 4,650 + 2,300 - 6,760 - 9.06 = 180.94.
//   Turnover (2,000 + 300 + 6,760) / 10,000 = 0.906; value after costs 9,990.94.
TEST(Rebalance, LotsCostsMinimumTradeAndCashByHand) {
  RebalanceInput in;
  in.holdings = {{"AAA", 100, 50}, {"CCC", 10, 30}, {"DDD", 5, 10}, {"BBB", 0, 26}};
  in.cash = 4650;
  in.target = {{"AAA", 0.3}, {"BBB", 0.7}};
  in.lot_size = 10;
  in.cost_bp = 10;
  in.min_trade_amount = 100;
  const RebalancePlan p = rebalance(in);
  EXPECT_DOUBLE_EQ(p.value, 10000);
  ASSERT_EQ(p.trades.size(), 3u);
  const Trade* a = find(p, "AAA");
  const Trade* b = find(p, "BBB");
  const Trade* c = find(p, "CCC");
  ASSERT_TRUE(a && b && c);
  EXPECT_FALSE(a->buy);
  EXPECT_DOUBLE_EQ(a->quantity, 40);
  EXPECT_DOUBLE_EQ(a->amount, 2000);
  EXPECT_NEAR(a->cost, 2.0, 1e-12);
  EXPECT_TRUE(b->buy);
  EXPECT_DOUBLE_EQ(b->quantity, 260);
  EXPECT_DOUBLE_EQ(b->amount, 6760);
  EXPECT_NEAR(b->cost, 6.76, 1e-12);
  EXPECT_DOUBLE_EQ(c->quantity, 10);
  EXPECT_EQ(find(p, "DDD"), nullptr);
  EXPECT_NEAR(p.cost, 9.06, 1e-9);
  EXPECT_NEAR(p.cash_after, 180.94, 1e-9);
  EXPECT_NEAR(p.turnover, 0.906, 1e-12);
  EXPECT_NEAR(p.weights_after.at("AAA"), 3000 / 9990.94, 1e-12);
  EXPECT_NEAR(p.weights_after.at("BBB"), 6760 / 9990.94, 1e-12);
  EXPECT_NEAR(p.weights_after.at("DDD"), 50 / 9990.94, 1e-12);
  EXPECT_DOUBLE_EQ(p.weights_after.at("CCC"), 0.0);
  EXPECT_DOUBLE_EQ(p.weights_before.at("AAA"), 0.5);
  EXPECT_DOUBLE_EQ(b->target_weight, 0.7);
  ASSERT_EQ(p.warnings.size(), 1u);
  EXPECT_NE(p.warnings[0].find("buys cut"), std::string::npos);
}

TEST(Rebalance, TargetsAboveOneLessCashWeightAreScaled) {
  RebalanceInput in;
  in.holdings = {{"AAA", 0, 10}, {"BBB", 0, 10}};
  in.cash = 1000;
  in.target = {{"AAA", 0.5}, {"BBB", 0.5}};
  in.cash_weight = 0.1;
  const RebalancePlan p = rebalance(in);
  ASSERT_EQ(p.trades.size(), 2u);
  EXPECT_DOUBLE_EQ(p.trades[0].quantity, 45);  // 0.45 x 1,000 / 10
  EXPECT_DOUBLE_EQ(p.trades[1].quantity, 45);
  EXPECT_DOUBLE_EQ(p.cash_after, 100);
  ASSERT_EQ(p.warnings.size(), 1u);
  EXPECT_NE(p.warnings[0].find("scaled"), std::string::npos);
}

TEST(Rebalance, RefusesBadInputs) {
  RebalanceInput in;
  in.holdings = {{"AAA", 10, 0}};
  in.target = {{"ZZZ", 0.5}};
  in.lot_size = 0;
  EXPECT_THROW(rebalance(in), Error);
}

// A taxable account on 2024-06-28. Prices: XYZ 120, ABC 40, QQQ 300. Book: XYZ 100, ABC 150,
// cash 2,000: V = 12,000 + 6,000 + 2,000 = 20,000.
//   XYZ lots  L1 2022-03-01 50 sh, basis 4,000 (80/sh)   long,  gain +40/sh
//             L2 2024-01-10 30 sh, basis 3,900 (130/sh)  short, loss -10/sh
//             L3 2023-09-01 20 sh, basis 2,000 (100/sh)  short, gain +20/sh
//   ABC lots  A1 2021-05-01 100 sh, basis 3,000 (30/sh)  long,  gain +10/sh
//             A2 2024-06-10 50 sh, basis 2,250 (45/sh)   short, loss -5/sh; ABC bought 2024-06-10,
//             within 30 days: A2 is not sold (wash sale avoided).
//   QQQ was sold at a loss on 2024-06-20: its buy is not made (wash sale avoided).
// Targets XYZ 20% (4,000 = 33.33 sh: sell 67), ABC 10% (2,000 = 50 sh: sell 100), QQQ 30%.
// Relief order over both sales: L2 (loss 10/sh), A1 (long, 10/sh), L1 (long, 40/sh), L3 (short).
//   L2: 30 sh, gain 3,600 - 3,900 = -300.00              net -300
//   A1: 100 sh, gain 4,000 - 3,000 = 1,000.00            net  700
//   L1: budget 1,500 leaves 800 = 20 sh at 40: 20 sh, 2,400 - 1,600 = 800.00   net 1,500 (binds)
//   L3: no room. XYZ sells 50 of 67 shares (a warning says so).
// Realized: short -300.00, long 1,800.00, total 1,500.00. Cash after 2,000 + 6,000 + 4,000 = 12,000.
RebalanceInput taxable() {
  RebalanceInput in;
  in.holdings = {{"XYZ", 100, 120}, {"ABC", 150, 40}, {"QQQ", 0, 300}};
  in.cash = 2000;
  in.target = {{"XYZ", 0.2}, {"ABC", 0.1}, {"QQQ", 0.3}};
  in.tax_aware = true;
  in.lots = {{"XYZ", "L1", Date::from_ymd(2022, 3, 1), 50, 4000, LotTerm::kLong},
             {"XYZ", "L2", Date::from_ymd(2024, 1, 10), 30, 3900, LotTerm::kShort},
             {"XYZ", "L3", Date::from_ymd(2023, 9, 1), 20, 2000, LotTerm::kShort},
             {"ABC", "A1", Date::from_ymd(2021, 5, 1), 100, 3000, LotTerm::kLong},
             {"ABC", "A2", Date::from_ymd(2024, 6, 10), 50, 2250, LotTerm::kShort}};
  in.no_loss_sale = {{"ABC", "ABC bought 2024-06-10"}};
  in.no_buy = {{"QQQ", "QQQ sold at a loss 2024-06-20"}};
  return in;
}

TEST(Rebalance, TaxAwareAccountByHand) {
  RebalanceInput in = taxable();
  in.tax_budget = 1500;
  const RebalancePlan p = rebalance(in);
  ASSERT_EQ(p.trades.size(), 2u);
  const Trade* abc = find(p, "ABC");
  const Trade* xyz = find(p, "XYZ");
  ASSERT_TRUE(abc && xyz);
  EXPECT_EQ(find(p, "QQQ"), nullptr);
  EXPECT_DOUBLE_EQ(abc->quantity, 100);
  ASSERT_EQ(abc->lots.size(), 1u);
  EXPECT_EQ(abc->lots[0].lot_id, "A1");
  EXPECT_DOUBLE_EQ(abc->lots[0].gain, 1000.00);
  EXPECT_EQ(abc->lots[0].term, LotTerm::kLong);
  EXPECT_DOUBLE_EQ(xyz->quantity, 50);
  ASSERT_EQ(xyz->lots.size(), 2u);
  EXPECT_EQ(xyz->lots[0].lot_id, "L2");
  EXPECT_DOUBLE_EQ(xyz->lots[0].quantity, 30);
  EXPECT_DOUBLE_EQ(xyz->lots[0].basis, 3900.00);
  EXPECT_DOUBLE_EQ(xyz->lots[0].gain, -300.00);
  EXPECT_EQ(xyz->lots[1].lot_id, "L1");
  EXPECT_DOUBLE_EQ(xyz->lots[1].quantity, 20);
  EXPECT_DOUBLE_EQ(xyz->lots[1].basis, 1600.00);
  EXPECT_DOUBLE_EQ(xyz->lots[1].gain, 800.00);
  EXPECT_DOUBLE_EQ(p.short_term_gain, -300.00);
  EXPECT_DOUBLE_EQ(p.long_term_gain, 1800.00);
  EXPECT_DOUBLE_EQ(p.cash_after, 12000);
  ASSERT_EQ(p.wash_sales_avoided.size(), 2u);
  EXPECT_EQ(p.wash_sales_avoided[0].symbol, "QQQ");
  EXPECT_FALSE(p.wash_sales_avoided[0].lot_id.has_value());
  EXPECT_EQ(p.wash_sales_avoided[1].symbol, "ABC");
  EXPECT_EQ(p.wash_sales_avoided[1].lot_id, "A2");
  ASSERT_EQ(p.warnings.size(), 1u);
  EXPECT_EQ(p.warnings[0], "XYZ: sells 50 of the 67 shares the target asks, within the tax budget");
}

// Without a budget XYZ sells its 67: L2 30 (-300), L1 37 (37 x 40 = +1,480); ABC A1 +1,000.
TEST(Rebalance, TaxAwareWithoutBudgetSellsTheTarget) {
  const RebalancePlan p = rebalance(taxable());
  const Trade* xyz = find(p, "XYZ");
  ASSERT_TRUE(xyz);
  EXPECT_DOUBLE_EQ(xyz->quantity, 67);
  ASSERT_EQ(xyz->lots.size(), 2u);
  EXPECT_EQ(xyz->lots[1].lot_id, "L1");
  EXPECT_DOUBLE_EQ(xyz->lots[1].quantity, 37);
  EXPECT_DOUBLE_EQ(xyz->lots[1].gain, 1480.00);
  EXPECT_DOUBLE_EQ(p.short_term_gain, -300.00);
  EXPECT_DOUBLE_EQ(p.long_term_gain, 2480.00);
  EXPECT_TRUE(p.warnings.empty());
}

}  // namespace
}  // namespace keel::construct
