// Private to keel/ledger: the hash of an (account, symbol) pair of views, for the maps that find a
// holding by the names of a row without copying them (the rows outlive the maps).
#pragma once

#include <cstddef>
#include <functional>
#include <string_view>
#include <utility>

namespace keel::ledger::detail {

using NamePair = std::pair<std::string_view, std::string_view>;

struct NamePairHash {
  std::size_t operator()(const NamePair& k) const {
    const std::hash<std::string_view> h;
    return h(k.first) * 31 + h(k.second);
  }
};

}  // namespace keel::ledger::detail
