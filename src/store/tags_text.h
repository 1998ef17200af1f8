// src/store/tags_text.h (private): how a list of names is kept in one TEXT column of the store — the
// names joined by one separator that no name holds: tags by ';' (the separator of the positions
// file's `tags` column, docs/formats.md; io's reader splits on it and the tag registry rejects it),
// a vault key's origins by ' ', the assistant policy's allowed hosts by '\n'. Empty pieces are
// dropped when reading, so the encoding round-trips.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace keel::store::detail {

// "a;b;c" from {"a","b","c"} (with ';' as `separator`); "" for none.
inline std::string join_names(const std::vector<std::string>& names, char separator) {
  std::string out;
  for (const auto& n : names) {
    if (!out.empty()) out += separator;
    out += n;
  }
  return out;
}

// {"a","b","c"} from "a;b;c" (also from "a;;b;c;": empty pieces are dropped).
inline std::vector<std::string> split_names(std::string_view text, char separator) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find(separator, start);
    if (end == std::string_view::npos) end = text.size();
    if (end > start) out.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

inline std::string join_tags(const std::vector<std::string>& tags) {
  return join_names(tags, ';');
}
inline std::vector<std::string> split_tags(std::string_view text) {
  return split_names(text, ';');
}

}  // namespace keel::store::detail
