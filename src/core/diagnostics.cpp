#include "keel/core/diagnostics.h"

#include <fmt/format.h>

#include <utility>

#include "keel/core/error.h"

namespace keel {

std::string Diagnostic::to_string() const {
  std::string out;
  if (!file.empty()) {
    out += file;
    if (line > 0) {
      out += fmt::format(":{}", line);
      if (column > 0) out += fmt::format(":{}", column);
    }
    out += ": ";
  } else if (line > 0) {
    out += fmt::format("line {}", line);
    if (column > 0) out += fmt::format(", column {}", column);
    out += ": ";
  }
  if (!field.empty()) out += field + ": ";
  out += message;
  return out;
}

void Diagnostics::error(Diagnostic d) {
  ++error_count_;
  if (errors_.size() < kMaxRecorded) errors_.push_back(std::move(d));
}

void Diagnostics::warning(Diagnostic d) {
  if (warnings_.size() < kMaxRecorded) warnings_.push_back(std::move(d));
}

void Diagnostics::throw_if_errors(const std::string& summary) const {
  if (!has_errors()) return;
  std::vector<std::string> details;
  details.reserve(errors_.size() + 1);
  for (const auto& e : errors_) details.push_back(e.to_string());
  if (error_count_ > errors_.size()) {
    details.push_back(fmt::format("... and {} more", error_count_ - errors_.size()));
  }
  std::string message =
      fmt::format("{}: {} {}", summary, error_count_, error_count_ == 1 ? "problem" : "problems");
  throw Error::invalid_input(std::move(message), std::move(details));
}

}  // namespace keel
