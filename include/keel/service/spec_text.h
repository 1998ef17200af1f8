// keel/service/spec_text.h: a described result (keel/service/spec.h) written as JSON text as it
// goes, byte for byte what spec::to_json(r).dump(indent, ' ', false, replace) writes, without the
// document: a result of millions of rows (the realized gains of a large ledger) is not held twice,
// once as structs and once as a tree of JSON values.
//
// Thread-safety: a JsonText is used by one thread.
#pragma once

#include <algorithm>
#include <deque>
#include <list>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "keel/service/spec.h"

namespace keel::spec {

namespace text_detail {
struct Member;
}  // namespace text_detail

// Object members come out in the document's order (sorted by name, as nlohmann::json's std::map
// keeps them); invalid UTF-8 is replaced.
class JsonText {
 public:
  // `sink`: where the text goes once more than a mebibyte of it is pending, and at flush(); null
  // keeps it all in text(). `indent` < 0: compact, as dump(-1).
  explicit JsonText(std::ostream* sink = nullptr, int indent = 2) : sink_(sink), indent_(indent) {}

  template <class T>
  void value(const T& v, int level = 0);
  void flush();
  const std::string& text() const { return text_; }

  // Internal to the writer (used by its field collector).
  void raw(std::string_view s) { text_.append(s); }
  void scalar(const nlohmann::json& j, int level);
  void string(std::string_view s);
  void newline(int level);
  void date(Date d);
  int indent() const { return indent_; }
  void maybe_flush() {
    if (sink_ != nullptr && text_.size() > (std::size_t{1} << 20)) flush();
  }

 private:
  // The members of the objects being written, one list per depth (an object's members are written
  // at the next depth), kept so that a result of many objects does not allocate one list per object.
  // A deque: adding a depth moves none of the lists in use.
  std::vector<text_detail::Member>& members_at(int level);

  std::ostream* sink_;
  int indent_;
  std::string text_;
  std::deque<std::vector<text_detail::Member>> members_;
};

namespace text_detail {

// One member of an object being written: its name and how to write its value.
struct Member {
  std::string_view name;  // a field's name, or one the collector keeps
  const void* value;
  void (*write)(JsonText&, const void*, int);
  std::string_view choice;  // a choice's name (write == nullptr)
};

template <class T>
void write_erased(JsonText& out, const void* v, int level) {
  out.value(*static_cast<const T*>(v), level);
}

// Collects the members of a described struct, as JsonWriter would set them.
class Collector {
 public:
  Collector(std::vector<Member>& members, unsigned faces) : members_(members), faces_(faces) {}

  template <class T>
  void field(const Field& f, const T& member) {
    if (!(f.faces & faces_)) return;
    if constexpr (is_optional<T>::value) {
      if (member) add(f.name, *member);
    } else {
      add(f.name, member);
    }
  }
  template <class E, class Names>
  void choice(const Field& f, const E& member, const Names& names_in) {
    if (!(f.faces & faces_)) return;
    members_.push_back({f.name, nullptr, nullptr, choice_name(std::span<const Choice<E>>(names_in), member)});
  }
  template <class E, class Names>
  void choice(const Field& f, const std::optional<E>& member, const Names& names_in) {
    if (!(f.faces & faces_) || !member) return;
    members_.push_back({f.name, nullptr, nullptr, choice_name(std::span<const Choice<E>>(names_in), *member)});
  }
  template <class E, class Names>
  void choice_list(const Field& f, const std::vector<E>& member, const Names& names_in, std::string_view = {}) {
    if (!(f.faces & faces_)) return;
    const std::span<const Choice<E>> names(names_in);
    std::vector<std::string> out;
    for (const auto& e : member) out.emplace_back(choice_name(names, e));
    lists_.push_back(std::move(out));
    // The list's address is stable: lists_ is a std::deque-like list of vectors.
    members_.push_back({f.name, &lists_.back(), &write_erased<std::vector<std::string>>, {}});
  }
  template <class S>
  void flatten(const S& part) {
    S::fields(*this, part);
  }
  template <class T>
  void prefixed_map(const Field& f, const std::map<std::string, T>& member) {
    for (const auto& [k, e] : member) add(names_.emplace_back(std::string(f.name) + k), e);
  }

 private:
  template <class T>
  void add(std::string_view name, const T& v) {
    members_.push_back({name, &v, &write_erased<T>, {}});
  }
  std::vector<Member>& members_;
  unsigned faces_;
  std::list<std::vector<std::string>> lists_;
  std::deque<std::string> names_;  // the names made here (a deque: adding one moves none)
};

}  // namespace text_detail

template <class T>
void JsonText::value(const T& v, int level) {
  if constexpr (is_nullable<T>::value || is_optional<T>::value) {
    if (v) value(*v, level);
    else raw("null");
  } else if constexpr (std::same_as<T, Date>) {
    date(v);
  } else if constexpr (std::same_as<T, std::string>) {
    string(v);
  } else if constexpr (is_vector<T>::value) {
    if (v.empty()) {
      raw("[]");
      return;
    }
    raw("[");
    bool first = true;
    for (const auto& e : v) {
      if (!first) raw(",");
      first = false;
      newline(level + 1);
      value(e, level + 1);
      maybe_flush();
    }
    newline(level);
    raw("]");
  } else if constexpr (is_string_map<T>::value) {
    if (v.empty()) {
      raw("{}");
      return;
    }
    raw("{");
    bool first = true;
    for (const auto& [k, e] : v) {
      if (!first) raw(",");
      first = false;
      newline(level + 1);
      string(k);
      raw(indent_ >= 0 ? ": " : ":");
      value(e, level + 1);
    }
    newline(level);
    raw("}");
  } else if constexpr (HasValueCodec<T>) {
    scalar(ValueCodec<T>::write(v), level);
  } else if constexpr (requires(text_detail::Collector& c) { T::fields(c, v); }) {
    std::vector<text_detail::Member>& members = members_at(level);
    members.clear();
    text_detail::Collector c(members, kAllFaces);
    T::fields(c, v);
    if (members.empty()) {
      raw("{}");
      return;
    }
    // The document's order: by name, the last of equal names winning (as an assignment would).
    // Insertion sort, stable: an object has a few dozen members at most.
    for (std::size_t i = 1; i < members.size(); ++i) {
      for (std::size_t j = i; j > 0 && members[j].name < members[j - 1].name; --j) {
        std::swap(members[j], members[j - 1]);
      }
    }
    raw("{");
    bool first = true;
    for (std::size_t i = 0; i < members.size(); ++i) {
      if (i + 1 < members.size() && members[i + 1].name == members[i].name) continue;
      const auto& m = members[i];
      if (!first) raw(",");
      first = false;
      newline(level + 1);
      string(m.name);
      raw(indent_ >= 0 ? ": " : ":");
      if (m.write != nullptr) m.write(*this, m.value, level + 1);
      else string(m.choice);
    }
    newline(level);
    raw("}");
  } else {
    scalar(nlohmann::json(v), level);
  }
}

// The JSON text of a described struct (or any value to_json takes), as to_json(r).dump(indent,
// ' ', false, replace) would write it.
template <class R>
std::string to_json_text(const R& r, int indent = 2) {
  JsonText out(nullptr, indent);
  out.value(r);
  return out.text();
}

}  // namespace keel::spec
