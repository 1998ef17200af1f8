// The stages of a run reach the observer the caller installed on its thread, and no other
// (keel/risk/stage_profile.h): nothing is observed without one, an inner installation hides the
// outer one until it ends, another thread's marks are its own, and a StageProfile lists its stages.
#include "keel/risk/stage_profile.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace keel::risk {
namespace {

struct Recorder final : StageObserver {
  std::vector<std::string> stages;
  void stage_done(std::string_view name) override { stages.emplace_back(name); }
};

TEST(StageProfile, MarksReachTheObserverInstalledOnTheirThreadOnly) {
  profile_mark("nobody listens");  // no observer: nothing happens
  Recorder outer, inner, elsewhere;
  {
    const ObserveStages a(&outer);
    profile_mark("covariance");
    {
      const ObserveStages b(&inner);
      profile_mark("Cholesky");
    }
    profile_mark("plan");
    std::thread other([&] {
      profile_mark("on another thread, no observer");
      const ObserveStages c(&elsewhere);
      profile_mark("on another thread");
    });
    other.join();
  }
  profile_mark("after");
  EXPECT_EQ(outer.stages, (std::vector<std::string>{"covariance", "plan"}));
  EXPECT_EQ(inner.stages, (std::vector<std::string>{"Cholesky"}));
  EXPECT_EQ(elsewhere.stages, (std::vector<std::string>{"on another thread"}));
}

TEST(StageProfile, ListsEachStageWithItsTotalThenForgetsThem) {
  StageProfile profile;
  EXPECT_EQ(profile.take(), "");
  {
    const ObserveStages observe(&profile);
    profile_mark("start-up");
    profile_mark("output");
  }
  const std::string text = profile.take();
  EXPECT_EQ(text.rfind("stage ", 0), 0u) << text;
  EXPECT_NE(text.find("\nstart-up "), std::string::npos) << text;
  EXPECT_NE(text.find("\noutput "), std::string::npos) << text;
  EXPECT_NE(text.find("\ntotal "), std::string::npos) << text;
  EXPECT_EQ(profile.take(), "");
}

}  // namespace
}  // namespace keel::risk
