// keel/ledger/decimal.h: exact decimal amounts for the personal ledger (money, share quantities,
// per-share prices).
//
// A Decimal is a signed 64-bit count of 10^-8 units: eight decimal places cover fractional shares
// (0.00000001), per-share prices quoted to sub-cent precision and money to the cent, exactly. The
// range is +-92,233,720,368.54775807 (92 billion): ample for a household ledger; addition and
// subtraction that would leave it throw keel::Error(invalid_input) rather than wrap.
//
// Rounding rules (the only places where keel rounds; see docs/ledger.md):
//  - Addition, subtraction, comparison and negation are exact.
//  - multiply(a, b, decimals, mode) and mul_div(a, num, den, decimals, mode) compute the exact
//    product (or quotient) in 128-bit arithmetic and round once, to `decimals` places, with `mode`.
//  - A trade's gross amount (quantity x price) is rounded to the cent, half away from zero, as
//    brokers print it on a confirmation (to_cents). Allocations of a basis or proceeds across
//    lots are rounded to the cent and the last piece takes the remainder, so the pieces always
//    add up exactly to the whole.
//  - Split-adjusted quantities are rounded to 8 places, half to even (brokers pay cash in lieu of
//    fractions; keel keeps the fraction to 1e-8 share and leaves total basis unchanged).
//
// Thread-safety: value type, no shared state.
#pragma once

#include <compare>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

namespace keel::ledger {

enum class Rounding {
  kHalfEven,  // banker's rounding: ties to the even digit
  kHalfUp,    // ties away from zero (what a broker's confirmation does)
  kDown,      // toward zero (truncation)
};

class Decimal {
 public:
  static constexpr int kScale = 8;                       // decimal places held
  static constexpr std::int64_t kOne = 100'000'000;      // raw units per 1

  constexpr Decimal() = default;
  static constexpr Decimal from_raw(std::int64_t raw) { return Decimal(raw); }
  // An integer number of units. Throws keel::Error(invalid_input) when out of range.
  static Decimal from_int(std::int64_t units);
  // Exact parse of "-1234.5678", "+3", "0.1", ".5" (no exponent, no thousands separators).
  // Returns nullopt for anything else, or for more than 8 decimal places unless the extra digits
  // are zeros, or when the value is out of range.
  static std::optional<Decimal> parse(std::string_view text);
  // Like parse but throws keel::Error(invalid_input) naming `what`.
  static Decimal parse_or_throw(std::string_view text, std::string_view what = "amount");
  // Nearest Decimal to a binary double (rounded half-even at 8 places). For tests and for
  // converting analytics inputs only; never used on the booking path.
  static Decimal from_double(double v);

  constexpr std::int64_t raw() const { return raw_; }
  // Shortest exact text: "1234.5", "-0.00000001", "0" (no trailing zeros, no exponent).
  std::string to_string() const;
  // Text with exactly `decimals` places (0..8), rounded half away from zero: to_string(2) = "12.35".
  std::string to_string(int decimals) const;
  // Nearest double; for reports and analytics (performance), never for booking.
  double to_double() const { return static_cast<double>(raw_) / static_cast<double>(kOne); }

  constexpr bool is_zero() const { return raw_ == 0; }
  constexpr bool is_negative() const { return raw_ < 0; }
  constexpr bool is_positive() const { return raw_ > 0; }
  Decimal abs() const { return raw_ < 0 ? -*this : *this; }
  // Rounded to `decimals` places (0..8) with `mode`.
  Decimal round(int decimals, Rounding mode) const;

  // Exact; throw keel::Error(invalid_input) on overflow (inline: the booking loop's hot path).
  Decimal operator-() const {
    if (raw_ == std::numeric_limits<std::int64_t>::min()) overflow();
    return Decimal(-raw_);
  }
  Decimal& operator+=(Decimal o) {
    if (__builtin_add_overflow(raw_, o.raw_, &raw_)) overflow();
    return *this;
  }
  Decimal& operator-=(Decimal o) {
    if (__builtin_sub_overflow(raw_, o.raw_, &raw_)) overflow();
    return *this;
  }
  friend Decimal operator+(Decimal a, Decimal b) { return a += b; }
  friend Decimal operator-(Decimal a, Decimal b) { return a -= b; }
  friend constexpr auto operator<=>(Decimal, Decimal) = default;
  friend constexpr bool operator==(Decimal, Decimal) = default;

 private:
  constexpr explicit Decimal(std::int64_t raw) : raw_(raw) {}
  [[noreturn]] static void overflow();
  std::int64_t raw_ = 0;
};

// a x b rounded once to `decimals` places (0..8). Throws keel::Error(invalid_input) on overflow.
Decimal multiply(Decimal a, Decimal b, int decimals, Rounding mode);
// a x num / den rounded once to `decimals` places (0..8); exact when the quotient is representable.
// Throws keel::Error(invalid_input) when den is zero or on overflow.
Decimal mul_div(Decimal a, Decimal num, Decimal den, int decimals, Rounding mode);
// a x num / den rounded to the cent, half away from zero: exactly mul_div(a, num, den, 2,
// Rounding::kHalfUp) (the allocation rounding of lots, proceeds and wash adjustments), with the
// common case (den > 0, quotient within 64 bits) inline and one hardware division; the rest, and
// every error (den zero, overflow), goes through mul_div.
inline Decimal share_cents(Decimal a, Decimal num, Decimal den) {
#if defined(__x86_64__)
  if (den.raw() > 0 && !a.is_zero() && !num.is_zero()) {
    __extension__ typedef __int128 I128;
    __extension__ typedef unsigned __int128 U128;
    constexpr std::uint64_t kToCents = 1'000'000;  // 10^(8 - 2)
    const I128 n = static_cast<I128>(a.raw()) * num.raw();
    const bool negative = n < 0;
    const U128 un = negative ? static_cast<U128>(0) - static_cast<U128>(n) : static_cast<U128>(n);
    const U128 d = static_cast<U128>(static_cast<std::uint64_t>(den.raw())) * kToCents;
    const auto hi = static_cast<std::uint64_t>(un >> 64);
    if ((d >> 64) == 0 && hi < static_cast<std::uint64_t>(d)) {
      const auto dd = static_cast<std::uint64_t>(d);
      std::uint64_t q = 0;
      std::uint64_t r = 0;
      __asm__("divq %4" : "=a"(q), "=d"(r) : "a"(static_cast<std::uint64_t>(un)), "d"(hi), "rm"(dd));
      if (r >= dd - r) ++q;  // remainder at least half: away from zero
      constexpr std::uint64_t kMaxCents = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) / kToCents;
      if (q <= kMaxCents) {
        const auto raw = static_cast<std::int64_t>(q * kToCents);
        return Decimal::from_raw(negative ? -raw : raw);
      }
    }
  }
#endif
  return mul_div(a, num, den, 2, Rounding::kHalfUp);
}

// The broker's cent: rounded to 2 places, half away from zero.
inline Decimal to_cents(Decimal a) { return a.round(2, Rounding::kHalfUp); }
// Gross amount of a trade: quantity x price rounded to the cent, half away from zero.
inline Decimal trade_amount(Decimal quantity, Decimal price) {
  return multiply(quantity, price, 2, Rounding::kHalfUp);
}

}  // namespace keel::ledger
