// apps/keel/spec_cli.h: the CLI11 options of a command, made from its request's description
// (keel/service/spec.h), so the flags, their defaults, ranges and help text are the HTTP fields'.
//
//   auto req = std::make_shared<service::RiskVarRequest>();
//   spec_options(cmd, *req);               // --window, --confidence, --method ...
//   cmd->callback([&ctx, req] { run_var(ctx, *req); });
//
// Values are parsed and range-checked while CLI11 parses the command line; a bad value is a usage
// error naming the flag ("--window: expected an integer from 2 to 100000, got 1"). The request
// object must outlive the parse (hold it in a shared_ptr captured by the callback).
#pragma once

#include <CLI/CLI.hpp>
#include <charconv>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include "keel/core/error.h"
#include "keel/service/spec.h"

namespace keel::cli {

template <class T>
struct is_optional_vector : std::false_type {};
template <class E>
struct is_optional_vector<std::optional<std::vector<E>>> : std::true_type {};

class CliBinder {
 public:
  explicit CliBinder(CLI::App* cmd) : cmd_(cmd) {}

  template <class T>
  void field(const spec::Field& f, T& member) {
    if constexpr (!has_cli_form<T>()) {
      // Nested structs, maps and free-form JSON are HTTP-only: their fields say .faces = spec::kHttp.
      if (f.faces & spec::kCli) {
        throw std::logic_error("field " + std::string(f.name) +
                               " has no command-line form (faces = spec::kHttp)");
      }
    } else {
      bind(f, member);
    }
  }

 private:
  template <class T>
  static constexpr bool is_cli_scalar() {
    return std::same_as<T, std::string> || std::same_as<T, Date> || std::floating_point<T> ||
           spec::Integer<T>;
  }
  template <class T>
  static constexpr bool has_cli_form() {
    if constexpr (std::same_as<T, bool> || std::same_as<T, std::optional<bool>>) {
      return true;
    } else if constexpr (is_optional_vector<T>::value) {
      return std::same_as<T, std::optional<std::vector<std::string>>>;
    } else if constexpr (spec::is_optional<T>::value || spec::is_nullable<T>::value ||
                         spec::is_vector<T>::value) {
      return is_cli_scalar<typename T::value_type>();
    } else {
      return is_cli_scalar<T>();
    }
  }

  // The flag that sets an optional bool false or an optional list empty: --<cli_off>, else --no-<name>.
  static std::string off_flag(const spec::Field& f, const std::string& flag) {
    return f.cli_off.empty() ? "--no-" + flag.substr(2) : "--" + std::string(f.cli_off);
  }

  template <class T>
  void bind(const spec::Field& f, T& member) {
    if (!(f.faces & spec::kCli)) return;
    // A positional argument is named without dashes (its name in --help's usage line).
    const std::string flag = f.cli_positional ? spec::cli_flag(f).substr(2) : spec::cli_flag(f);
    const std::string names = f.cli_short.empty() ? flag : flag + "," + std::string(f.cli_short);
    CLI::Option* opt = nullptr;
    if constexpr (std::same_as<T, std::optional<bool>>) {
      // --name sets true, --<cli_off> (or --no-name) false; neither leaves it empty.
      opt = cmd_->add_flag_function(names, [&member](std::int64_t) { member = true; }, help(f));
      CLI::Option* off = cmd_->add_flag_function(off_flag(f, flag), [&member](std::int64_t) { member = false; },
                                                 "The opposite of " + std::string(spec::cli_flag(f)));
      opt->excludes(off);
    } else if constexpr (is_optional_vector<T>::value) {
      // An optional list of strings: --name (repeated or comma-separated) sets it, --<cli_off> empties it.
      opt = cmd_->add_option_function<std::vector<std::string>>(
                    names, [&member](const std::vector<std::string>& v) { member = v; }, help(f))
                ->delimiter(',');
      opt->type_name("TEXT");
      CLI::Option* off =
          cmd_->add_flag_function(off_flag(f, flag), [&member](std::int64_t) { member.emplace(); },
                                  "An empty " + std::string(spec::cli_flag(f)) + " list");
      opt->excludes(off);
    } else if constexpr (std::same_as<T, bool>) {
      // A flag that is on by default is turned off with --no-<name>.
      const std::string off = "!--no-" + flag.substr(2);
      opt = cmd_->add_flag(member ? names + "," + off : names, member, help(f));
    } else if constexpr (spec::is_vector<T>::value) {
      using E = typename T::value_type;
      if constexpr (std::same_as<E, std::string>) {
        opt = cmd_->add_option(names, member, help(f))->delimiter(',');
      } else {
        // A list of numbers, comma-separated or repeated, each parsed and range-checked as a scalar.
        opt = cmd_->add_option_function<std::vector<std::string>>(
                      names,
                      [&member, f, flag](const std::vector<std::string>& texts) {
                        member.clear();
                        for (const auto& text : texts) {
                          E x{};
                          parse(f, flag, text, x);
                          member.push_back(x);
                        }
                      },
                      help(f))
                  ->delimiter(',');
        opt->type_name(type_name<E>());
      }
    } else {
      opt = cmd_->add_option_function<std::string>(
          names, [&member, f, flag](const std::string& text) { parse(f, flag, text, member); }, help(f));
      opt->type_name(type_name<T>());
      if constexpr (std::same_as<T, std::string>) {
        if (!member.empty()) opt->default_str(member);
      } else if constexpr (!spec::is_optional<T>::value) {
        const nlohmann::json shown = spec::JsonWriter::value(member);
        opt->default_str(shown.is_string() ? shown.template get<std::string>() : shown.dump());
      }
    }
    if (f.required) opt->required();
  }

 public:
  template <class E, class Names>
  void choice(const spec::Field& f, E& member, const Names& names_in) {
    const std::span<const spec::Choice<E>> names(names_in);
    if (!(f.faces & spec::kCli)) return;
    CLI::Option* opt = add_choice(f, names, {}, [&member, names](const std::string& s) {
      for (const auto& c : names) {
        if (c.name == s) member = c.value;
      }
    });
    if (!f.required) opt->default_str(std::string(spec::choice_name(names, member)));
  }
  template <class E, class Names>
  void choice(const spec::Field& f, std::optional<E>& member, const Names& names_in) {
    const std::span<const spec::Choice<E>> names(names_in);
    if (!(f.faces & spec::kCli)) return;
    add_choice(f, names, {}, [&member, names](const std::string& s) {
      for (const auto& c : names) {
        if (c.name == s) member = c.value;
      }
    });
  }
  // One name, a comma-separated list of names, or `all`.
  template <class E, class Names>
  void choice_list(const spec::Field& f, std::vector<E>& member, const Names& names_in,
                   std::string_view all = {}) {
    const std::span<const spec::Choice<E>> names(names_in);
    if (!(f.faces & spec::kCli)) return;
    std::string shown;
    for (const auto& e : member)
      shown += (shown.empty() ? "" : ",") + std::string(spec::choice_name(names, e));
    add_choice(f, names, all, [&member, names, all](const std::string& text) {
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
    })->default_str(shown);
  }
  template <class S>
  void flatten(S& part) {
    S::fields(*this, part);
  }

 private:
  template <class T>
  static const char* type_name() {
    if constexpr (spec::is_optional<T>::value || spec::is_nullable<T>::value) {
      return type_name<typename T::value_type>();
    } else if constexpr (std::same_as<T, Date>) {
      return "DATE";
    } else if constexpr (std::floating_point<T>) {
      return "NUMBER";
    } else if constexpr (spec::Integer<T>) {
      return "INT";
    } else {
      return "TEXT";
    }
  }

  static std::string help(const spec::Field& f) {
    std::string h(f.help);
    if (!f.unit.empty()) h += " [" + std::string(f.unit) + "]";
    const auto range = spec::range_text(f);
    if (!range.empty()) h += " (" + range + ")";
    return h;
  }

  template <class E, class Fn>
  CLI::Option* add_choice(const spec::Field& f, std::span<const spec::Choice<E>> names, std::string_view all,
                          Fn&& set) {
    const std::string flag = spec::cli_flag(f);
    const std::string opt_names = f.cli_short.empty() ? flag : flag + "," + std::string(f.cli_short);
    std::vector<std::string> allowed;
    for (const auto& c : names) allowed.emplace_back(c.name);
    if (!all.empty()) allowed.emplace_back(all);
    const bool list = !all.empty();
    auto* opt = cmd_->add_option_function<std::string>(opt_names, std::forward<Fn>(set),
                                                       help(f) + ": " + spec::choice_list_text(names, all));
    opt->type_name("CHOICE");
    opt->check(CLI::Validator(
        [allowed, list, f, names, all](std::string& text) -> std::string {
          std::size_t start = 0;
          while (start <= text.size()) {
            const auto end = list ? std::min(text.find(',', start), text.size()) : text.size();
            const std::string s = text.substr(start, end - start);
            if (std::find(allowed.begin(), allowed.end(), s) == allowed.end()) {
              return "expected " + spec::choice_list_text(names, all) + ", got '" + s + "'";
            }
            start = end + 1;
          }
          return {};
        },
        "", ""));
    if (f.required) opt->required();
    return opt;
  }

  // Text into a scalar or optional scalar, range-checked; CLI::ValidationError names the flag.
  template <class T>
  static void parse(const spec::Field& f, const std::string& flag, const std::string& text, T& out) {
    if constexpr (spec::is_optional<T>::value || spec::is_nullable<T>::value) {
      typename T::value_type x{};
      parse(f, flag, text, x);
      out = x;
    } else if constexpr (std::same_as<T, std::string>) {
      if (auto problem = spec::text_problem(f, text); !problem.empty()) throw CLI::ValidationError(flag, problem);
      out = text;
    } else if constexpr (std::same_as<T, Date>) {
      out = Date::parse_or_throw(text, flag);
    } else if constexpr (std::floating_point<T>) {
      double x = 0;
      const auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), x);
      if (ec != std::errc() || p != text.data() + text.size() || !std::isfinite(x)) {
        throw CLI::ValidationError(flag, "expected a number, got '" + text + "'");
      }
      if (auto problem = spec::range_problem(f, x, false); !problem.empty())
        throw CLI::ValidationError(flag, problem);
      out = static_cast<T>(x);
    } else if constexpr (spec::Integer<T>) {
      T x{};
      const auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), x);
      if (ec != std::errc() || p != text.data() + text.size()) {
        spec::Field bounds = f;
        bounds.min = std::max(f.min, static_cast<double>(std::numeric_limits<T>::min()));
        bounds.max = std::min(f.max, static_cast<double>(std::numeric_limits<T>::max()));
        throw CLI::ValidationError(
            flag, "expected an integer " + spec::range_text(bounds) + ", got '" + text + "'");
      }
      if (auto problem = spec::range_problem(f, static_cast<double>(x), true); !problem.empty()) {
        throw CLI::ValidationError(flag, problem);
      }
      out = x;
    } else {
      static_assert(sizeof(T) == 0, "no CLI parser for this field type");
    }
  }

  CLI::App* cmd_;
};

// Adds the CLI options of every CLI-facing field of `request` to `cmd`.
template <class R>
void spec_options(CLI::App* cmd, R& request) {
  CliBinder binder(cmd);
  R::fields(binder, request);
}

}  // namespace keel::cli
