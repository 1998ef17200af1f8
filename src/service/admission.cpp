// keel/service/admission.h: the limits, the engines' rates and the decision.
#include "keel/service/admission.h"

#include <fmt/format.h>

#include <cmath>

#include "keel/core/error.h"
#include "keel/core/parse.h"
#include "keel/core/strings.h"
#include "keel/service/context.h"

namespace keel::service {

const ComputeLimits& LimitPolicy::of(std::string_view tenant) const {
  const auto it = tenants.find(tenant);
  return it == tenants.end() ? defaults : it->second;
}

std::pair<std::string, ComputeLimits> parse_tenant_limit(std::string_view text, const ComputeLimits& defaults) {
  const auto colon = text.find(':');
  auto bad = [&](const std::string& why) {
    return Error::usage(fmt::format("--tenant-limit \"{}\": {} (expected TENANT:key=value[,key=value...] with keys "
                                    "foreground_seconds, max_seconds, max_memory_mb, whatif_sessions, assistant_mb)",
                                    text, why));
  };
  if (colon == std::string_view::npos || colon == 0) throw bad("no tenant before ':'");
  ComputeLimits out = defaults;
  std::string_view rest = text.substr(colon + 1);
  if (rest.empty()) throw bad("no key=value after ':'");
  while (!rest.empty()) {
    const auto comma = rest.find(',');
    const std::string_view item = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    const auto eq = item.find('=');
    if (eq == std::string_view::npos) throw bad(fmt::format("\"{}\" is not key=value", item));
    const std::string_view key = item.substr(0, eq);
    const std::string value(item.substr(eq + 1));
    const auto number = parse_double(value);
    if (!number || !std::isfinite(*number) || *number <= 0)
      throw bad(fmt::format("{}: expected a number above 0, got \"{}\"", key, value));
    if (key == "foreground_seconds") {
      out.foreground_cpu_seconds = *number;
    } else if (key == "max_seconds") {
      out.max_cpu_seconds = *number;
    } else if (key == "max_memory_mb") {
      out.max_memory_bytes = static_cast<std::uint64_t>(*number * 1024.0 * 1024.0);
    } else if (key == "whatif_sessions" || key == "assistant_mb") {
      if (*number != std::floor(*number) || *number > 1e9)
        throw bad(fmt::format("{}: expected a whole number up to 1000000000, got \"{}\"", key, value));
      (key == "whatif_sessions" ? out.whatif_sessions_per_user : out.assistant_user_mb) =
          static_cast<std::int64_t>(*number);
    } else {
      throw bad(fmt::format("unknown key \"{}\"", key));
    }
  }
  return {std::string(text.substr(0, colon)), out};
}

double steps_per_second(Engine engine) {
  // Steps per CPU second (user + system) of the keel command on a 2-core x86-64 machine (Release
  // build), each rounded down from what bench/admission.sh --rates measured, so that an estimate
  // errs towards the larger cost: Monte Carlo VaR 4.1e8 (4,000,000 paths x 50 assets), plan
  // 4.8e7 (2,000,000 trials x 60 years), a CLO projection 6e7 (a 160-loan, 50-period deal's grid),
  // its Monte Carlo 3.6e8, min-variance 4.5e9 of the model's multiply-adds (400 assets), the
  // simplex 2.8e8-3.2e8 (200 assets x 1,000 and 5,000 scenarios), a tax-aware rebalance 5.6e5 rows
  // (bench/construct_rebalance_bench: 300,000 lots, all sold). docs/server.md lists them.
  switch (engine) {
    case Engine::kMonteCarloVar: return 3e8;
    case Engine::kHistoricalVar: return 5e8;
    case Engine::kPlanTrial: return 4.5e7;
    case Engine::kCloProjection: return 5e7;
    case Engine::kCloMonteCarlo: return 2e8;
    case Engine::kFactorisation: return 4e9;
    case Engine::kLinearProgram: return 2e8;
    case Engine::kAlmCashFlow: return 1e8;
    case Engine::kRegression: return 5e8;
    case Engine::kBookRow: return 4e5;
  }
  return 1e7;
}

void ComputeCost::add(const ComputeCost& part, bool at_once) {
  steps += part.steps * steps_per_second(engine) / steps_per_second(part.engine);
  if (!part.formula.empty()) formula = formula.empty() ? part.formula : formula + " + " + part.formula;
  memory_bytes = at_once ? memory_bytes + part.memory_bytes : std::max(memory_bytes, part.memory_bytes);
  if (parameter.empty()) parameter = part.parameter;
}

std::string bytes_text(double bytes) {
  if (bytes >= 1e9) return fmt::format("{:.1f} GB", bytes / 1e9);
  if (bytes >= 1e6) return fmt::format("{:.0f} MB", bytes / 1e6);
  if (bytes >= 1e3) return fmt::format("{:.0f} kB", bytes / 1e3);
  return fmt::format("{:.0f} bytes", bytes);
}

namespace {

std::string seconds_text(double s) {
  if (s >= 3600) return fmt::format("{:.1f} h", s / 3600);
  if (s >= 100) return fmt::format("{:.0f} min", s / 60);
  if (s >= 10) return fmt::format("{:.0f} s", s);
  if (s >= 0.1) return fmt::format("{:.1f} s", s);
  if (s >= 0.001) return fmt::format("{:.0f} ms", s * 1000);
  return fmt::format("{:.0f} µs", s * 1e6);
}

[[noreturn]] void refuse(const ComputeCost& cost, const std::string& which, const std::string& limit) {
  const std::string change = cost.parameter.empty() ? "" : fmt::format("; ask for less ({})", cost.parameter);
  throw Error(ErrorCode::kPayloadTooLarge,
              fmt::format("{} refused: it would take about {} of CPU and {} of memory ({}), over {} of {}{}",
                          cost.operation, seconds_text(cost.cpu_seconds()), bytes_text(cost.memory_bytes),
                          cost.formula, which, limit, change),
              {fmt::format("cost: {:.3g} steps, {} CPU, {} peak memory", cost.steps, seconds_text(cost.cpu_seconds()),
                           bytes_text(cost.memory_bytes)),
               fmt::format("limit: {} {}", which, limit),
               cost.parameter.empty() ? std::string("parameter: -") : "parameter: " + cost.parameter});
}

}  // namespace

Placement admit(const ComputeLimits& limits, const ComputeCost& cost) {
  if (cost.memory_bytes > static_cast<double>(limits.max_memory_bytes)) {
    refuse(cost, "the memory limit per computation", bytes_text(static_cast<double>(limits.max_memory_bytes)));
  }
  const double seconds = cost.cpu_seconds();
  if (seconds > limits.max_cpu_seconds) {
    refuse(cost, "the CPU limit per computation", seconds_text(limits.max_cpu_seconds));
  }
  if (seconds <= limits.foreground_cpu_seconds) return Placement::kForeground;
  if (!cost.has_job) {
    refuse(cost, "the limit of a computation answered at once", seconds_text(limits.foreground_cpu_seconds));
  }
  return Placement::kBackground;
}

void admit_now(const Context& cx, ComputeCost cost) {
  cost.has_job = false;  // here and now; in a job, admit() holds it to the job's limits
  admit(cx, cost);
}

Placement admit(const Context& cx, const ComputeCost& cost) {
  if (cx.limits == nullptr) return Placement::kForeground;
  if (!cx.in_job) return admit(cx.limits->of(cx.actor.tenant), cost);
  // A job was admitted when it was queued; run, it is held to the limits of a job only.
  ComputeCost as_job = cost;
  as_job.has_job = true;
  admit(cx.limits->of(cx.actor.tenant), as_job);
  return Placement::kForeground;
}

}  // namespace keel::service
