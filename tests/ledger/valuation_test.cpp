#include "keel/ledger/valuation.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "keel/ledger/reconcile.h"
#include "ledger_test_util.h"

namespace keel::ledger {
namespace {

using namespace testing;

TEST(Valuation, HoldingsAtLatestPriceWithUnrealizedAndAllocation) {
  // After BUY 100 @ 10 fee 5, BUY 50 @ 12, SELL 120 @ 15 fee 6 (FIFO): 30 shares, basis 360.00,
  // cash 189.00 (see booking_test). At 20.00: value 600.00, unrealized 240.00, net worth 789.00.
  std::vector<Transaction> t = {buy("2023-01-03", "XYZ", "100", "10", "5"), buy("2023-02-01", "XYZ", "50", "12"),
                                sell("2023-06-01", "XYZ", "120", "15", "6"), buy("2023-06-02", "NOPX", "1", "5")};
  const auto b = book(t, {});
  std::map<std::string, Quote> q = {{"XYZ", {D("20"), day("2023-12-29")}}};
  const auto h = value_holdings(b, day("2023-12-31"), q, {{"XYZ", "Industrials"}});
  ASSERT_EQ(h.positions.size(), 2u);
  const auto& x = h.positions[1];
  EXPECT_EQ(x.symbol, "XYZ");
  EXPECT_EQ(*x.market_value, D("600"));
  EXPECT_EQ(*x.unrealized, D("240"));
  EXPECT_EQ(h.cash_total, D("184"));  // 189 - 5 for NOPX
  EXPECT_EQ(h.net_worth, D("784"));
  ASSERT_EQ(h.unpriced.size(), 1u);
  EXPECT_EQ(h.unpriced[0], "NOPX");
  ASSERT_EQ(h.by_sector.size(), 2u);
  EXPECT_EQ(h.by_sector[0].key, "Industrials");
  EXPECT_NEAR(h.by_sector[0].weight, 600.0 / 784.0, 1e-12);
  EXPECT_EQ(h.by_asset_type[1].key, "cash");
}

// The allocation by asset type takes the security master's class (SPY an ETF, VTSAX a fund), and
// keel's own rule where it has none: an OCC symbol is an option, other shares equity.
TEST(Valuation, AssetTypesComeFromTheSecurityMaster) {
  std::vector<Transaction> t = {buy("2023-01-03", "SPY", "10", "400"), buy("2023-01-03", "VTSAX", "20", "100"),
                                buy("2023-01-03", "KO", "10", "60"), buy("2023-01-03", "AAPL  240119C00150000", "1", "5")};
  const auto b = book(t, {});
  std::map<std::string, Quote> q = {{"SPY", {D("410"), day("2023-01-04")}},
                                    {"VTSAX", {D("100"), day("2023-01-04")}},
                                    {"KO", {D("60"), day("2023-01-04")}},
                                    {"AAPL  240119C00150000", {D("6"), day("2023-01-04")}}};
  const auto h = value_holdings(b, day("2023-01-04"), q, {}, {}, {}, {{"SPY", "etf"}, {"VTSAX", "fund"}});
  std::map<std::string, std::string> type_of;
  for (const auto& p : h.positions) type_of[p.symbol] = p.asset_type;
  EXPECT_EQ(type_of["SPY"], "etf");
  EXPECT_EQ(type_of["VTSAX"], "fund");
  EXPECT_EQ(type_of["KO"], "equity");
  EXPECT_EQ(type_of["AAPL  240119C00150000"], "option");
  std::map<std::string, Decimal> slice;
  for (const auto& s : h.by_asset_type) slice[s.key] = s.market_value;
  EXPECT_EQ(slice["etf"], D("4100"));  // 10 x 410
  EXPECT_EQ(slice["fund"], D("2000"));
  EXPECT_EQ(slice["equity"], D("600"));
}

TEST(Valuation, DailyValuesCarryFlowsForTwr) {
  // Deposit 1000 and buy 10 @ 50 on day 1; closes 50, 55, 60; withdraw 100 on day 3.
  // Values: 500 + 500 = 1000; 500 + 550 = 1050; 400 + 600 = 1000 with a -100 flow.
  std::vector<Transaction> t = {cash(TxType::kDeposit, "2024-01-02", "1000"), buy("2024-01-02", "A", "10", "50"),
                                cash(TxType::kWithdrawal, "2024-01-04", "100")};
  PriceHistory p;
  p.symbols = {"A"};
  p.dates = {day("2024-01-02"), day("2024-01-03"), day("2024-01-04")};
  p.values = {50, 55, 60};
  const auto s = daily_values(t, p, {});
  ASSERT_EQ(s.size(), 3u);
  EXPECT_DOUBLE_EQ(s[0].value, 1000);
  EXPECT_DOUBLE_EQ(s[1].value, 1050);
  EXPECT_DOUBLE_EQ(s[2].value, 1000);
  EXPECT_DOUBLE_EQ(s[2].flow, -100);
  const auto r = measure_performance(s, {});
  // (1050 / 1000) x (1000 / 950) - 1.
  EXPECT_NEAR(r.twr, 1.05 * (1000.0 / 950.0) - 1.0, 1e-12);
}

TEST(Reconcile, ListsQuantityBasisAndMissingDiscrepancies) {
  std::vector<Transaction> t = {buy("2023-01-03", "A", "10", "10"), buy("2023-01-03", "B", "5", "20"),
                                buy("2023-01-03", "C", "1", "1")};
  const auto b = book(t, {});
  std::vector<BrokerHolding> broker = {{"", "A", D("10"), D("100"), 2},
                                       {"", "B", D("4"), D("100.01"), 3},
                                       {"", "D", D("3"), std::nullopt, 4}};
  const auto r = reconcile(b, broker, {});
  ASSERT_EQ(r.rows.size(), 4u);
  EXPECT_EQ(r.rows[0].status, "ok");
  EXPECT_EQ(r.rows[1].status, "quantity,basis");
  EXPECT_EQ(r.rows[2].status, "missing_at_broker");
  EXPECT_EQ(r.rows[3].status, "missing_in_ledger");
  EXPECT_EQ(r.discrepancies, 3u);
  ReconcileOptions tol;
  tol.basis_tolerance = D("0.01");
  EXPECT_EQ(reconcile(b, broker, tol).rows[1].status, "quantity");
}

}  // namespace
}  // namespace keel::ledger
