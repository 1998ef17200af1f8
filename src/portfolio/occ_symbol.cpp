#include "keel/portfolio/occ_symbol.h"

#include <cctype>
#include <cmath>
#include <cstdio>

namespace keel {
namespace {

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// Splits into root and the 15-character tail "YYMMDDCSSSSSSSS"; nullopt on shape errors.
struct Parts {
  std::string_view root;
  std::string_view tail;
};

std::optional<Parts> split(std::string_view text) {
  if (text.size() < 16) return std::nullopt;
  std::string_view tail = text.substr(text.size() - 15);
  std::string_view root = text.substr(0, text.size() - 15);
  while (!root.empty() && root.back() == ' ') root.remove_suffix(1);
  if (root.empty() || root.size() > 6) return std::nullopt;
  return Parts{root, tail};
}

}  // namespace

bool looks_like_occ(std::string_view text) {
  // A ticker followed by at least six digits and a C or P somewhere after them.
  std::size_t i = 0;
  while (i < text.size() && (std::isalpha(static_cast<unsigned char>(text[i])) || text[i] == ' ' ||
                             text[i] == '.')) {
    ++i;
  }
  if (i == 0 || i > 8) return false;
  std::size_t digits = 0;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
    ++i;
    ++digits;
  }
  return digits >= 5 && i < text.size() && (text[i] == 'C' || text[i] == 'P');
}

std::string OccSymbol::explain_invalid(std::string_view text) {
  auto parts = split(text);
  if (!parts) {
    return "an OCC option symbol is ROOT + YYMMDD + C|P + 8-digit strike x 1000 "
           "(e.g. AAPL250117C00150000), with a root of 1-6 characters";
  }
  for (char c : parts->root) {
    if (!(std::isupper(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) ||
          c == '.')) {
      return "OCC root \"" + std::string(parts->root) + "\" must be upper-case letters or digits";
    }
  }
  std::string_view ymd = parts->tail.substr(0, 6);
  char right = parts->tail[6];
  std::string_view strike = parts->tail.substr(7);
  if (!all_digits(ymd)) return "OCC expiry \"" + std::string(ymd) + "\" must be 6 digits YYMMDD";
  const int yy = (ymd[0] - '0') * 10 + (ymd[1] - '0');
  const int mm = (ymd[2] - '0') * 10 + (ymd[3] - '0');
  const int dd = (ymd[4] - '0') * 10 + (ymd[5] - '0');
  if (mm < 1 || mm > 12 || dd < 1 || dd > days_in_month(2000 + yy, mm)) {
    return "OCC expiry \"" + std::string(ymd) + "\" is not a calendar date";
  }
  if (right != 'C' && right != 'P') {
    return std::string("OCC option type must be C or P, got '") + right + "'";
  }
  if (!all_digits(strike)) {
    return "OCC strike \"" + std::string(strike) + "\" must be 8 digits (strike x 1000)";
  }
  if (std::stoll(std::string(strike)) == 0) return "OCC strike must be positive";
  return "";
}

std::optional<OccSymbol> OccSymbol::parse(std::string_view text) {
  if (!explain_invalid(text).empty()) return std::nullopt;
  auto parts = split(text);
  std::string_view t = parts->tail;
  OccSymbol s;
  s.root = std::string(parts->root);
  const int yy = (t[0] - '0') * 10 + (t[1] - '0');
  const int mm = (t[2] - '0') * 10 + (t[3] - '0');
  const int dd = (t[4] - '0') * 10 + (t[5] - '0');
  s.expiry = Date::from_ymd(2000 + yy, mm, dd);
  s.right = t[6] == 'C' ? OptionRight::kCall : OptionRight::kPut;
  s.strike = static_cast<double>(std::stoll(std::string(t.substr(7)))) / 1000.0;
  return s;
}

std::string OccSymbol::compact() const {
  char buf[32];
  const long long k = std::llround(strike * 1000.0);
  std::snprintf(buf, sizeof buf, "%02d%02d%02d%c%08lld", expiry.year() % 100, expiry.month(),
                expiry.day(), right == OptionRight::kCall ? 'C' : 'P', k);
  return root + buf;
}

std::string OccSymbol::padded() const {
  std::string r = root;
  r.resize(6, ' ');
  return r + compact().substr(root.size());
}

}  // namespace keel
