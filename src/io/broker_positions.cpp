// Brokers' positions downloads (keel/io/broker_positions.h).
#include "keel/io/broker_positions.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <initializer_list>

#include "broker_number.h"
#include "keel/core/error.h"
#include "keel/core/parse.h"
#include "keel/core/strings.h"
#include "keel/io/input.h"
#include "keel/io/readers.h"

namespace keel::io {
namespace {

using ledger::Decimal;

// The column named by the first of `names` the file has (CsvColumns: any case, trimmed); -1 when
// it has none of them.
int find_column(const CsvColumns& cols, std::initializer_list<std::string_view> names) {
  for (std::string_view n : names) {
    if (const int i = cols.index(n); i >= 0) return i;
  }
  return -1;
}

// The cells brokers print where there is no figure.
bool no_figure(std::string_view t) {
  return t.empty() || t == "--" || iequals(t, "n/a");
}

// Columns of one download (-1: absent).
struct Columns {
  int account = -1, symbol = -1, description = -1, quantity = -1, value = -1, basis = -1, average_basis = -1,
      security_type = -1;
};

const std::initializer_list<std::string_view> kSchwabQuantity = {"Quantity", "Qty (Quantity)", "Qty"};
const std::initializer_list<std::string_view> kSchwabValue = {"Market Value", "Mkt Val (Market Value)",
                                                              "Mkt Val"};
const std::initializer_list<std::string_view> kSchwabType = {"Security Type", "Asset Type"};

std::optional<BrokerPositionsFormat> format_of(const CsvColumns& header, std::string_view first_cell) {
  auto has = [&](std::initializer_list<std::string_view> names) { return find_column(header, names) >= 0; };
  if (has({"Account Number"}) && has({"Symbol"}) && has({"Quantity"}) && has({"Current Value"})) {
    return BrokerPositionsFormat::kFidelity;
  }
  if (has({"Account Number"}) && has({"Investment Name"}) && has({"Symbol"}) && has({"Shares"}) &&
      has({"Total Value"}) && !has({"Trade Date"})) {
    return BrokerPositionsFormat::kVanguard;
  }
  if (istarts_with(trim(first_cell), "Positions for ")) return BrokerPositionsFormat::kSchwab;
  if (has({"Symbol"}) && has({"Description"}) && has(kSchwabQuantity) && has(kSchwabValue) &&
      has(kSchwabType)) {
    return BrokerPositionsFormat::kSchwab;
  }
  return std::nullopt;
}

// An option's terms as an OCC symbol, from the parts a broker writes; nullopt unless they make one.
std::optional<OccSymbol> occ_from_parts(std::string_view root, int yy, int mm, int dd, char right,
                                        std::string_view strike_text) {
  const auto strike = Decimal::parse(strike_text);
  // The OCC strike is in thousandths, eight digits.
  constexpr std::int64_t kPerThousandth = Decimal::kOne / 1000;
  if (!strike || !strike->is_positive() || strike->raw() % kPerThousandth != 0 ||
      strike->raw() / kPerThousandth >= 100'000'000) {
    return std::nullopt;
  }
  if (yy < 0 || yy > 99 || root.empty() || root.size() > 6) return std::nullopt;
  return OccSymbol::parse(
      fmt::format("{}{:02}{:02}{:02}{}{:08}", root, yy, mm, dd, right, strike->raw() / kPerThousandth));
}

int digits_value(std::string_view s) {
  int v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return -1;
    v = v * 10 + (c - '0');
  }
  return s.empty() ? -1 : v;
}

// Fidelity's " -AAPL250117C150" / "-SPY240621P420.5": a dash, the root, YYMMDD, C or P, the strike.
std::optional<OccSymbol> fidelity_option(std::string_view s) {
  s = trim(s);
  if (s.empty() || s.front() != '-') return std::nullopt;
  s.remove_prefix(1);
  std::size_t i = 0;
  while (i < s.size() && !std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
  if (i == 0 || i + 7 > s.size()) return std::nullopt;
  const char right = s[i + 6];
  if (right != 'C' && right != 'P') return std::nullopt;
  const std::string_view date = s.substr(i, 6);
  return occ_from_parts(s.substr(0, i), digits_value(date.substr(0, 2)), digits_value(date.substr(2, 2)),
                        digits_value(date.substr(4, 2)), right, s.substr(i + 7));
}

// Schwab's "AAPL 01/17/2025 150.00 C": the root, MM/DD/YYYY, the strike, C or P.
std::optional<OccSymbol> schwab_option(std::string_view s) {
  std::vector<std::string_view> parts;
  s = trim(s);
  while (!s.empty()) {
    const auto sp = s.find(' ');
    parts.push_back(s.substr(0, sp));
    if (sp == std::string_view::npos) break;
    s = trim(s.substr(sp + 1));
  }
  if (parts.size() != 4 || parts[1].size() != 10 || parts[1][2] != '/' || parts[1][5] != '/')
    return std::nullopt;
  if (parts[3] != "C" && parts[3] != "P") return std::nullopt;
  const std::string_view d = parts[1];
  const int year = digits_value(d.substr(6, 4));
  if (year < 2000 || year > 2099) return std::nullopt;
  return occ_from_parts(parts[0], year - 2000, digits_value(d.substr(0, 2)), digits_value(d.substr(3, 2)),
                        parts[3][0], parts[2]);
}

class Reader {
 public:
  Reader(CsvReader& csv, BrokerPositionsFormat format, Diagnostics& diags)
      : csv_(csv), cells_(csv, diags), diags_(diags) {
    out_.format = format;
  }

  BrokerPositions read() && {
    if (out_.format == BrokerPositionsFormat::kSchwab && !seek_schwab_header()) return std::move(out_);
    const CsvColumns h(csv_, {}, {}, diags_, /*warn_unknown=*/false);
    c_.symbol = find_column(h, {"Symbol"});
    c_.description = find_column(h, {"Description"});
    if (out_.format == BrokerPositionsFormat::kFidelity) {
      c_.account = find_column(h, {"Account Number"});
      c_.quantity = find_column(h, {"Quantity"});
      c_.value = find_column(h, {"Current Value"});
      c_.basis = find_column(h, {"Cost Basis Total"});
      c_.average_basis = find_column(h, {"Average Cost Basis"});
    } else if (out_.format == BrokerPositionsFormat::kVanguard) {
      c_.account = find_column(h, {"Account Number"});
      c_.description = find_column(h, {"Investment Name"});
      c_.quantity = find_column(h, {"Shares"});
      c_.value = find_column(h, {"Total Value"});
      // The transactions section after the holdings is wider: its header ends the holdings.
      csv_.check_width(false);
    } else {
      c_.quantity = find_column(h, kSchwabQuantity);
      c_.value = find_column(h, kSchwabValue);
      c_.basis = find_column(h, {"Cost Basis"});
      c_.security_type = find_column(h, kSchwabType);
      if (c_.quantity < 0 || c_.value < 0) {
        diags_.error(
            {csv_.name(), csv_.header_line(), 0, "",
             "a Schwab positions download needs its Quantity (or \"Qty (Quantity)\") and Market Value "
             "(or \"Mkt Val (Market Value)\") columns"});
        return std::move(out_);
      }
    }
    CsvRecord r;
    while (csv_.next(r)) {
      if (!row(r)) break;
    }
    return std::move(out_);
  }

 private:
  // Past Schwab's title lines to its column header; the title names the account.
  bool seek_schwab_header() {
    const bool found = csv_.seek_header({"Symbol", "Description"}, [&](const CsvRecord& r) { title(r); });
    if (!found) {
      diags_.error(
          {csv_.name(), csv_.header_line(), 0, "",
           "a Schwab positions download (its first line says \"Positions for ...\") without its column "
           "header: expected a line holding Symbol and Description"});
    }
    return found;
  }

  // A line whose only text is its first cell: Schwab's title of the account that follows
  // ("Positions for account Individual ...234 as of ...", or "Individual ...234" in a download of
  // all accounts). False for any other line.
  bool title(const CsvRecord& r) {
    std::string_view text = r.fields.empty() ? std::string_view() : trim(r.fields.front());
    if (text.empty()) return false;
    for (std::size_t i = 1; i < r.fields.size(); ++i) {
      if (!trim(r.fields[i]).empty()) return false;
    }
    if (istarts_with(text, "Positions for ")) {
      text.remove_prefix(std::string_view("Positions for ").size());
      if (istarts_with(text, "account "))
        text.remove_prefix(std::string_view("account ").size());
      else
        text = {};  // "Positions for All-Accounts as of ...": each account has its own title
      if (const auto as_of = text.find(" as of "); as_of != std::string_view::npos)
        text = text.substr(0, as_of);
    }
    account_ = std::string(trim(text));
    return true;
  }

  void note(const CsvRecord& r, std::string message) {
    diags_.warning({csv_.name(), r.line, 0, "", std::move(message)});
  }

  void note_account(const std::string& a) {
    if (!a.empty() && std::find(out_.accounts.begin(), out_.accounts.end(), a) == out_.accounts.end()) {
      out_.accounts.push_back(a);
    }
  }

  // A figure: nullopt when the broker printed none ("", "--", "n/a"); an error at the cell when it
  // is not a number keel reads exactly.
  std::optional<Decimal> figure(const CsvRecord& r, int col) {
    const std::string_view t = cells_.text(r, col);
    if (no_figure(t)) return std::nullopt;
    auto d = Decimal::parse(detail::clean_broker_number(t));
    if (!d) {
      cells_.error(r, col,
                   "expected a number such as 1,234.56 or $-12.00 (at most 8 decimal places, below 92 "
                   "billion), got " +
                       shown(t));
    }
    return d;
  }

  // One row; false at the download's closing lines (nothing after them is read).
  bool row(const CsvRecord& r) {
    const std::string_view sym = cells_.text(r, c_.symbol);
    const std::size_t errors_before = diags_.error_count();
    BrokerPositionRow p;
    p.line = r.line;
    p.description = std::string(cells_.text(r, c_.description));
    if (out_.format == BrokerPositionsFormat::kVanguard) {
      if (iequals(trim(r[0]), "Account Number")) {
        note(r,
             "the transactions section is not positions and is not read here (keel import transactions "
             "reads it with the Vanguard mapping)");
        return false;
      }
      if (csv_.too_wide(r)) return true;
    }
    if (out_.format == BrokerPositionsFormat::kSchwab) {
      if (iequals(sym, "Symbol")) return true;  // the header again, in a download of all accounts
      if (title(r)) return true;
      if (iequals(sym, "Account Total") || iequals(sym, "Positions Total")) {
        note(r, fmt::format("the totals row \"{}\" is not a position", sym));
        return true;
      }
    }
    if (sym.empty() && cells_.empty(r, c_.quantity)) {
      if (std::all_of(r.fields.begin(), r.fields.end(), [](std::string_view f) { return trim(f).empty(); })) {
        return true;  // a row of empty cells
      }
      note(r, fmt::format("the download's closing lines (\"{}\") are not read",
                          shown_with(trim(r.fields.front()), 48, '\0')));
      return false;
    }
    p.account =
        out_.format == BrokerPositionsFormat::kSchwab ? account_ : std::string(cells_.text(r, c_.account));
    const auto value = figure(r, c_.value);
    p.market_value = value;
    if (iequals(sym, "Pending Activity")) {
      note(r, fmt::format("Pending Activity ({}) is cash in settlement, not a position",
                          value ? value->to_string(2) : std::string("no value")));
      return true;
    }
    const std::string_view type_text = cells_.text(r, c_.security_type);
    // Fidelity's core position (SPAXX**), Schwab's cash and money market, Vanguard's money market
    // funds (the settlement fund among them: a share is a dollar).
    const bool cash = out_.format == BrokerPositionsFormat::kFidelity ? sym.size() > 2 && sym.ends_with("**")
                      : out_.format == BrokerPositionsFormat::kSchwab
                          ? iequals(sym, "Cash & Cash Investments") || istarts_with(type_text, "Cash")
                          : to_upper(p.description).find("MONEY MARKET") != std::string::npos;
    if (cash) {
      // The core money market (SPAXX**) or Schwab's cash: its value is the position.
      p.type = InstrumentType::kCash;
      p.symbol = iequals(sym, "Cash & Cash Investments") ? "CASH" : std::string(sym.substr(0, sym.find('*')));
      if (auto problem = symbol_problem(p.symbol)) cells_.error(r, c_.symbol, std::move(*problem));
      if (!value)
        cells_.error(r, c_.value, "a cash row needs its value");
      else
        p.quantity = *value;
      p.cost_basis = value;
    } else {
      if (out_.format == BrokerPositionsFormat::kFidelity && !sym.empty() && sym.front() == '-') {
        p.option = fidelity_option(sym);
        if (!p.option) {
          cells_.error(r, c_.symbol,
                       "expected a Fidelity option symbol: a dash, the root, YYMMDD, C or P and the "
                       "strike (-AAPL250117C150), got " +
                           shown(sym));
        }
      } else if (out_.format == BrokerPositionsFormat::kSchwab &&
                 (iequals(type_text, "Option") || std::count(sym.begin(), sym.end(), ' ') == 3)) {
        p.option = schwab_option(sym);
        if (!p.option) {
          cells_.error(r, c_.symbol,
                       "expected a Schwab option symbol: the root, MM/DD/YYYY, the strike and C or P "
                       "(AAPL 01/17/2025 150.00 C), got " +
                           shown(sym));
        }
      } else if (auto problem = symbol_problem(sym)) {
        cells_.error(r, c_.symbol, std::move(*problem));
      } else if (auto occ = OccSymbol::parse(sym)) {
        p.option = occ;
      }
      if (p.option) {
        p.type = InstrumentType::kOption;
        p.symbol = p.option->compact();
      } else {
        p.symbol = std::string(sym);
        const std::string name = to_upper(p.description);
        if (out_.format == BrokerPositionsFormat::kVanguard) {
          // The download names no type: an ETF says so in its name; the rest are stocks here, and
          // the security master stores funds as etf on import.
          p.type = name.ends_with(" ETF") || name.find(" ETF ") != std::string::npos ? InstrumentType::kEtf
                                                                                     : InstrumentType::kStock;
        } else if (iequals(type_text, "Equity") || iequals(type_text, "Stocks") || type_text.empty()) {
          p.type = InstrumentType::kStock;
        } else if (istarts_with(type_text, "ETF") || istarts_with(type_text, "Mutual Fund")) {
          p.type = InstrumentType::kEtf;
        } else {
          p.type = InstrumentType::kOther;  // fixed income and what else a broker holds
        }
      }
      std::optional<Decimal> q;
      if (no_figure(cells_.text(r, c_.quantity))) {
        cells_.error(r, c_.quantity, "missing value: expected the number of shares or contracts held");
      } else if ((q = figure(r, c_.quantity))) {
        p.quantity = *q;
      }
      p.cost_basis = figure(r, c_.basis);
      if (!p.cost_basis && c_.average_basis >= 0 && q && !p.option) {
        // Fidelity may print only the average; the total is the average times the shares, to the cent.
        if (const auto avg = figure(r, c_.average_basis);
            avg && avg->to_double() * q->abs().to_double() < 9e10) {
          p.cost_basis = ledger::multiply(*avg, q->abs(), 2, ledger::Rounding::kHalfUp);
        }
      }
    }
    if (diags_.error_count() != errors_before) return true;
    note_account(p.account);
    out_.rows.push_back(std::move(p));
    return true;
  }

  CsvReader& csv_;
  CsvCells cells_;
  Diagnostics& diags_;
  Columns c_;
  std::string account_;  // Schwab: the account of the rows that follow its title
  BrokerPositions out_;
};

// Each format's name for messages and its id for results, in the enum's order.
struct FormatNames {
  BrokerPositionsFormat format;
  std::string_view name, id;
};
constexpr FormatNames kFormatNames[] = {
    {BrokerPositionsFormat::kFidelity, "Fidelity positions", "fidelity_positions"},
    {BrokerPositionsFormat::kSchwab, "Schwab positions", "schwab_positions"},
    {BrokerPositionsFormat::kVanguard, "Vanguard positions", "vanguard_positions"},
    {BrokerPositionsFormat::kOfxStatement, "OFX statement's positions", "ofx_positions"},
    {BrokerPositionsFormat::kIbkrFlexStatement, "IBKR Flex statement's positions", "ibkr_flex_positions"},
};
constexpr bool in_enum_order() {
  for (std::size_t i = 0; i < std::size(kFormatNames); ++i) {
    if (static_cast<std::size_t>(kFormatNames[i].format) != i) return false;
  }
  return std::size(kFormatNames) == static_cast<std::size_t>(BrokerPositionsFormat::kIbkrFlexStatement) + 1;
}
static_assert(in_enum_order());

const FormatNames& names_of(BrokerPositionsFormat f) {
  return kFormatNames[static_cast<std::size_t>(f)];
}

// "a Fidelity positions download", "the OFX statement's positions on 2024-09-30".
std::string what_was_read(const BrokerPositions& file) {
  const bool statement = file.format == BrokerPositionsFormat::kOfxStatement ||
                         file.format == BrokerPositionsFormat::kIbkrFlexStatement;
  if (!statement) return fmt::format("a {} download", broker_positions_format_name(file.format));
  return fmt::format("the {}{}", broker_positions_format_name(file.format),
                     file.as_of ? " on " + file.as_of->to_string() : std::string());
}

}  // namespace

std::string_view broker_positions_format_name(BrokerPositionsFormat f) {
  return names_of(f).name;
}

std::string_view broker_positions_format_id(BrokerPositionsFormat f) {
  return names_of(f).id;
}

BrokerPositions broker_positions_of(const Statement& statement) {
  BrokerPositions out;
  out.format = statement.format == StatementFormat::kOfx ? BrokerPositionsFormat::kOfxStatement
                                                         : BrokerPositionsFormat::kIbkrFlexStatement;
  out.as_of = statement.positions_as_of;
  if (!statement.broker_account.empty()) out.accounts.push_back(statement.broker_account);
  for (const auto& p : statement.positions) {
    BrokerPositionRow row;
    row.line = p.line;
    row.account = statement.broker_account;
    row.symbol = p.symbol;
    row.quantity = p.quantity;
    row.market_value = p.market_value;
    row.cost_basis = p.cost_basis;
    if ((row.option = OccSymbol::parse(p.symbol))) {
      row.type = InstrumentType::kOption;
      row.symbol = row.option->compact();
    }
    out.rows.push_back(std::move(row));
  }
  return out;
}

std::optional<BrokerPositions> read_broker_positions(CsvReader& csv, Diagnostics& diags) {
  const auto format = format_of(CsvColumns(csv, {}, {}, diags, /*warn_unknown=*/false),
                                csv.header().empty() ? std::string_view() : csv.header().front());
  if (!format) return std::nullopt;
  return Reader(csv, *format, diags).read();
}

std::vector<Position> positions_from_broker(const BrokerPositions& file, const std::string& name,
                                            Diagnostics& diags) {
  std::vector<Position> out;
  for (const auto& row : file.rows) {
    Position p;
    p.symbol = row.symbol;
    p.type = row.type;
    p.quantity = row.quantity.to_double();
    if (std::abs(p.quantity) > kMaxQuantity) {
      diags.error({name, row.line, 0, "", "quantity is out of range (at most 1e12 in magnitude)"});
      continue;
    }
    if (row.option) {
      p.underlying = row.option->root;
      p.strike = row.option->strike;
      p.expiry = row.option->expiry;
      p.option_type = row.option->right;
      p.multiplier = 100.0;
      p.exercise = default_exercise_style(p.underlying);
    }
    if (row.cost_basis && !row.quantity.is_zero() && row.type != InstrumentType::kCash) {
      p.entry_price = row.cost_basis->abs().to_double() / (std::abs(p.quantity) * p.multiplier);
    }
    if (row.quantity.is_zero()) {
      diags.warning({name, row.line, 0, "", "quantity is zero: the position has no effect"});
    }
    out.push_back(std::move(p));
  }
  const std::string accounts = fmt::format("{}", fmt::join(file.accounts, ", "));
  diags.warning(
      {name, 0, 0, "",
       fmt::format("read as {}: {} position{}{}", what_was_read(file), out.size(), out.size() == 1 ? "" : "s",
                   file.accounts.size() > 1 ? " from the accounts " + accounts
                   : accounts.empty()       ? std::string()
                                            : " of the account " + accounts)});
  return out;
}

void select_broker_account(BrokerPositions& file, std::string_view account, std::string_view file_name) {
  const std::string_view want = trim(account);
  auto matches = [&](const std::string& a) {
    if (iequals(a, want)) return true;
    // Schwab's title "Individual ...234": its last word is the account's masked number.
    const auto sp = a.rfind(' ');
    return sp != std::string::npos && iequals(std::string_view(a).substr(sp + 1), want);
  };
  if (std::none_of(file.accounts.begin(), file.accounts.end(), matches)) {
    std::string names;
    for (const auto& a : file.accounts) names += (names.empty() ? "" : ", ") + shown(a);
    const std::string what = fmt::format("no account {} in this {} download (it holds {})", shown(want),
                                         broker_positions_format_name(file.format),
                                         names.empty() ? std::string("no account names") : names);
    throw Error::invalid_input(fmt::format("{}: {}", file_name, what), {"broker_account: " + what});
  }
  std::erase_if(file.rows, [&](const BrokerPositionRow& r) { return !matches(r.account); });
  std::erase_if(file.accounts, [&](const std::string& a) { return !matches(a); });
}

}  // namespace keel::io
