// A ledger in many currencies: every figure worked by hand in the comments.
#include "keel/ledger/currency.h"

#include <gtest/gtest.h>

#include "keel/core/error.h"

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

}  // namespace
}  // namespace keel::ledger
