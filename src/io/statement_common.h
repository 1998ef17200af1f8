// src/io/statement_common.h (private to io): what the OFX and IBKR Flex readers share: reading a
// value of a markup node as a decimal, a stable id, and the parse that comes before either reader.
#pragma once

#include <fmt/format.h>

#include <cstdint>
#include <set>
#include <optional>
#include <string>
#include <string_view>

#include "keel/core/diagnostics.h"
#include "keel/core/parse.h"
#include "keel/core/strings.h"
#include "keel/io/statement.h"
#include "keel/ledger/decimal.h"
#include "markup.h"

namespace keel::io::detail {

// A statement's number: "1234.50", "+3", "-0.5", "1234,50" (a comma as the decimal mark, as OFX
// allows). Digits past the 8th decimal place (a cash-in-lieu UNITPRICE of 9 places, a fund's price
// of 10) are rounded half to even to 8, and `rounded` holds the text as written, for the warning the
// caller gives; nullopt when the text is no number.
struct StatementNumber {
  ledger::Decimal value;
  std::optional<std::string> rounded;  // the text, when its value was rounded
};

inline std::optional<StatementNumber> statement_number(std::string_view text) {
  text = trim(text);
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  std::string s(text);
  if (s.find(',') != std::string::npos && s.find('.') == std::string::npos) {
    for (char& c : s) {
      if (c == ',') c = '.';
    }
  }
  if (auto exact = ledger::Decimal::parse(s)) return StatementNumber{*exact, std::nullopt};
  // More than 8 decimal places: the first 8 kept, the rest decides the last one (half to even).
  const std::size_t point = s.find('.');
  if (point == std::string::npos || s.size() - point - 1 <= static_cast<std::size_t>(ledger::Decimal::kScale)) {
    return std::nullopt;
  }
  const std::string_view rest = std::string_view(s).substr(point + 1 + ledger::Decimal::kScale);
  if (rest.find_first_not_of("0123456789") != std::string_view::npos) return std::nullopt;
  auto kept = ledger::Decimal::parse(std::string_view(s).substr(0, point + 1 + ledger::Decimal::kScale));
  if (!kept) return std::nullopt;
  const bool negative = !s.empty() && s.front() == '-';
  const char first = rest.front();
  const bool beyond_half = rest.find_first_not_of('0', 1) != std::string_view::npos;
  const bool odd = kept->raw() % 2 != 0;
  if (first > '5' || (first == '5' && (beyond_half || odd))) {
    kept = ledger::Decimal::from_raw(kept->raw() + (negative ? -1 : 1));
  }
  return StatementNumber{*kept, std::string(text)};
}

// statement_number's value, without the rounding's report.
inline std::optional<ledger::Decimal> statement_decimal(std::string_view text) {
  auto n = statement_number(text);
  if (!n) return std::nullopt;
  return n->value;
}

// The warning of a rounded statement number.
inline std::string rounded_text(const std::string& written, ledger::Decimal value) {
  return fmt::format("{} has more than 8 decimal places: read as {}", written, value.to_string());
}

// A position the statement reports, added to `st`: the same symbol met again (one security in
// several sub-accounts or lots) adds to the quantity and, where both have one, the market value
// and the cost basis.
inline void add_statement_position(Statement& st, std::string symbol, ledger::Decimal quantity,
                                   std::optional<ledger::Decimal> price, std::optional<ledger::Decimal> value,
                                   std::size_t line, std::optional<ledger::Decimal> cost_basis = std::nullopt) {
  for (auto& held : st.positions) {
    if (held.symbol != symbol) continue;
    held.quantity += quantity;
    if (value && held.market_value) held.market_value = *held.market_value + *value;
    if (cost_basis && held.cost_basis) held.cost_basis = *held.cost_basis + *cost_basis;
    return;
  }
  StatementPosition p;
  p.symbol = std::move(symbol);
  p.quantity = quantity;
  p.price = price;
  p.market_value = value;
  p.cost_basis = cost_basis;
  p.line = line;
  st.positions.push_back(std::move(p));
}

// A 64-bit FNV-1a of `text` as 16 hex digits: a row's stable id when the source gives none.
inline std::string stable_hash(std::string_view text) {
  std::uint64_t h = 1469598103934665603ULL;
  for (char c : text) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ULL;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i) {
    out[static_cast<std::size_t>(i)] = kHex[h & 0xF];
    h >>= 4;
  }
  return out;
}

// The broker accounts of a file's statements against the one asked for (StatementReadOptions::
// broker_account): an error when the file holds no statement of it; else, when none was asked for
// and the file holds several, a warning that they are all imported into the one keel account.
inline void check_broker_accounts(const std::set<std::string>& accounts, const std::string& wanted,
                                  const std::string& file, Diagnostics& diags) {
  std::string list;
  for (const auto& a : accounts) list += (list.empty() ? "" : ", ") + a;
  if (!wanted.empty()) {
    if (accounts.count(wanted) == 0) {
      diags.error({file, 0, 0, "",
                   fmt::format("the file holds no statement of broker account {} (it holds: {})", wanted,
                               list.empty() ? "none named" : list)});
    }
    return;
  }
  if (accounts.size() <= 1) return;
  diags.warning({file, 0, 0, "",
                 fmt::format("the file holds the statements of {} accounts ({}): all are imported into one "
                             "(broker_account, --broker-account ID, imports one of them)",
                             accounts.size(), list)});
}

// The markup of `text` (converted to UTF-8) read by `Reader(name, options, diags).run(root)`; an
// empty statement of `format` when the markup itself is malformed (the errors are in `diags`).
template <class Reader>
Statement read_markup_statement(std::string_view text, const std::string& name, const StatementReadOptions& options,
                                Diagnostics& diags, StatementFormat format) {
  const std::string utf8 = markup::to_utf8(text);
  const markup::Node root = markup::parse(utf8, name, diags);
  if (diags.has_errors()) {
    Statement st;
    st.format = format;
    return st;
  }
  return Reader(name, options, diags).run(root);
}

}  // namespace keel::io::detail
