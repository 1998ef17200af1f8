// src/store/tags_text.h (private): how a list of tags is kept in one TEXT column of the store —
// the names joined by ';' (the separator of the positions file's `tags` column, docs/formats.md).
// Tag names never contain ';' (io's reader splits on it and the tag registry rejects it), so the
// encoding round-trips; empty pieces are dropped when reading.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <vector>

namespace keel::store::detail {

// "a;b;c" from {"a","b","c"}; "" for no tags.
inline std::string join_tags(const std::vector<std::string>& tags) {
  std::string out;
  for (const auto& t : tags) {
    if (!out.empty()) out += ';';
    out += t;
  }
  return out;
}

// {"a","b","c"} from "a;b;c" (also from "a;;b;c;": empty pieces are dropped).
inline std::vector<std::string> split_tags(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find(';', start);
    if (end == std::string::npos) end = text.size();
    if (end > start) out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

}  // namespace keel::store::detail
