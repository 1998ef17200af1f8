// src/io/markup.h (private to io): one small tolerant tokenizer for the statement formats, OFX 1.x
// (SGML: leaf elements are not closed, `<TRNAMT>-12.50` runs to the next tag), OFX 2.x (XML) and
// IBKR Flex Query XML (attributes).
//
// The whole document becomes a tree of Nodes, each remembering the line and column of its tag and
// of its text, so a reader can name the place of a bad value. Tolerance rules:
//   - text before the first element (the OFX 1.x header lines `OFXHEADER:100` ...), processing
//     instructions (`<?xml ...?>`, `<?OFX ...?>`), comments and `<!DOCTYPE>` are skipped;
//   - an element holding text closes at the next tag (the SGML leaf rule), so `<CODE>0<SEVERITY>`
//     reads as two siblings whatever the markup's dialect;
//   - an end tag closes every element opened after its start tag (SGML's implicit close); an end
//     tag with no open start tag is a warning;
//   - the five XML entities and numeric character references are decoded, others kept as written.
// Refusals (errors in the Diagnostics, the tree then holds what was read before): a tag left
// unterminated, an aggregate still open at the end (a file cut short), nesting deeper than
// kMaxDepth, more than kMaxNodes elements.
//
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "keel/core/diagnostics.h"

namespace keel::io::markup {

inline constexpr std::size_t kMaxDepth = 64;
inline constexpr std::size_t kMaxNodes = std::size_t{4} << 20;

struct Node {
  std::string name;  // as written
  std::vector<std::pair<std::string, std::string>> attributes;  // decoded values
  std::string text;  // trimmed, decoded; empty for an aggregate
  std::vector<Node> children;
  std::size_t line = 0;  // of the '<' of the start tag
  std::size_t column = 0;
  std::size_t text_line = 0;  // of the text's first character (the tag's place when no text)
  std::size_t text_column = 0;

  // The first child named `name` (ASCII case-insensitive); null when none.
  const Node* child(std::string_view name) const;
  // The first descendant at the path "A/B/C" below this node; null when absent.
  const Node* find(std::string_view path) const;
  // The value of the attribute `name` (case-insensitive); null when absent.
  const std::string* attribute(std::string_view name) const;
  bool is(std::string_view n) const;
};

// The document's top-level elements are the children of the returned root (whose name is empty).
Node parse(std::string_view text, const std::string& file, Diagnostics& diags);

// `text` as UTF-8: itself when it is valid UTF-8, else each byte read as Windows-1252 (the
// CHARSET of most OFX 1.x files).
std::string to_utf8(std::string_view text);

}  // namespace keel::io::markup
