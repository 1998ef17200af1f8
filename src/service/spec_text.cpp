#include "keel/service/spec_text.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>

#include "keel/core/civil.h"

namespace keel::spec {

void JsonText::scalar(const nlohmann::json& j, int level) {
  // Numbers as dump() writes them (its shortest round-trip digits for a double, null for NaN and
  // infinities), without a string of their own.
  if (j.is_number_float()) {
    const double x = j.get<double>();
    if (!std::isfinite(x)) {
      text_.append("null");
      return;
    }
    char buf[64];
    text_.append(buf, nlohmann::detail::to_chars(buf, buf + sizeof buf, x));
    return;
  }
  if (j.is_number_integer() || j.is_number_unsigned()) {
    char buf[24];
    const auto r = j.is_number_unsigned() ? std::to_chars(buf, buf + sizeof buf, j.get<std::uint64_t>())
                                          : std::to_chars(buf, buf + sizeof buf, j.get<std::int64_t>());
    text_.append(buf, r.ptr);
    return;
  }
  std::string s = j.dump(indent_, ' ', false, nlohmann::json::error_handler_t::replace);
  if (indent_ <= 0 || level == 0 || s.find('\n') == std::string::npos) {
    text_.append(s);
    return;
  }
  // A structured value (a codec's object, a free-form document): its lines indented to its depth.
  const std::string pad(static_cast<std::size_t>(level * indent_), ' ');
  for (char c : s) {
    text_.push_back(c);
    if (c == '\n') text_.append(pad);
  }
}

void JsonText::string(std::string_view s) {
  // Printable ASCII without quote or backslash is written as it is; anything else as the document
  // would escape it (control characters, and invalid UTF-8 replaced).
  const bool plain = std::all_of(s.begin(), s.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u >= 0x20 && u < 0x7f && c != '"' && c != '\\';
  });
  if (plain) {
    text_.push_back('"');
    text_.append(s);
    text_.push_back('"');
    return;
  }
  text_.append(nlohmann::json(std::string(s)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

std::vector<text_detail::Member>& JsonText::members_at(int level) {
  const auto depth = static_cast<std::size_t>(std::max(level, 0));
  while (members_.size() <= depth) members_.emplace_back();
  return members_[depth];
}

void JsonText::date(Date d) {
  // "YYYY-MM-DD" as Date::to_string writes it, without a string of its own.
  const CivilDate c = civil_from_days(d.serial());
  if (c.y < 0 || c.y > 9999) {
    string(d.to_string());
    return;
  }
  char buf[12] = {'"'};
  const auto two = [](char* p, int v) {
    p[0] = static_cast<char>('0' + v / 10);
    p[1] = static_cast<char>('0' + v % 10);
  };
  two(buf + 1, c.y / 100);
  two(buf + 3, c.y % 100);
  buf[5] = '-';
  two(buf + 6, c.m);
  buf[8] = '-';
  two(buf + 9, c.d);
  text_.append(buf, 11);
  text_.push_back('"');
}

void JsonText::newline(int level) {
  if (indent_ < 0) return;
  text_.push_back('\n');
  text_.append(static_cast<std::size_t>(level * indent_), ' ');
}

void JsonText::flush() {
  if (sink_ == nullptr) return;
  sink_->write(text_.data(), static_cast<std::streamsize>(text_.size()));
  text_.clear();
}

}  // namespace keel::spec
