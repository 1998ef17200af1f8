// VaR on a stored portfolio as keel/service/risk_runs.h runs it: when it goes to the background,
// and the form a job keeps its request in (read back into the same request, once).
#include "keel/service/risk_runs.h"

#include <gtest/gtest.h>

#include "keel/core/error.h"
#include "keel/store/store.h"

namespace keel::service {
namespace {

TEST(RiskRuns, MonteCarloAboveTheForegroundLimitRunsAsAJobAndSoDoesAnythingAskedToBeAsync) {
  RiskVarRequest r;
  r.methods = {risk::VarMethod::kHistorical, risk::VarMethod::kMonteCarlo};
  r.var.monte_carlo.paths = kForegroundMonteCarloPaths;  // 50,000: still in the foreground
  EXPECT_FALSE(var_runs_in_background(r));
  r.var.monte_carlo.paths = kForegroundMonteCarloPaths + 1;
  EXPECT_TRUE(var_runs_in_background(r));
  r.methods = {risk::VarMethod::kHistorical};  // the paths count only for a Monte Carlo run
  EXPECT_FALSE(var_runs_in_background(r));
  r.async = true;
  EXPECT_TRUE(var_runs_in_background(r));
}

// The job's form of a request with every kind of field off its default: read back by the same
// description it gives the same request, written again the same JSON.
TEST(RiskRuns, AJobsRequestReadsBackIntoTheRequestItWasMadeFrom) {
  RiskVarRequest r;
  r.methods = {risk::VarMethod::kMonteCarlo, risk::VarMethod::kParametric};
  r.window = 500;
  r.var.confidence = 0.975;
  r.var.horizon_days = 10;
  r.var.covariance.method = risk::CovarianceMethod::kEwma;
  r.var.covariance.ewma_lambda = 0.97;
  r.var.monte_carlo.distribution = risk::McDistribution::kStudentT;
  r.var.monte_carlo.df = 4.5;
  r.var.monte_carlo.paths = 123457;
  r.var.monte_carlo.seed = 18446744073709551557ull;  // the largest 64-bit prime: no loss through JSON
  r.var.delta_gamma = true;
  r.inputs.rate = 0.0425;
  r.inputs.div = 0.013;
  r.inputs.vol_window = 21;
  r.inputs.missing = risk::MissingPrices::kCarryForward;
  r.inputs.source.as_of = Date::from_ymd(2024, 6, 28);
  r.inputs.source.portfolio = "not written: the job names the portfolio by id";
  r.strict_psd = true;
  r.histogram_bins = 40;
  r.async = true;

  // Posted as a client posts it (the portfolio by name), kept by id.
  const auto store = open_store(":memory:");
  const auto book = store->save_portfolio(kDefaultTenant, "book", {}, "test");
  const Context cx{store.get()};
  const auto job = portfolio_risk_job_request(cx, "risk.var", {{"portfolio", "book"}, {"options", spec::to_request_json(r)}});
  EXPECT_EQ(job["portfolio"], book.id);
  const auto& options = job["options"];
  EXPECT_FALSE(options.contains("portfolio"));
  EXPECT_EQ(options["async"], false);
  EXPECT_EQ(options["seed"].get<std::uint64_t>(), 18446744073709551557ull);
  EXPECT_EQ(options["as_of"], "2024-06-28");

  RiskVarRequest back;
  spec::read_json(options, back, "risk/var request");
  EXPECT_EQ(spec::to_request_json(back), options);
  EXPECT_EQ(back.window, 500u);
  EXPECT_EQ(back.var.monte_carlo.paths, 123457u);
  EXPECT_EQ(back.var.monte_carlo.seed, r.var.monte_carlo.seed);
  EXPECT_EQ(back.var.monte_carlo.df, 4.5);
  EXPECT_EQ(back.var.covariance.ewma_lambda, 0.97);
  EXPECT_EQ(back.inputs.missing, risk::MissingPrices::kCarryForward);
  EXPECT_EQ(back.inputs.source.as_of, r.inputs.source.as_of);
  EXPECT_FALSE(back.async);
}

TEST(RiskRuns, AJobRequestThatIsNotOneNamesTheField) {
  const Context cx;  // no store: the shape is checked before any lookup
  try {
    portfolio_risk_job_request(cx, "risk.var", {{"portfolio", 1}, {"options", 3}});
    FAIL() << "expected invalid_input";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidInput);
    ASSERT_EQ(e.details().size(), 1u);
    EXPECT_EQ(e.details()[0], "request.options: expected an object");
  }
  try {
    portfolio_risk_job_request(cx, "risk.backtest", {{"options", nlohmann::json::object()}});
    FAIL() << "expected invalid_input";
  } catch (const Error& e) {
    EXPECT_EQ(e.details().at(0), "request.portfolio: required");
  }
}

}  // namespace
}  // namespace keel::service
