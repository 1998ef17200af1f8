// Market data on every backend: fetched bars with their optional fields, corporate actions keyed
// by (symbol, ex-date, kind), coverage, adjusted closes replaced after the fact, and a fetch that
// fails leaving nothing. Expected values are the rows written, read back.
#include "keel/store/market_data_repository.h"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

#include "backends.h"
#include "keel/store/store.h"

namespace keel::store {
namespace {

class MarketDataContract : public keel::testing::StoreBackend {};
INSTANTIATE_TEST_SUITE_P(Backends, MarketDataContract, ::testing::ValuesIn(keel::testing::store_backends()),
                         [](const auto& info) { return info.param; });

Date d(const char* text) {
  return Date::parse_or_throw(text);
}

BarsToStore bars(const std::string& symbol, std::vector<Date> dates, std::vector<double> closes) {
  BarsToStore b;
  b.symbol = symbol;
  const std::size_t n = dates.size();
  b.date = std::move(dates);
  b.close = closes;
  b.adj_close.assign(n, std::nan(""));
  b.open = closes;
  b.high = closes;
  b.low = closes;
  b.volume.assign(n, 1e6);
  return b;
}

CorporateAction split(const std::string& symbol, const char* ex_date, double ratio) {
  CorporateAction a;
  a.symbol = symbol;
  a.ex_date = d(ex_date);
  a.kind = ActionKind::kSplit;
  a.split_ratio = ratio;
  return a;
}

CorporateAction dividend(const std::string& symbol, const char* ex_date, double cash) {
  CorporateAction a;
  a.symbol = symbol;
  a.ex_date = d(ex_date);
  a.kind = ActionKind::kDividend;
  a.cash_amount = cash;
  return a;
}

TEST_P(MarketDataContract, BarsActionsAndCoverageRoundTrip) {
  auto s = open_store_under_test();
  MarketDataRepository& repo = s->market_data();
  MarketDataWrite w;
  w.source = "yahoo";
  w.bars.push_back(
      bars("AAPL", {d("2020-08-28"), d("2020-08-31"), d("2020-09-01")}, {499.23, 129.04, 134.18}));
  w.bars.back().adj_close = {124.81, 129.04, std::nan("")};  // the last one unknown: NULL
  w.bars.push_back(bars("MSFT", {d("2020-08-31")}, {225.53}));
  w.actions = {split("AAPL", "2020-08-31", 4.0), dividend("AAPL", "2020-08-07", 0.82),
               dividend("MSFT", "2020-08-19", 0.51)};
  w.coverage.push_back({"prices", "AAPL", "yahoo", d("2020-08-28"), d("2020-09-01"), ""});
  EXPECT_EQ(repo.save_fetch(w), 4u);

  const auto [dates, closes] = repo.closes("AAPL");
  ASSERT_EQ(dates.size(), 3u);
  EXPECT_EQ(dates[0], d("2020-08-28"));
  EXPECT_EQ(closes, (std::vector<double>{499.23, 129.04, 134.18}));
  const auto latest = s->latest_price("AAPL", std::nullopt);
  ASSERT_TRUE(latest);
  EXPECT_EQ(latest->adj_close, 134.18);  // NULL adjusted close: the close stands in

  const auto all = repo.actions("");
  ASSERT_EQ(all.size(), 3u);  // by symbol, then ex-date
  EXPECT_EQ(all[0].kind, ActionKind::kDividend);
  EXPECT_EQ(all[0].cash_amount, 0.82);
  EXPECT_EQ(all[1].kind, ActionKind::kSplit);
  EXPECT_EQ(all[1].split_ratio, 4.0);
  EXPECT_EQ(all[2].symbol, "MSFT");
  EXPECT_EQ(repo.actions("AAPL", d("2020-08-10")).size(), 1u);
  EXPECT_EQ(repo.actions("AAPL", std::nullopt, d("2020-08-10")).size(), 1u);

  const auto cov = repo.coverage("prices", "AAPL");
  ASSERT_TRUE(cov);
  EXPECT_EQ(cov->provider, "yahoo");
  EXPECT_EQ(cov->to, d("2020-09-01"));
  EXPECT_FALSE(repo.coverage("prices", "MSFT"));

  // Saving again replaces: an action of the same key, a coverage of the same series, a bar.
  MarketDataWrite again;
  again.source = "stooq";
  again.actions = {dividend("AAPL", "2020-08-07", 0.205)};
  again.coverage.push_back({"prices", "AAPL", "stooq", d("2020-01-02"), d("2020-09-01"), ""});
  again.bars.push_back(bars("AAPL", {d("2020-09-01")}, {134.17}));
  EXPECT_EQ(repo.save_fetch(again), 1u);
  EXPECT_EQ(repo.actions("AAPL", std::nullopt, d("2020-08-10"))[0].cash_amount, 0.205);
  EXPECT_EQ(repo.coverage("prices", "AAPL")->provider, "stooq");
  EXPECT_EQ(repo.closes("AAPL").second.back(), 134.17);
  EXPECT_EQ(repo.closes("AAPL").first.size(), 3u);
}

TEST_P(MarketDataContract, AdjustedClosesAreReplacedAfterTheFact) {
  auto s = open_store_under_test();
  MarketDataRepository& repo = s->market_data();
  MarketDataWrite w;
  w.bars.push_back(bars("AAPL", {d("2020-08-27"), d("2020-08-28")}, {500.04, 499.23}));
  repo.save_fetch(w);
  // A 4:1 split on 2020-08-31 divides the earlier adjusted closes by 4.
  repo.update_adjusted("AAPL", {d("2020-08-27"), d("2020-08-28")}, {125.01, 124.8075});
  const auto h = s->price_history({"AAPL"}, std::nullopt, std::nullopt, PriceField::kAdjustedClose);
  ASSERT_EQ(h.rows(), 2u);
  EXPECT_EQ(h.at(0, 0), 125.01);
  EXPECT_EQ(h.at(1, 0), 124.8075);
  const auto raw = s->price_history({"AAPL"}, std::nullopt, std::nullopt, PriceField::kClose);
  EXPECT_EQ(raw.at(1, 0), 499.23);
  // The same through save_fetch's adjusted_only rows.
  MarketDataWrite adj;
  adj.adjusted_only.push_back(bars("AAPL", {d("2020-08-28")}, {0.0}));
  adj.adjusted_only.back().adj_close = {124.81};
  repo.save_fetch(adj);
  EXPECT_EQ(s->price_history({"AAPL"}, std::nullopt, std::nullopt, PriceField::kAdjustedClose).at(1, 0),
            124.81);
}

TEST_P(MarketDataContract, AFetchThatFailsInsideATransactionKeepsNothing) {
  auto s = open_store_under_test();
  MarketDataWrite w;
  w.bars.push_back(bars("AAPL", {d("2020-08-28")}, {499.23}));
  w.actions = {split("AAPL", "2020-08-31", 4.0)};
  w.coverage.push_back({"prices", "AAPL", "yahoo", d("2020-08-28"), d("2020-08-28"), ""});
  EXPECT_THROW(s->transaction([&] {
    s->market_data().save_fetch(w);
    throw std::runtime_error("the next symbol's answer was malformed");
  }),
               std::runtime_error);
  EXPECT_TRUE(s->market_data().closes("AAPL").first.empty());
  EXPECT_TRUE(s->market_data().actions("").empty());
  EXPECT_FALSE(s->market_data().coverage("prices", "AAPL"));
}

}  // namespace
}  // namespace keel::store
