// Reachability of the outside services for /readyz (see provider_probe.h).
#include "provider_probe.h"

#include "keel/net/reachability.h"

namespace keel::server {
namespace {

ReachabilityCounts count(const std::vector<ProbeTarget>& targets, std::chrono::milliseconds timeout) {
  ReachabilityCounts c;
  for (const auto& t : targets) {
    switch (t.refused ? net::Reach::kNotAllowed : net::tcp_reach(t.url, t.outbound, timeout)) {
      case net::Reach::kReachable: ++c.reachable; break;
      case net::Reach::kUnreachable: ++c.unreachable; break;
      case net::Reach::kNotAllowed: ++c.not_allowed; break;
    }
  }
  return c;
}

}  // namespace

ProviderProbe::ProviderProbe(std::function<ProbeTargets()> targets, std::chrono::milliseconds ttl,
                             std::chrono::milliseconds connect_timeout)
    : targets_(std::move(targets)), ttl_(ttl), connect_timeout_(connect_timeout) {}

ProviderProbe::~ProviderProbe() {
  stop();
}

void ProviderProbe::stop() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

std::optional<ProviderReachability> ProviderProbe::report(std::chrono::milliseconds wait) {
  std::unique_lock lock(mutex_);
  if (stop_) return last_;
  const auto now = std::chrono::steady_clock::now();
  if (last_ && now - last_->checked_at < ttl_) return last_;
  if (!thread_.joinable()) thread_ = std::thread([this] { loop(); });
  wanted_ = true;
  cv_.notify_all();
  const std::uint64_t before = checks_;
  cv_.wait_for(lock, wait, [&] { return checks_ != before || stop_; });
  return last_;
}

void ProviderProbe::loop() {
  std::unique_lock lock(mutex_);
  for (;;) {
    cv_.wait(lock, [&] { return wanted_ || stop_; });
    if (stop_) return;
    wanted_ = false;
    lock.unlock();
    std::optional<ProviderReachability> fresh;
    try {
      const ProbeTargets t = targets_();
      fresh = ProviderReachability{count(t.market_data, connect_timeout_), count(t.llm, connect_timeout_),
                                   std::chrono::steady_clock::now()};
    } catch (const std::exception&) {
      // The destinations could not be listed (the store is down: /readyz says so itself).
    }
    lock.lock();
    if (fresh) last_ = fresh;
    ++checks_;
    cv_.notify_all();
  }
}

}  // namespace keel::server
