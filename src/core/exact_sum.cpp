// The long accumulator of keel/core/exact_sum.h. A double x = (-1)^s m 2^(e - 1075), with m its
// 53-bit significand (the hidden bit included) and e its biased exponent (subnormals: m without
// the hidden bit, e = 1), adds +-m to the counter of e. To round, the counters are added into one
// two's-complement integer N of 36 64-bit limbs, the sum being N 2^-1074, and N is rounded once.
#include "keel/core/exact_sum.h"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>

#include "keel/core/error.h"

namespace keel {
namespace {

constexpr int kLimbs = 40;  // counters up to 2^(2174 + 127), and the carries of adding them, fit in 2560 bits
using Big = std::array<std::uint64_t, kLimbs>;
using Int128 = ExactSum::Int128;
__extension__ typedef unsigned __int128 UInt128;

constexpr std::uint8_t kPlusInf = 1, kMinusInf = 2, kNan = 4;

// b += v 2^shift (v sign-extended over every limb above).
void add_shifted(Big& b, Int128 v, int shift) {
  const auto u = static_cast<UInt128>(v);
  const auto l0 = static_cast<std::uint64_t>(u);
  const auto l1 = static_cast<std::uint64_t>(u >> 64);
  const std::uint64_t ext = v < 0 ? ~std::uint64_t{0} : 0;
  const int off = shift % 64;
  const int at = shift / 64;
  std::uint64_t w[4];
  if (off == 0) {
    w[0] = l0, w[1] = l1, w[2] = ext, w[3] = ext;
  } else {
    w[0] = l0 << off;
    w[1] = (l1 << off) | (l0 >> (64 - off));
    w[2] = (ext << off) | (l1 >> (64 - off));
    w[3] = ext;
  }
  unsigned carry = 0;
  for (int i = at; i < kLimbs; ++i) {
    const std::uint64_t x = i - at < 4 ? w[i - at] : ext;
    const UInt128 s = static_cast<UInt128>(b[static_cast<std::size_t>(i)]) + x + carry;
    b[static_cast<std::size_t>(i)] = static_cast<std::uint64_t>(s);
    carry = static_cast<unsigned>(s >> 64);
  }
}

// N 2^-1074 rounded to nearest, ties to even.
double to_double(Big n) {
  const bool negative = (n[kLimbs - 1] >> 63) != 0;
  if (negative) {  // two's complement negation
    unsigned carry = 1;
    for (auto& limb : n) {
      const UInt128 s = static_cast<UInt128>(~limb) + carry;
      limb = static_cast<std::uint64_t>(s);
      carry = static_cast<unsigned>(s >> 64);
    }
  }
  int top = kLimbs - 1;
  while (top >= 0 && n[static_cast<std::size_t>(top)] == 0) --top;
  if (top < 0) return 0.0;
  const int msb = 64 * top + 63 - std::countl_zero(n[static_cast<std::size_t>(top)]);
  double r;
  if (msb <= 52) {
    r = std::ldexp(static_cast<double>(n[0]), -1074);  // exact: fewer than 54 bits
  } else {
    // The 64 bits from msb down, and whether any bit below them is set.
    const int low = msb - 63;  // may be negative when msb < 63
    std::uint64_t t;
    bool sticky = false;
    if (low <= 0) {
      t = n[0] << (-low);
    } else {
      const int li = low / 64, lo = low % 64;
      t = n[static_cast<std::size_t>(li)] >> lo;
      if (lo != 0 && li + 1 < kLimbs) t |= n[static_cast<std::size_t>(li) + 1] << (64 - lo);
      if (lo != 0 && (n[static_cast<std::size_t>(li)] << (64 - lo)) != 0) sticky = true;
      for (int i = 0; i < li && !sticky; ++i) sticky = n[static_cast<std::size_t>(i)] != 0;
    }
    std::uint64_t mant = t >> 11;  // 53 bits, the top one set
    const std::uint64_t rest = t & 0x7ff;
    int exp = msb - 52 - 1074;
    if (rest > 0x400 || (rest == 0x400 && (sticky || (mant & 1) != 0))) {
      if (++mant == (std::uint64_t{1} << 53)) {
        mant >>= 1;
        ++exp;
      }
    }
    r = std::ldexp(static_cast<double>(mant), exp);  // exact, or an overflow to infinity
  }
  return negative ? -r : r;
}

// Splits a finite double into its counter index and signed significand units.
void split(double x, int* e, Int128* units) {
  const auto bits = std::bit_cast<std::uint64_t>(x);
  const int biased = static_cast<int>((bits >> 52) & 0x7ff);
  std::uint64_t m = bits & ((std::uint64_t{1} << 52) - 1);
  if (biased == 0) {
    *e = 1;
  } else {
    *e = biased;
    m |= std::uint64_t{1} << 52;
  }
  *units = (bits >> 63) != 0 ? -static_cast<Int128>(m) : static_cast<Int128>(m);
}

double special_value(std::uint8_t special) {
  if ((special & kNan) != 0 || special == (kPlusInf | kMinusInf)) return std::numeric_limits<double>::quiet_NaN();
  return special == kPlusInf ? std::numeric_limits<double>::infinity() : -std::numeric_limits<double>::infinity();
}

constexpr char kMagic[4] = {'K', 'X', 'S', '1'};

}  // namespace

void ExactSum::add_units(int e, Int128 units) {
  low_ = std::min(low_, e);
  high_ = std::max(high_, e + 1);
  Int128& c = counters_[static_cast<std::size_t>(e)];
  Int128 sum;
  if (!__builtin_add_overflow(c, units, &sum)) {
    c = sum;
    return;
  }
  // Past 2^127 (only counters read from bytes or merged many times get there): each of the two
  // keeps its lowest bit here and passes the rest, halved, one exponent up. x = 2 (x >> 1) + (x & 1).
  const Int128 old = c;
  c = (old & 1) + (units & 1);
  if (e + 1 >= kCounters) {
    throw Error::invalid_input(fmt::format("exact sum: beyond 2^{}", kCounters - 1075 + 127));
  }
  add_units(e + 1, old >> 1);
  add_units(e + 1, units >> 1);
}

void ExactSum::add(double x) {
  if (!std::isfinite(x)) {
    special_ |= std::isnan(x) ? kNan : (x > 0 ? kPlusInf : kMinusInf);
    return;
  }
  if (x == 0.0) return;
  int e;
  Int128 units;
  split(x, &e, &units);
  add_units(e, units);
}

void ExactSum::add_square(double x) {
  const double p = x * x;
  add(p);  // an infinity past the largest double
  if (std::isfinite(p)) add(std::fma(x, x, -p));
}

void ExactSum::merge(const ExactSum& other) {
  for (int e = other.low_; e < other.high_; ++e) {
    if (other.counters_[static_cast<std::size_t>(e)] != 0) add_units(e, other.counters_[static_cast<std::size_t>(e)]);
  }
  special_ |= other.special_;
}

// The counters as one integer N, the sum being N 2^-1074.
static Big total_of(const Int128* counters, int low, int high) {
  Big n{};
  for (int e = low; e < high; ++e) {
    const Int128 c = counters[static_cast<std::size_t>(e)];
    if (c != 0) add_shifted(n, c, e - 1);
  }
  return n;
}

double ExactSum::value() const {
  if (special_ != 0) return special_value(special_);
  return to_double(total_of(counters_.data(), low_, high_));
}

void ExactSum::value2(double* hi, double* lo) const {
  *lo = 0.0;
  if (special_ != 0) {
    *hi = special_value(special_);
    return;
  }
  Big n = total_of(counters_.data(), low_, high_);
  *hi = to_double(n);
  if (!std::isfinite(*hi) || *hi == 0.0) return;
  int e;
  Int128 units;
  split(*hi, &e, &units);
  add_shifted(n, -units, e - 1);
  *lo = to_double(n);
}

std::string ExactSum::to_bytes() const {
  std::string out(kMagic, sizeof kMagic);
  out.push_back(static_cast<char>(special_));
  std::uint16_t count = 0;
  for (int e = low_; e < high_; ++e) count += counters_[static_cast<std::size_t>(e)] != 0 ? 1 : 0;
  out.append(reinterpret_cast<const char*>(&count), sizeof count);
  for (int e = low_; e < high_; ++e) {
    const Int128 c = counters_[static_cast<std::size_t>(e)];
    if (c == 0) continue;
    const auto index = static_cast<std::uint16_t>(e);
    out.append(reinterpret_cast<const char*>(&index), sizeof index);
    out.append(reinterpret_cast<const char*>(&c), sizeof c);
  }
  return out;
}

ExactSum ExactSum::from_bytes(std::string_view bytes) {
  const auto bad = [&](const std::string& what) {
    return Error::invalid_input(fmt::format("exact sum of {} bytes: {}", bytes.size(), what));
  };
  constexpr std::size_t kHead = sizeof kMagic + 1 + sizeof(std::uint16_t);
  constexpr std::size_t kEntry = sizeof(std::uint16_t) + sizeof(Int128);
  if (bytes.size() < kHead || std::memcmp(bytes.data(), kMagic, sizeof kMagic) != 0) {
    throw bad("expected the KXS1 form");
  }
  ExactSum s;
  s.special_ = static_cast<std::uint8_t>(bytes[sizeof kMagic]);
  if ((s.special_ & ~(kPlusInf | kMinusInf | kNan)) != 0) throw bad("unknown flags");
  std::uint16_t count;
  std::memcpy(&count, bytes.data() + sizeof kMagic + 1, sizeof count);
  if (bytes.size() != kHead + count * kEntry) {
    throw bad(fmt::format("expected {} bytes for {} counters", kHead + count * kEntry, count));
  }
  int previous = 0;
  for (std::size_t i = 0; i < count; ++i) {
    const char* p = bytes.data() + kHead + i * kEntry;
    std::uint16_t index;
    Int128 c;
    std::memcpy(&index, p, sizeof index);
    std::memcpy(&c, p + sizeof index, sizeof c);
    if (index <= previous || index >= kCounters) {
      throw bad(
          fmt::format("counter {}: exponent {} out of order or outside 1..{}", i, index, kCounters - 1));
    }
    if (c == 0) throw bad(fmt::format("counter {} is zero", i));
    s.add_units(index, c);
    previous = index;
  }
  return s;
}

double variance_of_sums(const ExactSum& sum, const ExactSum& sum_squares, std::size_t n) {
  if (n < 2) return 0.0;
  double s1h, s1l, s2h, s2l;
  sum.value2(&s1h, &s1l);
  sum_squares.value2(&s2h, &s2l);
  if (!std::isfinite(s1h) || !std::isfinite(s2h)) return std::numeric_limits<double>::quiet_NaN();
  const double count = static_cast<double>(n);
  // S1^2 in double-double: the product of the leading parts exactly, plus the cross term.
  const double ph = s1h * s1h;
  const double pl = std::fma(s1h, s1h, -ph) + 2.0 * s1h * s1l;
  // / n: the quotient of the leading part and its remainder, exact by fma.
  const double qh = ph / count;
  const double ql = (std::fma(-qh, count, ph) + pl) / count;
  // S2 - S1^2 / n: two-sum of the leading parts, then the tails.
  const double dh = s2h - qh;
  const double bv = dh - s2h;
  const double err = (s2h - (dh - bv)) + (-qh - bv);
  const double d = dh + (err + s2l - ql);
  return std::max(0.0, d) / (count - 1.0);
}

}  // namespace keel
