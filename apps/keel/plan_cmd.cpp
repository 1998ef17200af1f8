// `keel plan retire` (Monte Carlo retirement plan) and `keel plan sensitivity` (one run per value).
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "context.h"
#include "keel/core/error.h"
#include "keel/core/parse.h"
#include "keel/service/plan.h"

namespace keel::cli {
namespace {

// Where the starting balance comes from: --balance, or the net worth of a ledger account
// (--account NAME from the store) or of a transactions file (--transactions FILE --prices FILE).
struct BalanceSource {
  std::optional<double> balance;
  std::optional<std::string> account, transactions, prices, mapping;
};

void add_plan_flags(CLI::App* cmd, service::PlanRequest& q, BalanceSource& b) {
  cmd->add_option("--balance", b.balance, "Starting balance (currency)");
  cmd->add_option("--account", b.account, "Start from the net worth of this stored ledger account");
  cmd->add_option("--transactions", b.transactions, "Start from the net worth of this transactions file");
  cmd->add_option("--prices", b.prices, "Prices for --transactions / --account (default: the store's)");
  cmd->add_option("--mapping", b.mapping, "Broker mapping for --transactions");
  cmd->add_option("--years", q.years, "Horizon in years");
  cmd->add_flag("--monthly", q.monthly, "Monthly steps (default: annual)");
  cmd->add_option("--retire-in", q.retirement_year,
                  "Years until withdrawals start; contributions before (default 0: retired now)");
  cmd->add_option("--contribution", q.contribution, "Yearly contribution before retiring, today's money");
  cmd->add_option("--income", q.income, "Yearly income, today's money (base of savings_rate_change events)");
  cmd->add_option("--allocation", q.allocation, "Stock weight 0..1 (mix returns and VPW rate)");
  cmd->add_option("--withdrawal", q.withdrawal, "First year's withdrawal, today's money per year");
  cmd->add_option("--withdrawal-rate", q.withdrawal_rate,
                  "First withdrawal / balance at retirement, decimal (0.04 = 4%)");
  cmd->add_option("--strategy", q.strategy,
                  "constant-dollar | constant-percentage | guyton-klinger | vpw | floor-ceiling");
  cmd->add_option("--returns", q.returns,
                  "normal:MEAN,SD | t:MEAN,SD,DF | bootstrap:FILE | mix:SM,SS,BM,BS,CORR (annual decimals)");
  cmd->add_option("--block", q.block_length, "Bootstrap block length in steps (default 5 years / 12 months)");
  cmd->add_option("--inflation", q.inflation, "Annual inflation, decimal");
  cmd->add_option("--inflation-sd", q.inflation_sd, "Sd of annual inflation (> 0: stochastic)");
  cmd->add_option("--trials", q.trials, "Monte Carlo trials");
  cmd->add_option("--seed", q.seed, "Random seed (same seed, same result)");
  cmd->add_option("--events", q.events_file, "Life events file (CSV year,type,amount or JSON)");
  cmd->add_option("--target-success", q.target_success,
                  "Also solve the safe withdrawal rate for this success rate, e.g. 0.9");
  cmd->add_option("--gk-upper", q.guyton_klinger.upper_threshold, "Guyton-Klinger capital-preservation threshold");
  cmd->add_option("--gk-lower", q.guyton_klinger.lower_threshold, "Guyton-Klinger prosperity threshold");
  cmd->add_option("--gk-cut", q.guyton_klinger.cut, "Guyton-Klinger cut");
  cmd->add_option("--gk-raise", q.guyton_klinger.raise, "Guyton-Klinger raise");
  cmd->add_option("--gk-final-years", q.guyton_klinger.preservation_off_years,
                  "Years at the end without capital preservation");
  cmd->add_option("--floor", q.floor_ceiling.floor, "Floor-ceiling: largest cut below the first real withdrawal");
  cmd->add_option("--ceiling", q.floor_ceiling.ceiling, "Floor-ceiling: largest rise above the first real withdrawal");
}

std::string opt_text(const nlohmann::json& v, int decimals, bool percent = false) {
  if (v.is_null()) return "-";
  return percent ? fmt_percent(v.get<double>(), decimals) : fmt_number(v.get<double>(), decimals);
}

std::vector<double> parse_values(const std::string& text) {
  std::vector<double> out;
  std::vector<std::string> bad;
  std::size_t start = 0;
  for (;;) {
    const auto comma = text.find(',', start);
    const auto piece = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (const auto v = parse_double(piece)) out.push_back(*v);
    else bad.push_back("--values: \"" + piece + "\" is not a number");
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  if (!bad.empty()) throw Error::invalid_input("invalid --values", bad);
  return out;
}

void resolve_balance(Context& ctx, service::PlanRequest& q, const BalanceSource& b) {
  const int given = (b.balance ? 1 : 0) + (b.account ? 1 : 0) + (b.transactions ? 1 : 0);
  if (given != 1) throw Error::usage("give exactly one of --balance, --account or --transactions");
  if (b.balance) {
    q.balance = *b.balance;
    return;
  }
  service::LedgerSource src;
  src.transactions_file = b.transactions;
  src.account = b.account;
  src.prices_file = b.prices;
  src.mapping_file = b.mapping;
  Store* store = (b.account || !b.prices) && ctx.has_store_file() ? &ctx.store() : nullptr;
  if (b.account && store == nullptr) store = &ctx.store();
  q.balance = service::starting_balance_from_ledger(store, src);
  ctx.note("starting balance: net worth " + fmt_amount(q.balance) + " of " +
           (b.account ? "account " + *b.account : *b.transactions));
}

}  // namespace

void add_plan_commands(CLI::App& app, Context& ctx) {
  auto* group = app.add_subcommand("plan", "Retirement planning: Monte Carlo withdrawals");
  group->require_subcommand(1);

  auto q = std::make_shared<service::PlanRequest>();
  auto qb = std::make_shared<BalanceSource>();
  auto* retire = group->add_subcommand("retire", "Success rate, percentile paths and terminal wealth of a plan");
  add_plan_flags(retire, *q, *qb);
  retire->callback([&ctx, q, qb] {
    resolve_balance(ctx, *q, *qb);
    const auto j = service::plan_retire(*q);
    TextTable summary("Retirement plan: " + j["inputs"]["strategy"].get<std::string>() + ", " +
                      std::to_string(j["trials"].get<int>()) + " trials, seed " +
                      std::to_string(j["inputs"]["seed"].get<std::uint64_t>()));
    summary.column("measure", TextTable::Align::kLeft).column("value");
    summary.row({"success rate", fmt_percent(j["success_rate"].get<double>(), 2) + " ± " +
                                     fmt_percent(j["success_standard_error"].get<double>(), 2)});
    summary.row({"failures", std::to_string(j["failures"].get<int>())});
    summary.row({"median shortfall year", opt_text(j["median_shortfall_year"], 1)});
    if (j.contains("target_success"))
      summary.row({"safe withdrawal rate at " + fmt_percent(j["target_success"].get<double>(), 0),
                   opt_text(j["safe_withdrawal_rate"], 3, true)});
    for (const char* p : {"p5", "p50", "p95"})
      summary.row({std::string("terminal balance ") + p, fmt_amount(j["terminal"][p].get<double>(), 0)});
    summary.footer("balances and spending are nominal; success = never short of a planned cash flow");
    TextTable years("Balance at year end (nominal) and spending in the year");
    years.column("year").column("balance p5").column("p25").column("p50").column("p75").column("p95")
        .column("spending p5").column("spending p50");
    const auto& paths = j["paths"];
    const auto& spend = j["spending"];
    for (std::size_t t = 0; t < paths["year"].size(); ++t) {
      std::vector<std::string> row = {std::to_string(paths["year"][t].get<int>())};
      for (const char* p : {"p5", "p25", "p50", "p75", "p95"})
        row.push_back(fmt_amount(paths[p][t].get<double>(), 0));
      if (t == 0) {
        row.push_back("-");
        row.push_back("-");
      } else {
        row.push_back(fmt_amount(spend["p5"][t - 1].get<double>(), 0));
        row.push_back(fmt_amount(spend["p50"][t - 1].get<double>(), 0));
      }
      years.row(std::move(row));
    }
    ctx.emit(j, {summary, years});
  });

  auto sq = std::make_shared<service::PlanRequest>();
  auto sb = std::make_shared<BalanceSource>();
  auto vary = std::make_shared<std::string>();
  auto values = std::make_shared<std::string>();
  auto* sens = group->add_subcommand("sensitivity", "One plan run per value of one input (same seed)");
  add_plan_flags(sens, *sq, *sb);
  sens->add_option("--vary", *vary,
                   "withdrawal-rate | withdrawal | allocation | retirement-year | balance | years | "
                   "inflation | return-mean | contribution")
      ->required();
  sens->add_option("--values", *values, "Comma-separated values, e.g. 0.03,0.035,0.04")->required();
  sens->callback([&ctx, sq, sb, vary, values] {
    if (*vary == "balance" && !sb->balance && !sb->account && !sb->transactions) sb->balance = 0.0;
    resolve_balance(ctx, *sq, *sb);
    const auto j = service::plan_sensitivity(*sq, *vary, parse_values(*values));
    TextTable t("Sensitivity of the plan to " + *vary + " (" + j["inputs"]["strategy"].get<std::string>() +
                ", " + std::to_string(j["inputs"]["trials"].get<int>()) + " trials, common random numbers)");
    t.column(*vary).column("success").column("± se").column("median shortfall yr")
        .column("terminal p5").column("terminal p50").column("terminal p95").column("1st-year spending p50");
    for (const auto& r : j["rows"]) {
      t.row({fmt_number(r["value"].get<double>(), 4), fmt_percent(r["success_rate"].get<double>(), 1),
             fmt_percent(r["success_standard_error"].get<double>(), 1), opt_text(r["median_shortfall_year"], 1),
             fmt_amount(r["terminal"]["p5"].get<double>(), 0), fmt_amount(r["terminal"]["p50"].get<double>(), 0),
             fmt_amount(r["terminal"]["p95"].get<double>(), 0),
             r.contains("first_year_spending_p50") ? fmt_amount(r["first_year_spending_p50"].get<double>(), 0) : "-"});
    }
    ctx.emit(j, {t});
  });
}

}  // namespace keel::cli
