// Shard ranges and the byte form of shard values (keel/service/sharding.h). The VaR and CLO
// shards and reduces are in risk_var.cpp and clo.cpp, beside the use cases they split.
#include "keel/service/sharding.h"

#include <bit>
#include <cstring>

#include <fmt/format.h>

#include "keel/core/error.h"

namespace keel::service {

static_assert(std::endian::native == std::endian::little,
              "shard values are stored as little-endian doubles; a big-endian port converts here");

std::vector<ShardRange> shard_ranges(std::int64_t total, std::int64_t per_shard) {
  if (total < 1 || per_shard < 1) {
    throw Error::invalid_input(
        fmt::format("shards: {} items in shards of {} (both must be at least 1)", total, per_shard));
  }
  std::vector<ShardRange> out;
  for (std::int64_t first = 0; first < total; first += per_shard) {
    out.push_back({first, std::min(total, first + per_shard)});
  }
  return out;
}

std::string values_to_bytes(const std::vector<double>& values) {
  std::string out(values.size() * sizeof(double), '\0');
  if (!values.empty()) std::memcpy(out.data(), values.data(), out.size());
  return out;
}

std::vector<double> values_from_bytes(const std::string& bytes) {
  if (bytes.size() % sizeof(double) != 0) {
    throw Error::invalid_input(
        fmt::format("shard output of {} bytes is not a whole number of doubles", bytes.size()));
  }
  std::vector<double> out(bytes.size() / sizeof(double));
  if (!out.empty()) std::memcpy(out.data(), bytes.data(), bytes.size());
  return out;
}

}  // namespace keel::service
