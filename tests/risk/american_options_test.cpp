// American options in the risk engines: the risk book and every full revaluation (historical,
// Monte Carlo, contributions through position_pnl) value them with the American pricer (ALO by
// default, Barone-Adesi-Whaley when selected), not as
// European options.
#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "keel/core/error.h"
#include "keel/options/american.h"
#include "keel/risk/book.h"
#include "keel/risk/var.h"

namespace keel::risk {
namespace {

const Date kAsOf = Date::from_ymd(2024, 6, 28);

PriceHistory spot_of(double s) {
  PriceHistory p;
  p.dates = {kAsOf};
  p.symbols = {"AAA"};
  p.values = {s};
  return p;
}

// A put struck at 100 on a stock at 70, half a year (183 days), vol 25%: deep in the money.
Position deep_put(ExerciseStyle exercise) {
  Position p;
  p.symbol = "AAA241228P00100000";
  p.type = InstrumentType::kOption;
  p.underlying = "AAA";
  p.quantity = 4;
  p.multiplier = 100;
  p.strike = 100.0;
  p.expiry = kAsOf.add_days(183);
  p.option_type = OptionRight::kPut;
  p.exercise = exercise;
  p.implied_vol = 0.25;
  return p;
}

options::BsmInputs put_inputs(double spot, double years) {
  return {OptionRight::kPut, spot, 100.0, years, 0.25, 0.05, 0.0};
}

TEST(RiskAmericanOptions, DeepInTheMoneyPutIsWorthItsAmericanPrice) {
  const double years = 183.0 / 365.0;
  const std::vector<Position> american{deep_put(ExerciseStyle::kAmerican)};
  const std::vector<Position> european{deep_put(ExerciseStyle::kEuropean)};
  const RiskBook a = build_risk_book(american, spot_of(70.0), kAsOf, {.rate = 0.05});
  const RiskBook e = build_risk_book(european, spot_of(70.0), kAsOf, {.rate = 0.05});
  ASSERT_TRUE(a.option[0].has_value());
  EXPECT_EQ(a.option[0]->exercise, ExerciseStyle::kAmerican);
  // 400 units x the ALO price; at S = 70 the put is past its critical price, so
  // it is worth exactly its exercise value 100 - 70 = 30 (hand value), above the European.
  EXPECT_DOUBLE_EQ(a.value[0], 400.0 * options::alo_price(put_inputs(70.0, years)));
  EXPECT_NEAR(a.value[0], 400.0 * 30.0, 1e-9);
  EXPECT_DOUBLE_EQ(e.value[0], 400.0 * options::bsm_price(put_inputs(70.0, years)));
  EXPECT_GT(a.value[0], e.value[0]);
  // Delta exposure from the American delta (-1 once exercise is optimal).
  EXPECT_NEAR(a.exposure[0], 400.0 * -1.0 * 70.0, 1e-6);
}

TEST(RiskAmericanOptions, ScenarioRevaluationAndHistoricalVarUseTheAmericanPrice) {
  const double years = 183.0 / 365.0;
  const std::vector<Position> book_positions{deep_put(ExerciseStyle::kAmerican)};
  const RiskBook book = build_risk_book(book_positions, spot_of(70.0), kAsOf, {.rate = 0.05});
  const double later = years - 1.0 / 252.0;
  auto expected_pnl = [&](double r) {
    return 400.0 * (options::alo_price(put_inputs(70.0 * (1.0 + r), later)) -
                    options::alo_price(put_inputs(70.0, years)));
  };
  for (double r : {-0.05, 0.0, 0.1, 0.3})
    EXPECT_NEAR(position_pnl(book, 0, r, 1), expected_pnl(r), 1e-9) << r;

  // Ten one-day returns; a put loses when the stock rises, so the worst scenarios are +30% and
  // +25%, and the 90% VaR interpolates between them as in HistoricalVar tests (h = 0.9).
  ReturnMatrix returns;
  returns.symbols = {"AAA"};
  returns.values = {-0.05, 0.02, -0.03, 0.01, 0.25, -0.01, 0.00, 0.30, -0.02, 0.05};
  returns.dates.resize(returns.values.size());
  const VarResult v = historical_var(book, returns, {.confidence = 0.90});
  const double worst = expected_pnl(0.30);
  const double second = expected_pnl(0.25);
  EXPECT_NEAR(v.var, -(worst + 0.9 * (second - worst)), 1e-6);
  EXPECT_NEAR(v.es, -worst, 1e-6);
}

TEST(RiskAmericanOptions, NegativeRateIsAClearErrorOnlyForBaroneAdesiWhaley) {
  const std::vector<Position> book_positions{deep_put(ExerciseStyle::kAmerican)};
  try {
    build_risk_book(book_positions, spot_of(70.0), kAsOf,
                    {.rate = -0.01, .american_engine = options::AmericanEngine::kBaw});
    FAIL() << "expected an error";
  } catch (const Error& e) {
    ASSERT_EQ(e.details().size(), 1u);
    EXPECT_NE(e.details()[0].find("needs a rate >= 0"), std::string::npos) << e.details()[0];
  }
  // ALO (the default) values it: with r < 0 and q = 0 >= r early exercise never pays, so the
  // American put is worth the European put.
  const RiskBook a = build_risk_book(book_positions, spot_of(70.0), kAsOf, {.rate = -0.01});
  EXPECT_DOUBLE_EQ(a.value[0], 400.0 * options::bsm_price({OptionRight::kPut, 70.0, 100.0, 183.0 / 365.0, 0.25, -0.01, 0.0}));
}

TEST(RiskAmericanOptions, TheBookCarriesTheSelectedEngine) {
  const double years = 183.0 / 365.0;
  const std::vector<Position> book_positions{deep_put(ExerciseStyle::kAmerican)};
  const RiskBook b = build_risk_book(book_positions, spot_of(90.0), kAsOf,
                                     {.rate = 0.05, .american_engine = options::AmericanEngine::kBaw});
  EXPECT_EQ(b.option[0]->american_engine, options::AmericanEngine::kBaw);
  EXPECT_DOUBLE_EQ(b.value[0], 400.0 * options::baw_price(put_inputs(90.0, years)));
  EXPECT_NEAR(position_pnl(b, 0, 0.05, 1),
              400.0 * (options::baw_price(put_inputs(94.5, years - 1.0 / 252.0)) -
                       options::baw_price(put_inputs(90.0, years))),
              1e-9);
}

TEST(RiskDividendYield, PositionYieldOverridesTheBookDefault) {
  Position own = deep_put(ExerciseStyle::kEuropean);
  own.dividend_yield = 0.04;
  const std::vector<Position> positions{own, deep_put(ExerciseStyle::kEuropean)};
  const RiskBook book = build_risk_book(positions, spot_of(70.0), kAsOf, {.rate = 0.05, .div = 0.01});
  EXPECT_DOUBLE_EQ(book.option[0]->div, 0.04);
  EXPECT_DOUBLE_EQ(book.option[1]->div, 0.01);
  options::BsmInputs in = put_inputs(70.0, 183.0 / 365.0);
  in.div = 0.04;
  EXPECT_DOUBLE_EQ(book.value[0], 400.0 * options::bsm_price(in));
}

}  // namespace
}  // namespace keel::risk
