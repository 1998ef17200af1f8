// Lot methods on hand-worked sequences. Every expected figure is worked out in the comment above
// it from the rules in docs/ledger.md (gross = qty x price to the cent; fees into buy basis and out
// of sale proceeds; proceeds of a multi-lot sale split pro rata to shares, remainder to the last).
#include "keel/ledger/booking.h"

#include <gtest/gtest.h>

#include <optional>
#include <utility>
#include <vector>

#include "keel/core/error.h"
#include "ledger_test_util.h"

namespace keel::ledger {
namespace {

using namespace testing;

BookOptions with_method(LotMethod m) {
  BookOptions o;
  o.default_method = m;
  return o;
}

// Two lots, one sale across both:
//   2023-01-03 BUY 100 @ 10 fee 5  -> basis 1000 + 5 = 1005.00
//   2023-02-01 BUY  50 @ 12        -> basis 600.00
//   2023-06-01 SELL 120 @ 15 fee 6 -> proceeds 1800 - 6 = 1794.00
std::vector<Transaction> two_lots() {
  return {buy("2023-01-03", "XYZ", "100", "10", "5"), buy("2023-02-01", "XYZ", "50", "12"),
          sell("2023-06-01", "XYZ", "120", "15", "6")};
}

TEST(Booking, FifoClosesOldestLotsFirstWithPartialLot) {
  const auto r = book(two_lots(), with_method(LotMethod::kFifo));
  ASSERT_EQ(r.realized.size(), 2u);
  // Lot 1, 100 shares: proceeds 1794 x 100/120 = 1495.00; cost 1005.00; gain 490.00.
  EXPECT_EQ(r.realized[0].quantity, D("100"));
  EXPECT_EQ(r.realized[0].proceeds, D("1495"));
  EXPECT_EQ(r.realized[0].cost, D("1005"));
  EXPECT_EQ(r.realized[0].gain(), D("490"));
  EXPECT_EQ(r.purchase_date(r.realized[0]), day("2023-01-03"));
  // Lot 2, 20 of 50 shares: proceeds 1794 - 1495 = 299.00; cost 600 x 20/50 = 240.00; gain 59.00.
  EXPECT_EQ(r.realized[1].proceeds, D("299"));
  EXPECT_EQ(r.realized[1].cost, D("240"));
  EXPECT_EQ(r.realized[1].gain(), D("59"));
  EXPECT_EQ(r.realized[1].term, Term::kShort);
  // Left: 30 shares of lot 2 with basis 600 - 240 = 360.00.
  ASSERT_EQ(r.open_lots.size(), 1u);
  EXPECT_EQ(r.open_lots[0].quantity, D("30"));
  EXPECT_EQ(r.open_lots[0].basis, D("360"));
  // Cash: -1005 - 600 + 1794 = 189.00.
  EXPECT_EQ(r.cash.at(""), D("189"));
}

// Gains of a period per position, worked by hand (FIFO, no fees):
//   2024-01-02 BUY 10 AAA @ 100     -> basis 1000
//   2024-02-01 SELL 4 AAA @ 110     -> proceeds 440, cost 400: gain 40
//   2024-03-01 SELL 6 AAA @ 90      -> proceeds 540, cost 600: loss 60
//   2024-05-01 BUY 5 BBB @ 10
//   2024-06-03 SELL 5 BBB @ 12      -> gain 10
// With a BUY 6 AAA @ 95 on 2024-03-15 (within 30 days of the loss sale) the loss is disallowed:
// the row's gain() is -60 + 60 = 0.
TEST(Booking, RealizedWindowSumsTheGainsOfTheSalesInIt) {
  std::vector<Transaction> txs = {buy("2024-01-02", "AAA", "10", "100"), sell("2024-02-01", "AAA", "4", "110"),
                                  sell("2024-03-01", "AAA", "6", "90"), buy("2024-05-01", "BBB", "5", "10"),
                                  sell("2024-06-03", "BBB", "5", "12")};
  const auto sums = [&](const char* from, const char* to, bool keep) {
    BookOptions o;
    o.keep_realized = keep;
    o.realized_window = std::pair{day(from), day(to)};
    return book(txs, o).realized_in_window;  // positions: AAA, BBB
  };
  using Sums = std::vector<std::optional<Decimal>>;
  for (const bool keep : {true, false}) {
    EXPECT_EQ(sums("2024-01-31", "2024-03-01", keep), (Sums{D("-20"), std::nullopt}));  // 40 - 60
    EXPECT_EQ(sums("2024-02-01", "2024-12-31", keep), (Sums{D("-60"), D("10")}));       // from excluded
    EXPECT_EQ(sums("2024-03-01", "2024-05-31", keep), (Sums{std::nullopt, std::nullopt}));
  }
  txs.push_back(buy("2024-03-15", "AAA", "6", "95"));
  EXPECT_EQ(sums("2024-01-31", "2024-03-01", false), (Sums{D("40"), std::nullopt}));  // 40 + 0
  EXPECT_TRUE(book(txs, BookOptions{}).realized_in_window.empty());                   // no window asked
}

TEST(Booking, LifoClosesNewestLotsFirst) {
  const auto r = book(two_lots(), with_method(LotMethod::kLifo));
  ASSERT_EQ(r.realized.size(), 2u);
  // Lot 2, 50 shares: proceeds 1794 x 50/120 = 747.50; cost 600; gain 147.50.
  EXPECT_EQ(r.realized[0].proceeds, D("747.5"));
  EXPECT_EQ(r.realized[0].gain(), D("147.5"));
  // Lot 1, 70 shares: proceeds 1794 - 747.50 = 1046.50; cost 1005 x 70/100 = 703.50; gain 343.00.
  EXPECT_EQ(r.realized[1].proceeds, D("1046.5"));
  EXPECT_EQ(r.realized[1].cost, D("703.5"));
  EXPECT_EQ(r.realized[1].gain(), D("343"));
  ASSERT_EQ(r.open_lots.size(), 1u);
  EXPECT_EQ(r.open_lots[0].basis, D("301.5"));  // 1005 - 703.50
}

// Three lots more than 30 days before the sale (no wash sale):
//   2023-01-03 10 @ 20 (200), 2023-01-04 10 @ 30 (300), 2023-01-05 10 @ 25 (250)
//   2023-03-01 SELL 15 @ 28 -> proceeds 420: 10 shares 280.00, 5 shares 140.00
std::vector<Transaction> three_lots() {
  return {buy("2023-01-03", "ABC", "10", "20"), buy("2023-01-04", "ABC", "10", "30"),
          buy("2023-01-05", "ABC", "10", "25"), sell("2023-03-01", "ABC", "15", "28")};
}

TEST(Booking, HifoClosesHighestUnitBasisFirst) {
  const auto r = book(three_lots(), with_method(LotMethod::kHifo));
  ASSERT_EQ(r.realized.size(), 2u);
  // 10 @ 30 first: 280 - 300 = -20; then 5 of 10 @ 25: 140 - 125 = 15.
  EXPECT_EQ(r.purchase_date(r.realized[0]), day("2023-01-04"));
  EXPECT_EQ(r.realized[0].gain(), D("-20"));
  EXPECT_EQ(r.purchase_date(r.realized[1]), day("2023-01-05"));
  EXPECT_EQ(r.realized[1].cost, D("125"));
  EXPECT_EQ(r.realized[1].gain(), D("15"));
  EXPECT_EQ(r.realized[0].wash_disallowed, D("0"));  // the other buys are 55+ days before
}

TEST(Booking, FifoAndLifoOnThreeLots) {
  const auto f = book(three_lots(), with_method(LotMethod::kFifo));
  // FIFO: 10 @ 20 -> 280 - 200 = 80; 5 of 10 @ 30 -> 140 - 150 = -10.
  ASSERT_EQ(f.realized.size(), 2u);
  EXPECT_EQ(f.realized[0].gain(), D("80"));
  EXPECT_EQ(f.realized[1].gain(), D("-10"));
  const auto l = book(three_lots(), with_method(LotMethod::kLifo));
  // LIFO: 10 @ 25 -> 280 - 250 = 30; 5 of 10 @ 30 -> 140 - 150 = -10.
  EXPECT_EQ(l.realized[0].gain(), D("30"));
  EXPECT_EQ(l.realized[1].gain(), D("-10"));
}

TEST(Booking, AverageCostPoolsBasisAndConsumesDatesFifo) {
  // 2023-01-03 BUY 10 @ 20 (200); 2023-03-01 BUY 10 @ 30 (300): pool 500 for 20 shares (25.00/sh).
  // 2023-05-01 SELL 5 @ 40: proceeds 200, cost 500 x 5/20 = 125.00, gain 75; date of the first lot.
  // Pool left 375 for 15 shares. 2023-07-03 SELL 15 @ 30: proceeds 450, cost 375, gain 75.
  std::vector<Transaction> t = {buy("2023-01-03", "FND", "10", "20"), buy("2023-03-01", "FND", "10", "30"),
                                sell("2023-05-01", "FND", "5", "40"), sell("2023-07-03", "FND", "15", "30")};
  const auto r = book(t, with_method(LotMethod::kAverage));
  ASSERT_EQ(r.realized.size(), 3u);
  EXPECT_EQ(r.realized[0].cost, D("125"));
  EXPECT_EQ(r.realized[0].gain(), D("75"));
  EXPECT_EQ(r.purchase_date(r.realized[0]), day("2023-01-03"));
  // The second sale closes 5 remaining shares of lot 1 (125.00) and 10 of lot 2 (250.00).
  EXPECT_EQ(r.realized[1].cost + r.realized[2].cost, D("375"));
  EXPECT_EQ(r.realized[1].cost, D("125"));
  EXPECT_EQ(r.realized[1].gain() + r.realized[2].gain(), D("75"));
  EXPECT_TRUE(r.open_lots.empty());
}

TEST(Booking, SpecificLotByIdAndPerSaleOverride) {
  // Lots A 10 @ 10 and B 10 @ 20. SELL 5 naming B: cost 20 x 5 = 100; proceeds 5 x 25 = 125.
  std::vector<Transaction> t = {buy("2023-01-03", "Q", "10", "10", "0", "A"),
                                buy("2023-01-04", "Q", "10", "20", "0", "B"),
                                sell("2023-03-01", "Q", "5", "25", "0", "B")};
  auto r = book(t, with_method(LotMethod::kFifo));
  ASSERT_EQ(r.realized.size(), 1u);
  EXPECT_EQ(r.lot_id(r.realized[0]), "B");
  EXPECT_EQ(r.realized[0].cost, D("100"));
  EXPECT_EQ(r.realized[0].gain(), D("25"));
  // A per-sale method (LIFO on a FIFO account) also picks B.
  t[2].lot_id.clear();
  t[2].method = LotMethod::kLifo;
  r = book(t, with_method(LotMethod::kFifo));
  EXPECT_EQ(r.lot_id(r.realized[0]), "B");
  // Per-account method.
  t[2].method.reset();
  BookOptions o;
  o.accounts[""] = AccountSettings{LotMethod::kLifo, false};
  r = book(t, o);
  EXPECT_EQ(r.lot_id(r.realized[0]), "B");
}

TEST(Booking, SpecificLotNotFoundIsAnErrorNamingTheLot) {
  std::vector<Transaction> t = {buy("2023-01-03", "Q", "10", "10", "0", "A"),
                                sell("2023-03-01", "Q", "5", "25", "0", "Z")};
  try {
    book(t, with_method(LotMethod::kSpecific));
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidInput);
    ASSERT_FALSE(e.details().empty());
    EXPECT_NE(e.details()[0].find("'Z'"), std::string::npos) << e.details()[0];
  }
  // Specific without a lot id.
  t[1].lot_id.clear();
  EXPECT_THROW(book(t, with_method(LotMethod::kSpecific)), Error);
}

TEST(Booking, OversellAndSellBeforeBuyAreErrorsUnlessShortsAllowed) {
  std::vector<Transaction> over = {buy("2023-01-03", "Q", "10", "10"), sell("2023-02-01", "Q", "11", "12")};
  EXPECT_THROW(book(over, {}), Error);
  std::vector<Transaction> before = {sell("2023-01-02", "Q", "1", "12"), buy("2023-01-03", "Q", "10", "10")};
  try {
    book(before, {});
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(e.details()[0].find("none held"), std::string::npos) << e.details()[0];
  }
  // Short: SELL 10 @ 50 opens a short lot (proceeds 500); BUY 10 @ 40 covers (cost 400): gain 100.
  BookOptions o;
  o.allow_short = true;
  const auto r = book(std::vector<Transaction>{sell("2023-01-02", "Q", "10", "50"), buy("2023-01-20", "Q", "10", "40")}, o);
  ASSERT_EQ(r.realized.size(), 1u);
  EXPECT_TRUE(r.realized[0].short_sale);
  EXPECT_EQ(r.realized[0].gain(), D("100"));
  EXPECT_TRUE(r.open_lots.empty());
}

TEST(Booking, SameDayBuysAreClosedInFileOrder) {
  std::vector<Transaction> t = {buy("2023-01-03", "Q", "10", "10"), buy("2023-01-03", "Q", "10", "11"),
                                sell("2023-03-01", "Q", "10", "12")};
  const auto f = book(t, with_method(LotMethod::kFifo));
  EXPECT_EQ(f.realized[0].cost, D("100"));
  const auto l = book(t, with_method(LotMethod::kLifo));
  EXPECT_EQ(l.realized[0].cost, D("110"));
}

TEST(Booking, SplitBeforeSaleKeepsBasisAndDate) {
  // BUY 100 @ 30 (3000) 2022-01-03; SPLIT 3:2 -> 150 shares, basis 3000, date kept.
  // SELL 150 @ 25 on 2023-02-01: proceeds 3750, gain 750, long term (more than a year).
  std::vector<Transaction> t = {buy("2022-01-03", "S", "100", "30"), split("2022-06-01", "S", 3, 2),
                                sell("2023-02-01", "S", "150", "25")};
  const auto r = book(t, {});
  ASSERT_EQ(r.realized.size(), 1u);
  EXPECT_EQ(r.realized[0].quantity, D("150"));
  EXPECT_EQ(r.realized[0].cost, D("3000"));
  EXPECT_EQ(r.realized[0].gain(), D("750"));
  EXPECT_EQ(r.purchase_date(r.realized[0]), day("2022-01-03"));
  EXPECT_EQ(r.realized[0].term, Term::kLong);
}

TEST(Booking, ReverseSplitAfterPartialSale) {
  // BUY 100 @ 30 (3000); SELL 40 @ 35: cost 1200, gain 200; 60 left with basis 1800.
  // SPLIT 1:10 -> 6 shares, basis 1800. SELL 6 @ 400: proceeds 2400, gain 600.
  std::vector<Transaction> t = {buy("2022-01-03", "S", "100", "30"), sell("2022-02-01", "S", "40", "35"),
                                split("2022-03-01", "S", 1, 10), sell("2022-04-01", "S", "6", "400")};
  const auto r = book(t, {});
  ASSERT_EQ(r.realized.size(), 2u);
  EXPECT_EQ(r.realized[0].gain(), D("200"));
  EXPECT_EQ(r.realized[1].cost, D("1800"));
  EXPECT_EQ(r.realized[1].gain(), D("600"));
  EXPECT_TRUE(r.open_lots.empty());
}

TEST(Booking, SplitWithoutRatioIsAnError) {
  Transaction s = split("2022-03-01", "S", 1, 1);
  s.split_ratio.reset();
  EXPECT_THROW(book(std::vector<Transaction>{buy("2022-01-03", "S", "1", "1"), s}, {}), Error);
}

TEST(HoldingPeriod, PublicationFiveFiftyBoundaries) {
  // IRS Pub. 550 example: bought 2023-02-05 (Pub. uses Feb 5): sold 2024-02-05 is not more than a
  // year; sold 2024-02-06 is.
  EXPECT_EQ(holding_term(day("2023-02-05"), day("2024-02-05")), Term::kShort);
  EXPECT_EQ(holding_term(day("2023-02-05"), day("2024-02-06")), Term::kLong);
  // Across a leap day: 2023-03-01 -> 2024-03-01 is 366 days and exactly one year: short.
  EXPECT_EQ(day("2024-03-01") - day("2023-03-01"), 366);
  EXPECT_EQ(holding_term(day("2023-03-01"), day("2024-03-01")), Term::kShort);
  EXPECT_EQ(holding_term(day("2023-03-01"), day("2024-03-02")), Term::kLong);
  // 365 days without a leap day: 2022-03-01 -> 2023-03-01 exactly one year: short.
  EXPECT_EQ(holding_term(day("2022-03-01"), day("2023-03-01")), Term::kShort);
  // Bought on 29 February: a year is reached on 28 February.
  EXPECT_EQ(holding_term(day("2024-02-29"), day("2025-02-28")), Term::kShort);
  EXPECT_EQ(holding_term(day("2024-02-29"), day("2025-03-01")), Term::kLong);
}

TEST(Booking, TransfersKeepLotsDatesAndBasis) {
  // A buys 10 @ 10 fee 1 (basis 101.00) on 2020-01-02; moves them to B on 2021-06-01;
  // B sells 10 @ 20 on 2021-06-02: proceeds 200, cost 101, long term from 2020-01-02.
  std::vector<Transaction> t = {buy("2020-01-02", "T", "10", "10", "1", "", "A"),
                                trade(TxType::kTransferOut, "2021-06-01", "T", "10", "0", "0", "", "A"),
                                trade(TxType::kTransferIn, "2021-06-01", "T", "10", "0", "0", "", "B"),
                                sell("2021-06-02", "T", "10", "20", "0", "", "B")};
  const auto r = book(t, {});
  ASSERT_EQ(r.realized.size(), 1u);
  EXPECT_EQ(r.key(r.realized[0]).account, "B");
  EXPECT_EQ(r.realized[0].cost, D("101"));
  EXPECT_EQ(r.purchase_date(r.realized[0]), day("2020-01-02"));
  EXPECT_EQ(r.realized[0].term, Term::kLong);
  EXPECT_TRUE(r.warnings.empty());
}

TEST(Booking, DividendsAndInterestAreIncome) {
  std::vector<Transaction> t = {cash(TxType::kDeposit, "2023-01-02", "1000"),
                                buy("2023-01-03", "D", "10", "50"),
                                cash(TxType::kDividend, "2023-03-15", "4.20", "", "D"),
                                cash(TxType::kInterest, "2023-03-31", "1.05")};
  const auto r = book(t, {});
  ASSERT_EQ(r.income.size(), 2u);
  EXPECT_EQ(r.income[0].amount, D("4.2"));
  EXPECT_EQ(r.income[1].type, TxType::kInterest);
  // Cash: 1000 - 500 + 4.20 + 1.05 = 505.25.
  EXPECT_EQ(r.cash.at(""), D("505.25"));
}

TEST(HoldingPeriod, BookedSalesAroundTheOneYearBoundary) {
  // Through book() (its day-count shortcut away from the boundary): bought 2023-02-05, sold
  // 2024-02-05 (365 days) short, 2024-02-06 long (Pub. 550); bought 2023-03-01, sold 2024-03-01
  // (366 days, still one year) short, 2024-03-02 long.
  auto term_of = [](const char* bought, const char* sold) {
    const std::vector<Transaction> t = {buy(bought, "H", "1", "10"), sell(sold, "H", "1", "11")};
    return book(t, {}).realized.at(0).term;
  };
  EXPECT_EQ(term_of("2023-02-05", "2024-02-05"), Term::kShort);
  EXPECT_EQ(term_of("2023-02-05", "2024-02-06"), Term::kLong);
  EXPECT_EQ(term_of("2023-03-01", "2024-03-01"), Term::kShort);
  EXPECT_EQ(term_of("2023-03-01", "2024-03-02"), Term::kLong);
  EXPECT_EQ(term_of("2023-03-01", "2024-02-28"), Term::kShort);  // 364 days
  EXPECT_EQ(term_of("2022-03-01", "2024-03-01"), Term::kLong);   // two years
}

}  // namespace
}  // namespace keel::ledger
