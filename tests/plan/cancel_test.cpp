// A plan run stops when its Cancellation is cancelled (keel/core/cancel.h): a run of minutes ends
// within a second, with the cancel's reason, and a run without a scope is not slowed or changed.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "keel/core/cancel.h"
#include "keel/core/error.h"
#include "keel/plan/sensitivity.h"
#include "keel/plan/simulation.h"

namespace keel::plan {
namespace {

PlanInputs long_plan() {
  PlanInputs in;
  in.initial_balance = 1'000'000;
  in.years = 60;
  in.withdrawal_amount = 45'000;
  in.returns.mean = 0.06;
  in.returns.sd = 0.15;
  in.inflation.mean = 0.025;
  return in;
}

// Runs `fn` under a Cancellation cancelled after 100 ms; returns the seconds from the cancel to
// the error, and the error's code.
template <class Fn>
std::pair<double, ErrorCode> cancelled_after_100ms(Fn fn) {
  Cancellation c;
  std::chrono::steady_clock::time_point cancelled_at;
  std::thread canceller([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    cancelled_at = std::chrono::steady_clock::now();
    c.cancel("cancelled by the test");
  });
  ErrorCode code = ErrorCode::kInternal;
  try {
    CancelScope scope(&c);
    fn();
    ADD_FAILURE() << "the run finished before it was cancelled";
  } catch (const Error& e) {
    code = e.code();
  }
  const auto ended = std::chrono::steady_clock::now();
  canceller.join();
  return {std::chrono::duration<double>(ended - cancelled_at).count(), code};
}

TEST(PlanCancellation, ARunOfMinutesStopsWithinASecond) {
  SimulationOptions o;
  o.trials = 2'000'000;  // 2M trials x 60 years: seconds of work
  o.seed = 7;
  const auto [seconds, code] = cancelled_after_100ms([&] { simulate_retirement(long_plan(), o); });
  EXPECT_EQ(code, ErrorCode::kCancelled);
  EXPECT_LT(seconds, 1.0);
}

TEST(PlanCancellation, ASensitivityRunStopsWithinASecond) {
  SimulationOptions o;
  o.trials = 2'000'000;
  o.seed = 7;
  std::vector<double> values(200, 0.04);
  const auto [seconds, code] = cancelled_after_100ms(
      [&] { sensitivity(long_plan(), o, SensitivityParameter::kWithdrawalRate, values); });
  EXPECT_EQ(code, ErrorCode::kCancelled);
  EXPECT_LT(seconds, 1.0);
}

TEST(PlanCancellation, AScopeThatIsNotCancelledChangesNothing) {
  SimulationOptions o;
  o.trials = 20'000;
  o.seed = 11;
  const PlanResult plain = simulate_retirement(long_plan(), o);
  Cancellation c;
  CancelScope scope(&c);
  const PlanResult watched = simulate_retirement(long_plan(), o);
  EXPECT_EQ(plain.success_rate, watched.success_rate);
  EXPECT_EQ(plain.balance.values, watched.balance.values);
}

}  // namespace
}  // namespace keel::plan
