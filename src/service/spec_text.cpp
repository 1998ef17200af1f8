#include "keel/service/spec_text.h"

#include <algorithm>

namespace keel::spec {

void JsonText::scalar(const nlohmann::json& j, int level) {
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
