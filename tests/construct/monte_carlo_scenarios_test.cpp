// Minimum CVaR on scenarios of keel's Monte Carlo generator (MonteCarloSimulation::simulate_returns):
// the scenarios are the ones behind the VaR paths, the same on any split of the paths, and the
// optimum matches cvxopt's LP on the same scenarios (tests/construct/construct_reference.py).
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>

#include "keel/construct/optimize.h"
#include "keel/risk/book.h"
#include "keel/risk/monte_carlo.h"

namespace keel::construct {
namespace {

using Eigen::MatrixXd;
using Eigen::VectorXd;
using RowMatrix = Eigen::Matrix<double, -1, -1, Eigen::RowMajor>;

struct McInputs {
  risk::RiskBook book;
  risk::ReturnMatrix returns;
  risk::VarOptions options;
};

// A book of equal values on each asset, the case's returns, its Monte Carlo settings.
McInputs inputs_of(const nlohmann::json& c) {
  McInputs in;
  const std::size_t n = c["n"];
  const std::vector<double> r = c["returns"];
  for (std::size_t i = 0; i < n; ++i) {
    const std::string s = fmt::format("A{}", i);
    in.returns.symbols.push_back(s);
    in.book.assets.push_back(s);
    in.book.ids.push_back(s);
    in.book.asset.push_back(i);
    in.book.value.push_back(1.0 + double(i));
    in.book.exposure.push_back(1.0 + double(i));
    in.book.gamma_exposure.push_back(0.0);
    in.book.units.push_back(1.0);
    in.book.spot.push_back(1.0);
    in.book.option.emplace_back();
  }
  in.returns.values = r;
  for (std::size_t t = 0; t < r.size() / n; ++t) in.returns.dates.push_back(Date::from_serial(Date::from_ymd(2020, 1, 1).serial() + int(t)));
  in.returns.start = Date::from_ymd(2019, 12, 31);
  in.options.confidence = c["beta"];
  in.options.mean = risk::MeanModel::kSample;
  in.options.monte_carlo.paths = c["paths"];
  in.options.monte_carlo.seed = c["seed"];
  in.options.monte_carlo.df = c["df"];
  in.options.monte_carlo.distribution =
      c["distribution"] == "t" ? risk::McDistribution::kStudentT : risk::McDistribution::kNormal;
  return in;
}

RowMatrix scenarios_of(const McInputs& in) {
  const risk::MonteCarloSimulation sim(in.book, in.returns, in.options);
  RowMatrix s(long(in.options.monte_carlo.paths), long(in.returns.cols()));
  sim.simulate_returns(0, in.options.monte_carlo.paths, s.data());
  return s;
}

nlohmann::json load_reference() {
  std::ifstream in(std::string(KEEL_SOURCE_DIR) + "/tests/construct/data/construct_reference.json");
  return nlohmann::json::parse(in);
}

// Any split of the paths gives the same bits (so does any thread count), and the book's P&L on a
// path is its exposures times the path's returns: the scenarios are the VaR generator's.
TEST(MonteCarloScenarios, SameOnAnySplitAndBehindTheVarPnl) {
  for (const auto& c : load_reference()["cases"]) {
    if (c["kind"] != "min_cvar_mc") continue;
    SCOPED_TRACE(c["name"].get<std::string>());
    const McInputs in = inputs_of(c);
    const RowMatrix all = scenarios_of(in);
    const risk::MonteCarloSimulation sim(in.book, in.returns, in.options);
    const std::size_t paths = in.options.monte_carlo.paths, k = in.returns.cols();
    RowMatrix parts = RowMatrix::Zero(long(paths), long(k));
    sim.simulate_returns(0, 337, parts.data());
    sim.simulate_returns(337, paths, parts.data() + 337 * k);
    EXPECT_EQ(all, parts);
    std::vector<double> pnl(paths);
    sim.simulate(0, paths, pnl.data());
    const VectorXd e = Eigen::Map<const VectorXd>(in.book.exposure.data(), long(k));
    const VectorXd mine = all * e;
    double worst = 0.0;
    for (std::size_t p = 0; p < paths; ++p) worst = std::max(worst, std::abs(mine[long(p)] - pnl[p]));
    EXPECT_LT(worst, 1e-15 * 100.0) << "largest |P&L difference| " << worst;
  }
}

TEST(MonteCarloScenarios, MinCvarMatchesCvxoptOnTheSameScenarios) {
  const nlohmann::json ref = load_reference();
  if (const char* out = std::getenv("KEEL_WRITE_MC_SCENARIOS")) {
    nlohmann::json written = nlohmann::json::object();
    for (const auto& c : ref["cases"]) {
      if (c["kind"] != "min_cvar_mc") continue;
      const RowMatrix s = scenarios_of(inputs_of(c));
      written[c["name"].get<std::string>()] = std::vector<double>(s.data(), s.data() + s.size());
    }
    std::ofstream(out) << written.dump();
    GTEST_SKIP() << "wrote the scenarios to " << out;
  }
  int seen = 0;
  for (const auto& c : ref["cases"]) {
    if (c["kind"] != "min_cvar_mc") continue;
    SCOPED_TRACE(c["name"].get<std::string>());
    ++seen;
    ASSERT_TRUE(c.contains("scenarios")) << "the reference lacks the scenarios: see construct_reference.py";
    const RowMatrix s = scenarios_of(inputs_of(c));
    const std::vector<double> stored = c["scenarios"];
    ASSERT_EQ(stored.size(), std::size_t(s.size()));
    for (std::size_t i = 0; i < stored.size(); ++i) ASSERT_EQ(stored[i], s.data()[i]) << i;
    Problem pb;
    const std::size_t n = c["n"];
    for (std::size_t i = 0; i < n; ++i) pb.symbols.push_back(fmt::format("A{}", i));
    const std::vector<double> cov = c["cov"], mean = c["mean"];
    pb.covariance = Eigen::Map<const RowMatrix>(cov.data(), long(n), long(n));
    pb.mean = Eigen::Map<const VectorXd>(mean.data(), long(n));
    pb.scenarios = s;
    pb.es_confidence = c["beta"];
    pb.constraints.long_only = true;
    const Result r = optimize(pb, {Objective::kMinCvar, 0.0});
    const std::vector<double> w = c["weights"];
    double max_dw = 0.0;
    for (std::size_t i = 0; i < n; ++i) max_dw = std::max(max_dw, std::abs(r.weights[i] - w[i]));
    const double ref_es = c["objective"];
    const double rel = std::abs(r.expected_shortfall - ref_es) / std::abs(ref_es);
    std::printf("%-22s max |dw| %.2e  ES rel diff %.2e\n", c["name"].get<std::string>().c_str(), max_dw, rel);
    EXPECT_LT(max_dw, 1e-3);  // a CVaR LP may be degenerate: the minimum is compared tightly
    EXPECT_LT(rel, 1e-8);
  }
  EXPECT_EQ(seen, 2);
}

}  // namespace
}  // namespace keel::construct
