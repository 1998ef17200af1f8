// keel/risk/stage_profile.h: where the time of one run goes, stage by stage.
//
// The stages of a run mark their ends (profile_mark): the engines (the Monte Carlo VaR's
// covariance, Cholesky and plan) and the use cases around them (inputs read, the ledger's series).
// A mark tells the observer the caller installed on its thread (ObserveStages), and nothing when
// there is none — it then costs one thread-local read. The engines read no setting: who observes is
// the face's decision (the keel command installs a StageProfile when KEEL_PROFILE is set and prints
// it on standard error: docs/risk.md, "Where the time goes").
//
// Thread-safety: an observer is installed for one thread and told of that thread's marks; a run
// marks its stages from the thread that drives it. A StageProfile may be read while marked.
#pragma once

#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace keel::risk {

// Told of the end of each stage of a run.
class StageObserver {
 public:
  virtual ~StageObserver() = default;
  virtual void stage_done(std::string_view name) = 0;
};

// Installs `observer` (not owned; may be null: no observer) for the calling thread until this is
// destroyed, when the one installed before comes back.
class ObserveStages {
 public:
  explicit ObserveStages(StageObserver* observer);
  ~ObserveStages();
  ObserveStages(const ObserveStages&) = delete;
  ObserveStages& operator=(const ObserveStages&) = delete;

 private:
  StageObserver* previous_;
};

// Ends the stage `name` now: tells the calling thread's observer, if one is installed.
void profile_mark(std::string_view name);

// An observer that records the wall and CPU time (every thread of the process) of each stage since
// the previous one; the first counts from the start of the process, so it holds the start-up
// (loading the binary, parsing options).
class StageProfile final : public StageObserver {
 public:
  StageProfile();
  void stage_done(std::string_view name) override;
  // The stages recorded so far, one a line ("stage  wall ms  cpu ms"), with their total; then
  // forgets them. Empty when nothing was recorded.
  std::string take();

 private:
  struct Stage {
    std::string name;
    double wall_ms = 0.0;
    double cpu_ms = 0.0;
  };
  std::mutex mu_;
  std::vector<Stage> stages_;
  double last_wall_;
  double last_cpu_ = 0.0;  // the process's CPU clock starts at zero
};

}  // namespace keel::risk
