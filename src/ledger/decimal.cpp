#include "keel/ledger/decimal.h"

#include <fmt/format.h>

#include <cmath>
#include <limits>

#include "keel/core/error.h"
#include "keel/core/strings.h"

namespace keel::ledger {
namespace {

__extension__ typedef __int128 Int128;
__extension__ typedef unsigned __int128 UInt128;

constexpr std::int64_t kPow10[] = {1,         10,         100,         1000,        10000,
                                   100000,    1000000,    10000000,    100000000,   1000000000,
                                   10000000000, 100000000000, 1000000000000, 10000000000000,
                                   100000000000000, 1000000000000000, 10000000000000000,
                                   100000000000000000, 1000000000000000000};

[[noreturn]] void overflow() {
  throw Error::invalid_input("amount out of range (more than +-92 billion with 8 decimals)");
}

std::int64_t narrow(Int128 v) {
  if (v > std::numeric_limits<std::int64_t>::max() || v < std::numeric_limits<std::int64_t>::min()) {
    overflow();
  }
  return static_cast<std::int64_t>(v);
}

// Magnitude n / d when d < 2^64 and the quotient fits in 64 bits: one hardware division instead of
// the generic 128-bit routine (the booking loop divides for every partial lot).
bool divide_u64(UInt128 n, UInt128 d, std::uint64_t& q, std::uint64_t& r) {
#if defined(__x86_64__)
  const auto hi = static_cast<std::uint64_t>(n >> 64);
  const auto lo = static_cast<std::uint64_t>(n);
  if ((d >> 64) != 0 || hi >= static_cast<std::uint64_t>(d)) return false;
  const auto dd = static_cast<std::uint64_t>(d);
  __asm__("divq %4" : "=a"(q), "=d"(r) : "a"(lo), "d"(hi), "rm"(dd));
  return true;
#else
  if ((d >> 64) != 0 || (n >> 64) != 0) return false;
  q = static_cast<std::uint64_t>(n) / static_cast<std::uint64_t>(d);
  r = static_cast<std::uint64_t>(n) % static_cast<std::uint64_t>(d);
  return true;
#endif
}

// n / d rounded with `mode`; d > 0.
Int128 divide_rounded(Int128 n, Int128 d, Rounding mode) {
  const bool negative = n < 0;
  std::uint64_t uq = 0;
  std::uint64_t ur = 0;
  const UInt128 un = negative ? static_cast<UInt128>(-n) : static_cast<UInt128>(n);
  if (divide_u64(un, static_cast<UInt128>(d), uq, ur)) {
    // Same rule as below on magnitudes: round the magnitude, then apply the sign.
    auto mag = static_cast<Int128>(uq);
    if (ur != 0 && mode != Rounding::kDown) {
      const UInt128 twice = static_cast<UInt128>(ur) * 2;
      const auto ud = static_cast<UInt128>(d);
      if (twice > ud || (twice == ud && (mode == Rounding::kHalfUp || (uq % 2) != 0))) ++mag;
    }
    return negative ? -mag : mag;
  }
  Int128 q = n / d;
  const Int128 r = n % d;
  if (r == 0 || mode == Rounding::kDown) return q;
  const Int128 twice = (r < 0 ? -r : r) * 2;
  const Int128 sign = n < 0 ? -1 : 1;
  if (twice > d || (twice == d && (mode == Rounding::kHalfUp || (q % 2) != 0))) q += sign;
  return q;
}

void check_decimals(int decimals) {
  if (decimals < 0 || decimals > Decimal::kScale) {
    throw Error::internal(fmt::format("Decimal rounding to {} places (0..8 allowed)", decimals));
  }
}

}  // namespace

Decimal Decimal::from_int(std::int64_t units) {
  return Decimal(narrow(static_cast<Int128>(units) * kOne));
}

std::optional<Decimal> Decimal::parse(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  if (text.empty()) return std::nullopt;
  bool negative = false;
  if (text.front() == '+' || text.front() == '-') {
    negative = text.front() == '-';
    text.remove_prefix(1);
  }
  // The digits kept (at most kScale after the point) accumulate in 64 bits while there are at most
  // 18 of them, which cannot overflow; from the 19th on, in 128 bits with a check per digit.
  std::uint64_t narrow_value = 0;
  Int128 value = 0;
  int kept_digits = 0;
  int frac_digits = 0;
  bool seen_point = false;
  bool any_digit = false;
  for (char c : text) {
    if (c == '.') {
      if (seen_point) return std::nullopt;
      seen_point = true;
      continue;
    }
    if (c < '0' || c > '9') return std::nullopt;
    any_digit = true;
    if (seen_point) {
      if (frac_digits == kScale) {
        if (c != '0') return std::nullopt;  // more precision than 1e-8: not exact
        continue;
      }
      ++frac_digits;
    }
    if (++kept_digits <= 18) {
      narrow_value = narrow_value * 10 + static_cast<std::uint64_t>(c - '0');
      continue;
    }
    if (kept_digits == 19) value = narrow_value;
    value = value * 10 + (c - '0');
    if (value > static_cast<Int128>(std::numeric_limits<std::int64_t>::max())) return std::nullopt;
  }
  if (!any_digit) return std::nullopt;
  if (kept_digits <= 18) value = narrow_value;
  value *= kPow10[kScale - frac_digits];
  if (negative) value = -value;
  if (value > std::numeric_limits<std::int64_t>::max() || value < -std::numeric_limits<std::int64_t>::max()) {
    return std::nullopt;
  }
  return Decimal(static_cast<std::int64_t>(value));
}

Decimal Decimal::parse_or_throw(std::string_view text, std::string_view what) {
  auto d = parse(text);
  if (!d) {
    throw Error::invalid_input(std::string(what) + ": " + shown_with(text, 64, '\'') +
                               " is not a decimal number with at most 8 decimal places");
  }
  return *d;
}

Decimal Decimal::from_double(double v) {
  if (!std::isfinite(v) || std::fabs(v) > 9.2e10) overflow();
  return Decimal(static_cast<std::int64_t>(std::nearbyint(v * static_cast<double>(kOne))));
}

std::string Decimal::to_string() const {
  std::string s = to_string(kScale);
  if (s.find('.') != std::string::npos) {
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  if (s == "-0") s = "0";
  return s;
}

std::string Decimal::to_string(int decimals) const {
  check_decimals(decimals);
  const Decimal r = round(decimals, Rounding::kHalfUp);
  const Int128 v = r.raw_;
  const bool negative = v < 0;
  const UInt128 mag = static_cast<UInt128>(negative ? -v : v);
  const auto units = static_cast<std::uint64_t>(mag / kOne);
  const auto frac = static_cast<std::uint64_t>(mag % kOne);
  std::string out = negative ? "-" : "";
  out += std::to_string(units);
  if (decimals > 0) {
    std::string f = std::to_string(frac);
    f.insert(0, static_cast<std::size_t>(kScale) - f.size(), '0');
    out += '.';
    out += f.substr(0, static_cast<std::size_t>(decimals));
  }
  return out;
}

Decimal Decimal::round(int decimals, Rounding mode) const {
  check_decimals(decimals);
  const std::int64_t step = kPow10[kScale - decimals];
  if (step == 1) return *this;
  const Int128 q = divide_rounded(raw_, step, mode);
  return Decimal(narrow(q * step));
}

void Decimal::overflow() { keel::ledger::overflow(); }

Decimal multiply(Decimal a, Decimal b, int decimals, Rounding mode) {
  check_decimals(decimals);
  // raw_a * raw_b carries 16 decimals; divide down to `decimals`, then rescale to 8.
  const Int128 product = static_cast<Int128>(a.raw()) * b.raw();
  const Int128 divisor = static_cast<Int128>(kPow10[2 * Decimal::kScale - decimals]);
  const Int128 q = divide_rounded(product, divisor, mode);
  return Decimal::from_raw(narrow(q * kPow10[Decimal::kScale - decimals]));
}

Decimal mul_div(Decimal a, Decimal num, Decimal den, int decimals, Rounding mode) {
  check_decimals(decimals);
  if (den.is_zero()) throw Error::invalid_input("division by zero in a ledger amount");
  if (a.is_zero() || num.is_zero()) return Decimal();  // common in booking (no wash adjustment)
  // (a * num / den) has the scale of a; rounding to `decimals` divides by 10^(8 - decimals) more.
  Int128 n = static_cast<Int128>(a.raw()) * num.raw();
  Int128 d = static_cast<Int128>(den.raw()) * kPow10[Decimal::kScale - decimals];
  if (d < 0) {
    n = -n;
    d = -d;
  }
  const Int128 q = divide_rounded(n, d, mode);
  return Decimal::from_raw(narrow(q * kPow10[Decimal::kScale - decimals]));
}

}  // namespace keel::ledger
