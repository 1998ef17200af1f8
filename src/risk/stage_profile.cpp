#include "keel/risk/stage_profile.h"

#include <fmt/format.h>
#include <time.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <mutex>
#include <string>
#include <vector>

namespace keel::risk {
namespace {

struct Stage {
  std::string name;
  double wall_ms = 0.0;
  double cpu_ms = 0.0;
};

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

struct Profile {
  std::mutex mu;
  std::vector<Stage> stages;
  double last_wall = process_start();
  double last_cpu = 0.0;  // the process's CPU clock starts at zero
};

Profile& profile() {
  static Profile p;
  return p;
}

}  // namespace

bool profiling() {
  static const bool on = [] {
    const char* v = std::getenv("KEEL_PROFILE");
    return v != nullptr && *v != '\0' && std::string_view(v) != "0";
  }();
  return on;
}

void profile_mark(std::string_view name) {
  if (!profiling()) return;
  Profile& p = profile();
  const double wall = seconds_of(CLOCK_BOOTTIME);
  const double cpu = seconds_of(CLOCK_PROCESS_CPUTIME_ID);
  const std::lock_guard lock(p.mu);
  p.stages.push_back({std::string(name), 1e3 * (wall - p.last_wall), 1e3 * (cpu - p.last_cpu)});
  p.last_wall = wall;
  p.last_cpu = cpu;
}

std::string take_profile() {
  if (!profiling()) return {};
  Profile& p = profile();
  const std::lock_guard lock(p.mu);
  if (p.stages.empty()) return {};
  std::string out = fmt::format("{:<46} {:>9} {:>9}\n", "stage", "wall ms", "cpu ms");
  double wall = 0.0, cpu = 0.0;
  for (const Stage& s : p.stages) {
    out += fmt::format("{:<46} {:>9.1f} {:>9.1f}\n", s.name, s.wall_ms, s.cpu_ms);
    wall += s.wall_ms;
    cpu += s.cpu_ms;
  }
  out += fmt::format("{:<46} {:>9.1f} {:>9.1f}\n", "total", wall, cpu);
  p.stages.clear();
  return out;
}

}  // namespace keel::risk
