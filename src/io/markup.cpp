// The statements' tolerant markup tokenizer (markup.h).
#include "markup.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>

#include "keel/core/strings.h"

namespace keel::io::markup {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

bool is_name_char(char c) {
  return !is_space(c) && c != '<' && c != '>' && c != '/' && c != '=' && c != '"' && c != '\'';
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// &amp; &lt; &gt; &quot; &apos; &#N; &#xH; decoded; anything else kept as written (OFX 1.x files
// carry bare ampersands in names).
std::string decode(std::string_view s) {
  if (s.find('&') == std::string_view::npos) return std::string(s);
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '&') {
      out += s[i];
      continue;
    }
    const std::size_t semi = s.find(';', i);
    if (semi == std::string_view::npos || semi - i > 12) {
      out += '&';
      continue;
    }
    const std::string_view ent = s.substr(i + 1, semi - i - 1);
    bool done = true;
    if (ent == "amp") out += '&';
    else if (ent == "lt") out += '<';
    else if (ent == "gt") out += '>';
    else if (ent == "quot") out += '"';
    else if (ent == "apos") out += '\'';
    else if (ent.size() >= 2 && ent[0] == '#') {
      const bool hex = ent[1] == 'x' || ent[1] == 'X';
      std::uint32_t cp = 0;
      const std::string_view digits = ent.substr(hex ? 2 : 1);
      bool ok = !digits.empty();
      for (char c : digits) {
        int v = -1;
        if (c >= '0' && c <= '9') v = c - '0';
        else if (hex && c >= 'a' && c <= 'f') v = c - 'a' + 10;
        else if (hex && c >= 'A' && c <= 'F') v = c - 'A' + 10;
        if (v < 0 || cp > 0x10FFFF) {
          ok = false;
          break;
        }
        cp = cp * (hex ? 16 : 10) + static_cast<std::uint32_t>(v);
      }
      if (ok && cp > 0 && cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF)) append_utf8(out, cp);
      else done = false;
    } else {
      done = false;
    }
    if (!done) {
      out += '&';
      continue;
    }
    i = semi;
  }
  return out;
}

class Parser {
 public:
  Parser(std::string_view text, const std::string& file, Diagnostics& diags) : s_(text), file_(file), diags_(diags) {
    line_starts_.push_back(0);
    for (std::size_t i = 0; i < s_.size(); ++i) {
      if (s_[i] == '\n') line_starts_.push_back(i + 1);
    }
  }

  Node run() {
    Node root;
    stack_.push_back(&root);
    std::size_t p = 0;
    while (p < s_.size()) {
      if (s_[p] != '<') {
        std::size_t end = s_.find('<', p);
        if (end == std::string_view::npos) end = s_.size();
        text(p, end);
        p = end;
        continue;
      }
      const std::size_t start = p;
      if (s_.compare(p, 4, "<!--") == 0) {
        p = skip_to(start, p + 4, "-->", "comment");
      } else if (s_.compare(p, 9, "<![CDATA[") == 0) {
        const std::size_t end = s_.find("]]>", p + 9);
        if (end == std::string_view::npos) {
          fail(start, "a CDATA section is not terminated by ]]>");
          break;
        }
        cdata(p + 9, end);
        p = end + 3;
      } else if (s_.compare(p, 2, "<?") == 0) {
        p = skip_to(start, p + 2, "?>", "processing instruction");
      } else if (s_.compare(p, 2, "<!") == 0) {
        p = skip_to(start, p + 2, ">", "declaration");
      } else if (s_.compare(p, 2, "</") == 0) {
        p = end_tag(start);
      } else {
        p = start_tag(start);
      }
      if (p == std::string_view::npos) break;
    }
    if (!stopped_) {
      close_leaf();
      if (stack_.size() > 1) {
        const Node* open = stack_.back();
        error(open->line, open->column, fmt::format("<{}> is not closed: the document ends inside it (cut short?)",
                                                    shown_with(open->name, 64, '\0')));
      }
    }
    return root;
  }

 private:
  std::pair<std::size_t, std::size_t> place(std::size_t offset) const {
    const auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
    const std::size_t line = static_cast<std::size_t>(it - line_starts_.begin());
    return {line, offset - line_starts_[line - 1] + 1};
  }

  void error(std::size_t line, std::size_t column, std::string message) {
    diags_.error({file_, line, column, "", std::move(message)});
  }

  void fail(std::size_t offset, std::string message) {
    const auto [line, column] = place(offset);
    error(line, column, std::move(message));
    stopped_ = true;
  }

  std::size_t skip_to(std::size_t start, std::size_t from, std::string_view end, const char* what) {
    const std::size_t e = s_.find(end, from);
    if (e == std::string_view::npos) {
      fail(start, fmt::format("a {} is not terminated by {}", what, end));
      return std::string_view::npos;
    }
    return e + end.size();
  }

  // The element holding text is a leaf: the next tag closes it (OFX 1.x leaves have no end tag).
  void close_leaf() {
    if (stack_.size() > 1 && !stack_.back()->text.empty() && stack_.back()->children.empty()) stack_.pop_back();
  }

  void set_text(std::size_t offset, std::string value) {
    Node* top = stack_.back();
    if (stack_.size() == 1 || value.empty()) return;  // outside the document: the OFX 1.x header
    if (!top->text.empty() || !top->children.empty()) return;  // mixed content: not used by the formats
    const auto [line, column] = place(offset);
    top->text = std::move(value);
    top->text_line = line;
    top->text_column = column;
  }

  void text(std::size_t begin, std::size_t end) {
    std::size_t b = begin;
    std::size_t e = end;
    while (b < e && is_space(s_[b])) ++b;
    while (e > b && is_space(s_[e - 1])) --e;
    if (b == e) return;
    set_text(b, decode(s_.substr(b, e - b)));
  }

  void cdata(std::size_t begin, std::size_t end) { set_text(begin, std::string(s_.substr(begin, end - begin))); }

  std::size_t read_name(std::size_t& p) const {
    const std::size_t b = p;
    while (p < s_.size() && is_name_char(s_[p])) ++p;
    return p - b;
  }

  std::size_t end_tag(std::size_t start) {
    std::size_t p = start + 2;
    const std::size_t nb = p;
    const std::size_t n = read_name(p);
    const std::string_view name = s_.substr(nb, n);
    const std::size_t close = s_.find('>', p);
    if (close == std::string_view::npos) {
      fail(start, fmt::format("the end tag </{}> is not terminated by >", shown_with(name, 64, '\0')));
      return std::string_view::npos;
    }
    if (stack_.size() > 1 && !stack_.back()->is(name)) close_leaf();
    // Close everything opened after the matching start tag (SGML's implicit end tags).
    for (std::size_t i = stack_.size(); i-- > 1;) {
      if (stack_[i]->is(name)) {
        stack_.resize(i);
        return close + 1;
      }
    }
    const auto [line, column] = place(start);
    diags_.warning({file_, line, column, "", fmt::format("</{}> closes no open element: ignored", shown_with(name, 64, '\0'))});
    return close + 1;
  }

  std::size_t start_tag(std::size_t start) {
    std::size_t p = start + 1;
    const std::size_t nb = p;
    const std::size_t n = read_name(p);
    if (n == 0) {
      // A lone '<' in text (not markup): kept as text, as an SGML reader would.
      std::size_t end = s_.find('<', start + 1);
      if (end == std::string_view::npos) end = s_.size();
      text(start, end);
      return end;
    }
    close_leaf();
    if (stack_.size() > kMaxDepth) {
      fail(start, fmt::format("elements are nested more than {} deep", kMaxDepth));
      return std::string_view::npos;
    }
    if (++nodes_ > kMaxNodes) {
      fail(start, fmt::format("more than {} elements", kMaxNodes));
      return std::string_view::npos;
    }
    Node node;
    node.name = std::string(s_.substr(nb, n));
    const auto [line, column] = place(start);
    node.line = node.text_line = line;
    node.column = node.text_column = column;
    bool self_closing = false;
    for (;;) {
      while (p < s_.size() && is_space(s_[p])) ++p;
      if (p >= s_.size()) {
        fail(start, fmt::format("the tag <{}> is not terminated by >", shown_with(node.name, 64, '\0')));
        return std::string_view::npos;
      }
      if (s_[p] == '>') {
        ++p;
        break;
      }
      if (s_[p] == '/' && p + 1 < s_.size() && s_[p + 1] == '>') {
        self_closing = true;
        p += 2;
        break;
      }
      const std::size_t ab = p;
      const std::size_t an = read_name(p);
      if (an == 0) {
        fail(p, fmt::format("in <{}>: expected an attribute name, got {}", shown_with(node.name, 64, '\0'),
                            shown(s_.substr(p, 1))));
        return std::string_view::npos;
      }
      std::string value;
      while (p < s_.size() && is_space(s_[p])) ++p;
      if (p < s_.size() && s_[p] == '=') {
        ++p;
        while (p < s_.size() && is_space(s_[p])) ++p;
        if (p < s_.size() && (s_[p] == '"' || s_[p] == '\'')) {
          const char q = s_[p];
          const std::size_t e = s_.find(q, p + 1);
          if (e == std::string_view::npos) {
            fail(p, fmt::format("in <{}>: the value of {} has no closing quote", shown_with(node.name, 64, '\0'),
                                shown_with(s_.substr(ab, an), 64, '\0')));
            return std::string_view::npos;
          }
          value = decode(s_.substr(p + 1, e - p - 1));
          p = e + 1;
        } else {
          const std::size_t vb = p;
          while (p < s_.size() && !is_space(s_[p]) && s_[p] != '>') ++p;
          value = decode(s_.substr(vb, p - vb));
        }
      }
      node.attributes.emplace_back(std::string(s_.substr(ab, an)), std::move(value));
    }
    Node* parent = stack_.back();
    parent->children.push_back(std::move(node));
    if (!self_closing) stack_.push_back(&parent->children.back());
    return p;
  }

  std::string_view s_;
  const std::string& file_;
  Diagnostics& diags_;
  std::vector<std::size_t> line_starts_;
  // Open elements, the root first. A pointer stays valid: only the top's children grow.
  std::vector<Node*> stack_;
  std::size_t nodes_ = 0;
  bool stopped_ = false;
};

// Windows-1252's 0x80-0x9F (0: undefined there, read as the Latin-1 control).
constexpr std::uint16_t kCp1252High[32] = {0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
                                           0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
                                           0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
                                           0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

}  // namespace

bool Node::is(std::string_view n) const { return iequals(name, n); }

const Node* Node::child(std::string_view n) const {
  for (const Node& c : children) {
    if (c.is(n)) return &c;
  }
  return nullptr;
}

const Node* Node::find(std::string_view path) const {
  const Node* at = this;
  while (at != nullptr && !path.empty()) {
    const std::size_t slash = path.find('/');
    at = at->child(path.substr(0, slash));
    path = slash == std::string_view::npos ? std::string_view() : path.substr(slash + 1);
  }
  return at;
}

const std::string* Node::attribute(std::string_view n) const {
  for (const auto& [k, v] : attributes) {
    if (iequals(k, n)) return &v;
  }
  return nullptr;
}

Node parse(std::string_view text, const std::string& file, Diagnostics& diags) {
  return Parser(text, file, diags).run();
}

std::string to_utf8(std::string_view text) {
  if (utf8_error_offset(text) == std::string_view::npos) return std::string(text);
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    std::uint32_t cp = c;
    if (c >= 0x80 && c < 0xA0 && kCp1252High[c - 0x80] != 0) cp = kCp1252High[c - 0x80];
    append_utf8(out, cp);
  }
  return out;
}

}  // namespace keel::io::markup
