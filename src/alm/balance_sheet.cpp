#include "keel/alm/balance_sheet.h"

#include "keel/core/error.h"
#include "keel/core/strings.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace keel::alm {
namespace {

std::string lower(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c != ' ') out += keel::to_lower(c);
  }
  return out;
}

}  // namespace

std::optional<Side> parse_side(std::string_view text) {
  const std::string t = lower(text);
  if (t == "asset" || t == "a") return Side::kAsset;
  if (t == "liability" || t == "l") return Side::kLiability;
  return std::nullopt;
}

std::optional<RateType> parse_rate_type(std::string_view text) {
  const std::string t = lower(text);
  if (t == "fixed") return RateType::kFixed;
  if (t == "floating" || t == "float" || t == "variable") return RateType::kFloating;
  return std::nullopt;
}

std::optional<Amortization> parse_amortization(std::string_view text) {
  const std::string t = lower(text);
  if (t == "bullet") return Amortization::kBullet;
  if (t == "annuity") return Amortization::kAnnuity;
  if (t == "linear") return Amortization::kLinear;
  return std::nullopt;
}

std::optional<DayCount> parse_day_count(std::string_view text) {
  const std::string t = lower(text);
  if (t == "act/365" || t == "act/365f" || t == "actual/365" || t == "actual/365f" ||
      t == "act/365fixed")
    return DayCount::kAct365F;
  if (t == "act/360" || t == "actual/360") return DayCount::kAct360;
  if (t == "30/360" || t == "30/360bond" || t == "30e/360bond") return DayCount::kThirty360;
  if (t == "act/act" || t == "actual/actual" || t == "act/actisda") return DayCount::kActActIsda;
  return std::nullopt;
}

std::string_view side_name(Side s) { return s == Side::kAsset ? "asset" : "liability"; }
std::string_view rate_type_name(RateType r) { return r == RateType::kFixed ? "fixed" : "floating"; }
std::string_view amortization_name(Amortization a) {
  switch (a) {
    case Amortization::kBullet: return "bullet";
    case Amortization::kAnnuity: return "annuity";
    case Amortization::kLinear: return "linear";
  }
  return "bullet";
}
std::string_view day_count_name(DayCount d) {
  switch (d) {
    case DayCount::kAct365F: return "act/365";
    case DayCount::kAct360: return "act/360";
    case DayCount::kThirty360: return "30/360";
    case DayCount::kActActIsda: return "act/act";
  }
  return "act/365";
}

std::uint16_t BalanceSheet::intern_currency(const std::string& code) {
  auto it = std::find(currencies.begin(), currencies.end(), code);
  if (it != currencies.end()) return static_cast<std::uint16_t>(it - currencies.begin());
  currencies.push_back(code);
  return static_cast<std::uint16_t>(currencies.size() - 1);
}

std::uint16_t BalanceSheet::intern_calendar(const std::string& name) {
  auto it = std::find(calendars.begin(), calendars.end(), name);
  if (it != calendars.end()) return static_cast<std::uint16_t>(it - calendars.begin());
  calendars.push_back(name);
  return static_cast<std::uint16_t>(calendars.size() - 1);
}

void BalanceSheet::add(const PositionTerms& t, std::string id_text, std::string type_text,
                       std::string index_text, std::size_t source_line) {
  terms.push_back(t);
  id.push_back(std::move(id_text));
  type.push_back(std::move(type_text));
  index.push_back(std::move(index_text));
  line.push_back(source_line);
}

void BalanceSheet::reserve(std::size_t n) {
  terms.reserve(n);
  id.reserve(n);
  type.reserve(n);
  index.reserve(n);
  line.reserve(n);
}

void BalanceSheet::append(const BalanceSheet& other) {
  if (parts.size() >= 0xffff) throw Error::invalid_input("a balance sheet may be read from at most 65,535 files");
  if (part.empty() && !terms.empty()) {  // the positions so far came from `source`
    parts.push_back(source);
    part.assign(terms.size(), 0);
  }
  const auto file = static_cast<std::uint16_t>(parts.size());
  parts.push_back(other.source);
  reserve(size() + other.size());
  for (std::size_t i = 0; i < other.size(); ++i) {
    PositionTerms t = other.terms[i];
    t.currency = intern_currency(other.currencies[t.currency]);
    t.calendar = intern_calendar(other.calendars[t.calendar]);
    add(t, other.id[i], other.type[i], other.index[i], other.line[i]);
    part.push_back(file);
  }
}

BalanceSheet BalanceSheet::select(const std::vector<std::size_t>& keep) const {
  BalanceSheet out;
  out.currencies = currencies;
  out.calendars = calendars;
  out.source = source;
  out.parts = parts;
  out.reserve(keep.size());
  for (const std::size_t i : keep) {
    out.add(terms[i], id[i], type[i], index[i], line[i]);
    if (!part.empty()) out.part.push_back(part[i]);
  }
  return out;
}

std::string BalanceSheet::where(std::size_t i) const {
  const std::string ident = i < id.size() ? id[i] : fmt::format("{}", i);
  if (i < line.size() && line[i] > 0) {
    const std::string& file = i < part.size() && part[i] < parts.size() ? parts[part[i]] : source;
    return file.empty() ? fmt::format("line {} (id {})", line[i], ident)
                        : fmt::format("{}:{} (id {})", file, line[i], ident);
  }
  return "position " + ident;
}

}  // namespace keel::alm
