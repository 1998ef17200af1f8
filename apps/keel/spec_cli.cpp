#include "spec_cli.h"

#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

namespace keel::cli {

namespace {

using Kind = spec::CliOption::Kind;

// A problem the option's reader returned, as the usage error that names the flag.
void throw_if(const std::string& flag, const std::string& problem) {
  if (!problem.empty()) throw CLI::ValidationError(flag, problem);
}

// Each name given is one of `o.choices` (each item of a comma-separated list when `o.list`).
CLI::Validator choice_check(const spec::CliOption& o) {
  return CLI::Validator(
      [allowed = o.choices, list = o.list, text_of = o.choices_text](std::string& text) -> std::string {
        std::size_t start = 0;
        while (start <= text.size()) {
          const auto end = list ? std::min(text.find(',', start), text.size()) : text.size();
          const std::string s = text.substr(start, end - start);
          if (std::find(allowed.begin(), allowed.end(), s) == allowed.end()) {
            return "expected " + text_of + ", got '" + s + "'";
          }
          start = end + 1;
        }
        return {};
      },
      "", "");
}

}  // namespace

void add_spec_option(CLI::App* cmd, spec::CliOption o) {
  const spec::Field& f = o.field;
  const std::string names = f.cli_short.empty() ? o.flag : o.flag + "," + std::string(f.cli_short);
  CLI::Option* opt = nullptr;
  switch (o.kind) {
    case Kind::kOnOff: {
      // --name sets true, --<cli_off> (or --no-name) false; neither leaves it empty.
      std::optional<bool>* member = o.on_off;
      opt = cmd->add_flag_function(names, [member](std::int64_t) { *member = true; }, o.help);
      CLI::Option* off = cmd->add_flag_function(o.off_flag, [member](std::int64_t) { *member = false; },
                                                "The opposite of " + spec::cli_flag(f));
      opt->excludes(off);
      break;
    }
    case Kind::kOptionalStrings: {
      // An optional list of strings: --name (repeated or comma-separated) sets it, --<cli_off> empties it.
      std::optional<std::vector<std::string>>* member = o.optional_strings;
      opt = cmd->add_option_function<std::vector<std::string>>(
                   names, [member](const std::vector<std::string>& v) { *member = v; }, o.help)
                ->delimiter(',');
      opt->type_name("TEXT");
      CLI::Option* off = cmd->add_flag_function(o.off_flag, [member](std::int64_t) { member->emplace(); },
                                                "An empty " + spec::cli_flag(f) + " list");
      opt->excludes(off);
      break;
    }
    case Kind::kFlag: {
      // A flag that is on by default is turned off with --no-<name>.
      const std::string off = "!--no-" + o.flag.substr(2);
      opt = cmd->add_flag(*o.flag_target ? names + "," + off : names, *o.flag_target, o.help);
      break;
    }
    case Kind::kStrings:
      opt = cmd->add_option(names, *o.strings, o.help)->delimiter(',');
      break;
    case Kind::kValues:
      opt = cmd->add_option_function<std::vector<std::string>>(
                   names,
                   [set = std::move(o.set_list), flag = o.flag](const std::vector<std::string>& texts) {
                     throw_if(flag, set(texts));
                   },
                   o.help)
                ->delimiter(',');
      opt->type_name(o.type_name);
      break;
    case Kind::kValue:
    case Kind::kChoice: {
      const bool choice = o.kind == Kind::kChoice;
      opt = cmd->add_option_function<std::string>(
          names, [set = o.set, flag = o.flag](const std::string& text) { throw_if(flag, set(text)); },
          choice ? o.help + ": " + o.choices_text : o.help);
      opt->type_name(o.type_name);
      if (choice) opt->check(choice_check(o));
      if (o.default_text) opt->default_str(*o.default_text);
      break;
    }
  }
  if (f.required) opt->required();
}

}  // namespace keel::cli
