#include "keel/store/modelling_repository.h"

#include <gtest/gtest.h>

#include "backends.h"
#include "keel/store/store.h"

namespace keel::store {
namespace {

// The same tests on every backend this binary runs (tests/store/backends.h).
class ModellingContract : public keel::testing::StoreBackend {};
INSTANTIATE_TEST_SUITE_P(Backends, ModellingContract, ::testing::ValuesIn(keel::testing::store_backends()),
                         [](const auto& info) { return info.param; });

std::int64_t portfolio(Store& s) { return s.save_portfolio("acme", "hnw", {}, "").id; }

// Every trade field written is read back as it was: tags through the store's ';' encoding, the
// option's own dividend yield (migration 11) and an absent one as absent.
TEST_P(ModellingContract, TradesRoundTripWithTagsAndDividendYield) {
  auto s = open_store_under_test();
  ModellingRepository& repo = s->modelling_sessions();
  const auto session = repo.create("acme", "ana", portfolio(*s), "hedge");

  ModellingTrade put;
  put.position.symbol = "AAPL180615P00150000";
  put.position.quantity = 20;
  put.position.type = InstrumentType::kOption;
  put.position.underlying = "AAPL";
  put.position.strike = 150.0;
  put.position.expiry = Date::parse_or_throw("2018-06-15");
  put.position.option_type = OptionRight::kPut;
  put.position.multiplier = 100;
  put.position.dividend_yield = 0.015;
  put.position.tags = {"hedge", "q4"};
  put.price = 4.39;
  put.origin = "trades.csv:2";
  ModellingTrade sell;
  sell.position.symbol = "AAPL";
  sell.position.quantity = -400;
  sell.origin = "trades.csv:3";
  repo.add_trades(session.id, {put, sell});

  const auto got = repo.trades(session.id);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].number, 1);
  EXPECT_EQ(got[0].position.symbol, "AAPL180615P00150000");
  EXPECT_EQ(got[0].position.dividend_yield, std::optional<double>(0.015));
  EXPECT_EQ(got[0].position.tags, (std::vector<std::string>{"hedge", "q4"}));
  EXPECT_EQ(got[0].position.expiry, Date::parse_or_throw("2018-06-15"));
  EXPECT_EQ(got[0].price, std::optional<double>(4.39));
  EXPECT_EQ(got[1].number, 2);
  EXPECT_DOUBLE_EQ(got[1].position.quantity, -400.0);
  EXPECT_FALSE(got[1].position.dividend_yield.has_value());
  EXPECT_TRUE(got[1].position.tags.empty());
}

}  // namespace
}  // namespace keel::store
