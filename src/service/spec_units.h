// src/service/spec_units.h (private): the unit of every number of a described result
// (keel/service/spec.h), as a JSON tree of the same shape as spec::to_json's: a field's `.unit` at
// each of its numbers (through optionals, lists and maps), objects for nested structs, null where
// the description names no unit. The assistant's redaction reads it to tell amounts (money,
// prices, quantities) from ratios.
//
// Thread-safety: stateless.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "keel/service/spec.h"

namespace keel::service::detail {

class UnitWriter {
 public:
  explicit UnitWriter(nlohmann::json& out) : out_(out) {}

  template <class T>
  void field(const spec::Field& f, const T& member) {
    if constexpr (spec::is_optional<T>::value) {
      if (member) out_[std::string(f.name)] = value(*member, f.unit);
    } else {
      out_[std::string(f.name)] = value(member, f.unit);
    }
  }
  template <class E, class Names>
  void choice(const spec::Field& f, const E&, const Names&) {
    out_[std::string(f.name)] = nullptr;
  }
  template <class E, class Names>
  void choice_list(const spec::Field& f, const std::vector<E>&, const Names&, std::string_view = {}) {
    out_[std::string(f.name)] = nullptr;
  }
  template <class S>
  void flatten(const S& part) {
    S::fields(*this, part);
  }
  template <class T>
  void prefixed_map(const spec::Field& f, const std::map<std::string, T>& member) {
    for (const auto& [k, e] : member) out_[std::string(f.name) + k] = value(e, f.unit);
  }
  template <class F>
  void optional_fields(F&& visit) {
    visit();
  }

  template <class T>
  static nlohmann::json value(const T& v, std::string_view unit) {
    if constexpr (spec::is_nullable<T>::value || spec::is_optional<T>::value) {
      return v ? value(*v, unit) : nlohmann::json(nullptr);
    } else if constexpr (spec::is_vector<T>::value) {
      nlohmann::json a = nlohmann::json::array();
      for (const auto& e : v) a.push_back(value(e, unit));
      return a;
    } else if constexpr (spec::is_string_map<T>::value) {
      nlohmann::json o = nlohmann::json::object();
      for (const auto& [k, e] : v) o[k] = value(e, unit);
      return o;
    } else if constexpr (std::same_as<T, nlohmann::json>) {
      return nullptr;
    } else if constexpr (requires(UnitWriter & w) { T::fields(w, v); }) {
      nlohmann::json o = nlohmann::json::object();
      UnitWriter w(o);
      T::fields(w, v);
      return o;
    } else {
      return unit.empty() ? nlohmann::json(nullptr) : nlohmann::json(std::string(unit));
    }
  }

 private:
  nlohmann::json& out_;
};

template <class R>
nlohmann::json units_of(const R& r) {
  return UnitWriter::value(r, {});
}

}  // namespace keel::service::detail
