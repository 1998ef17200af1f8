// A ledger in many currencies: every figure worked by hand in the comments.
#include "keel/ledger/currency.h"

#include <gtest/gtest.h>

#include "keel/core/error.h"
#include "keel/ledger/performance.h"
#include "keel/ledger/valuation.h"

namespace keel::ledger {
namespace {

Decimal dec(const char* s) { return Decimal::parse_or_throw(s); }
Date day(const char* s) { return Date::parse_or_throw(s); }

Transaction row(const char* date, TxType type, const char* symbol, const char* qty, const char* price,
                const char* fees, const char* currency, std::size_t line) {
  Transaction t;
  t.date = day(date);
  t.type = type;
  t.account = "brokerage";
  t.symbol = symbol;
  t.quantity = dec(qty);
  t.price = dec(price);
  t.fees = dec(fees);
  t.currency = currency;
  t.source = "tx.csv";
  t.line = line;
  return t;
}

FxRates gbp_usd() {
  FxRows rows;
  rows.add(day("2024-03-01"), "GBP", "USD", 1.2652);  // a Friday
  rows.add(day("2024-06-10"), "GBP", "USD", 1.25);
  return FxRates(rows);
}

// A USD account buys 100 shares quoted in GBP at 2.50 with 5.00 GBP fees, at the broker's rate of
// 1.27 USD per GBP, receives a 10.00 GBP dividend on Saturday 2 March (the rates' Friday rate,
// 1.2652), and sells the 100 shares at 3.00 with 5.00 GBP fees when GBP/USD is 1.25.
std::vector<Transaction> gbp_round_trip() {
  std::vector<Transaction> txs;
  txs.push_back(row("2024-01-02", TxType::kDeposit, "", "0", "0", "0", "", 1));
  txs.back().amount = dec("1000");
  txs.push_back(row("2024-01-10", TxType::kBuy, "VOD", "100", "2.50", "5.00", "GBP", 2));
  txs.back().fx_rate = dec("1.27");
  txs.push_back(row("2024-03-02", TxType::kDividend, "VOD", "0", "0", "0", "GBP", 3));
  txs.back().amount = dec("10.00");
  txs.push_back(row("2024-06-10", TxType::kSell, "VOD", "100", "3.00", "5.00", "GBP", 4));
  return txs;
}

TEST(LedgerCurrency, PurchaseAndSaleInGbpSplitIntoPriceAndCurrency) {
  auto txs = gbp_round_trip();
  const auto rates = gbp_usd();
  const auto conv = convert_to_account_currency(txs, AccountCurrencies{}, &rates);
  EXPECT_EQ(conv.converted, 3u);
  EXPECT_EQ(conv.from_rates, 2u);
  EXPECT_EQ(conv.source[1], RateSource::kGiven);
  EXPECT_EQ(conv.source[3], RateSource::kRates);
  // Buy: (100 x 2.50 + 5.00) GBP = 255.00 GBP x 1.27 = 323.85 USD.
  EXPECT_EQ(txs[1].amount, dec("323.85"));
  EXPECT_EQ(txs[1].currency, "USD");
  // Dividend: 10.00 GBP x 1.2652 (Friday's rate) = 12.652 -> 12.65 USD.
  EXPECT_EQ(txs[2].amount, dec("12.65"));
  // Sale: (100 x 3.00 - 5.00) GBP = 295.00 GBP x 1.25 = 368.75 USD.
  EXPECT_EQ(txs[3].amount, dec("368.75"));

  const auto booked = book(txs, BookOptions{});
  ASSERT_EQ(booked.realized.size(), 1u);
  const auto& g = booked.realized[0];
  EXPECT_EQ(g.cost, dec("323.85"));
  EXPECT_EQ(g.proceeds, dec("368.75"));
  // Gain 368.75 - 323.85 = 44.90 USD. Currency part: 323.85 x (1.25 / 1.27 - 1) = 255 x (1.25 - 1.27)
  // = -5.10; price part: (295 - 255) GBP x 1.25 = 50.00 = 44.90 + 5.10.
  EXPECT_EQ(g.gain(), dec("44.90"));
  EXPECT_EQ(conv.fx_gain(booked, g), dec("-5.10"));

  // Cash per currency, in that currency: 1,000 USD deposited; -255 + 10 + 295 = 50 GBP.
  EXPECT_EQ(conv.cash.at({"brokerage", "USD"}), dec("1000"));
  EXPECT_EQ(conv.cash.at({"brokerage", "GBP"}), dec("50"));
}

TEST(LedgerCurrency, RowsInTheAccountCurrencyAreUntouched) {
  std::vector<Transaction> txs{row("2024-01-10", TxType::kBuy, "AAPL", "10", "185.25", "1", "", 1),
                               row("2024-02-10", TxType::kSell, "AAPL", "10", "190", "1", "USD", 2)};
  const auto before = txs;
  const auto conv = convert_to_account_currency(txs, AccountCurrencies{}, nullptr);
  EXPECT_FALSE(conv.any());
  EXPECT_EQ(txs[0].amount, before[0].amount);  // none: booking computes it as before
  EXPECT_EQ(txs[0].price, before[0].price);
  const auto booked = book(txs, BookOptions{});
  ASSERT_EQ(booked.realized.size(), 1u);
  EXPECT_EQ(conv.fx_gain(booked, booked.realized[0]), Decimal());
}

TEST(LedgerCurrency, AccountInEuros) {
  // A EUR account buys a USD stock: 10 x 100.00 USD at 0.92 EUR per USD = 920.00 EUR.
  std::vector<Transaction> txs{row("2024-01-10", TxType::kBuy, "MSFT", "10", "100", "0", "USD", 1)};
  txs[0].fx_rate = dec("0.92");
  AccountCurrencies ccy;
  ccy.by_account["brokerage"] = "EUR";
  const auto conv = convert_to_account_currency(txs, ccy, nullptr);
  EXPECT_EQ(txs[0].amount, dec("920.00"));
  EXPECT_EQ(txs[0].price, dec("92"));
  EXPECT_EQ(txs[0].currency, "EUR");
  EXPECT_EQ(conv.cash.at({"brokerage", "USD"}), dec("-1000"));
}

TEST(LedgerCurrency, MissingRateRefusedWithThePlace) {
  auto txs = gbp_round_trip();
  txs[3].date = day("2024-07-01");  // 21 days after the last GBP/USD rate
  const auto rates = gbp_usd();
  try {
    convert_to_account_currency(txs, AccountCurrencies{}, &rates);
    FAIL() << "a row without a rate must be refused";
  } catch (const Error& e) {
    ASSERT_EQ(e.details().size(), 1u);
    EXPECT_EQ(e.details()[0],
              "tx.csv:4: SELL 2024-07-01 in GBP for account brokerage (USD): no FX rate for GBP/USD on or up to 7 "
              "days before 2024-07-01 (latest: 2024-06-10); give the row's fx_rate or FX rates (keel import fx)");
  }
  // Without any rates, each foreign row without fx_rate is named.
  auto again = gbp_round_trip();
  EXPECT_THROW(convert_to_account_currency(again, AccountCurrencies{}, nullptr), Error);
}

TEST(LedgerCurrency, ShortSaleCurrencyPartHasTheOtherSign) {
  // Short 10 at 50.00 GBP (500 GBP at 1.30 = 650.00 USD), cover at 50.00 GBP (500 GBP at 1.20 =
  // 600.00 USD): no price move, a 50.00 USD gain from the pound's fall, all of it currency:
  // -(650.00 x (1.20 / 1.30 - 1)) = 650 x 0.1 / 1.3 = 50.00.
  std::vector<Transaction> txs{row("2024-01-10", TxType::kSell, "BP", "10", "50", "0", "GBP", 1),
                               row("2024-02-10", TxType::kBuy, "BP", "10", "50", "0", "GBP", 2)};
  txs[0].fx_rate = dec("1.30");
  txs[1].fx_rate = dec("1.20");
  const auto conv = convert_to_account_currency(txs, AccountCurrencies{}, nullptr);
  BookOptions opts;
  opts.allow_short = true;
  const auto booked = book(txs, opts);
  ASSERT_EQ(booked.realized.size(), 1u);
  EXPECT_TRUE(booked.realized[0].short_sale);
  EXPECT_EQ(booked.realized[0].gain(), dec("50.00"));
  EXPECT_EQ(conv.fx_gain(booked, booked.realized[0]), dec("50.00"));
}


// A USD account deposits 1,000 USD on 2 January and buys 5 ASML at 100.00 EUR on 10 January at the
// broker's 1.10 (550.00 USD). ASML closes at 110.00 EUR on 31 January, when EUR/USD is 1.20.
struct EuroStockInUsd {
  std::vector<Transaction> txs;
  FxRates rates;
  PriceHistory closes;

  EuroStockInUsd() {
    txs.push_back(row("2024-01-02", TxType::kDeposit, "", "0", "0", "0", "", 1));
    txs.back().amount = dec("1000");
    txs.push_back(row("2024-01-10", TxType::kBuy, "ASML", "5", "100.00", "0", "EUR", 2));
    txs.back().fx_rate = dec("1.10");
    FxRows rows;
    rows.add(day("2024-01-02"), "EUR", "USD", 1.25);
    rows.add(day("2024-01-10"), "EUR", "USD", 1.10);
    rows.add(day("2024-01-31"), "EUR", "USD", 1.20);
    rates = FxRates(rows);
    closes.symbols = {"ASML"};
    closes.dates = {day("2024-01-31")};
    closes.values = {110.0};
    convert_to_account_currency(txs, AccountCurrencies{}, &rates);
  }

  std::vector<ValuePoint> series(const char* currency, bool constant) const {
    SeriesOptions so;
    SeriesCurrency& sc = so.currency.emplace();
    sc.currency = currency;
    sc.quote_currency = {{"ASML", "EUR"}};
    sc.rates = &rates;
    sc.constant_rates = constant;
    return daily_values(txs, closes, so);
  }
};

TEST(LedgerCurrency, ValuesInTheAccountCurrencyConvertTheForeignCloses) {
  const EuroStockInUsd book;
  const auto v = book.series("USD", false);
  ASSERT_EQ(v.size(), 3u);
  EXPECT_DOUBLE_EQ(v[0].value, 1000.0);
  // 10 January: 450.00 cash + 5 x the trade price 110.00 USD (100.00 EUR x 1.10) = 1,000.00.
  EXPECT_DOUBLE_EQ(v[1].value, 1000.0);
  // 31 January: 450.00 + 5 x 110.00 EUR x 1.20 = 450 + 660 = 1,110.00 (never 5 x 110 "USD").
  EXPECT_DOUBLE_EQ(v[2].value, 1110.0);
  // At constant rates EUR stays at its 10 January rate, 1.10: 450 + 5 x 110 x 1.10 = 1,055.00.
  const auto c = book.series("USD", true);
  EXPECT_DOUBLE_EQ(c[2].value, 1055.0);
  PerformanceOptions po;
  const double twr = measure_performance(v, po).twr, local = measure_performance(c, po).twr;
  EXPECT_NEAR(twr, 0.11, 1e-12);     // 1,110 / 1,000 - 1
  EXPECT_NEAR(local, 0.055, 1e-12);  // 1,055 / 1,000 - 1: ASML's 10% on the half invested
  // The currency's part: 1.11 / 1.055 - 1 = 5.2133 %.
  EXPECT_NEAR((1 + twr) / (1 + local) - 1, 1.11 / 1.055 - 1, 1e-12);
}

TEST(LedgerCurrency, ValuesInAnotherReportingCurrency) {
  const EuroStockInUsd book;
  // In EUR: 2 January 1,000 USD / 1.25 = 800.00; 10 January (450 + 550) USD / 1.10 = 909.09...;
  // 31 January 450 / 1.20 + 5 x 110 = 375 + 550 = 925.00.
  const auto v = book.series("EUR", false);
  ASSERT_EQ(v.size(), 3u);
  EXPECT_NEAR(v[0].value, 800.0, 1e-9);
  EXPECT_NEAR(v[1].value, 1000.0 / 1.10, 1e-9);
  EXPECT_NEAR(v[2].value, 925.0, 1e-9);
  // At constant rates USD stays at 1 / 1.25 = 0.80 EUR: 10 January 1,000 x 0.8 = 800 (ASML still
  // at its USD trade price); 31 January 450 x 0.8 + 550 = 910.00.
  const auto c = book.series("EUR", true);
  EXPECT_NEAR(c[1].value, 800.0, 1e-9);
  EXPECT_NEAR(c[2].value, 910.0, 1e-9);
}

TEST(LedgerCurrency, SeriesWithoutTheRateNamesThePairAndDate) {
  EuroStockInUsd book;
  FxRows rows;
  rows.add(day("2024-01-10"), "EUR", "USD", 1.10);
  book.rates = FxRates(rows);
  try {
    book.series("USD", false);
    FAIL() << "valued a EUR close on 2024-01-31 without a rate";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("EUR/USD"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("2024-01-31"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace keel::ledger
