// `keel plan retire` (Monte Carlo retirement plan), `keel plan sensitivity` (one run per value) and
// `keel plan compare` (one run per withdrawal strategy).
#include <fmt/format.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "context.h"
#include "keel/core/error.h"
#include "keel/core/parse.h"
#include "keel/core/env.h"
#include "keel/service/plan.h"
#include "spec_cli.h"

namespace keel::cli {
namespace {

std::string opt_text(const std::optional<double>& v, int decimals, bool percent = false) {
  if (!v) return "-";
  return percent ? fmt_percent(*v, decimals) : fmt_number(*v, decimals);
}

// The starting balance: --balance, or the net worth of a ledger account (--account NAME from the
// store) or of a transactions file (--transactions FILE --prices FILE).
void resolve_balance(Context& ctx, service::PlanRequest& q) {
  const int given = (q.balance ? 1 : 0) + (q.account ? 1 : 0) + (q.transactions ? 1 : 0);
  if (given != 1) throw Error::usage("give exactly one of --balance, --account or --transactions");
  if (q.balance) return;
  service::LedgerSource src;
  src.transactions_file = q.transactions;
  src.account = q.account;
  src.prices_file = q.prices;
  src.mapping_file = q.mapping;
  q.balance = service::starting_balance_from_ledger(ctx.service_for(src), src);
  ctx.note("starting balance: net worth " + fmt_amount(*q.balance) + " of " +
           (q.account ? "account " + *q.account : *q.transactions));
}

// A plan runs on files alone, as the operator or the user of --as (whose role must hold compute).
service::Context plan_context(Context& ctx) { return ctx.service_if(false); }

void run_retire(Context& ctx, service::PlanRequest& q) {
  resolve_balance(ctx, q);
  const service::PlanRetireResult out = service::plan_retire(plan_context(ctx), q);
  for (const auto& w : out.warnings) ctx.warn(w);
  const auto& f = out.figures;
  TextTable summary(
      fmt::format("Retirement plan: {}, {} trials, seed {}", out.inputs.strategy, f.trials, out.inputs.seed));
  summary.column("measure", TextTable::Align::kLeft).column("value");
  summary.row({"success rate", fmt_percent(f.success_rate, 2) + " ± " + fmt_percent(f.success_standard_error, 2)});
  summary.row({"failures", std::to_string(f.failures)});
  summary.row({"median shortfall year", opt_text(f.median_shortfall_year, 1)});
  if (out.target_success)
    summary.row({"safe withdrawal rate at " + fmt_percent(*out.target_success, 0),
                 opt_text(f.safe_withdrawal_rate, 3, true)});
  summary.row({"terminal balance p5", fmt_amount(f.terminal.p5, 0)});
  summary.row({"terminal balance p50", fmt_amount(f.terminal.p50, 0)});
  summary.row({"terminal balance p95", fmt_amount(f.terminal.p95, 0)});
  summary.footer("balances and spending are nominal; success = never short of a planned cash flow");
  TextTable years("Balance at year end (nominal) and spending in the year");
  years.column("year").column("balance p5").column("p25").column("p50").column("p75").column("p95")
      .column("spending p5").column("spending p50");
  const auto& paths = out.paths;
  const auto& spend = out.spending;
  for (std::size_t t = 0; t < paths.year.size(); ++t) {
    std::vector<std::string> row = {std::to_string(paths.year[t])};
    for (const auto* p : {&paths.p5, &paths.p25, &paths.p50, &paths.p75, &paths.p95})
      row.push_back(fmt_amount((*p)[t], 0));
    if (t == 0) {
      row.push_back("-");
      row.push_back("-");
    } else {
      row.push_back(fmt_amount(spend.p5[t - 1], 0));
      row.push_back(fmt_amount(spend.p50[t - 1], 0));
    }
    years.row(std::move(row));
  }
  ctx.emit(spec::to_json(out), {summary, years});
}

void run_sensitivity(Context& ctx, service::PlanSensitivityRequest& q) {
  if (q.vary == plan::SensitivityParameter::kBalance && !q.plan.balance && !q.plan.account && !q.plan.transactions)
    q.plan.balance = 0.0;
  resolve_balance(ctx, q.plan);
  const service::PlanSensitivityResult out = service::plan_sensitivity(plan_context(ctx), q);
  for (const auto& w : out.warnings) ctx.warn(w);
  TextTable t(fmt::format("Sensitivity of the plan to {} ({}, {} trials, common random numbers)",
                          out.parameter, out.inputs.strategy, out.inputs.trials));
  t.column(out.parameter).column("success").column("± se").column("median shortfall yr")
      .column("terminal p5").column("terminal p50").column("terminal p95").column("1st-year spending p50");
  for (const auto& r : out.rows) {
    const auto& f = r.figures;
    t.row({fmt_number(r.value, 4), fmt_percent(f.success_rate, 1), fmt_percent(f.success_standard_error, 1),
           opt_text(f.median_shortfall_year, 1), fmt_amount(f.terminal.p5, 0), fmt_amount(f.terminal.p50, 0),
           fmt_amount(f.terminal.p95, 0),
           r.first_year_spending_p50 ? fmt_amount(*r.first_year_spending_p50, 0) : "-"});
  }
  ctx.emit(spec::to_json(out), {t});
}

void run_compare(Context& ctx, service::PlanCompareRequest& q) {
  resolve_balance(ctx, q.plan);
  const service::PlanCompareResult out = service::plan_compare(plan_context(ctx), q);
  for (const auto& w : out.warnings) ctx.warn(w);
  TextTable t(fmt::format("Withdrawal strategies compared ({} trials, seed {}, common random numbers)",
                          out.inputs.trials, out.inputs.seed));
  t.column("strategy", TextTable::Align::kLeft)
      .column("success")
      .column("± se")
      .column("median shortfall yr")
      .column("safe rate")
      .column("1st-year spending p50")
      .column("terminal p5")
      .column("terminal p50")
      .column("terminal p95");
  for (const auto& r : out.rows) {
    const auto& f = r.figures;
    t.row({r.strategy, fmt_percent(f.success_rate, 1), fmt_percent(f.success_standard_error, 1),
           opt_text(f.median_shortfall_year, 1), opt_text(f.safe_withdrawal_rate, 3, true),
           r.first_year_spending_p50 ? fmt_amount(*r.first_year_spending_p50, 0) : "-",
           fmt_amount(f.terminal.p5, 0), fmt_amount(f.terminal.p50, 0), fmt_amount(f.terminal.p95, 0)});
  }
  for (const auto& s : out.skipped) {
    std::string why;
    for (const auto& p : s.problems) why += (why.empty() ? "" : "; ") + p;
    ctx.note(s.strategy + " skipped: " + why);
  }
  ctx.emit(spec::to_json(out), {t});
}

}  // namespace

void add_plan_commands(CLI::App& app, Context& ctx) {
  auto* group = app.add_subcommand("plan", "Retirement planning: Monte Carlo withdrawals");
  group->require_subcommand(1);

  auto q = std::make_shared<service::PlanRequest>();
  auto* retire = group->add_subcommand("retire", "Success rate, percentile paths and terminal wealth of a plan");
  spec_options(retire, *q);
  retire->callback([&ctx, q] { run_retire(ctx, *q); });

  auto sq = std::make_shared<service::PlanSensitivityRequest>();
  auto* sens = group->add_subcommand("sensitivity", "One plan run per value of one input (same seed)");
  spec_options(sens, *sq);
  sens->callback([&ctx, sq] { run_sensitivity(ctx, *sq); });

  auto cq = std::make_shared<service::PlanCompareRequest>();
  auto* cmp =
      group->add_subcommand("compare", "The plan under each withdrawal strategy (same seed), side by side");
  spec_options(cmp, *cq);
  cmp->callback([&ctx, cq] { run_compare(ctx, *cq); });
}

}  // namespace keel::cli
