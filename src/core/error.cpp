#include "keel/core/error.h"

#include <utility>

namespace keel {

Error::Error(ErrorCode code, std::string message, std::vector<std::string> details)
    : std::runtime_error(std::move(message)), code_(code), details_(std::move(details)) {}

Error Error::invalid_input(std::string message, std::vector<std::string> details) {
  return Error(ErrorCode::kInvalidInput, std::move(message), std::move(details));
}
Error Error::usage(std::string message) { return Error(ErrorCode::kUsage, std::move(message)); }
Error Error::not_found(std::string message) {
  return Error(ErrorCode::kNotFound, std::move(message));
}
Error Error::conflict(std::string message) {
  return Error(ErrorCode::kConflict, std::move(message));
}
Error Error::forbidden(std::string message) {
  return Error(ErrorCode::kForbidden, std::move(message));
}
Error Error::internal(std::string message) {
  return Error(ErrorCode::kInternal, std::move(message));
}
Error Error::unavailable(std::string message) {
  return Error(ErrorCode::kUnavailable, std::move(message));
}
Error Error::cancelled(std::string message) {
  return Error(ErrorCode::kCancelled, std::move(message));
}

std::string_view error_code_name(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidInput: return "invalid_input";
    case ErrorCode::kUsage: return "usage";
    case ErrorCode::kNotFound: return "not_found";
    case ErrorCode::kConflict: return "conflict";
    case ErrorCode::kUnauthorized: return "unauthorized";
    case ErrorCode::kForbidden: return "forbidden";
    case ErrorCode::kPayloadTooLarge: return "payload_too_large";
    case ErrorCode::kRateLimited: return "rate_limited";
    case ErrorCode::kUnavailable: return "unavailable";
    case ErrorCode::kCancelled: return "cancelled";
    case ErrorCode::kInternal: return "internal";
  }
  return "internal";
}

int exit_code(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidInput:
    case ErrorCode::kConflict: return 1;
    case ErrorCode::kUsage: return 2;
    case ErrorCode::kNotFound: return 3;
    case ErrorCode::kUnavailable: return 5;
    case ErrorCode::kCancelled: return 130;
    default: return 4;
  }
}

}  // namespace keel
