// Private: visitors that turn the described rows of a report (keel/service/report.h) into the
// cells of positions.csv and report.xlsx, field by field, so the renderers never name a key.
#pragma once

#include <charconv>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "keel/io/xlsx_writer.h"
#include "keel/service/spec.h"

namespace keel::service::detail {

// Shortest text that parses back to the same double (std::to_chars without a precision).
inline std::string round_trip(double v) {
  char buf[64];
  const auto res = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, res.ptr);
}

// One cell of a described struct's scalar field.
struct Cell {
  std::string name;
  io::XlsxCell value;  // monostate for null
  bool number = false;
  bool integer = false;
  std::string text;  // the CSV text: numbers shortest round trip, strings raw (unquoted), null empty
  std::string unit;  // the description's unit ("portfolio currency", "fraction", ...), empty when none
};

// Collects the scalar fields of a struct, in description order, as cells (vectors, maps and
// nested structs are skipped; absent optional fields too).
class CellCollector {
 public:
  static constexpr bool kWritesPresentFields = true;

  template <class T>
  void field(const spec::Field& f, const T& member) {
    if constexpr (spec::is_optional<T>::value) {
      if (member) field(f, *member);
    } else if constexpr (spec::is_nullable<T>::value) {
      if (member) {
        field(f, *member);
      } else {
        cells.push_back({std::string(f.name), std::monostate{}, false, false, "", std::string(f.unit)});
      }
    } else if constexpr (std::same_as<T, bool>) {
      cells.push_back({std::string(f.name), std::string(member ? "true" : "false"), false, false,
                       member ? "true" : "false", {}});
    } else if constexpr (spec::Integer<T>) {
      // `+` promotes a char-sized integer, so that it prints as a number, not a character.
      cells.push_back({std::string(f.name), static_cast<double>(member), true, true, fmt::format("{}", +member),
                       std::string(f.unit)});
    } else if constexpr (std::floating_point<T>) {
      cells.push_back({std::string(f.name), static_cast<double>(member), true, false, round_trip(member),
                       std::string(f.unit)});
    } else if constexpr (std::same_as<T, std::string>) {
      cells.push_back({std::string(f.name), member, false, false, member, {}});
    }
  }
  template <class E, class Names>
  void choice(const spec::Field& f, const E& member, const Names& names) {
    const std::string n(spec::choice_name(std::span<const spec::Choice<E>>(names), member));
    cells.push_back({std::string(f.name), n, false, false, n, {}});
  }
  template <class S>
  void flatten(const S& part) {
    S::fields(*this, part);
  }

  std::vector<Cell> cells;
};

// The cells of one described row.
template <class Row>
std::vector<Cell> cells_of(const Row& row) {
  CellCollector c;
  Row::fields(c, row);
  return std::move(c.cells);
}

// Visits the sections of a report (its described fields that have a status), handing each
// section's name and scalar cells to `section`.
class SectionVisitor {
 public:
  using Section = std::function<void(std::string_view name, std::vector<Cell> cells)>;
  explicit SectionVisitor(Section section) : section_(std::move(section)) {}
  template <class T>
  void field(const spec::Field& f, const T& member) {
    if constexpr (requires { member.status; member.reason; }) {
      section_(f.name, cells_of(member));
    } else if constexpr (spec::is_optional<T>::value) {
      if (member) field(f, *member);  // a section the report has only when asked (attribution)
    }
  }
  template <class E, class Names>
  void choice(const spec::Field&, const E&, const Names&) {}
  template <class S>
  void flatten(const S& part) {
    S::fields(*this, part);
  }

 private:
  Section section_;
};

}  // namespace keel::service::detail
