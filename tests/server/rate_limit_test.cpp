// Token bucket and login throttle against hand-computed schedules; a bucket shared by two servers
// through leases of tokens.
#include "keel/server/rate_limit.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace keel::server {
namespace {

TEST(TokenBucket, SixtyPerMinuteAllowsABurstOfSixtyThenOnePerSecond) {
  TokenBucket b(60);  // capacity 60, refill 1 token/s
  for (int i = 0; i < 60; ++i) EXPECT_TRUE(b.take("u", 1000.0).allowed) << i;
  const auto refused = b.take("u", 1000.0);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after_seconds, 1);  // (1 - 0 tokens) / (1 token/s) = 1 s
  EXPECT_FALSE(b.take("u", 1000.5).allowed);  // 0.5 token
  EXPECT_TRUE(b.take("u", 1001.0).allowed);   // 1.0 token after 1 s
  EXPECT_FALSE(b.take("u", 1001.0).allowed);
  EXPECT_TRUE(b.take("other", 1001.0).allowed);  // buckets are per key
}

// The defaults of keel serve: 300 a minute (5 a second) after a burst of 600.
TEST(TokenBucket, ABurstLargerThanTheRateIsSpentThenTheRateHolds) {
  TokenBucket b(300, 600);
  EXPECT_DOUBLE_EQ(b.burst(), 600);
  for (int i = 0; i < 600; ++i) EXPECT_TRUE(b.take("u", 50.0).allowed) << i;
  const auto refused = b.take("u", 50.0);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after_seconds, 1);  // 1 token at 5 a second: 0.2 s, rounded up
  // A second later 5 tokens, and no more.
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(b.take("u", 51.0).allowed) << i;
  EXPECT_FALSE(b.take("u", 51.0).allowed);
  // Idle for two minutes: full again, at the burst (not 600 + 600).
  for (int i = 0; i < 600; ++i) EXPECT_TRUE(b.take("u", 171.0).allowed) << i;
  EXPECT_FALSE(b.take("u", 171.0).allowed);
}

TEST(TokenBucket, RetryAfterRoundsUpTheWait) {
  TokenBucket b(6);  // capacity 6, refill 0.1 token/s: 10 s per token
  for (int i = 0; i < 6; ++i) EXPECT_TRUE(b.take("u", 0.0).allowed);
  EXPECT_EQ(b.take("u", 0.0).retry_after_seconds, 10);
  EXPECT_EQ(b.take("u", 2.5).retry_after_seconds, 8);  // 0.25 token: 7.5 s -> 8
}

TEST(TokenBucket, DisabledWhenZero) {
  TokenBucket b(0);
  for (int i = 0; i < 1000; ++i) EXPECT_TRUE(b.take("u", 0.0).allowed);
}

TEST(TokenBucket, ForgetsBucketsThatRefilled) {
  TokenBucket b(60);
  b.take("a", 0.0);
  b.take("b", 0.0);
  EXPECT_EQ(b.tracked_keys(), 2u);
  b.take("c", 120.0);  // a and b are full again after 60 s
  EXPECT_EQ(b.tracked_keys(), 1u);
}

TEST(LoginThrottle, FiveFreeFailuresThenDoublingDelays) {
  LoginThrottle t({5, 1.0, 900.0});
  for (int i = 0; i < 4; ++i) t.record_failure("acct:x", 0.0);
  EXPECT_EQ(t.blocked_for("acct:x", 0.0), 0);
  t.record_failure("acct:x", 0.0);  // 5th failure: 1 x 2^0 = 1 s
  EXPECT_EQ(t.blocked_for("acct:x", 0.0), 1);
  EXPECT_EQ(t.blocked_for("acct:x", 1.0), 0);
  t.record_failure("acct:x", 1.0);  // 6th: 2 s
  EXPECT_EQ(t.blocked_for("acct:x", 1.0), 2);
  t.record_failure("acct:x", 3.0);  // 7th: 4 s
  EXPECT_EQ(t.blocked_for("acct:x", 3.0), 4);
  t.record_success("acct:x");
  EXPECT_EQ(t.blocked_for("acct:x", 3.0), 0);
}

TEST(LoginThrottle, DelayIsCapped) {
  LoginThrottle t({0, 1.0, 60.0});
  for (int i = 0; i < 40; ++i) t.record_failure("ip:1", 0.0);
  EXPECT_EQ(t.blocked_for("ip:1", 0.0), 60);
}

}  // namespace
}  // namespace keel::server

namespace keel::server {
namespace {

// One bucket per key kept "outside" both limiters, as the database keeps it for every server;
// counts the calls that would be round trips.
class FakeSharedState final : public SharedLimitState {
 public:
  double take(const std::string& key, double capacity, double refill, double now) override {
    const Grant g = take_up_to(key, 1, capacity, refill, now);
    return g.granted > 0 ? 0.0 : g.wait_seconds;
  }
  Grant take_up_to(const std::string& key, int want, double capacity, double refill, double now) override {
    if (delay.count() > 0) std::this_thread::sleep_for(delay);  // a round trip's time
    std::lock_guard lock(mutex_);
    ++calls;
    auto [it, inserted] = buckets_.try_emplace(key, Bucket{capacity, now});
    Bucket& b = it->second;
    b.tokens = std::min(capacity, b.tokens + std::max(0.0, now - b.updated) * refill);
    b.updated = std::max(b.updated, now);
    const int granted = b.tokens >= 1.0 ? static_cast<int>(std::min<double>(want, std::floor(b.tokens))) : 0;
    b.tokens -= granted;
    if (granted > 0) return {granted, 0.0};
    return {0, (1.0 - b.tokens) / refill};
  }
  double blocked_until(const std::string&) override { return 0.0; }
  void record_failure(const std::string&, double, const LoginThrottleOptions&) override {}
  void record_success(const std::string&) override {}
  void sweep(double, double) override {}

  std::atomic<int> calls = 0;
  std::chrono::milliseconds delay{0};

 private:
  struct Bucket {
    double tokens;
    double updated;
  };
  std::mutex mutex_;
  std::map<std::string, Bucket> buckets_;
};

TEST(SharedTokenBucket, TwoServersLeasingTokensStillLimitTheUserToOneBucket) {
  auto shared = std::make_shared<FakeSharedState>();
  TokenBucket one(6400), two(6400);  // capacity 6400, 106.7 tokens/s; leases of 200
  one.use_shared(shared);
  two.use_shared(shared);
  ASSERT_EQ(one.lease_size(), 200);
  int admitted = 0;
  for (int i = 0; i < 10000; ++i) {
    TokenBucket& b = i % 2 ? two : one;
    if (b.take("user:ann", 0.5).allowed) ++admitted;
  }
  // Every admitted request spent a token of the one bucket; what each server still holds in its
  // lease (< 200) is the most it refuses early.
  EXPECT_LE(admitted, 6400);
  EXPECT_GE(admitted, 6400 - 2 * 200);
  // One round trip per lease, and once per server for the refusals that followed: not per request.
  EXPECT_LE(shared->calls.load(), 6400 / 200 + 4);
  // Refused until the shared bucket refills a token: 1 / 106.7 s, rounded up to 1 s.
  const RateDecision refused = one.take("user:ann", 0.5);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after_seconds, 1);
  // Another user has a bucket of their own.
  EXPECT_TRUE(two.take("user:bob", 0.5).allowed);
}

TEST(SharedTokenBucket, ConcurrentRequestsOfAKeyWaitForOneBatchInsteadOfEachAskingTheDatabase) {
  auto shared = std::make_shared<FakeSharedState>();
  shared->delay = std::chrono::milliseconds(50);
  TokenBucket b(6400);  // leases of 200
  b.use_shared(shared);
  std::atomic<int> admitted = 0;
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10; ++i) {
        if (b.take("user:ann", 5.0).allowed) ++admitted;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(admitted.load(), 80);
  // 80 requests fit one lease of 200: one thread asked, the seven others waited for its batch.
  EXPECT_EQ(shared->calls.load(), 1);
}

TEST(SharedTokenBucket, LeasedTokensExpireAndSmallLimitsTakeOneTokenAtATime) {
  auto shared = std::make_shared<FakeSharedState>();
  TokenBucket big(3200);  // leases of 100
  big.use_shared(shared);
  EXPECT_TRUE(big.take("user:ann", 10.0).allowed);  // takes 100, spends 1
  const int calls = shared->calls.load();
  for (int i = 0; i < 99; ++i) EXPECT_TRUE(big.take("user:ann", 10.5).allowed);
  EXPECT_EQ(shared->calls.load(), calls);  // all from the lease
  EXPECT_TRUE(big.take("user:ann", 10.6).allowed);
  EXPECT_EQ(shared->calls.load(), calls + 1);  // the next lease
  EXPECT_TRUE(big.take("user:ann", 10.6 + TokenBucket::kLeaseSeconds).allowed);  // the lease expired
  EXPECT_EQ(shared->calls.load(), calls + 2);

  TokenBucket small(60);  // capacity 60: a lease of 1, every request asks the shared bucket
  small.use_shared(shared);
  EXPECT_EQ(small.lease_size(), 1);
  for (int i = 0; i < 60; ++i) EXPECT_TRUE(small.take("user:cy", 0.0).allowed);
  EXPECT_FALSE(small.take("user:cy", 0.0).allowed);
}

}  // namespace
}  // namespace keel::server
