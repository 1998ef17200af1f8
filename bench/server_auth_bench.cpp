// Per-request costs of the service's security layer: verifying a JWT (every authenticated
// request), issuing one (every login), a token-bucket decision (every request) and an argon2id
// hash at the default INTERACTIVE cost (every login; deliberately slow).
#include <benchmark/benchmark.h>

#include <string>

#include "keel/server/auth.h"
#include "keel/server/rate_limit.h"

namespace {

keel::service::SignInUser user() {
  keel::service::SignInUser u;
  u.id = 1;
  u.username = "bench";
  u.tenant = "default";
  u.role = keel::store::Role::kAnalyst;
  return u;
}

const keel::server::TokenConfig kConfig{std::string(64, 'k'), {}, "keel", 3600};

void BM_JwtVerify(benchmark::State& state) {
  keel::server::TokenService tokens(kConfig);
  const std::string token = tokens.issue(user(), 1'700'000'000).token;
  for (auto _ : state) benchmark::DoNotOptimize(tokens.verify(token, 1'700'000'001));
}
BENCHMARK(BM_JwtVerify);

void BM_JwtIssue(benchmark::State& state) {
  keel::server::TokenService tokens(kConfig);
  for (auto _ : state) benchmark::DoNotOptimize(tokens.issue(user(), 1'700'000'000));
}
BENCHMARK(BM_JwtIssue);

void BM_TokenBucketTake(benchmark::State& state) {
  keel::server::TokenBucket bucket(1e12);
  double t = 0.0;
  for (auto _ : state) benchmark::DoNotOptimize(bucket.take("user:bench", t += 1e-6));
}
BENCHMARK(BM_TokenBucketTake);

void BM_Argon2idInteractive(benchmark::State& state) {
  keel::server::PasswordHasher hasher;
  for (auto _ : state) benchmark::DoNotOptimize(hasher.hash("correct horse battery"));
}
BENCHMARK(BM_Argon2idInteractive)->Unit(benchmark::kMillisecond)->Iterations(5);

}  // namespace
BENCHMARK_MAIN();
