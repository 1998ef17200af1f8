// src/server/provider_probe.h (private): the reachability of the outside services keel serve
// depends on, for /readyz — the configured market-data provider and every tenant's assistant (LLM)
// providers — as counts only.
//
// A check opens a TCP connection to each destination (keel/net/reachability.h: nothing is sent,
// the outbound guard's rules apply, `connect_timeout` each) on the probe's own thread, and keeps the
// counts for `ttl`. report() never waits longer than it is told: when the counts are older than
// the ttl it asks for a check and waits for it up to `wait`, then answers with the newest counts it
// has (none before the first check ends). So a readiness probe stays fast however many providers
// there are or however slow they are, and the providers see at most one connection per ttl.
// The probe's status never depends on them: an outside service being down does not make keel
// unready.
//
// Thread-safety: report() from any thread; the destinations function runs on the probe's thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "keel/net/outbound.h"

namespace keel::server {

struct ProbeTarget {
  std::string url;
  net::OutboundPolicy outbound;
  bool refused = false;  // refused by a policy before any connection: counted not allowed
};

struct ProbeTargets {
  std::vector<ProbeTarget> market_data;
  std::vector<ProbeTarget> llm;
};

struct ReachabilityCounts {
  std::size_t reachable = 0;
  std::size_t unreachable = 0;
  std::size_t not_allowed = 0;
};

struct ProviderReachability {
  ReachabilityCounts market_data;
  ReachabilityCounts llm;
  std::chrono::steady_clock::time_point checked_at;
};

class ProviderProbe {
 public:
  // `targets` lists the destinations of a check (it may throw: the check then keeps the last counts).
  ProviderProbe(std::function<ProbeTargets()> targets, std::chrono::milliseconds ttl,
                std::chrono::milliseconds connect_timeout);
  ~ProviderProbe();
  ProviderProbe(const ProviderProbe&) = delete;
  ProviderProbe& operator=(const ProviderProbe&) = delete;

  // The newest counts (see the file comment); nullopt until a first check has ended.
  std::optional<ProviderReachability> report(std::chrono::milliseconds wait);
  void stop();

 private:
  void loop();
  std::function<ProbeTargets()> targets_;
  std::chrono::milliseconds ttl_;
  std::chrono::milliseconds connect_timeout_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::optional<ProviderReachability> last_;  // guarded by mutex_
  bool wanted_ = false;                       // guarded by mutex_: a check was asked for
  std::uint64_t checks_ = 0;                  // guarded by mutex_: checks ended
  bool stop_ = false;                         // guarded by mutex_
  std::thread thread_;                        // started by the first report()
};

}  // namespace keel::server
