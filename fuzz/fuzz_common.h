// fuzz/fuzz_common.h: what every keel fuzz target checks besides "no crash, no hang, no leak".
//
// A reader may refuse its input (keel::Error, or errors in its Diagnostics) but every message it
// produces must be printable UTF-8 of bounded length that nlohmann::json can serialise: a message
// that cannot be serialised is how "committed, then exit 4" happened. Any exception that is not
// a keel::Error escapes the target and libFuzzer reports it as a crash, since the CLI would turn
// it into exit 4 (an internal error) for bad input.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <cstdlib>
#include <cstdio>
#include <string>

#include "keel/core/diagnostics.h"
#include "keel/core/error.h"
#include "keel/io/input.h"

namespace keel::fuzz {

inline std::string text(const std::uint8_t* data, std::size_t size) {
  return std::string(reinterpret_cast<const char*>(data), size);
}

// Bound on one message: the value cut by io::shown() plus the surrounding words.
inline constexpr std::size_t kMaxMessageBytes = 4096;

inline void check_message(const std::string& m) {
  if (io::utf8_error_offset(m) != std::string::npos) {
    std::fprintf(stderr, "message is not UTF-8: %s\n", io::shown(m, 200).c_str());
    std::abort();
  }
  if (m.size() > kMaxMessageBytes) {
    std::fprintf(stderr, "message of %zu bytes: %s\n", m.size(), io::shown(m, 200).c_str());
    std::abort();
  }
  (void)nlohmann::json(m).dump();  // throws type_error 316 on invalid UTF-8
}

inline void check(const Diagnostics& d) {
  for (const auto& e : d.errors()) check_message(e.to_string());
  for (const auto& w : d.warnings()) check_message(w.to_string());
}

inline void check(const Error& e) {
  check_message(e.what());
  for (const auto& d : e.details()) check_message(d);
}

// Runs `fn`, accepting a keel::Error (bad input) after checking its messages.
template <class F>
void run(F&& fn) {
  try {
    fn();
  } catch (const Error& e) {
    check(e);
  }
}

}  // namespace keel::fuzz
