// Income of a hand-worked account: a quarterly payer (KO), a monthly payer (O), a foreign payer
// with tax withheld at source (NVS, 35%), a reinvested ETF (SCHD, DRIP) and cash interest. Every
// figure below is worked out by hand in the comments beside it.
#include "keel/ledger/income.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "ledger_test_util.h"

namespace keel::ledger {
namespace {

using testing::buy;
using testing::cash;
using testing::D;
using testing::day;

Transaction dividend(const char* date, const std::string& symbol, const std::string& amount) {
  return cash(TxType::kDividend, date, amount, "", symbol);
}

// A dividend given as shares x per-share amount, as some statements print it.
Transaction dividend_per_share(const char* date, const std::string& symbol, const std::string& shares,
                               const std::string& per_share) {
  Transaction t = testing::trade(TxType::kDividend, date, symbol, shares, per_share);
  return t;
}

std::vector<Transaction> account() {
  std::vector<Transaction> t;
  t.push_back(cash(TxType::kDeposit, "2023-01-03", "30000"));
  // KO, quarterly: 100 shares at 60.00 (basis 6000.00); 0.46 a share three times, then 0.485.
  t.push_back(buy("2023-01-05", "KO", "100", "60.00"));
  t.push_back(dividend("2023-04-03", "KO", "46.00"));
  t.push_back(dividend("2023-07-03", "KO", "46.00"));
  t.push_back(dividend("2023-10-02", "KO", "46.00"));
  t.push_back(dividend("2024-01-02", "KO", "48.50"));
  t.push_back(buy("2024-02-01", "KO", "20", "58.00"));  // 1160.00: 120 shares, basis 7160.00
  // NVS, annual, 35% Swiss tax withheld: 50 shares at 95.00 (basis 4750.00).
  t.push_back(buy("2023-01-05", "NVS", "50", "95.00"));
  t.push_back(dividend("2023-03-15", "NVS", "163.00"));  // 3.26 a share
  t.push_back(cash(TxType::kWithholding, "2023-03-15", "57.05", "", "NVS"));
  t.push_back(dividend("2024-03-14", "NVS", "170.00"));  // 3.40 a share
  t.push_back(cash(TxType::kWithholding, "2024-03-14", "59.50", "", "NVS"));
  // SCHD, quarterly, every dividend reinvested the same day (DRIP).
  t.push_back(buy("2023-01-05", "SCHD", "100", "25.00"));  // 2500.00
  t.push_back(dividend("2023-03-27", "SCHD", "15.50"));
  t.push_back(buy("2023-03-27", "SCHD", "0.62", "25.00"));  // 15.50 -> 100.62 shares
  t.push_back(dividend("2023-06-26", "SCHD", "16.10"));
  t.push_back(buy("2023-06-26", "SCHD", "0.7", "23.00"));  // 16.10 -> 101.32
  t.push_back(dividend("2023-09-25", "SCHD", "17.23"));
  t.push_back(buy("2023-09-25", "SCHD", "0.7", "24.61"));  // 17.227 -> 17.23 to the cent; 102.02
  t.push_back(dividend("2023-12-11", "SCHD", "24.99"));
  t.push_back(buy("2023-12-11", "SCHD", "1", "24.99"));  // 24.99 -> 103.02
  t.push_back(dividend("2024-03-25", "SCHD", "15.64"));
  t.push_back(buy("2024-03-25", "SCHD", "0.6", "26.07"));  // 15.642 -> 15.64; 103.62
  // O, monthly: 200 shares at 50.00 + 1.00 fee (basis 10001.00); 0.2565 a share (51.30) eight
  // times, then 0.257 (51.40, given per share).
  t.push_back(buy("2023-06-15", "O", "200", "50.00", "1.00"));
  for (const char* d : {"2023-07-14", "2023-08-15", "2023-09-15", "2023-10-13", "2023-11-15", "2023-12-15",
                        "2024-01-12", "2024-02-15"}) {
    t.push_back(dividend(d, "O", "51.30"));
  }
  t.push_back(dividend_per_share("2024-03-15", "O", "200", "0.257"));
  // Cash interest (no symbol).
  t.push_back(cash(TxType::kInterest, "2024-02-29", "12.34"));
  // After as_of: ignored.
  t.push_back(dividend("2024-04-02", "KO", "58.20"));
  return t;
}

std::map<std::string, Quote> quotes() {
  const Date d = day("2024-03-28");
  return {{"KO", {D("61.17"), d}}, {"O", {D("54.07"), d}}, {"NVS", {D("96.73"), d}}, {"SCHD", {D("26.10"), d}}};
}

struct Fixture {
  std::vector<Transaction> txs = account();
  BookResult booked;
  IncomeResult r;
  explicit Fixture(IncomeGrouping by = IncomeGrouping::kMonth) {
    std::vector<Transaction> upto;
    for (const auto& t : txs) {
      if (t.date <= day("2024-03-31")) upto.push_back(t);
    }
    booked = book(upto, BookOptions{});
    IncomeOptions o;
    o.from = day("2024-01-01");
    o.as_of = day("2024-03-31");
    o.by = by;
    r = measure_income(txs, booked, quotes(), o);
  }
  const HoldingIncome& holding(const std::string& symbol) const {
    for (const auto& h : r.holdings) {
      if (h.symbol == symbol) return h;
    }
    throw std::runtime_error("no holding " + symbol);
  }
};

TEST(Income, PaymentsOfTheRangeWithWithholdingAndReinvestment) {
  const Fixture f;
  const auto& p = f.r.payments;
  // 2024-01-01 .. 2024-03-31, by date: KO 48.50, O 51.30, O 51.30, interest 12.34,
  // NVS 170.00 - 59.50 = 110.50, O 200 x 0.257 = 51.40, SCHD 15.64 reinvested.
  ASSERT_EQ(p.size(), 7u);
  EXPECT_EQ(p[0].symbol, "KO");
  EXPECT_EQ(p[0].gross, D("48.50"));
  EXPECT_EQ(p[3].kind, IncomeKind::kInterest);
  EXPECT_EQ(p[3].symbol, "");
  EXPECT_EQ(p[3].gross, D("12.34"));
  EXPECT_EQ(p[4].symbol, "NVS");
  EXPECT_EQ(p[4].gross, D("170.00"));
  EXPECT_EQ(p[4].withholding, D("59.50"));
  EXPECT_EQ(p[4].net, D("110.50"));
  EXPECT_EQ(p[5].symbol, "O");
  EXPECT_EQ(p[5].gross, D("51.40"));
  EXPECT_EQ(p[6].symbol, "SCHD");
  EXPECT_EQ(p[6].reinvested, D("15.64"));
  EXPECT_EQ(p[6].reinvested_shares, D("0.6"));
  EXPECT_EQ(p[0].reinvested, D("0"));  // KO's later buy is another day and amount

  // Totals: gross 48.50 + 51.30 + 51.30 + 12.34 + 170.00 + 51.40 + 15.64 = 400.48; withheld 59.50;
  // net 340.98; dividends 400.48 - 12.34 = 388.14.
  const auto& t = f.r.totals;
  EXPECT_EQ(t.gross, D("400.48"));
  EXPECT_EQ(t.withholding, D("59.50"));
  EXPECT_EQ(t.net, D("340.98"));
  EXPECT_EQ(t.dividends, D("388.14"));
  EXPECT_EQ(t.interest, D("12.34"));
  EXPECT_EQ(t.distributions, D("0"));
  EXPECT_EQ(t.reinvested, D("15.64"));
  EXPECT_EQ(t.payments, 7u);
}

TEST(Income, GroupedByMonthAndBySymbol) {
  const Fixture by_month;
  const auto& g = by_month.r.groups;
  ASSERT_EQ(g.size(), 3u);
  // January: 48.50 + 51.30 = 99.80.
  EXPECT_EQ(g[0].key, "2024-01");
  EXPECT_EQ(g[0].totals.gross, D("99.80"));
  EXPECT_EQ(g[0].totals.payments, 2u);
  // February: 51.30 + 12.34 = 63.64, of which interest 12.34.
  EXPECT_EQ(g[1].key, "2024-02");
  EXPECT_EQ(g[1].totals.gross, D("63.64"));
  EXPECT_EQ(g[1].totals.interest, D("12.34"));
  // March: 170.00 + 51.40 + 15.64 = 237.04; withheld 59.50; net 177.54.
  EXPECT_EQ(g[2].key, "2024-03");
  EXPECT_EQ(g[2].totals.gross, D("237.04"));
  EXPECT_EQ(g[2].totals.withholding, D("59.50"));
  EXPECT_EQ(g[2].totals.net, D("177.54"));
  EXPECT_EQ(g[2].totals.reinvested, D("15.64"));

  const Fixture by_symbol(IncomeGrouping::kSymbol);
  const auto& s = by_symbol.r.groups;
  ASSERT_EQ(s.size(), 5u);  // "" (cash interest), KO, NVS, O, SCHD
  EXPECT_EQ(s[0].key, "");
  EXPECT_EQ(s[0].totals.gross, D("12.34"));
  EXPECT_EQ(s[3].key, "O");
  EXPECT_EQ(s[3].totals.gross, D("154.00"));  // 51.30 + 51.30 + 51.40

  const Fixture by_quarter(IncomeGrouping::kQuarter);
  ASSERT_EQ(by_quarter.r.groups.size(), 1u);
  EXPECT_EQ(by_quarter.r.groups[0].key, "2024-Q1");
  EXPECT_EQ(by_quarter.r.groups[0].totals.gross, D("400.48"));
}

TEST(Income, TrailingTwelveMonths) {
  const Fixture f;
  // (2023-03-31, 2024-03-31]: KO 46.00 x 3 + 48.50 = 186.50; O 51.30 x 8 + 51.40 = 461.80;
  // NVS 170.00 (the 2023-03-15 payment is outside); SCHD 16.10 + 17.23 + 24.99 + 15.64 = 73.96;
  // interest 12.34. Sum 904.60; withheld 59.50; net 845.10.
  EXPECT_EQ(f.r.trailing_12m.gross, D("904.60"));
  EXPECT_EQ(f.r.trailing_12m.withholding, D("59.50"));
  EXPECT_EQ(f.r.trailing_12m.net, D("845.10"));
  EXPECT_EQ(f.r.trailing_12m.reinvested, D("73.96"));
  EXPECT_EQ(f.holding("KO").trailing.gross, D("186.50"));
  EXPECT_EQ(f.holding("O").trailing.gross, D("461.80"));
  EXPECT_EQ(f.holding("NVS").trailing.net, D("110.50"));
  EXPECT_EQ(f.holding("SCHD").trailing.gross, D("73.96"));
}

TEST(Income, FrequencyInferredFromThePaymentDates) {
  const Fixture f;
  // KO: gaps 91, 91, 92 days -> median 91: quarterly.
  EXPECT_EQ(f.holding("KO").frequency, PayFrequency::kQuarterly);
  // O: the last six dates 2023-10-13 .. 2024-03-15, gaps 33, 30, 28, 34, 29 -> median 30: monthly.
  EXPECT_EQ(f.holding("O").frequency, PayFrequency::kMonthly);
  // NVS: one gap of 365 days: annual.
  EXPECT_EQ(f.holding("NVS").frequency, PayFrequency::kAnnual);
  // SCHD: gaps 91, 91, 77, 105 -> median (91 + 91) / 2: quarterly.
  EXPECT_EQ(f.holding("SCHD").frequency, PayFrequency::kQuarterly);
  EXPECT_EQ(f.holding("SCHD").payment_count, 5u);

  const auto freq = [](std::initializer_list<const char*> ds) {
    std::vector<Date> v;
    for (const char* d : ds) v.push_back(day(d));
    return infer_frequency(v);
  };
  EXPECT_EQ(freq({}), PayFrequency::kNone);
  EXPECT_EQ(freq({"2024-01-01"}), PayFrequency::kIrregular);
  EXPECT_EQ(freq({"2023-01-15", "2023-07-14", "2024-01-16"}), PayFrequency::kSemiAnnual);  // 180, 186
  EXPECT_EQ(freq({"2024-01-01", "2024-02-20"}), PayFrequency::kIrregular);                  // 50 days
  // A special dividend between two quarterly ones: gaps 91, 91, 45, 46, 91 -> median 91.
  EXPECT_EQ(freq({"2023-01-02", "2023-04-03", "2023-07-03", "2023-08-17", "2023-10-02", "2024-01-01"}),
            PayFrequency::kQuarterly);
  // Only the last six dates count: a monthly payer that turned quarterly.
  EXPECT_EQ(freq({"2022-01-01", "2022-02-01", "2022-03-01", "2022-04-01", "2022-07-01", "2022-10-01", "2023-01-01",
                  "2023-04-01", "2023-07-01"}),
            PayFrequency::kQuarterly);
}

TEST(Income, ProjectionFromEachHoldingsLastPayment) {
  const Fixture f;
  // KO: last paid 48.50 on 2024-01-02 on 100 shares; 120 held now: 48.50 x 120 / 100 = 58.20 on
  // 2024-04-02, 2024-07-02, 2024-10-02, 2025-01-02 (2025-04-02 is past 2025-03-31): 232.80.
  const auto& ko = f.holding("KO");
  EXPECT_EQ(ko.shares, D("120"));
  EXPECT_EQ(ko.basis, D("7160.00"));
  EXPECT_EQ(ko.last_per_share, D("0.485"));
  EXPECT_EQ(ko.projected_gross, D("232.80"));
  EXPECT_EQ(ko.next_payment, day("2024-04-02"));
  // O: 51.40 on 200 shares (the row's quantity), 200 held: 51.40 monthly from 2024-04-15 to
  // 2025-03-15, twelve payments: 616.80.
  const auto& o = f.holding("O");
  EXPECT_EQ(o.last_per_share, D("0.257"));
  EXPECT_EQ(o.projected_gross, D("616.80"));
  EXPECT_EQ(o.basis, D("10001.00"));
  // NVS: 170.00 gross, 59.50 withheld, once on 2025-03-14: net 110.50.
  const auto& nvs = f.holding("NVS");
  EXPECT_EQ(nvs.projected_gross, D("170.00"));
  EXPECT_EQ(nvs.projected_withholding, D("59.50"));
  EXPECT_EQ(nvs.projected_net, D("110.50"));
  EXPECT_EQ(nvs.next_payment, day("2025-03-14"));
  // SCHD: 15.64 paid on 103.02 shares (the same-day reinvestment not counted); 103.62 held:
  // 15.64 x 103.62 / 103.02 = 15.7310... -> 15.73, four times from 2024-06-25: 62.92.
  const auto& schd = f.holding("SCHD");
  EXPECT_EQ(schd.shares, D("103.62"));
  EXPECT_EQ(schd.projected_gross, D("62.92"));
  EXPECT_EQ(schd.next_payment, day("2024-06-25"));
  // Totals: 232.80 + 616.80 + 170.00 + 62.92 = 1082.52; withheld 59.50; net 1023.02.
  EXPECT_EQ(f.r.projected_gross, D("1082.52"));
  EXPECT_EQ(f.r.projected_withholding, D("59.50"));
  EXPECT_EQ(f.r.projected_net, D("1023.02"));
  // The calendar: 4 + 12 + 1 + 4 payments by date; first KO 2024-04-02, last O 2025-03-15.
  ASSERT_EQ(f.r.calendar.size(), 21u);
  EXPECT_EQ(f.r.calendar.front().symbol, "KO");
  EXPECT_EQ(f.r.calendar.front().gross, D("58.20"));
  EXPECT_EQ(f.r.calendar[1].symbol, "O");  // 2024-04-15
  EXPECT_EQ(f.r.calendar.back().date, day("2025-03-25"));  // SCHD
  EXPECT_EQ(f.r.calendar.back().gross, D("15.73"));
}

TEST(Income, YieldOnCostAndCurrentYield) {
  const Fixture f;
  // KO: 232.80 / 7160.00 = 3.2514%; market value 120 x 61.17 = 7340.40: 232.80 / 7340.40 = 3.1715%.
  const auto& ko = f.holding("KO");
  EXPECT_EQ(ko.market_value, D("7340.40"));
  EXPECT_DOUBLE_EQ(*ko.yield_on_cost, 232.80 / 7160.00);
  EXPECT_DOUBLE_EQ(*ko.current_yield, 232.80 / 7340.40);
  EXPECT_NEAR(*ko.yield_on_cost, 0.032514, 5e-7);
  // O: 616.80 / 10001.00 = 6.1674%; 200 x 54.07 = 10814.00: 5.7037%.
  const auto& o = f.holding("O");
  EXPECT_EQ(o.market_value, D("10814.00"));
  EXPECT_DOUBLE_EQ(*o.yield_on_cost, 616.80 / 10001.00);
  EXPECT_DOUBLE_EQ(*o.current_yield, 616.80 / 10814.00);
  // NVS: 170.00 / 4750.00 = 3.5789%; 50 x 96.73 = 4836.50: 3.5150%.
  EXPECT_DOUBLE_EQ(*f.holding("NVS").yield_on_cost, 170.00 / 4750.00);
  EXPECT_DOUBLE_EQ(*f.holding("NVS").current_yield, 170.00 / 4836.50);
  // SCHD: basis 2500.00 + 15.50 + 16.10 + 17.23 + 24.99 + 15.64 = 2589.46: 62.92 / 2589.46 = 2.4299%;
  // 103.62 x 26.10 = 2704.482 -> 2704.48: 2.3265%.
  const auto& schd = f.holding("SCHD");
  EXPECT_EQ(schd.basis, D("2589.46"));
  EXPECT_EQ(schd.market_value, D("2704.48"));
  EXPECT_DOUBLE_EQ(*schd.yield_on_cost, 62.92 / 2589.46);
  EXPECT_DOUBLE_EQ(*schd.current_yield, 62.92 / 2704.48);
}

TEST(Income, ReinvestedDividendsOpenLots) {
  const Fixture f;
  // Six SCHD lots: the purchase and one per reinvested dividend (five), each with its cost as basis.
  std::vector<std::pair<Decimal, Decimal>> lots;
  for (const auto& l : f.booked.open_lots) {
    if (f.booked.key(l).symbol == "SCHD") lots.emplace_back(l.quantity, l.basis);
  }
  ASSERT_EQ(lots.size(), 6u);
  EXPECT_EQ(lots[0], std::make_pair(D("100"), D("2500.00")));
  EXPECT_EQ(lots[3], std::make_pair(D("0.7"), D("17.23")));
  EXPECT_EQ(lots[5], std::make_pair(D("0.6"), D("15.64")));
}

TEST(Income, WithholdingWithoutItsPaymentAndDistributions) {
  std::vector<Transaction> t;
  t.push_back(buy("2024-01-02", "VFIAX", "10", "400.00"));
  t.push_back(cash(TxType::kDistribution, "2024-03-20", "12.00", "", "VFIAX"));
  t.push_back(cash(TxType::kDividend, "2024-03-20", "15.00", "", "VFIAX"));
  t.push_back(cash(TxType::kWithholding, "2024-03-20", "4.50", "", "VFIAX"));   // on the dividend
  t.push_back(cash(TxType::kWithholding, "2024-03-22", "1.00", "", "VFIAX"));   // a later adjustment
  t.push_back(cash(TxType::kWithholding, "2024-03-29", "0.24", ""));            // backup withholding
  const auto b = book(t, BookOptions{});
  IncomeOptions o;
  o.as_of = day("2024-03-31");
  const auto r = measure_income(t, b, {}, o);
  ASSERT_EQ(r.payments.size(), 4u);
  EXPECT_EQ(r.payments[0].kind, IncomeKind::kDividend);
  EXPECT_EQ(r.payments[0].withholding, D("4.50"));
  EXPECT_EQ(r.payments[1].kind, IncomeKind::kDistribution);
  EXPECT_EQ(r.payments[1].withholding, D("0"));
  EXPECT_EQ(r.payments[2].gross, D("0"));
  EXPECT_EQ(r.payments[2].net, D("-1.00"));
  EXPECT_EQ(r.payments[3].kind, IncomeKind::kInterest);
  EXPECT_EQ(r.payments[3].net, D("-0.24"));
  // 27.00 gross, 5.74 withheld, 21.26 net; distributions 12.00.
  EXPECT_EQ(r.totals.gross, D("27.00"));
  EXPECT_EQ(r.totals.withholding, D("5.74"));
  EXPECT_EQ(r.totals.net, D("21.26"));
  EXPECT_EQ(r.totals.distributions, D("12.00"));
  // Cash: -4000 + 12 + 15 - 4.50 - 1.00 - 0.24.
  EXPECT_EQ(b.cash.at(""), D("-3978.74"));
  // One payment date (the later withholding is not a payment): irregular; the trailing year's
  // payment projected at 10 / 10 shares: 27.00 gross, 4.50 withheld.
  const auto& h = r.holdings.at(0);
  EXPECT_EQ(h.frequency, PayFrequency::kIrregular);
  EXPECT_EQ(h.payment_count, 1u);
  EXPECT_EQ(h.projected_gross, D("27.00"));
  EXPECT_EQ(h.projected_withholding, D("4.50"));
}

TEST(Income, SameDayReinvestmentsAreMatchedInPaymentOrder) {
  // Account a holds X and is paid twice on 2024-03-15: a dividend of 20.00 with 5.00 withheld (net
  // 15.00) and a distribution of 8.00. That day it buys X for 5.00, 8.00, 15.00 and 8.00 again;
  // account b buys X for 15.00 (3 shares: another holding) and a buys X for 8.00 the next day (0.4
  // shares: another day). The shares bought tell which buy each payment took.
  // In payment order (the dividend, then the distribution), each takes the first buy left of its
  // holding and day costing its net or gross: the dividend the 15.00 (1.5 shares), the
  // distribution the first 8.00 (0.8 shares, not the later 1.6); the others reinvest nothing.
  std::vector<Transaction> t;
  t.push_back(buy("2024-01-02", "X", "100", "10.00", "0", "", "a"));
  t.push_back(buy("2024-01-02", "X", "100", "10.00", "0", "", "b"));
  t.push_back(cash(TxType::kDividend, "2024-03-15", "20.00", "a", "X"));
  t.push_back(cash(TxType::kWithholding, "2024-03-15", "5.00", "a", "X"));
  t.push_back(cash(TxType::kDistribution, "2024-03-15", "8.00", "a", "X"));
  t.push_back(buy("2024-03-15", "X", "3", "5.00", "0", "", "b"));
  t.push_back(buy("2024-03-15", "X", "0.5", "10.00", "0", "", "a"));
  t.push_back(buy("2024-03-15", "X", "0.8", "10.00", "0", "", "a"));
  t.push_back(buy("2024-03-15", "X", "1.5", "10.00", "0", "", "a"));
  t.push_back(buy("2024-03-15", "X", "1.6", "5.00", "0", "", "a"));
  t.push_back(buy("2024-03-16", "X", "0.4", "20.00", "0", "", "a"));
  IncomeOptions o;
  o.as_of = day("2024-03-31");
  const auto check = [&](const std::vector<Transaction>& rows) {
    const auto r = measure_income(rows, book(rows, BookOptions{}), {}, o);
    ASSERT_EQ(r.payments.size(), 2u);
    for (const auto& p : r.payments) {
      ASSERT_EQ(p.account, "a");
      if (p.kind == IncomeKind::kDividend) {
        EXPECT_EQ(p.net, D("15.00"));
        EXPECT_EQ(p.reinvested, D("15.00"));
        EXPECT_EQ(p.reinvested_shares, D("1.5"));
      } else {
        EXPECT_EQ(p.kind, IncomeKind::kDistribution);
        EXPECT_EQ(p.reinvested, D("8.00"));
        EXPECT_EQ(p.reinvested_shares, D("0.8"));
      }
    }
    EXPECT_EQ(r.totals.reinvested, D("23.00"));
  };
  check(t);
  // The same rows not in date order (the first day's rows last, each day's in their order): the
  // history puts them in order first, with the same result.
  std::rotate(t.begin(), t.begin() + 2, t.end());
  check(t);
}

TEST(Income, AStoppedPayerProjectsNothing) {
  std::vector<Transaction> t;
  t.push_back(buy("2022-01-03", "X", "10", "10.00"));
  for (const char* d : {"2022-03-15", "2022-06-15", "2022-09-15", "2022-12-15"}) t.push_back(dividend(d, "X", "1.00"));
  const auto b = book(t, BookOptions{});
  IncomeOptions o;
  o.as_of = day("2023-06-16");  // more than two quarters after the last payment
  auto r = measure_income(t, b, {}, o);
  EXPECT_EQ(r.holdings.at(0).frequency, PayFrequency::kQuarterly);
  EXPECT_EQ(r.holdings.at(0).projected_gross, D("0"));
  o.as_of = day("2023-06-15");  // exactly two quarters: still projected, 2023-09-15 .. 2024-06-15
  r = measure_income(t, b, {}, o);
  EXPECT_EQ(r.holdings.at(0).projected_gross, D("4.00"));
}

TEST(Income, TransactionTypesReadBack) {
  EXPECT_EQ(parse_tx_type("withholding"), TxType::kWithholding);
  EXPECT_EQ(parse_tx_type("WITHHOLDING_TAX"), TxType::kWithholding);
  EXPECT_EQ(parse_tx_type("Distribution"), TxType::kDistribution);
  EXPECT_EQ(tx_type_name(TxType::kWithholding), "WITHHOLDING");
  EXPECT_EQ(cash_effect(cash(TxType::kWithholding, "2024-01-01", "2.50")), D("-2.50"));
  EXPECT_EQ(cash_effect(cash(TxType::kDistribution, "2024-01-01", "2.50")), D("2.50"));
}

}  // namespace
}  // namespace keel::ledger
