// Fuzz target: the byte form of a Monte Carlo path summary (keel/risk/monte_carlo.h), which a VaR
// shard stores with its job row and the reduce reads back, and of the exact sums inside it
// (keel/core/exact_sum.h). Whatever parses must print back to the same bytes and give finite or
// NaN sums without trapping; whatever is refused must be refused with a keel::Error.
#include "fuzz_common.h"
#include "keel/core/exact_sum.h"
#include "keel/risk/monte_carlo.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string bytes = keel::fuzz::text(data, size);
  keel::fuzz::run([&] {
    const keel::risk::PathSummary s = keel::risk::path_summary_from_bytes(bytes);
    if (keel::risk::path_summary_to_bytes(s) != bytes) {
      std::fprintf(stderr, "path summary does not print back to its bytes\n");
      std::abort();
    }
    (void)keel::variance_of_sums(s.sum, s.sum_squares, s.count);
  });
  keel::fuzz::run([&] {
    const keel::ExactSum s = keel::ExactSum::from_bytes(bytes);
    if (s.to_bytes() != bytes) {
      std::fprintf(stderr, "exact sum does not print back to its bytes\n");
      std::abort();
    }
    double hi, lo;
    s.value2(&hi, &lo);
    keel::ExactSum twice = s;
    twice.merge(s);
    (void)twice.value();
  });
  return 0;
}
