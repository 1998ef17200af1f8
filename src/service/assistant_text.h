// src/service/assistant_text.h (private): the assistant's work on text — redaction of what is sent
// to a provider and its restoration in what comes back, and the check of an answer's figures
// against the tool outputs.
//
// Redaction replaces every symbol by SYM_n and every amount by AMT_n (one placeholder per distinct
// value, numbered in order of appearance, kept for the conversation):
//   - in tool outputs, a number is an amount when its field's unit (spec_units.h) names money, a
//     price or a quantity ("portfolio currency", "account currency", "price units", "shares",
//     "contracts", "currency"); a string at a field named symbol / underlying / asset is a symbol,
//     and so is every known symbol found in any other string (whole words);
//   - in the user's text and in error messages, a known symbol, a word the face confirms is a symbol
//     (is_symbol: the store holds prices or a position for it), and a number that looks like an
//     amount: one already known (a quantity of the portfolio named, a figure a tool returned), or one
//     with a decimal point or thousands separators, or an integer of 100 or more that is not a year
//     (1900-2100); percentages and small counts stay.
// Restoration puts the originals back: in tool arguments (a string that is a placeholder becomes
// the original value, a number for an amount) and in answer text (an amount written with
// thousands separators, two decimals unless whole).
//
// Thread-safety: each object is used by one thread.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "keel/service/assistant_ask.h"

namespace keel::service::detail {

class Redactor {
 public:
  explicit Redactor(bool enabled) : enabled_(enabled) {}
  bool enabled() const { return enabled_; }

  // The placeholders of an earlier turn of the conversation ({"SYM_1": "AAPL", "AMT_1": 123.4}).
  void load(const nlohmann::json& map);
  nlohmann::json map() const;

  void learn_symbol(const std::string& symbol);
  // An amount known before any tool ran (a position's quantity): written in free text, it is
  // replaced even when it would not look like one (2000 shares is not the year 2000).
  void learn_amount(double value);
  // Symbols found at symbol / underlying / asset fields of `value`.
  void learn_symbols_in(const nlohmann::json& value);
  void set_symbol_test(std::function<bool(const std::string&)> is_symbol) {
    is_symbol_ = std::move(is_symbol);
  }

  // A tool output for the provider (redacted when enabled; unchanged otherwise).
  nlohmann::json redact_output(const nlohmann::json& value, const nlohmann::json& units);
  // Free text (a question, an error message) for the provider.
  std::string redact_text(std::string_view text);
  // Tool arguments from the provider, placeholders replaced by the originals.
  nlohmann::json restore_arguments(const nlohmann::json& args) const;
  // Answer text from the provider, placeholders replaced by the originals.
  std::string restore_text(std::string_view text) const;

 private:
  std::string symbol_placeholder(const std::string& symbol);
  std::string amount_placeholder(const nlohmann::json& value);
  std::string replace_symbols(std::string_view text);

  bool enabled_;
  std::map<std::string, std::string> symbol_of_;     // placeholder -> symbol
  std::map<std::string, std::string> symbols_;       // symbol -> placeholder
  std::map<std::string, nlohmann::json> amount_of_;  // placeholder -> value
  std::map<std::string, std::string> amounts_;       // value's text -> placeholder
  int next_symbol_ = 1;
  int next_amount_ = 1;
  std::function<bool(const std::string&)> is_symbol_;
};

// Restores placeholders in streamed text, holding back a trailing piece that may be the start of
// one ("SYM_1" split as "SY" + "M_1").
class StreamRestorer {
 public:
  explicit StreamRestorer(const Redactor& r) : r_(r) {}
  // The restored text that can be shown now.
  std::string push(std::string_view delta);
  std::string flush();

 private:
  const Redactor& r_;
  std::string held_;
};

// An amount as restored text: thousands separators, two decimals unless whole.
std::string amount_text(double v);

// A tool call of the conversation, for the figures check.
struct CallRecord {
  std::string call;  // T1
  std::string tool;
  nlohmann::json arguments;
  nlohmann::json output;  // null unless ok
};

struct FigureCheck {
  std::vector<Citation> citations;
  std::vector<UnverifiedFigure> unverified;
};

// Every number of `answer` (a figure: not part of a word, a date or a [Tn] marker) looked up in the
// calls' outputs and arguments: first the calls the answer names after it ("[T1]", "[T1, T2]"
// before the sentence ends), then every call. A figure matches a value when the value rounded to
// the figure's decimals is the figure (in absolute value: "a loss of 1,234" matches -1234.2), or,
// for a percentage, when 100 x the value rounds to it. Small whole numbers (under 100, without a
// percent sign) that no call holds are counts and ordinals of the prose, not reported.
FigureCheck check_figures(std::string_view answer, const std::vector<CallRecord>& calls);

}  // namespace keel::service::detail
