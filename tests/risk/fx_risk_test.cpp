// Currency risk in the risk engines (docs/risk.md, "Currency risk"), on books small enough that
// every expected figure is worked out by hand below.
#include <gtest/gtest.h>
#include <tbb/task_arena.h>

#include <cmath>
#include <string>
#include <vector>

#include "keel/core/error.h"
#include "keel/options/black_scholes.h"
#include "keel/risk/contributions.h"
#include "keel/risk/monte_carlo.h"
#include "keel/risk/var.h"

namespace keel::risk {
namespace {

Date d(const char* s) { return Date::parse_or_throw(s); }

PriceHistory spots(std::vector<std::string> symbols, std::vector<double> prices) {
  PriceHistory p;
  p.dates = {d("2024-01-09")};
  p.symbols = std::move(symbols);
  p.values = std::move(prices);
  return p;
}

Position stock(const std::string& symbol, double quantity, const std::string& currency) {
  Position p;
  p.symbol = symbol;
  p.quantity = quantity;
  p.currency = currency;
  return p;
}

// EUR/USD 1.10 on the as-of date (and GBP/USD 1.25).
FxRates rates_at_as_of() {
  FxRows rows;
  rows.add(d("2024-01-09"), "EUR", "USD", 1.10);
  rows.add(d("2024-01-09"), "GBP", "USD", 1.25);
  return FxRates(rows);
}

ReturnMatrix returns_of(std::vector<std::string> symbols, std::vector<double> values) {
  ReturnMatrix r;
  r.symbols = std::move(symbols);
  r.dates.resize(values.size() / r.symbols.size());
  r.values = std::move(values);
  return r;
}

// SAP's five daily returns in EUR, and EUR/USD's on the same days.
const std::vector<double> kSap{0.02, -0.02, 0.01, -0.03, 0.04};
const std::vector<double> kEur{0.01, -0.01, -0.02, 0.005, -0.01};

ReturnMatrix sap_and_eur() {
  std::vector<double> v;
  for (std::size_t t = 0; t < kSap.size(); ++t) {
    v.push_back(kSap[t]);
    v.push_back(kEur[t]);
  }
  return returns_of({"SAP", "EUR/USD"}, std::move(v));
}

TEST(FxRisk, EurStockInUsdBookIsValuedAtTheAsOfRate) {
  const FxRates fx = rates_at_as_of();
  // 10 SAP at 100 EUR = 1,000 EUR; at EUR/USD 1.10 that is 1,100 USD.
  const RiskBook book = build_risk_book(std::vector<Position>{stock("SAP", 10, "EUR"), stock("AAPL", 5, "USD")},
                                        spots({"SAP", "AAPL"}, {100.0, 200.0}), d("2024-01-09"),
                                        {.currency = "USD", .fx = &fx});
  EXPECT_DOUBLE_EQ(book.value[0], 1100.0);
  EXPECT_DOUBLE_EQ(book.exposure[0], 1100.0);
  EXPECT_DOUBLE_EQ(book.value[1], 1000.0);
  EXPECT_DOUBLE_EQ(book.total_value(), 2100.0);
  EXPECT_DOUBLE_EQ(book.spot[0], 100.0);  // the price stays in its own currency
  ASSERT_EQ(book.assets, (std::vector<std::string>{"SAP", "AAPL", "EUR/USD"}));
  EXPECT_EQ(book.fx[0], 2u);
  EXPECT_EQ(book.fx[1], kNoAsset);
  EXPECT_DOUBLE_EQ(book.fx_rate[0], 1.10);

  // The same book reporting in EUR: AAPL is the foreign one now, 1,000 USD / 1.10 = 909.0909 EUR.
  const RiskBook eur = build_risk_book(std::vector<Position>{stock("SAP", 10, "EUR"), stock("AAPL", 5, "USD")},
                                       spots({"SAP", "AAPL"}, {100.0, 200.0}), d("2024-01-09"),
                                       {.currency = "EUR", .fx = &fx});
  EXPECT_DOUBLE_EQ(eur.value[0], 1000.0);
  EXPECT_NEAR(eur.value[1], 1000.0 / 1.10, 1e-12);
  EXPECT_EQ(eur.assets.back(), "USD/EUR");
}

TEST(FxRisk, ForeignPositionWithoutRatesIsRefused) {
  try {
    build_risk_book(std::vector<Position>{stock("SAP", 10, "EUR")}, spots({"SAP"}, {100.0}), d("2024-01-09"));
    FAIL() << "valued without rates";
  } catch (const Error& e) {
    ASSERT_FALSE(e.details().empty());
    EXPECT_NE(e.details()[0].find("quoted in EUR"), std::string::npos) << e.details()[0];
  }
  // A rate more than 7 days before the as-of date is missing, never 1.
  FxRows old;
  old.add(d("2023-12-29"), "EUR", "USD", 1.10);
  const FxRates stale(old);
  try {
    build_risk_book(std::vector<Position>{stock("SAP", 10, "EUR")}, spots({"SAP"}, {100.0}), d("2024-01-09"),
                    {.currency = "USD", .fx = &stale});
    FAIL() << "valued with a stale rate";
  } catch (const Error& e) {
    ASSERT_FALSE(e.details().empty());
    EXPECT_NE(e.details()[0].find("EUR/USD"), std::string::npos) << e.details()[0];
    EXPECT_NE(e.details()[0].find("2024-01-09"), std::string::npos) << e.details()[0];
  }
}

TEST(FxRisk, OneDayHistoricalVarWithAndWithoutCurrencyRisk) {
  const FxRates fx = rates_at_as_of();
  VarOptions o;
  o.confidence = 0.75;  // 5 scenarios: (5 - 1) x 0.25 = 1, exactly the second lowest P&L

  // Without currency risk: the same 1,000 EUR of SAP in a book reporting in EUR.
  // P&L = 1,000 r = 20, -20, 10, -30, 40; sorted -30, -20, 10, 20, 40: VaR 20 EUR, ES (30+20)/2 = 25.
  const RiskBook in_eur = build_risk_book(std::vector<Position>{stock("SAP", 10, "EUR")}, spots({"SAP"}, {100.0}), d("2024-01-09"),
                                          {.currency = "EUR", .fx = &fx});
  EXPECT_FALSE(in_eur.has_fx());
  const VarResult local = historical_var(in_eur, returns_of({"SAP"}, kSap), o);
  EXPECT_NEAR(local.var, 20.0, 1e-12);
  EXPECT_NEAR(local.es, 25.0, 1e-12);

  // With currency risk: 1,100 USD of SAP, P&L = 1,100 ((1 + r)(1 + f) - 1):
  //   day 1: 1.02 x 1.01  = 1.0302  -> +33.22
  //   day 2: 0.98 x 0.99  = 0.9702  -> -32.78
  //   day 3: 1.01 x 0.98  = 0.9898  -> -11.22
  //   day 4: 0.97 x 1.005 = 0.97485 -> -27.665
  //   day 5: 1.04 x 0.99  = 1.0296  -> +32.56
  // sorted -32.78, -27.665, -11.22, 32.56, 33.22: VaR 27.665 USD, ES (32.78 + 27.665) / 2 = 30.2225.
  const RiskBook in_usd = build_risk_book(std::vector<Position>{stock("SAP", 10, "EUR")}, spots({"SAP"}, {100.0}), d("2024-01-09"),
                                          {.currency = "USD", .fx = &fx});
  const VarResult usd = historical_var(in_usd, sap_and_eur(), o);
  EXPECT_NEAR(usd.var, 27.665, 1e-12);
  EXPECT_NEAR(usd.es, 30.2225, 1e-12);
  // Converting the EUR VaR at 1.10 (22 USD) misses the currency: the worst days are those where
  // the euro fell with the stock.
  const std::vector<double> pnl = historical_pnl(in_usd, sap_and_eur(), 1.0, 1);
  const std::vector<double> want{33.22, -32.78, -11.22, -27.665, 32.56};
  for (std::size_t t = 0; t < want.size(); ++t) EXPECT_NEAR(pnl[t], want[t], 1e-12) << "day " << t + 1;

  // At 80%, h = 4 x 0.2 = 0.8 between -32.78 and -27.665: -32.78 + 0.8 x 5.115 = -28.688.
  o.confidence = 0.8;
  EXPECT_NEAR(historical_var(in_usd, sap_and_eur(), o).var, 28.688, 1e-12);
}

TEST(FxRisk, HistoricalContributionsSplitIntoPriceAndCurrency) {
  const FxRates fx = rates_at_as_of();
  // SAP (1,100 USD) and AAPL (1,000 USD); AAPL's returns 1%, 0%, -1%, 0.5%, 0.
  const RiskBook book = build_risk_book(std::vector<Position>{stock("SAP", 10, "EUR"), stock("AAPL", 5, "USD")},
                                        spots({"SAP", "AAPL"}, {100.0, 200.0}), d("2024-01-09"),
                                        {.currency = "USD", .fx = &fx});
  const std::vector<double> aapl{0.01, 0.0, -0.01, 0.005, 0.0};
  std::vector<double> v;
  for (std::size_t t = 0; t < 5; ++t) {
    v.insert(v.end(), {kSap[t], aapl[t], kEur[t]});
  }
  const ReturnMatrix r = returns_of({"SAP", "AAPL", "EUR/USD"}, v);
  VarOptions o;
  o.confidence = 0.75;
  // Book P&L: SAP's above plus AAPL's 10, 0, -10, 5, 0 = 43.22, -32.78, -21.22, -22.665, 32.56;
  // sorted -32.78, -22.665, -21.22, ...: the VaR scenario is day 4, VaR 22.665.
  // SAP on day 4: price part 1,100 x -0.03 = -33, currency part 1,100 x 0.97 x 0.005 = 5.335.
  const VarContributions c = historical_contributions(book, r, o);
  EXPECT_NEAR(c.total_var, 22.665, 1e-12);
  EXPECT_NEAR(c.positions[0].component_var, 27.665, 1e-12);
  EXPECT_NEAR(c.positions[0].component_var_price, 33.0, 1e-12);
  EXPECT_NEAR(c.positions[0].component_var_currency, -5.335, 1e-12);
  EXPECT_NEAR(c.positions[1].component_var, -5.0, 1e-12);
  EXPECT_NEAR(c.positions[1].component_var_price, -5.0, 1e-12);
  EXPECT_EQ(c.positions[1].component_var_currency, 0.0);
  double sum = 0.0;
  for (const auto& p : c.positions) {
    sum += p.component_var;
    EXPECT_NEAR(p.component_var_price + p.component_var_currency, p.component_var, 1e-12);
  }
  EXPECT_NEAR(sum, c.total_var, 1e-12);

  // Parametric: the parts add up to each component and the components to the VaR.
  const VarContributions pc = parametric_contributions(book, r, o);
  double psum = 0.0;
  for (const auto& p : pc.positions) {
    psum += p.component_var;
    EXPECT_NEAR(p.component_var_price + p.component_var_currency, p.component_var, 1e-9);
  }
  EXPECT_NEAR(psum, pc.total_var, 1e-9);
  EXPECT_NEAR(pc.total_var, parametric_var(book, r, o).var, 1e-9);
  EXPECT_EQ(pc.positions[1].component_var_currency, 0.0);
}

TEST(FxRisk, ParametricIsTheCovarianceOfTranslatedReturns) {
  const FxRates fx = rates_at_as_of();
  const RiskBook book = build_risk_book(std::vector<Position>{stock("SAP", 10, "EUR")}, spots({"SAP"}, {100.0}), d("2024-01-09"),
                                        {.currency = "USD", .fx = &fx});
  // Translated returns T = (1 + r)(1 + f) - 1: 0.0302, -0.0298, -0.0102, -0.02515, 0.0296; mean
  // -0.001064; deviations 0.031264, -0.028736, -0.009136, -0.024086, 0.030664; sum of squares
  // 0.00322627... / 4 = sample variance; sigma_p = 1,100 x its square root.
  const std::vector<double> t{0.0302, -0.0298, -0.0102, -0.02515, 0.0296};
  double mean = 0.0;
  for (double x : t) mean += x / 5.0;
  double ss = 0.0;
  for (double x : t) ss += (x - mean) * (x - mean);
  const double sigma = 1100.0 * std::sqrt(ss / 4.0);
  VarOptions o;
  o.confidence = 0.99;
  const VarResult p = parametric_var(book, sap_and_eur(), o);
  EXPECT_NEAR(p.volatility, sigma, 1e-10);
  EXPECT_NEAR(p.var, 2.3263478740408408 * sigma, 1e-9);
  // For a linear book it is exactly the standard deviation of the historical P&L.
  EXPECT_NEAR(historical_var(book, sap_and_eur(), o).volatility, sigma, 1e-10);
}

TEST(FxRisk, OptionOnForeignUnderlyingIsRevaluedLocallyThenConverted) {
  const FxRates fx = rates_at_as_of();
  Position call;
  call.symbol = "SAP  250109C00100000";
  call.type = InstrumentType::kOption;
  call.underlying = "SAP";
  call.quantity = 2;
  call.multiplier = 100;
  call.strike = 100.0;
  call.expiry = d("2025-01-08");  // 365 days: 1 year act/365
  call.option_type = OptionRight::kCall;
  call.implied_vol = 0.2;
  call.currency = "EUR";
  const RiskBook book = build_risk_book(std::vector<Position>{call}, spots({"SAP"}, {100.0}), d("2024-01-09"),
                                        {.currency = "USD", .fx = &fx});
  // S = K = 100, T = 1, vol 20%, r = q = 0: d1 = 0.1, d2 = -0.1, C = 100 (N(0.1) - N(-0.1))
  // = 100 x 0.0796556745541 = 7.96556745541 EUR; 200 units x 1.10 = 1,752.42484 USD.
  EXPECT_NEAR(book.value[0], 200.0 * 7.965567455405804 * 1.10, 1e-8);
  // A day with SAP +2% and EUR/USD +1%: 200 x (C(102, T - 1/252) x 1.01 - C(100, T)) x 1.10.
  const double later = options::bsm_price({OptionRight::kCall, 102.0, 100.0, 1.0 - 1.0 / 252.0, 0.2, 0.0, 0.0});
  const double want = 200.0 * (later * 1.01 - 7.965567455405804) * 1.10;
  const PnlParts parts = position_pnl_parts(book, 0, 0.02, 0.01, 1);
  EXPECT_NEAR(parts.total(), want, 1e-8);
  EXPECT_NEAR(parts.price, 200.0 * (later - 7.965567455405804) * 1.10, 1e-8);
  EXPECT_NEAR(parts.currency, 200.0 * later * 1.10 * 0.01, 1e-8);
  // The historical engine revalues it the same way, day by day.
  const std::vector<double> pnl = historical_pnl(book, sap_and_eur(), 1.0, 1);
  EXPECT_NEAR(pnl[0], want, 1e-8);
}

TEST(FxRisk, FxReturnsFollowThePriceDatesAndAMissingRateIsRefused) {
  PriceHistory prices;
  prices.dates = {d("2024-01-02"), d("2024-01-03"), d("2024-01-04"), d("2024-01-05")};
  prices.symbols = {"SAP"};
  prices.values = {100.0, 102.0, 99.96, 100.9596};
  const ReturnMatrix sap = simple_returns(prices, std::vector<std::string>{"SAP"}, {.window = 3});
  FxRows rows;
  rows.add(d("2024-01-02"), "EUR", "USD", 1.10);
  rows.add(d("2024-01-03"), "EUR", "USD", 1.111);
  // No rate on 2024-01-04: the rate of 2024-01-03 stands (within 7 days), so that day's FX return is 0.
  rows.add(d("2024-01-05"), "EUR", "USD", 1.0999);
  ReturnMatrix r = sap;
  append_fx_returns(r, std::vector<std::string>{"EUR"}, "USD", FxRates(rows));
  ASSERT_EQ(r.symbols, (std::vector<std::string>{"SAP", "EUR/USD"}));
  EXPECT_NEAR(r.at(0, 1), 1.111 / 1.10 - 1.0, 1e-15);
  EXPECT_EQ(r.at(1, 1), 0.0);
  EXPECT_NEAR(r.at(2, 1), 1.0999 / 1.111 - 1.0, 1e-15);
  EXPECT_NEAR(r.at(0, 0), 0.02, 1e-15);

  // Rates only from 2024-01-04: the first price date has none on or within 7 days before it.
  FxRows late;
  late.add(d("2024-01-04"), "EUR", "USD", 1.10);
  late.add(d("2024-01-05"), "EUR", "USD", 1.10);
  ReturnMatrix r2 = sap;
  try {
    append_fx_returns(r2, std::vector<std::string>{"EUR"}, "USD", FxRates(late));
    FAIL() << "a missing rate was filled";
  } catch (const Error& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("EUR/USD"), std::string::npos) << m;
    EXPECT_NE(m.find("2024-01-02"), std::string::npos) << m;
  }
}

TEST(FxRisk, MonteCarloSimulatesFxJointlyAndIsThreadCountInvariant) {
  const FxRates fx = rates_at_as_of();
  const RiskBook book = build_risk_book(std::vector<Position>{stock("SAP", 10, "EUR"), stock("AAPL", 5, "USD")},
                                        spots({"SAP", "AAPL"}, {100.0, 200.0}), d("2024-01-09"),
                                        {.currency = "USD", .fx = &fx});
  std::vector<double> v;
  const std::vector<double> aapl{0.01, 0.0, -0.01, 0.005, 0.003};
  for (std::size_t t = 0; t < 5; ++t) v.insert(v.end(), {kSap[t], aapl[t], kEur[t]});
  const ReturnMatrix r = returns_of({"SAP", "AAPL", "EUR/USD"}, v);
  VarOptions o;
  o.confidence = 0.99;
  o.monte_carlo.paths = 20000;
  o.monte_carlo.seed = 7;
  const VarResult many = monte_carlo_var(book, r, o);
  VarResult one;
  tbb::task_arena(1).execute([&] { one = monte_carlo_var(book, r, o); });
  EXPECT_EQ(many.var, one.var);
  EXPECT_EQ(many.es, one.es);
  // Any split of the paths gives the same bits (shards, groups of four cut anywhere).
  const MonteCarloSimulation sim(book, r, o);
  std::vector<double> whole(11);
  std::vector<double> parts(11);
  sim.simulate(0, 11, whole.data());
  sim.simulate(0, 3, parts.data());
  sim.simulate(3, 10, parts.data() + 3);
  sim.simulate(10, 11, parts.data() + 10);
  EXPECT_EQ(whole, parts);
  // Close to the delta-normal figure (the cross term r f is second order), within the sampling error.
  const VarResult p = parametric_var(book, r, o);
  EXPECT_NEAR(many.var, p.var, 0.1 * p.var);
}

TEST(FxRisk, ForeignCashCarriesOnlyCurrencyRisk) {
  const FxRates fx = rates_at_as_of();
  Position cash;
  cash.symbol = "EUR";
  cash.type = InstrumentType::kCash;
  cash.quantity = 1000;
  cash.currency = "EUR";
  const RiskBook book = build_risk_book(std::vector<Position>{stock("SAP", 10, "EUR"), cash}, spots({"SAP"}, {100.0}),
                                        d("2024-01-09"), {.currency = "USD", .fx = &fx});
  EXPECT_DOUBLE_EQ(book.value[1], 1100.0);
  // Day 1: SAP 33.22 and the cash 1,100 x 0.01 = 11.
  const std::vector<double> pnl = historical_pnl(book, sap_and_eur(), 1.0, 1);
  EXPECT_NEAR(pnl[0], 33.22 + 11.0, 1e-12);
  VarOptions o;
  o.confidence = 0.75;
  const VarContributions c = historical_contributions(book, sap_and_eur(), o);
  EXPECT_EQ(c.positions[1].component_var_price, 0.0);
  EXPECT_NEAR(c.positions[0].component_var + c.positions[1].component_var, c.total_var, 1e-12);
}

}  // namespace
}  // namespace keel::risk
