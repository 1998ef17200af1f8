// keel/plan/model.h: the inputs of a retirement plan (keel plan retire).
//
// Plain structs that describe one household's plan: starting balance, horizon, contribution phase
// and retirement year, withdrawal strategy, return and inflation models, life events. The engine
// (keel/plan/simulation.h) turns them into a Monte Carlo result; nothing here does I/O.
//
// Units: amounts in the plan's currency; "today's money" means real amounts at the start of the
// simulation, inflated by the simulated price index before they are paid. Rates are decimals
// (0.04 = 4 %) and annual unless said otherwise. Years count from the start: year 0 is the first
// simulated year.
//
// Thread-safety: value types; a const PlanInputs may be shared by any number of threads.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace keel::plan {

enum class ReturnModelKind {
  kNormal,        // iid normal annual returns N(mean, sd)
  kStudentT,      // iid Student-t with df degrees of freedom, scaled to the same mean and sd
  kBootstrap,     // circular block bootstrap of a historical series (Politis & Romano 1992)
  kStockBondMix,  // stock and bond normal returns with a correlation, rebalanced each step
};

struct ReturnModel {
  ReturnModelKind kind = ReturnModelKind::kNormal;
  // kNormal / kStudentT: annual arithmetic mean and standard deviation of the portfolio return.
  double mean = 0.05;
  double sd = 0.12;
  double df = 5.0;  // kStudentT: degrees of freedom, > 2 so the variance exists
  // kBootstrap: historical periodic returns (decimal) at the step frequency: annual returns for
  // annual steps, monthly returns for monthly steps.
  std::vector<double> history;
  // kBootstrap: block length in steps; 0 = default (5 for annual steps, 12 for monthly steps).
  int block_length = 0;
  // kStockBondMix: annual mean / sd of stocks and bonds and their correlation; the stock weight
  // is PlanInputs::allocation.
  double stock_mean = 0.07;
  double stock_sd = 0.18;
  double bond_mean = 0.03;
  double bond_sd = 0.06;
  double correlation = 0.1;
};

// Annual inflation: fixed when sd == 0, else iid normal N(mean, sd) each year.
struct InflationModel {
  double mean = 0.025;
  double sd = 0.0;
};

enum class Strategy {
  kConstantDollar,      // Bengen (1994): initial amount, raised with inflation every year
  kConstantPercentage,  // a fixed share of the balance at the start of each year
  kGuytonKlinger,       // decision rules of Guyton & Klinger (2006)
  kVpw,                 // Bogleheads variable percentage withdrawal: PMT over remaining years
  kFloorCeiling,        // constant percentage clamped to a real floor and ceiling (Bengen)
};

// Parses "constant-dollar", "constant-percentage", "guyton-klinger", "vpw", "floor-ceiling"
// (also "floor-and-ceiling"); nullopt for anything else.
std::optional<Strategy> parse_strategy(std::string_view name);
std::string_view strategy_name(Strategy s);

// Guyton & Klinger (2006), "Decision Rules and Maximum Initial Withdrawal Rates", Journal of
// Financial Planning 19(3). Rates compare the year's withdrawal with the balance at the start of
// the year; "initial rate" is the first withdrawal over the balance at retirement.
struct GuytonKlingerRules {
  // Withdrawal (inflation) rule: no inflation raise after a year with a negative portfolio
  // return when the current rate (last year's withdrawal / balance) exceeds the initial rate.
  bool withdrawal_rule = true;
  // Capital preservation: current rate > initial x (1 + upper_threshold) -> cut by `cut`,
  // not applied when `preservation_off_years` or fewer years remain in the horizon.
  bool capital_preservation = true;
  double upper_threshold = 0.20;
  double cut = 0.10;
  int preservation_off_years = 15;
  // Prosperity: current rate < initial x (1 - lower_threshold) -> raise by `raise`.
  bool prosperity = true;
  double lower_threshold = 0.20;
  double raise = 0.10;
};

// Bogleheads VPW: the rate is the allocation-weighted real growth trend of stocks and bonds.
struct VpwRates {
  double stock_return = 0.050;
  double bond_return = 0.019;
};

// Floor-and-ceiling: the percentage withdrawal is kept within [1 - floor, 1 + ceiling] times the
// first withdrawal, in real terms (the first withdrawal inflated to the current year).
struct FloorCeiling {
  double floor = 0.10;
  double ceiling = 0.25;
};

enum class EventType {
  kExpense,           // one-off outflow of `amount` (today's money) at the start of `year`
  kIncomeChange,      // from `year` on, the yearly net income into the portfolio changes by
                      // `amount` (today's money per year; negative = less income)
  kWindfall,          // one-off inflow of `amount` (today's money) at the start of `year`
  kSavingsRateChange, // from `year` on, the yearly contribution before retirement is
                      // `amount` (a decimal savings rate) x annual_income
};

std::optional<EventType> parse_event_type(std::string_view name);
std::string_view event_type_name(EventType t);

struct LifeEvent {
  int year = 0;  // 0 <= year < horizon
  EventType type = EventType::kExpense;
  double amount = 0.0;
  std::string label;  // optional description, carried to outputs
};

struct PlanInputs {
  double initial_balance = 0.0;  // currency, >= 0
  int years = 30;                // horizon in years, 1..200
  int steps_per_year = 1;        // 1 (annual) or 12 (monthly)
  int retirement_year = 0;       // first year with withdrawals; contributions before it
  double annual_contribution = 0.0;  // today's money per year before retirement
  double annual_income = 0.0;        // today's money; base for savings_rate_change events
  double allocation = 0.6;           // stock weight in [0, 1] (mix returns and VPW rate)
  // Exactly one of these two for constant-dollar, Guyton-Klinger and floor-ceiling; the rate
  // alone for constant-percentage; neither is needed for VPW.
  std::optional<double> withdrawal_amount;  // first year's withdrawal, today's money per year
  std::optional<double> withdrawal_rate;    // first withdrawal / balance at retirement, in [0, 1)
  Strategy strategy = Strategy::kConstantDollar;
  GuytonKlingerRules guyton_klinger;
  VpwRates vpw;
  FloorCeiling floor_ceiling;
  ReturnModel returns;
  InflationModel inflation;
  std::vector<LifeEvent> events;
};

// Checks every field and throws one keel::Error(invalid_input) listing every problem with its
// field path ("balance: must be >= 0", "events[2].year: 41 is after the horizon of 30 years").
void validate(const PlanInputs& inputs);

}  // namespace keel::plan
