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

// "1234.50", "+3", "-0.5", "1234,50" (a comma as the decimal mark, as OFX allows), at most 8
// decimal places; nullopt otherwise.
inline std::optional<ledger::Decimal> statement_decimal(std::string_view text) {
  text = trim(text);
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  if (text.find(',') != std::string_view::npos && text.find('.') == std::string_view::npos) {
    std::string s(text);
    for (char& c : s) {
      if (c == ',') c = '.';
    }
    return ledger::Decimal::parse(s);
  }
  return ledger::Decimal::parse(text);
}

// A position the statement reports, added to `st`: the same symbol met again (one security in
// several sub-accounts or lots) adds to the quantity and, where both have one, the market value.
inline void add_statement_position(Statement& st, std::string symbol, ledger::Decimal quantity,
                                   std::optional<ledger::Decimal> price, std::optional<ledger::Decimal> value,
                                   std::size_t line) {
  for (auto& held : st.positions) {
    if (held.symbol != symbol) continue;
    held.quantity += quantity;
    if (value && held.market_value) held.market_value = *held.market_value + *value;
    return;
  }
  StatementPosition p;
  p.symbol = std::move(symbol);
  p.quantity = quantity;
  p.price = price;
  p.market_value = value;
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

// A warning when a file holds the statements of several broker accounts: they are all imported
// into the one keel account named on the command line.
inline void warn_many_accounts(const std::set<std::string>& accounts, const std::string& file, Diagnostics& diags) {
  if (accounts.size() <= 1) return;
  std::string list;
  for (const auto& a : accounts) list += (list.empty() ? "" : ", ") + a;
  diags.warning({file, 0, 0, "",
                 fmt::format("the file holds the statements of {} accounts ({}): all are imported into one",
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
