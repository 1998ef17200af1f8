// Options valued at the store's curve (docs/exposures.md "Rates"): a two-point zero curve read at
// an option's expiry, by hand; the fallback to the flat rate, said in rate_source and a warning; a
// named curve; the same rate in the risk book. And the exercise an option gets when its file does
// not say (docs/formats.md).
#include <gtest/gtest.h>

#include <cmath>
#include <sstream>

#include "keel/core/error.h"
#include "keel/io/csv.h"
#include "keel/io/readers.h"
#include "keel/portfolio/position.h"
#include "keel/service/exposures.h"
#include "keel/service/imports.h"
#include "keel/service/risk.h"
#include "keel/service/risk_runs.h"
#include "keel/store/market_data_repository.h"
#include "keel/store/store.h"

namespace keel::service {
namespace {

const Date kOptionAsOf = Date::from_ymd(2024, 3, 1);
const Date kOptionExpiry = kOptionAsOf.add_days(548);  // 548 / 365 = 1.50137 years

// 30 weekdays of XYZ ending at 100 on the as-of date.
std::string xyz_closes() {
  std::ostringstream out;
  out << "date,XYZ\n";
  Date d = kOptionAsOf;
  std::vector<std::string> rows;
  for (int t = 0; rows.size() < 30; ++t, d = d.add_days(-1)) {
    if (d.is_weekend()) continue;
    rows.push_back(d.to_string() + "," + std::to_string(100.0 + (t == 0 ? 0.0 : (t % 3) - 1.0)));
  }
  for (auto it = rows.rbegin(); it != rows.rend(); ++it) out << *it << "\n";
  return out.str();
}

Position xyz_call(const std::string& currency = "USD") {
  Position p;
  p.symbol = "XYZ-C100";
  p.type = InstrumentType::kOption;
  p.underlying = "XYZ";
  p.quantity = 1;
  p.multiplier = 100;
  p.strike = 100;
  p.expiry = kOptionExpiry;
  p.option_type = OptionRight::kCall;
  p.exercise = ExerciseStyle::kEuropean;
  p.implied_vol = 0.2;
  p.currency = currency;
  return p;
}

CurveData two_points(const std::string& name, const std::string& currency, Date as_of) {
  CurveData c;
  c.name = name;
  c.as_of = as_of;
  c.kind = CurveKind::kZero;
  c.currency = currency;
  c.points = {{"1Y", 1.0, 0.02}, {"2Y", 2.0, 0.04}};
  return c;
}

struct OptionStore {
  OptionStore() : store(open_store(":memory:")) {
    import_prices({store.get()}, {{"prices.csv", xyz_closes()}});
    store->save_portfolio(kDefaultTenant, "calls", {xyz_call()}, "test");
  }
  PricedBook priced(const std::string& rate_curve = "auto", double rate = 0.0) {
    BookRiskRequest r;
    r.source.portfolio = "calls";
    r.rate = rate;
    r.rate_curve = rate_curve;
    return price_book(Context{store.get()}, r);
  }
  std::unique_ptr<Store> store;
};

// Black-Scholes call by hand: C = S N(d1) - K e^{-rT} N(d2), N(x) = erfc(-x / sqrt 2) / 2.
double hand_bs_call(double s, double k, double t, double vol, double r) {
  const double d1 = (std::log(s / k) + (r + vol * vol / 2) * t) / (vol * std::sqrt(t));
  const double d2 = d1 - vol * std::sqrt(t);
  auto n = [](double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); };
  return s * n(d1) - k * std::exp(-r * t) * n(d2);
}

TEST(OptionRates, TheStoredCurveIsReadAtTheOptionsExpiry) {
  OptionStore s;
  s.store->save_curve(two_points("UST", "USD", kOptionAsOf.add_days(-1)));
  const PricedBook p = s.priced();
  // Linear in the zero rate between the pillars: 2 % + (4 % - 2 %) x (1.50137 - 1) / (2 - 1).
  const double t = 548.0 / 365.0;
  const double r = 0.02 + 0.02 * (t - 1.0);
  ASSERT_EQ(p.report.positions.size(), 1u);
  EXPECT_NEAR(p.report.positions[0].rate, r, 1e-12);
  EXPECT_NEAR(r, 0.030027, 1e-6);
  EXPECT_EQ(p.rate_source, "stored curve UST (" + kOptionAsOf.add_days(-1).to_string() + ")");
  EXPECT_NEAR(p.report.positions[0].price, hand_bs_call(100, 100, t, 0.2, r), 1e-9);
  EXPECT_NEAR(p.report.positions[0].market_value, 100 * hand_bs_call(100, 100, t, 0.2, r), 1e-7);
  // `none` keeps the flat rate.
  const PricedBook flat = s.priced("none", 0.01);
  EXPECT_EQ(flat.rate_source, "flag");
  EXPECT_NEAR(flat.report.positions[0].rate, 0.01, 1e-15);
  EXPECT_NEAR(flat.report.positions[0].price, hand_bs_call(100, 100, t, 0.2, 0.01), 1e-9);
}

TEST(OptionRates, TheRiskBookValuesTheOptionAtTheSameRate) {
  OptionStore s;
  s.store->save_curve(two_points("UST", "USD", kOptionAsOf));
  RiskVarRequest v;
  v.inputs.source.portfolio = "calls";
  v.methods = {risk::VarMethod::kParametric};
  v.window = 20;
  const double t = 548.0 / 365.0;
  const RiskVarResult curve = *run_var(Context{s.store.get()}, v).result;
  EXPECT_NEAR(curve.value, 100 * hand_bs_call(100, 100, t, 0.2, 0.02 + 0.02 * (t - 1.0)), 1e-7);
  v.inputs.rate_curve = "none";
  const RiskVarResult flat = *run_var(Context{s.store.get()}, v).result;
  EXPECT_NEAR(flat.value, 100 * hand_bs_call(100, 100, t, 0.2, 0.0), 1e-7);
}

TEST(OptionRates, WithoutACurveInItsCurrencyAnOptionFallsBackToTheFlatRateAndSaysSo) {
  OptionStore s;
  s.store->save_curve(two_points("ESTR", "EUR", kOptionAsOf));
  s.store->save_curve(two_points("UST", "USD", kOptionAsOf.add_days(1)));  // after the as-of date: not used
  const PricedBook p = s.priced("auto", 0.015);
  EXPECT_NEAR(p.report.positions[0].rate, 0.015, 1e-15);
  EXPECT_EQ(p.rate_source, "flag 1.50 % (no stored USD curve on or before 2024-03-01)");
  bool warned = false;
  for (const auto& w : p.book.warnings) warned |= w.find("options in USD valued at the flat rate 1.50 %") == 0;
  EXPECT_TRUE(warned);
  // A named curve is used whatever its currency, and one the store lacks is an error.
  const PricedBook named = s.priced("ESTR");
  EXPECT_GT(named.report.positions[0].rate, 0.02);
  EXPECT_EQ(named.rate_source, "stored curve ESTR (2024-03-01)");
  try {
    s.priced("SOFR");
    FAIL() << "a missing curve was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kNotFound);
    EXPECT_STREQ(e.what(), "no stored curve named \"SOFR\" on or before 2024-03-01");
  }
}

TEST(OptionRates, AStaleCurveIsNamedInAWarning) {
  OptionStore s;
  s.store->save_curve(two_points("UST", "USD", kOptionAsOf.add_days(-30)));
  const PricedBook p = s.priced();
  bool warned = false;
  for (const auto& w : p.book.warnings) warned |= w.find("30 days before the as-of date") != std::string::npos;
  EXPECT_TRUE(warned);
}

// Dividends of the year to the as-of date (2023-03-03 .. 2024-03-01): 1.00 on 2023-05-15 before a
// 2-for-1 split on 2023-07-03 (0.50 a share today), then 0.50 three times: D = 2.00 a share of
// today; S = 100: q = ln(1 + 2 / 100) = 1.98026 %. The 2023-02-10 dividend is older than a year.
TEST(OptionDividends, StoredDividendsOfTheYearGiveTheYieldOfOptionsWithoutTheirOwn) {
  OptionStore s;
  store::MarketDataWrite w;
  w.source = "test";
  auto dividend = [](const char* d, double cash) {
    CorporateAction a;
    a.symbol = "XYZ";
    a.ex_date = Date::parse_or_throw(d);
    a.kind = ActionKind::kDividend;
    a.cash_amount = cash;
    return a;
  };
  CorporateAction split;
  split.symbol = "XYZ";
  split.ex_date = Date::from_ymd(2023, 7, 3);
  split.kind = ActionKind::kSplit;
  split.split_ratio = 2.0;
  w.actions = {dividend("2023-02-10", 1.0), dividend("2023-05-15", 1.0), split, dividend("2023-08-15", 0.5),
               dividend("2023-11-15", 0.5), dividend("2024-02-15", 0.5)};
  s.store->market_data().save_fetch(w);
  const PricedBook p = s.priced("none");
  const double q = std::log(1.02);
  EXPECT_NEAR(p.report.positions[0].div, q, 1e-15);
  EXPECT_EQ(p.div_source, "stored dividends (12 months) of XYZ");
  const double t = 548.0 / 365.0;
  // Black-Scholes-Merton with the yield (Haug 1.1.6): C = S e^{-qT} N(d1) - K N(d2) at r = 0.
  const double d1 = (std::log(100.0 / 100.0) + (-q + 0.02) * t) / (0.2 * std::sqrt(t));
  const double d2 = d1 - 0.2 * std::sqrt(t);
  auto n = [](double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); };
  EXPECT_NEAR(p.report.positions[0].price, 100.0 * std::exp(-q * t) * n(d1) - 100.0 * n(d2), 1e-9);
  // A position's own yield wins.
  Position own = xyz_call();
  own.dividend_yield = 0.0;
  s.store->save_portfolio(kDefaultTenant, "calls", {own}, "test");
  const PricedBook mine = s.priced("none");
  EXPECT_EQ(mine.report.positions[0].div, 0.0);
  EXPECT_EQ(mine.div_source, "flag");
}

TEST(DefaultExercise, ListedSingleStockAndEtfOptionsAreAmericanCashSettledIndexOptionsEuropean) {
  EXPECT_EQ(default_exercise_style("AAPL"), ExerciseStyle::kAmerican);
  EXPECT_EQ(default_exercise_style("SPY"), ExerciseStyle::kAmerican);
  EXPECT_EQ(default_exercise_style("OEX"), ExerciseStyle::kAmerican);  // the S&P 100's options are American
  EXPECT_EQ(default_exercise_style("SPX"), ExerciseStyle::kEuropean);
  EXPECT_EQ(default_exercise_style("spxw"), ExerciseStyle::kEuropean);
  EXPECT_EQ(default_exercise_style("NDX"), ExerciseStyle::kEuropean);
  EXPECT_EQ(default_exercise_style("^RUT"), ExerciseStyle::kEuropean);
  // Through the positions reader: an OCC symbol without an exercise column.
  Diagnostics d;
  auto csv = io::CsvReader::from_text(
      "p.csv", "symbol,quantity,exercise\nAAPL180119C00170000,1,\nSPX   180119C02700000,1,\nMSFT180119P00080000,1,european\n",
      d);
  const std::vector<Position> positions = io::read_positions(csv, d);
  ASSERT_FALSE(d.has_errors());
  ASSERT_EQ(positions.size(), 3u);
  EXPECT_EQ(positions[0].exercise, ExerciseStyle::kAmerican);
  EXPECT_EQ(positions[1].exercise, ExerciseStyle::kEuropean);
  EXPECT_EQ(positions[2].exercise, ExerciseStyle::kEuropean);  // as the file says
}

}  // namespace
}  // namespace keel::service
