// Private to keel/ledger: numbers for the (account, symbol) pairs of a ledger's rows, or for its
// symbols alone, found by views of the rows' names without copying them (the rows outlive the
// numbering). A booking and an income history look a pair up for nearly every row of a
// million-row ledger, so the table is open-addressed (one probe sequence in one array, no node per
// name) and the hash reads the short names a word at a time.
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>
#include <utility>
#include <vector>

namespace keel::ledger::detail {

using NamePair = std::pair<std::string_view, std::string_view>;

class NameIds {
 public:
  static constexpr std::uint32_t kNone = 0xffffffffu;

  // The number of (a, b), given in order of first appearance (0, 1, ...); `second` is true when
  // the pair is new. A single name is the pair (name, "").
  std::pair<std::uint32_t, bool> intern(std::string_view a, std::string_view b = {}) {
    if ((keys_.size() + 1) * 4 > slots_.size() * 3) grow();
    const std::uint64_t h = hash(a, b);
    for (std::size_t s = h & mask_;; s = (s + 1) & mask_) {
      Slot& slot = slots_[s];
      if (slot.id == kNone) {
        slot = {h, static_cast<std::uint32_t>(keys_.size())};
        keys_.emplace_back(a, b);
        return {slot.id, true};
      }
      if (slot.hash == h && keys_[slot.id].first == a && keys_[slot.id].second == b) return {slot.id, false};
    }
  }
  // The number of (a, b), or kNone.
  std::uint32_t find(std::string_view a, std::string_view b = {}) const {
    if (keys_.empty()) return kNone;
    const std::uint64_t h = hash(a, b);
    for (std::size_t s = h & mask_;; s = (s + 1) & mask_) {
      const Slot& slot = slots_[s];
      if (slot.id == kNone) return kNone;
      if (slot.hash == h && keys_[slot.id].first == a && keys_[slot.id].second == b) return slot.id;
    }
  }
  std::size_t size() const { return keys_.size(); }
  const NamePair& key(std::uint32_t id) const { return keys_[id]; }

 private:
  struct Slot {
    std::uint64_t hash = 0;
    std::uint32_t id = kNone;
  };

  // Eight bytes at a time, the last word zero-padded; the length is mixed in so that "AB" + ""
  // and "A" + "B" differ. Mixing: the multiply-xorshift steps of splitmix64.
  static std::uint64_t mix(std::uint64_t h, std::uint64_t w) {
    h = (h ^ w) * 0xbf58476d1ce4e5b9ULL;
    return h ^ (h >> 31);
  }
  static std::uint64_t hash_one(std::uint64_t h, std::string_view s) {
    const char* p = s.data();
    std::size_t n = s.size();
    h = mix(h, n);
    for (; n >= 8; p += 8, n -= 8) {
      std::uint64_t w;
      std::memcpy(&w, p, 8);
      h = mix(h, w);
    }
    if (n > 0) {
      std::uint64_t w = 0;
      for (std::size_t k = 0; k < n; ++k) w |= static_cast<std::uint64_t>(static_cast<unsigned char>(p[k])) << (8 * k);
      h = mix(h, w);
    }
    return h;
  }
  static std::uint64_t hash(std::string_view a, std::string_view b) {
    const std::uint64_t h = hash_one(hash_one(0x9e3779b97f4a7c15ULL, a), b);
    return (h ^ (h >> 27)) * 0x94d049bb133111ebULL;
  }
  void grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(old.empty() ? 64 : old.size() * 2, Slot{});
    mask_ = slots_.size() - 1;
    for (const Slot& o : old) {
      if (o.id == kNone) continue;
      std::size_t s = o.hash & mask_;
      while (slots_[s].id != kNone) s = (s + 1) & mask_;
      slots_[s] = o;
    }
  }

  std::vector<Slot> slots_;  // a power of two in size, at most three quarters full
  std::size_t mask_ = 0;
  std::vector<NamePair> keys_;  // by number
};

}  // namespace keel::ledger::detail
