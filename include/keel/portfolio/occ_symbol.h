// keel/portfolio/occ_symbol.h: OCC option symbols (OSI, Options Symbology Initiative).
//
// Two forms carry the same fields: root (1-6 chars), expiry YYMMDD, C or P, strike x 1000 as
// 8 digits.
//   compact: AAPL250117C00150000
//   padded : "AAPL  250117C00150000" (root left-justified in 6 characters; 21 characters)
// Thread-safe value type.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "keel/core/date.h"

namespace keel {

enum class OptionRight { kCall, kPut };

struct OccSymbol {
  std::string root;  // underlying symbol, e.g. "AAPL" or "BRKB"
  Date expiry;
  OptionRight right = OptionRight::kCall;
  double strike = 0.0;  // in price units (150.0), from thousandths

  // nullopt unless `text` is a well-formed OCC symbol in either form.
  static std::optional<OccSymbol> parse(std::string_view text);
  // Why `text` is not an OCC symbol (for error messages); empty when it is one.
  static std::string explain_invalid(std::string_view text);
  std::string compact() const;
  std::string padded() const;

  friend bool operator==(const OccSymbol&, const OccSymbol&) = default;
};

// True when text looks like an attempt at an OCC symbol (root + 6 digits + C/P + digits), so that
// a malformed one is reported as such instead of as an unknown ticker.
bool looks_like_occ(std::string_view text);

}  // namespace keel
