// Token bucket and login throttle against hand-computed schedules.
#include "keel/server/rate_limit.h"

#include <gtest/gtest.h>

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
