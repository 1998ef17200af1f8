// The descriptions of the requests and results of keel/service/plan.h (keel/service/spec.h),
// instantiated for every visitor (spec_define.h).
#include "keel/service/plan.h"

#include "spec_define.h"

namespace keel::service {

template <class V, class S>
void PlanEvent::fields(V& v, S& s) {
  v.field({.name = "year", .help = "Years from the start (0 = now), before the horizon", .unit = "years",
           .min = 0, .required = true},
          s.year);
  v.choice({.name = "type", .help = "What happens", .required = true}, s.type, kPlanEventTypeNames);
  v.field({.name = "amount",
           .help = "Today's money (per year for income_change); a decimal savings rate for savings_rate_change",
           .required = true},
          s.amount);
  v.field({.name = "label", .help = "Description carried to outputs"}, s.label);
}
KEEL_SPEC_FIELDS(PlanEvent)

template <class V, class S>
void PlanRequest::fields(V& v, S& s) {
  v.field({.name = "balance", .help = "Starting balance (HTTP default 0)", .unit = "currency", .min = 0},
          s.balance);
  v.field({.name = "account", .help = "Start from the net worth of this stored ledger account",
           .faces = spec::kCli},
          s.account);
  v.field({.name = "transactions", .help = "Start from the net worth of this transactions file",
           .faces = spec::kCli},
          s.transactions);
  v.field({.name = "prices", .help = "Prices for --transactions / --account (default: the store's)",
           .faces = spec::kCli},
          s.prices);
  v.field({.name = "mapping", .help = "Broker mapping for --transactions", .faces = spec::kCli}, s.mapping);
  v.field({.name = "years", .help = "Horizon", .unit = "years", .min = 1, .max = 200}, s.years);
  v.field({.name = "monthly", .help = "Monthly steps (default: annual)"}, s.monthly);
  v.field({.name = "retirement_year",
           .help = "Years until withdrawals start; contributions before (0: retired now)",
           .unit = "years",
           .min = 0,
           .cli_name = "retire-in"},
          s.retirement_year);
  v.field({.name = "contribution", .help = "Yearly contribution before retiring", .unit = "today's money per year"},
          s.contribution);
  v.field({.name = "income", .help = "Yearly income (base of savings_rate_change events)",
           .unit = "today's money per year"},
          s.income);
  v.field({.name = "allocation", .help = "Stock weight (mix returns and VPW rate)", .unit = "fraction", .min = 0,
           .max = 1},
          s.allocation);
  v.field({.name = "withdrawal", .help = "First year's withdrawal", .unit = "today's money per year", .min = 0},
          s.withdrawal);
  v.field({.name = "withdrawal_rate", .help = "First withdrawal over the balance at retirement",
           .unit = "decimal, 0.04 = 4%", .min = 0, .max = 1, .max_exclusive = true},
          s.withdrawal_rate);
  v.choice({.name = "strategy", .help = "Withdrawal strategy"}, s.strategy, kPlanStrategyNames);
  v.field({.name = "returns",
           .help = "Return model: normal:MEAN,SD | t:MEAN,SD,DF | mix:SM,SS,BM,BS,CORR (annual decimals) | "
                   "bootstrap:FILE (CLI) | bootstrap (with history)"},
          s.returns);
  v.field({.name = "block_length", .help = "Bootstrap block length (0: 5 years / 12 months)", .unit = "steps",
           .min = 0, .cli_name = "block"},
          s.block_length);
  v.field({.name = "history",
           .help = "Periodic returns to bootstrap from, at the step frequency (with returns \"bootstrap\")",
           .unit = "decimal",
           .faces = spec::kHttp},
          s.history);
  v.field({.name = "inflation", .help = "Annual inflation", .unit = "decimal"}, s.inflation);
  v.field({.name = "inflation_sd", .help = "Sd of annual inflation (> 0: stochastic)", .unit = "decimal",
           .min = 0},
          s.inflation_sd);
  v.field({.name = "inflation_series",
           .help = "Take the annual inflation from a stored macro series (keel fetch macro): its latest "
                   "year-over-year change, e.g. fred:CPIAUCSL (replaces inflation)"},
          s.inflation_series);
  v.field({.name = "trials", .help = "Monte Carlo trials", .min = 1, .max = 10'000'000}, s.trials);
  v.field({.name = "seed", .help = "Random seed (same seed, same result)"}, s.seed);
  v.field({.name = "events_file", .help = "Life events file (CSV year,type,amount[,label] or JSON)",
           .faces = spec::kCli, .cli_name = "events"},
          s.events_file);
  v.field({.name = "events", .help = "Life events, after those of the file", .faces = spec::kHttp}, s.events);
  v.field({.name = "target_success", .help = "Also solve the safe withdrawal rate for this success rate",
           .unit = "fraction, 0.9 = 90%", .min = 0, .max = 1, .min_exclusive = true, .max_exclusive = true},
          s.target_success);
  v.field({.name = "gk_upper", .help = "Guyton-Klinger capital-preservation threshold", .unit = "fraction",
           .min = 0},
          s.guyton_klinger.upper_threshold);
  v.field({.name = "gk_lower", .help = "Guyton-Klinger prosperity threshold", .unit = "fraction", .min = 0,
           .max = 1, .max_exclusive = true},
          s.guyton_klinger.lower_threshold);
  v.field({.name = "gk_cut", .help = "Guyton-Klinger cut", .unit = "fraction", .min = 0, .max = 1,
           .max_exclusive = true},
          s.guyton_klinger.cut);
  v.field({.name = "gk_raise", .help = "Guyton-Klinger raise", .unit = "fraction", .min = 0},
          s.guyton_klinger.raise);
  v.field({.name = "gk_final_years", .help = "Years at the end without capital preservation", .unit = "years",
           .min = 0},
          s.guyton_klinger.preservation_off_years);
  v.field({.name = "floor", .help = "Floor-ceiling: largest cut below the first real withdrawal",
           .unit = "fraction", .min = 0, .max = 1},
          s.floor_ceiling.floor);
  v.field({.name = "ceiling", .help = "Floor-ceiling: largest rise above the first real withdrawal",
           .unit = "fraction", .min = 0},
          s.floor_ceiling.ceiling);
}
KEEL_SPEC_REQUEST_FIELDS(PlanRequest)

template <class V, class S>
void PlanSensitivityRequest::fields(V& v, S& s) {
  v.flatten(s.plan);
  v.choice({.name = "vary", .help = "The input varied", .required = true}, s.vary, kSensitivityParameterNames);
  v.field({.name = "values", .help = "Values of the varied input, one run each (same seed)", .required = true},
          s.values);
}
KEEL_SPEC_REQUEST_FIELDS(PlanSensitivityRequest)

template <class V, class S>
void PlanPercentilePaths::fields(V& v, S& s) {
  v.field({.name = "year", .help = "Year of each point"}, s.year);
  v.field({.name = "p5", .unit = "nominal currency"}, s.p5);
  v.field({.name = "p25", .unit = "nominal currency"}, s.p25);
  v.field({.name = "p50", .unit = "nominal currency"}, s.p50);
  v.field({.name = "p75", .unit = "nominal currency"}, s.p75);
  v.field({.name = "p95", .unit = "nominal currency"}, s.p95);
}
KEEL_SPEC_FIELDS(PlanPercentilePaths)

template <class V, class S>
void PlanTerminal::fields(V& v, S& s) {
  v.field({.name = "p5", .unit = "nominal currency"}, s.p5);
  v.field({.name = "p25", .unit = "nominal currency"}, s.p25);
  v.field({.name = "p50", .unit = "nominal currency"}, s.p50);
  v.field({.name = "p75", .unit = "nominal currency"}, s.p75);
  v.field({.name = "p95", .unit = "nominal currency"}, s.p95);
  v.field({.name = "mean", .unit = "nominal currency"}, s.mean);
}
KEEL_SPEC_FIELDS(PlanTerminal)

template <class V, class S>
void PlanInputsEcho::fields(V& v, S& s) {
  v.field({.name = "balance", .unit = "currency"}, s.balance);
  v.field({.name = "years", .unit = "years"}, s.years);
  v.field({.name = "steps_per_year", .help = "1 (annual) or 12 (monthly)"}, s.steps_per_year);
  v.field({.name = "retirement_year", .unit = "years"}, s.retirement_year);
  v.field({.name = "contribution", .unit = "today's money per year"}, s.contribution);
  v.field({.name = "income", .unit = "today's money per year"}, s.income);
  v.field({.name = "allocation", .unit = "fraction"}, s.allocation);
  v.field({.name = "withdrawal", .unit = "today's money per year"}, s.withdrawal);
  v.field({.name = "withdrawal_rate", .unit = "decimal"}, s.withdrawal_rate);
  v.field({.name = "strategy"}, s.strategy);
  v.field({.name = "returns", .help = "The return model as given"}, s.returns);
  v.field({.name = "inflation", .unit = "annual decimal"}, s.inflation);
  v.field({.name = "inflation_sd", .unit = "annual decimal"}, s.inflation_sd);
  v.field({.name = "inflation_source",
           .help = "With inflation_series: the series whose latest year-over-year change is `inflation`"},
          s.inflation_source);
  v.field({.name = "trials"}, s.trials);
  v.field({.name = "seed"}, s.seed);
  v.field({.name = "events", .help = "Life events applied"}, s.events);
  v.field({.name = "bootstrap_periods", .help = "Bootstrap: historical returns"}, s.bootstrap_periods);
  v.field({.name = "block_length", .help = "Bootstrap: block length", .unit = "steps"}, s.block_length);
}
KEEL_SPEC_FIELDS(PlanInputsEcho)

template <class V, class S>
void PlanRunFigures::fields(V& v, S& s) {
  v.field({.name = "success_rate", .help = "Share of trials never short of a planned cash flow",
           .unit = "fraction"},
          s.success_rate);
  v.field({.name = "success_standard_error", .help = "sqrt(p (1 - p) / trials)", .unit = "fraction"},
          s.success_standard_error);
  v.field({.name = "trials"}, s.trials);
  v.field({.name = "failures", .help = "Trials that ran out"}, s.failures);
  v.field({.name = "median_shortfall_year", .help = "Median 1-based year failing trials ran out (null: none)",
           .unit = "years"},
          s.median_shortfall_year);
  v.field({.name = "safe_withdrawal_rate", .help = "For target_success (null when not asked)",
           .unit = "decimal"},
          s.safe_withdrawal_rate);
  v.field({.name = "terminal", .help = "Balance at the end of the horizon"}, s.terminal);
}
KEEL_SPEC_FIELDS(PlanRunFigures)

template <class V, class S>
void PlanRetireResult::fields(V& v, S& s) {
  v.flatten(s.figures);
  v.field({.name = "target_success", .unit = "fraction"}, s.target_success);
  v.field({.name = "paths", .help = "Year-end nominal balance; year 0 is the starting balance"}, s.paths);
  v.field({.name = "spending", .help = "Nominal spending paid in each year (1..)"}, s.spending);
  v.field({.name = "shortfalls_by_year", .help = "Trials that ran out in year t (index t - 1)"},
          s.shortfalls_by_year);
  v.field({.name = "inputs"}, s.inputs);
  v.field({.name = "warnings",
           .help = "Remarks on the input files (file:line: ..., e.g. a last line without a line ending: the "
                   "file may be truncated)"},
          s.warnings);
}
KEEL_SPEC_FIELDS(PlanRetireResult)

template <class V, class S>
void PlanSensitivityRow::fields(V& v, S& s) {
  v.flatten(s.figures);
  v.field({.name = "value", .help = "The varied input's value"}, s.value);
  v.field({.name = "first_year_spending_p50", .help = "Median spending in the first year of retirement",
           .unit = "nominal currency"},
          s.first_year_spending_p50);
}
KEEL_SPEC_FIELDS(PlanSensitivityRow)

template <class V, class S>
void PlanSensitivityResult::fields(V& v, S& s) {
  v.field({.name = "parameter", .help = "The varied input"}, s.parameter);
  v.field({.name = "values"}, s.values);
  v.field({.name = "rows", .help = "One run per value, in order"}, s.rows);
  v.field({.name = "inputs", .help = "The base plan"}, s.inputs);
  v.field({.name = "warnings",
           .help = "Remarks on the input files (file:line: ..., e.g. a last line without a line ending: the "
                   "file may be truncated)"},
          s.warnings);
}
KEEL_SPEC_FIELDS(PlanSensitivityResult)

template <class V, class S>
void PlanCompareRequest::fields(V& v, S& s) {
  v.flatten(s.plan);
  v.choice_list({.name = "strategies",
                 .help = "Strategies to run, or all (the default; the plan's own `strategy` is not used)"},
                s.strategies, kPlanStrategyNames, "all");
}
KEEL_SPEC_REQUEST_FIELDS(PlanCompareRequest)

template <class V, class S>
void PlanCompareRow::fields(V& v, S& s) {
  v.field({.name = "strategy"}, s.strategy);
  v.flatten(s.figures);
  v.field({.name = "first_year_spending_p50",
           .help = "Median spending in the first year of retirement",
           .unit = "nominal currency"},
          s.first_year_spending_p50);
  v.field({.name = "paths", .help = "Year-end nominal balance; year 0 is the starting balance"}, s.paths);
  v.field({.name = "spending", .help = "Nominal spending paid in each year (1..)"}, s.spending);
}
KEEL_SPEC_FIELDS(PlanCompareRow)

template <class V, class S>
void PlanCompareSkipped::fields(V& v, S& s) {
  v.field({.name = "strategy"}, s.strategy);
  v.field({.name = "problems", .help = "Why it could not run"}, s.problems);
}
KEEL_SPEC_FIELDS(PlanCompareSkipped)

template <class V, class S>
void PlanCompareResult::fields(V& v, S& s) {
  v.field({.name = "rows", .help = "One run per strategy, in the order asked"}, s.rows);
  v.field({.name = "skipped", .help = "Strategies the inputs cannot run"}, s.skipped);
  v.field({.name = "target_success",
           .help = "Safe withdrawal rates solved for this success rate (constant-dollar, guyton-klinger, "
                   "floor-ceiling)",
           .unit = "fraction"},
          s.target_success);
  v.field({.name = "inputs", .help = "The base plan (its strategy is the first row's)"}, s.inputs);
  v.field({.name = "warnings",
           .help = "Remarks on the input files (file:line: ..., e.g. a last line without a line ending: the "
                   "file may be truncated)"},
          s.warnings);
}
KEEL_SPEC_FIELDS(PlanCompareResult)

}  // namespace keel::service
