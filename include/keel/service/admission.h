// keel/service/admission.h: what a computation will cost, said before it starts, and whether it
// may start.
//
// Every compute use case (VaR, what-if, stress, optimize and its frontier, rebalance, CLO run,
// grid and Monte Carlo, plan retire / sensitivity / compare, ALM runs, batch) states its cost from
// its request and the size of what it reads (a book's assets, a deal's loans), before it
// allocates anything of that size: a ComputeCost, in steps of its engine (a path x asset of Monte
// Carlo, a trial x year of the plan, a loan x period of a CLO projection, a multiply-add of a
// factorisation), the formula that gives them, the CPU seconds they take at the engine's measured
// rate, and the peak memory. admit() then decides against the actor's tenant's ComputeLimits:
//
//   - over max_memory_bytes or max_cpu_seconds: refused, Error payload_too_large (HTTP 413), the
//     message naming the limit, the computed cost and the request field to change;
//   - over foreground_cpu_seconds: kBackground: a use case with a job kind queues itself as a job
//     (as VaR does), one without refuses it the same way, naming the foreground limit;
//   - else kForeground.
//
// Without limits (Context::limits null: the keel command, a library call) everything is admitted
// in the foreground: the machine's operator decides what to run. The server's limits come from
// its flags and per-tenant overrides (docs/server.md, "Limits").
//
// Thread-safety: pure functions; a LimitPolicy is immutable once the server started.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace keel::service {

struct Context;

// The limits of one request (a tenant's, or the server's defaults), and what each of the tenant's
// users may keep of what grows with use (keel/service/storage.h).
struct ComputeLimits {
  double foreground_cpu_seconds = 2.0;  // above: a background job (or refused where there is none)
  double max_cpu_seconds = 900.0;       // above: refused, whether in the foreground or as a job
  std::uint64_t max_memory_bytes = std::uint64_t{1} << 30;  // estimated peak of one computation
  std::int64_t whatif_sessions_per_user = 0;  // what-if sessions a user may keep; more refused (0: any)
  std::int64_t assistant_user_mb = 0;  // each user's conversations; the oldest evicted past it (0: none)
};

// The server's limits and the tenants' own (a tenant absent from `tenants` has `defaults`).
struct LimitPolicy {
  ComputeLimits defaults;
  std::map<std::string, ComputeLimits, std::less<>> tenants;

  const ComputeLimits& of(std::string_view tenant) const;
};

// Reads a tenant override "TENANT:key=value[,key=value...]" with keys foreground_seconds,
// max_seconds, max_memory_mb, whatif_sessions, assistant_mb (the keel serve flag --tenant-limit);
// the keys not given keep the defaults. Error::usage naming the part that is not one.
std::pair<std::string, ComputeLimits> parse_tenant_limit(std::string_view text, const ComputeLimits& defaults);

// How fast an engine goes through its steps, measured (bench/admission.sh --rates prints the rates
// of the machine it runs on; docs/server.md "Limits" lists them): steps per CPU second.
enum class Engine {
  kMonteCarloVar,   // a path x asset (and x option underlying)
  kHistoricalVar,   // a window day x asset
  kPlanTrial,       // a trial x step (a year, or a month)
  kCloProjection,   // a loan x period of one projection
  kCloMonteCarlo,   // a loan x period of one scenario (with its default draws)
  kFactorisation,   // a multiply-add of a dense factorisation or solve (assets^3 / 3 ...)
  kLinearProgram,   // a nonzero x pivot of the simplex (min-CVaR)
  kAlmCashFlow,     // a payment x scenario of the IRRBB cash-flow kernel (projected and discounted)
  kRegression,      // a return x asset x factor^2 of the factor regressions (and a scenario x asset)
  kBookRow,         // a row of a linear pass over a book: a position, a target weight, a tax lot
};
double steps_per_second(Engine engine);

// What one computation will cost.
struct ComputeCost {
  std::string operation;         // "what-if calculation", for messages
  double steps = 0.0;            // of `engine`
  Engine engine = Engine::kMonteCarloVar;
  std::string formula;           // "paths 100000000 x assets 12 x 2 books"
  double memory_bytes = 0.0;     // estimated peak
  std::string parameter;         // the request field(s) to change: "paths"
  bool has_job = false;          // the use case can run as a background job

  double cpu_seconds() const { return steps / steps_per_second(engine); }
  // Adds another part of the same computation (its steps converted to this engine's at the two
  // rates, its memory added as held at once when `at_once`).
  void add(const ComputeCost& part, bool at_once);
};

enum class Placement { kForeground, kBackground };

// The decision of the header comment for the actor's tenant's limits; throws
// Error(payload_too_large) when the cost is over a limit (or over the foreground limit when the
// use case has no job).
Placement admit(const Context& cx, const ComputeCost& cost);

// For a computation about to run on the calling thread: in a job (Context::in_job) held to the
// limits of a job, else to those of an answer given at once (has_job ignored). Throws as admit.
void admit_now(const Context& cx, ComputeCost cost);

// The same decision on limits given (tests, docs).
Placement admit(const ComputeLimits& limits, const ComputeCost& cost);

// "1.6 GB", "512 MB", "12 kB": a byte count as messages write it (powers of 1000, 2 digits).
std::string bytes_text(double bytes);

}  // namespace keel::service
