// keel/service/spec_options.h: the command-line options of a request, made from its description
// (keel/service/spec.h) without naming a command-line library.
//
//   std::vector<spec::CliOption> options = spec::cli_options(request);
//
// Each option says how a field is given on the command line (a flag, a value, a list, a choice)
// and carries what sets the field: a pointer to the member for flags and lists of text, else a
// function that reads the given text into the member, range-checked, and returns the problem
// ("expected an integer from 2 to 100000, got '1'") or an empty string. apps/keel/spec_cli.h
// turns them into CLI11 options. The request must outlive the options.
//
// Thread-safety: a collector is used by one thread.
#pragma once

#include <charconv>
#include <cmath>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include "keel/service/spec.h"

namespace keel::spec {

struct CliOption {
  enum class Kind {
    kFlag,             // bool (`flag`): --name; a flag on by default also has --no-name
    kOnOff,            // std::optional<bool> (`on_off`): --name sets true, off_flag false
    kStrings,          // std::vector<std::string> (`strings`): comma-separated or repeated
    kOptionalStrings,  // std::optional<std::vector<std::string>> (`optional_strings`); off_flag empties it
    kValues,           // a list of numbers or dates: `set_list` reads the texts
    kValue,            // one value: `set` reads the text
    kChoice,           // one name of `choices` (a comma-separated list of them when `list`): `set`
  };
  Field field;
  Kind kind = Kind::kValue;
  std::string flag;      // "--window", or the positional argument's name
  std::string off_flag;  // kOnOff, kOptionalStrings: "--no-<name>" or --<cli_off>
  std::string help;      // help text with the unit and range
  const char* type_name = "TEXT";  // TEXT, INT, NUMBER, DATE or CHOICE
  std::optional<std::string> default_text;
  bool* flag_target = nullptr;
  std::optional<bool>* on_off = nullptr;
  std::vector<std::string>* strings = nullptr;
  std::optional<std::vector<std::string>>* optional_strings = nullptr;
  std::function<std::string(const std::string&)> set;
  std::function<std::string(const std::vector<std::string>&)> set_list;
  // kChoice: the names allowed (with the word for all of them when `list`), and their text for
  // help and errors ("sample, ewma or ledoit-wolf").
  std::vector<std::string> choices;
  std::string choices_text;
  bool list = false;
};

// The visitor behind cli_options: one CliOption per command-line field of a request.
class CliOptions {
 public:
  template <class T>
  void field(const Field& f, T& member) {
    if constexpr (!has_cli_form<T>()) {
      // Nested structs, maps and free-form JSON are HTTP-only: their fields say .faces = spec::kHttp.
      if (f.faces & kCli) {
        throw std::logic_error("field " + std::string(f.name) + " has no command-line form (faces = spec::kHttp)");
      }
    } else {
      bind(f, member);
    }
  }
  template <class E, class Names>
  void choice(const Field& f, E& member, const Names& names_in) {
    const std::span<const Choice<E>> names(names_in);
    if (!(f.faces & kCli)) return;
    CliOption& o = add_choice(f, names, {});
    o.set = [&member, names](const std::string& s) {
      for (const auto& c : names) {
        if (c.name == s) member = c.value;
      }
      return std::string();
    };
    if (!f.required) o.default_text = std::string(choice_name(names, member));
  }
  template <class E, class Names>
  void choice(const Field& f, std::optional<E>& member, const Names& names_in) {
    const std::span<const Choice<E>> names(names_in);
    if (!(f.faces & kCli)) return;
    add_choice(f, names, {}).set = [&member, names](const std::string& s) {
      for (const auto& c : names) {
        if (c.name == s) member = c.value;
      }
      return std::string();
    };
  }
  // One name, a comma-separated list of names, or `all`.
  template <class E, class Names>
  void choice_list(const Field& f, std::vector<E>& member, const Names& names_in, std::string_view all = {}) {
    const std::span<const Choice<E>> names(names_in);
    if (!(f.faces & kCli)) return;
    std::string shown;
    for (const auto& e : member) shown += (shown.empty() ? "" : ",") + std::string(choice_name(names, e));
    CliOption& o = add_choice(f, names, all);
    o.set = [&member, names, all](const std::string& text) {
      std::vector<E> out;
      std::size_t start = 0;
      while (start <= text.size()) {
        const auto end = std::min(text.find(',', start), text.size());
        const std::string s = text.substr(start, end - start);
        if (!all.empty() && s == all) {
          out.clear();
          for (const auto& c : names) out.push_back(c.value);
          break;
        }
        for (const auto& c : names) {
          if (c.name == s) out.push_back(c.value);
        }
        start = end + 1;
      }
      member = std::move(out);
      return std::string();
    };
    o.default_text = shown;
  }
  template <class S>
  void flatten(S& part) {
    S::fields(*this, part);
  }
  std::vector<CliOption> options;

 private:
  template <class T>
  static constexpr bool is_cli_scalar() {
    return std::same_as<T, std::string> || std::same_as<T, Date> || std::floating_point<T> || Integer<T>;
  }
  template <class T>
  static constexpr bool has_cli_form() {
    if constexpr (std::same_as<T, bool> || std::same_as<T, std::optional<bool>>) {
      return true;
    } else if constexpr (std::same_as<T, std::optional<std::vector<std::string>>>) {
      return true;
    } else if constexpr (is_optional<T>::value || is_nullable<T>::value || is_vector<T>::value) {
      return is_cli_scalar<typename T::value_type>();
    } else {
      return is_cli_scalar<T>();
    }
  }
  template <class T>
  static const char* type_name() {
    if constexpr (is_optional<T>::value || is_nullable<T>::value) {
      return type_name<typename T::value_type>();
    } else if constexpr (std::same_as<T, Date>) {
      return "DATE";
    } else if constexpr (std::floating_point<T>) {
      return "NUMBER";
    } else if constexpr (Integer<T>) {
      return "INT";
    } else {
      return "TEXT";
    }
  }

  CliOption& add(const Field& f, CliOption::Kind kind);
  template <class E>
  CliOption& add_choice(const Field& f, std::span<const Choice<E>> names, std::string_view all) {
    CliOption& o = add(f, CliOption::Kind::kChoice);
    o.type_name = "CHOICE";
    for (const auto& c : names) o.choices.emplace_back(c.name);
    if (!all.empty()) o.choices.emplace_back(all);
    o.list = !all.empty();
    o.choices_text = choice_list_text(names, all);
    return o;
  }

  template <class T>
  void bind(const Field& f, T& member) {
    if (!(f.faces & kCli)) return;
    using Kind = CliOption::Kind;
    if constexpr (std::same_as<T, std::optional<bool>>) {
      add(f, Kind::kOnOff).on_off = &member;
    } else if constexpr (std::same_as<T, std::optional<std::vector<std::string>>>) {
      add(f, Kind::kOptionalStrings).optional_strings = &member;
    } else if constexpr (std::same_as<T, bool>) {
      add(f, Kind::kFlag).flag_target = &member;
    } else if constexpr (is_vector<T>::value) {
      using E = typename T::value_type;
      if constexpr (std::same_as<E, std::string>) {
        add(f, Kind::kStrings).strings = &member;
      } else {
        // A list of numbers, comma-separated or repeated, each parsed and range-checked as a scalar.
        CliOption& o = add(f, Kind::kValues);
        o.type_name = type_name<E>();
        o.set_list = [&member, f, flag = o.flag](const std::vector<std::string>& texts) {
          member.clear();
          for (const auto& text : texts) {
            E x{};
            if (auto problem = parse(f, flag, text, x); !problem.empty()) return problem;
            member.push_back(x);
          }
          return std::string();
        };
      }
    } else {
      CliOption& o = add(f, Kind::kValue);
      o.type_name = type_name<T>();
      o.set = [&member, f, flag = o.flag](const std::string& text) { return parse(f, flag, text, member); };
      if constexpr (std::same_as<T, std::string>) {
        if (!member.empty()) o.default_text = member;
      } else if constexpr (!is_optional<T>::value) {
        const nlohmann::json shown = JsonWriter::value(member);
        o.default_text = shown.is_string() ? shown.template get<std::string>() : shown.dump();
      }
    }
  }

  // Text into a scalar or optional scalar, range-checked: the problem, or an empty string. A bad
  // date throws Error::invalid_input naming the flag.
  template <class T>
  static std::string parse(const Field& f, const std::string& flag, const std::string& text, T& out) {
    if constexpr (is_optional<T>::value || is_nullable<T>::value) {
      typename T::value_type x{};
      auto problem = parse(f, flag, text, x);
      if (problem.empty()) out = x;
      return problem;
    } else if constexpr (std::same_as<T, std::string>) {
      auto problem = text_problem(f, text);
      if (problem.empty()) out = text;
      return problem;
    } else if constexpr (std::same_as<T, Date>) {
      out = Date::parse_or_throw(text, flag);
      return {};
    } else if constexpr (std::floating_point<T>) {
      double x = 0;
      const auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), x);
      if (ec != std::errc() || p != text.data() + text.size() || !std::isfinite(x)) {
        return "expected a number, got '" + text + "'";
      }
      if (auto problem = range_problem(f, x, false); !problem.empty()) return problem;
      out = static_cast<T>(x);
      return {};
    } else if constexpr (Integer<T>) {
      T x{};
      const auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), x);
      if (ec != std::errc() || p != text.data() + text.size()) {
        Field bounds = f;
        bounds.min = std::max(f.min, static_cast<double>(std::numeric_limits<T>::min()));
        bounds.max = std::min(f.max, static_cast<double>(std::numeric_limits<T>::max()));
        return "expected an integer " + range_text(bounds) + ", got '" + text + "'";
      }
      if (auto problem = range_problem(f, static_cast<double>(x), true); !problem.empty()) return problem;
      out = x;
      return {};
    } else {
      static_assert(sizeof(T) == 0, "no command-line parser for this field type");
    }
  }
};

// The command-line options of every CLI-facing field of `request`, in description order.
template <class R>
std::vector<CliOption> cli_options(R& request) {
  CliOptions collector;
  R::fields(collector, request);
  return std::move(collector.options);
}

}  // namespace keel::spec
