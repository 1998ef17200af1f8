// `keel clo run|tests|grid|montecarlo --deal FILE.json`: CLO projection, tests, scenario grid and
// Monte Carlo of correlated defaults (the logic lives in keel/service/clo.h).
#include <cmath>
#include <memory>
#include <optional>

#include "context.h"
#include "keel/core/error.h"
#include "keel/service/clo.h"

namespace keel::cli {
namespace {

struct CloArgs {
  std::string deal;
  std::optional<double> cdr, cpr, recovery;
  std::optional<int> lag;
  std::string as_of;
  std::vector<double> cdr_list, cpr_list, recovery_list;
  std::int64_t scenarios = 10000;
  std::uint64_t seed = 1;
  double correlation = 0.30;
  std::string industry_correlation;
  double confidence = 0.99;
};

void add_deal_and_scenario(CLI::App* cmd, CloArgs& a, bool scenario) {
  cmd->add_option("--deal", a.deal, "CLO deal file (JSON, docs/clo.md)")->required();
  if (!scenario) return;
  cmd->add_option("--cdr", a.cdr, "Annual default rate, decimal (default: the deal's scenario, else 0.02)");
  cmd->add_option("--cpr", a.cpr, "Annual prepayment rate, decimal (default: the deal's, else 0.15)");
  cmd->add_option("--recovery", a.recovery, "Recovery rate, decimal (default: the deal's, else 0.70)");
  cmd->add_option("--recovery-lag", a.lag, "Months from default to recovery (default: the deal's, else 6)");
}

service::CloScenarioRequest scenario_of(const CloArgs& a) { return {a.cdr, a.cpr, a.recovery, a.lag}; }

io::CloDealFile load(Context& ctx, const CloArgs& a) {
  io::CloDealFile f = io::read_clo_deal(a.deal);
  for (const auto& w : f.warnings) ctx.warn(w);
  return f;
}

std::string pct_or_dash(const nlohmann::json& v) { return v.is_number() ? fmt_percent(v.get<double>()) : "-"; }
std::string num_or_dash(const nlohmann::json& v, int d) { return v.is_number() ? fmt_number(v.get<double>(), d) : "-"; }

}  // namespace

void add_clo_commands(CLI::App& app, Context& ctx) {
  auto* group = app.add_subcommand("clo", "CLO analytics: projection, waterfalls, tests, grid, Monte Carlo");
  group->require_subcommand(1);
  auto a = std::make_shared<CloArgs>();

  auto* run = group->add_subcommand("run", "Project the deal: collateral, both waterfalls, OC/IC tests, tranche metrics");
  add_deal_and_scenario(run, *a, true);
  run->callback([&ctx, a] {
    const auto doc = service::clo_run(load(ctx, *a), scenario_of(*a));
    TextTable periods("Periods: " + doc["deal"].get<std::string>());
    periods.column("date", TextTable::Align::kLeft)
        .column("interest")
        .column("principal")
        .column("defaults")
        .column("reinvested")
        .column("diverted")
        .column("equity")
        .column("par")
        .column("failing tests", TextTable::Align::kLeft);
    for (const auto& p : doc["periods"]) {
      std::string failing;
      for (const auto& t : p["tests"]) {
        if (!t["pass"].get<bool>()) failing += (failing.empty() ? "" : ", ") + t["name"].get<std::string>();
      }
      const auto& eq = p["tranches"].back();
      periods.row({p["date"].get<std::string>(), fmt_amount(p["interest_collections"].get<double>()),
                   fmt_amount(p["principal_collections"].get<double>()), fmt_amount(p["defaults"].get<double>()),
                   fmt_amount(p["reinvested"].get<double>()), fmt_amount(p["interest_diverted"].get<double>()),
                   fmt_amount(eq["interest_paid"].get<double>() + eq["principal_paid"].get<double>()),
                   fmt_amount(p["ending_par"].get<double>()), failing});
    }
    TextTable tr("Tranches");
    tr.column("class", TextTable::Align::kLeft)
        .column("balance")
        .column("irr")
        .column("wal")
        .column("principal loss")
        .column("loss %")
        .column("unpaid interest")
        .column("PV loss %")
        .column("first loss", TextTable::Align::kLeft);
    for (const auto& t : doc["tranches"]) {
      tr.row({t["name"].get<std::string>(), fmt_amount(t["original_balance"].get<double>(), 0),
              pct_or_dash(t["irr"]), num_or_dash(t["wal"], 2), fmt_amount(t["principal_loss"].get<double>()),
              fmt_percent(t["loss_pct"].get<double>()), fmt_amount(t["unpaid_interest"].get<double>()),
              pct_or_dash(t["pv_loss_pct"]),
              t["first_loss_date"].is_string() ? t["first_loss_date"].get<std::string>() : "-"});
    }
    tr.footer(
        "loss % = principal not repaid / original balance; unpaid interest = capitalised (PIK) and "
        "unpaid interest left; PV loss at each note's own rate");
    if (doc["defaulted_at_closing"].get<double>() > 0.0) {
      tr.footer("defaulted at closing (outside the performing par, OC at min(recovery, price)): " +
                fmt_amount(doc["defaulted_at_closing"].get<double>()));
    }
    const auto& s = doc["scenario"];
    tr.footer("CDR " + fmt_percent(s["cdr"].get<double>()) + ", CPR " + fmt_percent(s["cpr"].get<double>()) +
              ", recovery " + fmt_percent(s["recovery"].get<double>()) + " after " +
              std::to_string(s["recovery_lag_months"].get<int>()) + " months");
    ctx.emit(doc, {periods, tr});
  });

  auto* tests = group->add_subcommand("tests", "Collateral quality tests and the first period's OC/IC tests");
  add_deal_and_scenario(tests, *a, true);
  tests->add_option("--as-of", a->as_of, "Date of the quality tests (default: the closing date)");
  tests->callback([&ctx, a] {
    std::optional<Date> d;
    if (!a->as_of.empty()) d = Date::parse_or_throw(a->as_of, "--as-of");
    const auto doc = service::clo_tests(load(ctx, *a), scenario_of(*a), d);
    TextTable q("Collateral quality as of " + doc["as_of"].get<std::string>());
    q.column("test", TextTable::Align::kLeft).column("value").column("limit").column("result", TextTable::Align::kLeft);
    for (const auto& t : doc["quality"]) {
      q.row({t["name"].get<std::string>(), num_or_dash(t["value"], 4), fmt_number(t["threshold"].get<double>(), 4),
             t["pass"].get<bool>() ? "pass" : "FAIL"});
    }
    const auto& m = doc["metrics"];
    q.footer("largest obligor " + m["max_obligor"].get<std::string>() + ", largest industry " +
             m["max_industry"].get<std::string>());
    TextTable c("Coverage tests on " + (doc["coverage"]["date"].is_string() ? doc["coverage"]["date"].get<std::string>() : std::string("-")));
    c.column("test", TextTable::Align::kLeft).column("ratio").column("trigger").column("result", TextTable::Align::kLeft);
    for (const auto& t : doc["coverage"]["tests"]) {
      c.row({t["name"].get<std::string>(), num_or_dash(t["value"], 4), fmt_number(t["threshold"].get<double>(), 4),
             t["pass"].get<bool>() ? "pass" : "FAIL"});
    }
    ctx.emit(doc, {q, c});
  });

  auto* grid = group->add_subcommand("grid", "Scenario grid CDR x CPR x recovery: IRR, WAL and loss per tranche");
  add_deal_and_scenario(grid, *a, false);
  grid->add_option("--cdr", a->cdr_list, "CDR values, comma separated (default 0,0.01,0.02,0.03,0.05)")->delimiter(',');
  grid->add_option("--cpr", a->cpr_list, "CPR values (default 0.10,0.20)")->delimiter(',');
  grid->add_option("--recovery", a->recovery_list, "Recovery rates (default 0.50,0.70)")->delimiter(',');
  grid->add_option("--recovery-lag", a->lag, "Months from default to recovery");
  grid->callback([&ctx, a] {
    const auto doc = service::clo_grid(load(ctx, *a), {a->cdr_list, a->cpr_list, a->recovery_list, a->lag});
    TextTable t("Scenario grid: " + doc["deal"].get<std::string>() + " (principal loss % / IRR)");
    t.column("cdr").column("cpr").column("recovery");
    const auto& first = doc["scenarios"].front()["tranches"];
    for (const auto& tr : first) t.column(tr["name"].get<std::string>());
    for (const auto& p : doc["scenarios"]) {
      std::vector<std::string> row{fmt_percent(p["cdr"].get<double>()), fmt_percent(p["cpr"].get<double>()),
                                   fmt_percent(p["recovery"].get<double>())};
      for (const auto& tr : p["tranches"]) {
        row.push_back(fmt_percent(tr["loss_pct"].get<double>()) + " / " + pct_or_dash(tr["irr"]));
      }
      t.row(row);
    }
    ctx.emit(doc, {t});
  });

  auto* mc = group->add_subcommand("montecarlo", "Monte Carlo of correlated defaults: tranche loss distribution");
  add_deal_and_scenario(mc, *a, true);
  mc->add_option("--scenarios", a->scenarios, "Number of scenarios")->check(CLI::Range(1, 10000000));
  mc->add_option("--seed", a->seed, "Random seed (results do not depend on the thread count)");
  mc->add_option("--correlation", a->correlation, "One-factor asset correlation in [0, 1)");
  mc->add_option("--industry-correlation", a->industry_correlation,
                 "CSV industry asset-correlation matrix (replaces --correlation)")
      ->check(CLI::ExistingFile);
  mc->add_option("--confidence", a->confidence, "Confidence of VaR/ES of tranche loss");
  mc->callback([&ctx, a] {
    service::CloMonteCarloRequest req;
    req.scenario = scenario_of(*a);
    req.scenarios = a->scenarios;
    req.seed = a->seed;
    req.correlation = a->correlation;
    req.confidence = a->confidence;
    if (!a->industry_correlation.empty()) req.industry_correlation = io::read_industry_correlation(a->industry_correlation);
    const auto doc = service::clo_montecarlo(load(ctx, *a), req);
    TextTable t("Monte Carlo: " + std::to_string(doc["scenarios"].get<std::int64_t>()) + " scenarios, seed " +
                std::to_string(doc["seed"].get<std::uint64_t>()));
    t.column("class", TextTable::Align::kLeft)
        .column("EL")
        .column("EL %")
        .column("PD")
        .column("VaR %")
        .column("ES %")
        .column("p90 %")
        .column("unpaid int %")
        .column("PV loss %");
    for (const auto& tr : doc["tranches"]) {
      t.row({tr["name"].get<std::string>(), fmt_amount(tr["expected_loss"].get<double>()),
             fmt_percent(tr["expected_loss_pct"].get<double>(), 3), fmt_percent(tr["pd"].get<double>()),
             fmt_percent(tr["var_pct"].get<double>()), fmt_percent(tr["es_pct"].get<double>()),
             fmt_percent(tr["p90_pct"].get<double>()),
             fmt_percent(tr["expected_unpaid_interest_pct"].get<double>(), 3),
             fmt_percent(tr["expected_pv_loss_pct"].get<double>(), 3)});
    }
    t.footer(
        "losses are principal losses (share of the original balance); unpaid int % = mean capitalised "
        "and unpaid interest left; PV loss at each note's own rate");
    const auto& e = doc["equity_irr"];
    t.footer("equity IRR mean " + pct_or_dash(e["mean"]) + ", p5 " + pct_or_dash(e["p5"]) + ", p50 " +
             pct_or_dash(e["p50"]) + ", p95 " + pct_or_dash(e["p95"]));
    t.footer("mean cumulative defaults " + fmt_percent(doc["mean_default_pct"].get<double>()) + " of initial par; VaR/ES at " +
             fmt_percent(doc["confidence"].get<double>(), 1));
    ctx.emit(doc, {t});
  });
}

}  // namespace keel::cli
