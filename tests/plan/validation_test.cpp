// Bad plans are reported with every problem at once, each naming its field.
#include <gtest/gtest.h>

#include <string>

#include "keel/core/error.h"
#include "keel/plan/sensitivity.h"
#include "keel/plan/simulation.h"

namespace keel::plan {
namespace {

PlanInputs good() {
  PlanInputs in;
  in.initial_balance = 1e6;
  in.years = 30;
  in.withdrawal_rate = 0.04;
  return in;
}

// The joined details of the invalid_input error thrown by `f`.
template <class F>
std::string problems(F f) {
  try {
    f();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidInput);
    std::string all = e.what();
    for (const auto& d : e.details()) all += "\n" + d;
    return all;
  }
  ADD_FAILURE() << "no error thrown";
  return "";
}

TEST(PlanValidation, GoodPlanPasses) { EXPECT_NO_THROW(validate(good())); }

TEST(PlanValidation, NegativeBalance) {
  auto in = good();
  in.initial_balance = -1;
  EXPECT_NE(problems([&] { validate(in); }).find("balance: must be a number >= 0"),
            std::string::npos);
}

TEST(PlanValidation, ZeroHorizon) {
  auto in = good();
  in.years = 0;
  EXPECT_NE(problems([&] { validate(in); }).find("years: the horizon must be 1..200 years, got 0"),
            std::string::npos);
}

TEST(PlanValidation, WithdrawalRateOfHundredPercentOrMore) {
  auto in = good();
  in.withdrawal_rate = 1.0;
  EXPECT_NE(problems([&] { validate(in); }).find("withdrawal_rate: must be in [0, 1)"),
            std::string::npos);
  in.withdrawal_rate = 4.0;  // "4" meant as 4 %
  EXPECT_NE(problems([&] { validate(in); }).find("got 4"), std::string::npos);
}

TEST(PlanValidation, UnknownStrategyAndEventType) {
  EXPECT_FALSE(parse_strategy("4-percent-rule").has_value());
  EXPECT_EQ(parse_strategy("guyton-klinger"), Strategy::kGuytonKlinger);
  EXPECT_EQ(parse_strategy("floor-and-ceiling"), Strategy::kFloorCeiling);
  EXPECT_FALSE(parse_event_type("lottery").has_value());
  EXPECT_EQ(parse_event_type("savings_rate_change"), EventType::kSavingsRateChange);
  EXPECT_FALSE(parse_sensitivity_parameter("colour").has_value());
}

TEST(PlanValidation, EventAfterTheHorizon) {
  auto in = good();
  in.events = {{29, EventType::kExpense, 10, ""}, {30, EventType::kExpense, 10, ""}};
  const auto text = problems([&] { validate(in); });
  EXPECT_NE(text.find("events[1].year: 30 is after the horizon of 30 years (last year is 29)"),
            std::string::npos);
  EXPECT_EQ(text.find("events[0]"), std::string::npos);
}

TEST(PlanValidation, AllProblemsTogether) {
  PlanInputs in;
  in.initial_balance = -5;
  in.years = 30;
  in.strategy = Strategy::kConstantDollar;  // no withdrawal given
  in.returns.sd = -0.1;
  in.events = {{-1, EventType::kWindfall, -3, ""}};
  try {
    validate(in);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_GE(e.details().size(), 5u);
  }
}

TEST(PlanValidation, StrategyNeeds) {
  auto in = good();
  in.strategy = Strategy::kConstantPercentage;
  in.withdrawal_rate.reset();
  in.withdrawal_amount = 40'000;
  EXPECT_NE(problems([&] { validate(in); }).find("constant-percentage needs a withdrawal rate"),
            std::string::npos);
  in = good();
  in.withdrawal_amount = 40'000;
  EXPECT_NE(problems([&] { validate(in); }).find("not both"), std::string::npos);
  in = good();
  in.returns.kind = ReturnModelKind::kStudentT;
  in.returns.df = 2;
  EXPECT_NE(problems([&] { validate(in); }).find("returns.df"), std::string::npos);
  in = good();
  in.events = {{3, EventType::kSavingsRateChange, 0.1, ""}};
  EXPECT_NE(problems([&] { validate(in); }).find("needs an annual income"), std::string::npos);
}

TEST(PlanValidation, OptionsAndSolverLimits) {
  SimulationOptions o;
  o.trials = 0;
  EXPECT_NE(problems([&] { simulate_retirement(good(), o); }).find("trials"), std::string::npos);
  auto in = good();
  in.strategy = Strategy::kVpw;
  EXPECT_NE(problems([&] { solve_safe_withdrawal_rate(in, 100, 1, 0.9); }).find("vpw"),
            std::string::npos);
  EXPECT_NE(problems([&] { solve_safe_withdrawal_rate(good(), 100, 1, 1.0); })
                .find("target_success"),
            std::string::npos);
  const std::vector<double> values = {0.04, 1.5};
  EXPECT_NE(problems([&] {
              SimulationOptions s;
              s.trials = 10;
              sensitivity(good(), s, SensitivityParameter::kWithdrawalRate, values);
            }).find("withdrawal-rate = 1.5"),
            std::string::npos);
}

}  // namespace
}  // namespace keel::plan
