#include "keel/risk/stage_profile.h"

#include <fmt/format.h>
#include <time.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>

namespace keel::risk {
namespace {

double seconds_of(clockid_t clock) {
  timespec ts{};
  clock_gettime(clock, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

// Seconds since boot at which this process started (field 22 of /proc/self/stat, in clock ticks),
// so that the first stage includes the start-up; the time of the first mark where there is no /proc.
double process_start() {
  std::ifstream in("/proc/self/stat");
  const std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // The command name (field 2) is in parentheses and may hold spaces: count fields after it.
  const auto close = stat.rfind(')');
  if (close == std::string::npos) return seconds_of(CLOCK_BOOTTIME);
  const char* p = stat.c_str() + close + 1;
  for (int field = 2; field < 22 && *p != '\0'; ++p) field += *p == ' ' ? 1 : 0;
  const double ticks = std::strtod(p, nullptr);
  return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

thread_local StageObserver* current = nullptr;

}  // namespace

ObserveStages::ObserveStages(StageObserver* observer) : previous_(current) { current = observer; }

ObserveStages::~ObserveStages() { current = previous_; }

void profile_mark(std::string_view name) {
  if (current != nullptr) current->stage_done(name);
}

StageProfile::StageProfile() : last_wall_(process_start()) {}

void StageProfile::stage_done(std::string_view name) {
  const double wall = seconds_of(CLOCK_BOOTTIME);
  const double cpu = seconds_of(CLOCK_PROCESS_CPUTIME_ID);
  const std::lock_guard lock(mu_);
  stages_.push_back({std::string(name), 1e3 * (wall - last_wall_), 1e3 * (cpu - last_cpu_)});
  last_wall_ = wall;
  last_cpu_ = cpu;
}

std::string StageProfile::take() {
  const std::lock_guard lock(mu_);
  if (stages_.empty()) return {};
  std::string out = fmt::format("{:<46} {:>9} {:>9}\n", "stage", "wall ms", "cpu ms");
  double wall = 0.0, cpu = 0.0;
  for (const Stage& s : stages_) {
    out += fmt::format("{:<46} {:>9.1f} {:>9.1f}\n", s.name, s.wall_ms, s.cpu_ms);
    wall += s.wall_ms;
    cpu += s.cpu_ms;
  }
  out += fmt::format("{:<46} {:>9.1f} {:>9.1f}\n", "total", wall, cpu);
  stages_.clear();
  return out;
}

}  // namespace keel::risk
