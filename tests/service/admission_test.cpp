// The admission decision (keel/service/admission.h): limits, the refusal's wording, tenant
// overrides, and the costs the use cases state for the inputs of issue 57's table, worked by hand.
#include "keel/service/admission.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <initializer_list>
#include <string_view>
#include <tuple>

#include "keel/alm/balance_sheet.h"
#include "keel/core/date.h"
#include "keel/core/error.h"
#include "keel/service/alm_runs.h"
#include "keel/service/context.h"
#include "keel/service/exposures.h"
#include "keel/service/plan.h"
#include "keel/service/rebalance.h"
#include "keel/service/risk.h"
#include "keel/service/risk_runs.h"

namespace keel::service {
namespace {

ComputeCost cost_of(double cpu_seconds, double memory_bytes, bool has_job) {
  ComputeCost c;
  c.operation = "test run";
  c.engine = Engine::kMonteCarloVar;
  c.steps = cpu_seconds * steps_per_second(Engine::kMonteCarloVar);
  c.memory_bytes = memory_bytes;
  c.formula = "paths 10 x assets 2";
  c.parameter = "paths";
  c.has_job = has_job;
  return c;
}

Error refusal(const ComputeLimits& limits, const ComputeCost& cost) {
  try {
    admit(limits, cost);
  } catch (const Error& e) {
    return e;
  }
  ADD_FAILURE() << "admitted";
  return Error::internal("admitted");
}

TEST(Admission, PlacesByTheForegroundLimitAndRefusesOverTheMaximum) {
  ComputeLimits limits;  // 2 s at once, 900 s in all, 1 GiB
  EXPECT_EQ(admit(limits, cost_of(1.9, 1e6, true)), Placement::kForeground);
  EXPECT_EQ(admit(limits, cost_of(2.1, 1e6, true)), Placement::kBackground);
  EXPECT_EQ(admit(limits, cost_of(899, 1e6, true)), Placement::kBackground);

  const Error over_time = refusal(limits, cost_of(901, 1e6, true));
  EXPECT_EQ(over_time.code(), ErrorCode::kPayloadTooLarge);
  const std::string m = over_time.what();
  EXPECT_NE(m.find("test run refused"), std::string::npos) << m;
  EXPECT_NE(m.find("15 min"), std::string::npos) << m;  // 901 s as written
  EXPECT_NE(m.find("the CPU limit per computation of 15 min"), std::string::npos) << m;
  EXPECT_NE(m.find("paths 10 x assets 2"), std::string::npos) << m;
  EXPECT_NE(m.find("ask for less (paths)"), std::string::npos) << m;
  ASSERT_EQ(over_time.details().size(), 3u);
  EXPECT_EQ(over_time.details()[2], "parameter: paths");

  // 1 GiB = 1,073,741,824 bytes: 1.07e9 passes, 1.08e9 does not.
  EXPECT_EQ(admit(limits, cost_of(1, 1.07e9, true)), Placement::kForeground);
  const std::string mem = refusal(limits, cost_of(1, 1.08e9, true)).what();
  EXPECT_NE(mem.find("the memory limit per computation of 1.1 GB"), std::string::npos) << mem;
  EXPECT_NE(mem.find("1.1 GB of memory"), std::string::npos) << mem;

  // Without a job, above the foreground limit is a refusal naming that limit.
  const std::string now = refusal(limits, cost_of(3, 1e6, false)).what();
  EXPECT_NE(now.find("over the limit of a computation answered at once of 2.0 s"), std::string::npos) << now;
}

TEST(Admission, ContextWithoutLimitsAdmitsEverythingAndJobsKeepTheMaximum) {
  Context cx{nullptr, system_env()};
  EXPECT_EQ(admit(cx, cost_of(1e9, 1e15, false)), Placement::kForeground);  // the keel command
  LimitPolicy policy;
  cx.limits = &policy;
  cx.actor.tenant = "acme";
  EXPECT_THROW(admit_now(cx, cost_of(3, 1e6, true)), Error);  // now, in a request: the foreground limit
  cx.in_job = true;
  EXPECT_NO_THROW(admit_now(cx, cost_of(3, 1e6, false)));  // in a job: the job's limits
  EXPECT_THROW(admit_now(cx, cost_of(901, 1e6, false)), Error);
}

// Pricing a book's Greeks, counted by hand: 3 stocks, 2 American and 1 European options
// = 6 positions + 1 x 100 + 2 x 16,000 = 32,106 steps, 0.000107 CPU seconds at 3e8 a second. A book
// of 40,000 American options (6.4e8 steps, 2.1 s) is over the 2 s foreground limit and has no job:
// refused, naming the options.
TEST(Admission, AGreeksBookCountsItsAmericanOptionsByHand) {
  Book book;
  for (const char* s : {"AAA", "BBB", "CCC"}) {
    Position stock;
    stock.symbol = s;
    book.positions.push_back(stock);
  }
  for (int i = 0; i < 3; ++i) {
    Position o;
    o.symbol = "AAA";
    o.type = InstrumentType::kOption;
    o.exercise = i < 2 ? ExerciseStyle::kAmerican : ExerciseStyle::kEuropean;
    book.positions.push_back(o);
  }
  const ComputeCost cost = greeks_cost(book);
  EXPECT_DOUBLE_EQ(cost.steps, 6.0 + 100.0 + 2.0 * 16000.0);
  EXPECT_EQ(cost.formula, "positions 6 + European options 1 x 100 + American options 2 x 16000");
  EXPECT_EQ(admit(ComputeLimits{}, cost), Placement::kForeground);
  Book big;
  Position american;
  american.type = InstrumentType::kOption;
  american.exercise = ExerciseStyle::kAmerican;
  big.positions.assign(40000, american);
  const ComputeCost heavy = greeks_cost(big);
  EXPECT_NEAR(heavy.cpu_seconds(), (40000.0 + 40000.0 * 16000.0) / 3e8, 1e-9);
  try {
    admit(ComputeLimits{}, heavy);
    FAIL() << "a book over the foreground limit without a job is refused";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kPayloadTooLarge);
    EXPECT_NE(std::string(e.what()).find("options"), std::string::npos) << e.what();
  }
}

TEST(Admission, TenantLimitsOverrideTheDefaults) {
  LimitPolicy policy;
  policy.tenants.insert(parse_tenant_limit("acme:foreground_seconds=0.5,max_memory_mb=64", policy.defaults));
  const ComputeLimits& acme = policy.of("acme");
  EXPECT_EQ(acme.foreground_cpu_seconds, 0.5);
  EXPECT_EQ(acme.max_cpu_seconds, 900.0);                  // not given: the default
  EXPECT_EQ(acme.max_memory_bytes, 64u * 1024u * 1024u);  // MiB
  EXPECT_EQ(policy.of("globex").foreground_cpu_seconds, 2.0);
  EXPECT_EQ(admit(acme, cost_of(1, 1e6, true)), Placement::kBackground);
  EXPECT_EQ(admit(policy.of("globex"), cost_of(1, 1e6, true)), Placement::kForeground);

  for (const char* bad : {"acme", ":max_seconds=1", "acme:", "acme:max_seconds", "acme:max_seconds=-1",
                          "acme:max_seconds=abc", "acme:paths=1"}) {
    try {
      parse_tenant_limit(bad, policy.defaults);
      ADD_FAILURE() << bad;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::kUsage) << bad;
      EXPECT_NE(std::string(e.what()).find(bad), std::string::npos) << e.what();
    }
  }
}

// A book of N assets with 40 days of prices (a random walk): positions and wide prices files.
std::pair<std::string, std::string> wide_book(std::size_t n) {
  const auto dir = std::filesystem::temp_directory_path() / ("keel_admission_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string positions = (dir / ("positions_" + std::to_string(n) + ".csv")).string();
  const std::string prices = (dir / ("prices_" + std::to_string(n) + ".csv")).string();
  std::ofstream pos(positions), px(prices);
  pos << "symbol,quantity\n";
  px << "date";
  for (std::size_t i = 0; i < n; ++i) {
    pos << "S" << i << ",10\n";
    px << ",S" << i;
  }
  px << "\n";
  for (int d = 0; d < 40; ++d) {
    px << Date::from_ymd(2024, 1, 1).add_days(d).to_string();
    for (std::size_t i = 0; i < n; ++i) px << "," << 100.0 + ((i * 7 + static_cast<std::size_t>(d) * 13) % 17) * 0.1;
    px << "\n";
  }
  return {positions, prices};
}

// Runs `call`, which must be refused with payload_too_large, its message naming each of `parts`.
void expect_refused(const std::function<void()>& call, std::initializer_list<std::string_view> parts) {
  try {
    call();
    ADD_FAILURE() << "admitted";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kPayloadTooLarge) << e.what();
    for (const auto part : parts) EXPECT_NE(std::string(e.what()).find(part), std::string::npos) << e.what();
  }
}

TEST(Admission, ACorrelationMatrixOfThousandsOfAssetsIsRefusedForItsMemoryBeforeItIsBuilt) {
  // The answer holds assets^2 cells at about 124 bytes each (the covariance, the correlation, the
  // rows and their JSON): 3,000 assets = 9e6 cells = 1.1 GB, over the 1 GiB limit; 200 = 5 MB.
  LimitPolicy policy;
  Context cx{nullptr, system_env()};
  cx.limits = &policy;
  RiskCorrelationRequest req;
  req.window = 30;
  std::tie(req.inputs.source.positions_file, req.inputs.source.prices_file) = wide_book(3000);
  expect_refused([&] { risk_correlation(cx, req); }, {"correlation refused", "assets 3000^2"});
  std::tie(req.inputs.source.positions_file, req.inputs.source.prices_file) = wide_book(200);
  EXPECT_EQ(risk_correlation(cx, req).matrix.size(), 200u);
}

// An IRRBB run's cost, worked by hand on three positions as of 2020-12-31: a 10-year bond paying
// every 6 months (3,652 days = 119.98 months: 19 more payments after the first, 20), a
// non-maturity deposit running off over 5 years (60 monthly payments) and a zero bond (one
// payment). Scenarios: the base and the six standard shocks, for EVE and NII: 14 runs.
TEST(Admission, AnIrrbbRunCountsEveryPositionsPaymentsByHand) {
  AlmInputs in;
  in.options.as_of = Date::from_ymd(2020, 12, 31);
  alm::PositionTerms bond;
  bond.maturity_date = Date::from_ymd(2030, 12, 31);
  bond.payment_months = 6;
  alm::PositionTerms deposit;
  deposit.behavioural_years = 5;
  alm::PositionTerms zero;
  zero.maturity_date = Date::from_ymd(2021, 12, 31);
  zero.payment_months = 0;
  for (const auto& t : {bond, deposit, zero}) in.book.add(t, "p", "loan", "", 0);
  const ComputeCost c = alm_cost(in);
  EXPECT_EQ(c.engine, Engine::kAlmCashFlow);
  EXPECT_DOUBLE_EQ(c.steps, 14.0 * (20 + 60 + 1));
  EXPECT_NE(c.formula.find("payments 81 of 3 positions"), std::string::npos) << c.formula;
  EXPECT_EQ(admit(ComputeLimits{}, c), Placement::kForeground);
  // A million such bonds: 14 x 2e7 payments = 2.8e8 steps, over the 2 s foreground at the rate.
  AlmInputs big;
  big.options.as_of = in.options.as_of;
  for (int i = 0; i < 1'000'000; ++i) big.book.terms.push_back(bond);
  const ComputeCost b = alm_cost(big);
  EXPECT_DOUBLE_EQ(b.steps, 14.0 * 20.0 * 1e6);
  EXPECT_THROW(admit(ComputeLimits{}, b), Error);
}

// A backtest states its cost once the returns are read: days x assets of P&L, then each tested
// day's window sorted. With a foreground limit of a microsecond, it is refused naming the window.
TEST(Admission, ABacktestOverTheForegroundLimitIsRefusedNamingTheWindow) {
  LimitPolicy policy;
  policy.defaults.foreground_cpu_seconds = 1e-6;
  Context cx{nullptr, system_env()};
  cx.limits = &policy;
  RiskBacktestRequest req;
  req.backtest.window = 20;
  std::tie(req.inputs.source.positions_file, req.inputs.source.prices_file) = wide_book(50);
  expect_refused([&] { run_backtest(cx, req); }, {"VaR backtest refused", "days 39 x assets 50", "window (or async"});
  // Without limits (the keel command) it runs.
  Context free{nullptr, system_env()};
  EXPECT_EQ(run_backtest(free, req).result->window, 20u);
}

TEST(Admission, ARebalanceCountsItsRowsAndIsRefusedBeforeItPricesTheTargets) {
  // 3 positions + 2 targets + 5 lots = 10 rows at 4e5 a second, 256 bytes each.
  const ComputeCost cost = rebalance_cost(3, 2, 5);
  EXPECT_DOUBLE_EQ(cost.steps, 10.0);
  EXPECT_DOUBLE_EQ(cost.cpu_seconds(), 10.0 / 4e5);
  EXPECT_DOUBLE_EQ(cost.memory_bytes, 2560.0);
  EXPECT_EQ(cost.formula, "positions 3 + targets 2 + lots 5");
  EXPECT_EQ(cost.parameter, "account");
  // 1,000,000 target weights (a 16 MB body of them) on a 50-position book: 2.5 s, over the
  // foreground's 2 s, and rebalance has no job.
  EXPECT_THROW(admit(ComputeLimits{}, rebalance_cost(50, 1'000'000, 0)), Error);

  LimitPolicy policy;
  policy.defaults.foreground_cpu_seconds = 1e-6;
  Context cx{nullptr, system_env()};
  cx.limits = &policy;
  RebalanceRequest req;
  std::tie(req.source.positions_file, req.source.prices_file) = wide_book(50);
  req.target_weights = {{"S0", 0.5}, {"S1", 0.1}};
  expect_refused([&] { rebalance(cx, req); }, {"rebalance refused", "positions 50 + targets 2 + lots 0", "target_weights"});
  Context free{nullptr, system_env()};
  EXPECT_EQ(rebalance(free, req).trades.size(), 50u);  // S0 and S1 bought up to 0.5 and 0.1, 48 sold out
}

TEST(Admission, CostsOfTheAttacks) {
  // What-if with 100,000,000 Monte Carlo paths on a 2-asset book, one side: 2 x paths x assets
  // steps = 4e8 steps of Monte Carlo, and 16 bytes a path = 1.6 GB: over the 1 GiB memory limit.
  risk::VarOptions var;
  var.monte_carlo.paths = 100'000'000;
  const ComputeCost mc = var_cost({risk::VarMethod::kMonteCarlo}, var, 252, {2, 0}, "what-if calculation");
  EXPECT_DOUBLE_EQ(mc.memory_bytes, 16.0 * 1e8 + 8.0 * 2 * 252 + 8.0 * 4);
  EXPECT_GE(mc.steps, 4e8);
  EXPECT_EQ(mc.parameter, "paths");
  EXPECT_THROW(admit(ComputeLimits{}, mc), Error);
  // The 50,000 paths the foreground has always allowed stay in the foreground on a 465-asset book:
  // 2 x 50,000 x 465 = 4.65e7 steps, a third of a second at 1.5e8 a second.
  var.monte_carlo.paths = 50'000;
  EXPECT_EQ(admit(ComputeLimits{}, var_cost({risk::VarMethod::kMonteCarlo}, var, 252, {465, 0})), Placement::kForeground);

  // Options are revalued in every scenario. 1,000 American options on one underlying, 100,000
  // paths, took 6.9 CPU-s here (69 ns a revaluation): counted as 2 x 100,000 x (1,000 + 16 x 1,000)
  // = 3.4e9 steps, 11 s at the 3e8 a second of the Monte Carlo rate, so a job (over the 2 s of the
  // foreground) where the positions alone (2e8 steps, 0.7 s) would have run at once.
  var.monte_carlo.paths = 100'000;
  const ComputeCost options = var_cost({risk::VarMethod::kMonteCarlo}, var, 60, {1000, 1000});
  EXPECT_GE(options.steps, 2.0 * 100'000 * (1000 + 16 * 1000));
  EXPECT_LT(options.steps, 2.0 * 100'000 * (1000 + 16 * 1000) * 1.1);
  EXPECT_NE(options.formula.find("options 1000 x 16"), std::string::npos) << options.formula;
  EXPECT_EQ(admit(ComputeLimits{}, options), Placement::kBackground);
  EXPECT_EQ(admit(ComputeLimits{}, var_cost({risk::VarMethod::kMonteCarlo}, var, 60, {1000, 0})),
            Placement::kForeground);
  // Historical VaR revalues them in each of the window's scenarios: 252 x 10,000 options x 16 x 2.
  const ComputeCost hist = var_cost({risk::VarMethod::kHistorical}, var, 252, {10'000, 10'000});
  EXPECT_GE(hist.steps, 2.0 * 252 * 16 * 10'000);

  // Plan sensitivity: 10,000 values x 10,000,000 trials x 60 years = 6e12 trial-years: refused.
  PlanSensitivityRequest sens;
  sens.plan.trials = 10'000'000;
  sens.plan.years = 60;
  sens.values.assign(10'000, 0.04);
  const ComputeCost plan = plan_sensitivity_cost(sens);
  EXPECT_DOUBLE_EQ(plan.steps, 10'000.0 * 10'000'000.0 * 60.0);
  EXPECT_THROW(admit(ComputeLimits{}, plan), Error);
  // The default plan (10,000 trials x 30 years, one value) is a job-sized nothing.
  PlanSensitivityRequest small;
  small.values = {0.03, 0.04};
  EXPECT_EQ(admit(ComputeLimits{}, plan_sensitivity_cost(small)), Placement::kForeground);

  // A monthly year took 2.3 times an annual one (2,000,000 trials x 60 years: 4.2 s against 1.9 s
  // of CPU), counted as 2.5 rather than the 12 of its steps; memory is 208 bytes a trial plus the
  // percentile chunk of 2^20 cells x 4 x 8 bytes.
  PlanRequest monthly;
  monthly.trials = 2'000'000;
  monthly.years = 60;
  monthly.monthly = true;
  const ComputeCost m = plan_retire_cost(monthly);
  EXPECT_DOUBLE_EQ(m.steps, 2'000'000.0 * 60.0 * 2.5);
  EXPECT_DOUBLE_EQ(m.memory_bytes, 2'000'000.0 * 208.0 + 4.0 * 8.0 * 1048576.0);
  monthly.monthly = false;
  EXPECT_DOUBLE_EQ(plan_retire_cost(monthly).steps, 2'000'000.0 * 60.0);
}

}  // namespace
}  // namespace keel::service
