// The byte form of a Monte Carlo path summary (keel/risk/monte_carlo.h): what a VaR shard stores
// with its job row. Kept apart from the simulation so the fuzz target of the form links core only.
#include <fmt/format.h>

#include <cmath>
#include <cstring>
#include <string>

#include "keel/core/error.h"
#include "keel/risk/monte_carlo.h"
#include "path_order.h"

namespace keel::risk {
namespace {

constexpr char kSummaryMagic[4] = {'K', 'P', 'S', '1'};

void put_u64(std::string& out, std::uint64_t v) { out.append(reinterpret_cast<const char*>(&v), sizeof v); }

}  // namespace

std::string path_summary_to_bytes(const PathSummary& s) {
  // KPS1, count, ties_left_out, lowest count, the two sums' sizes, the sums, the lowest values.
  const std::string sum = s.sum.to_bytes(), squares = s.sum_squares.to_bytes();
  std::string out(kSummaryMagic, sizeof kSummaryMagic);
  put_u64(out, s.count);
  put_u64(out, s.ties_left_out);
  put_u64(out, s.lowest.size());
  put_u64(out, sum.size());
  put_u64(out, squares.size());
  out += sum;
  out += squares;
  if (!s.lowest.empty()) out.append(reinterpret_cast<const char*>(s.lowest.data()), s.lowest.size() * sizeof(double));
  return out;
}

PathSummary path_summary_from_bytes(std::string_view bytes) {
  const auto bad = [&](const std::string& what) {
    return Error::invalid_input(fmt::format("Monte Carlo path summary of {} bytes: {}", bytes.size(), what));
  };
  constexpr std::size_t kHead = sizeof kSummaryMagic + 5 * sizeof(std::uint64_t);
  if (bytes.size() < kHead || std::memcmp(bytes.data(), kSummaryMagic, sizeof kSummaryMagic) != 0) {
    throw bad("expected the KPS1 form");
  }
  std::uint64_t head[5];
  std::memcpy(head, bytes.data() + sizeof kSummaryMagic, sizeof head);
  const std::uint64_t rest = bytes.size() - kHead;
  if (head[3] > rest || head[4] > rest - head[3] || head[2] > (rest - head[3] - head[4]) / sizeof(double) ||
      head[2] * sizeof(double) != rest - head[3] - head[4]) {
    throw bad("the sizes in its header do not add up to its length");
  }
  if (head[2] > head[0] || head[1] > head[0] - head[2]) {
    throw bad("keeps more values than it summarises");
  }
  PathSummary s;
  s.count = head[0];
  s.ties_left_out = head[1];
  const char* p = bytes.data() + kHead;
  s.sum = ExactSum::from_bytes({p, head[3]});
  s.sum_squares = ExactSum::from_bytes({p + head[3], head[4]});
  s.lowest.resize(head[2]);
  if (head[2] > 0) std::memcpy(s.lowest.data(), p + head[3] + head[4], head[2] * sizeof(double));
  for (std::size_t i = 0; i < s.lowest.size(); ++i) {
    if (!std::isfinite(s.lowest[i])) throw bad(fmt::format("value {} is not finite", i));
    if (i > 0 && detail::before(s.lowest[i], s.lowest[i - 1])) throw bad("its values are not ascending");
  }
  return s;
}

}  // namespace keel::risk
