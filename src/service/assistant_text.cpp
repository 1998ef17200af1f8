// Redaction, restoration and the figures check of the assistant (assistant_text.h).
#include "assistant_text.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include <fmt/format.h>

namespace keel::service::detail {
namespace {

bool word_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

bool amount_unit(const nlohmann::json& unit) {
  if (!unit.is_string()) return false;
  const auto& u = unit.get_ref<const std::string&>();
  if (u.find("per ") == 0 || u.find("per unit") != std::string::npos) return false;  // sensitivities
  return u.find("currency") != std::string::npos || u.find("money") != std::string::npos ||
         u.find("price") != std::string::npos || u.find("shares") != std::string::npos ||
         u.find("contracts") != std::string::npos;
}

bool symbol_key(const std::string& key) {
  return key == "symbol" || key == "underlying" || key == "asset";
}

// A number written in text: [start, end) of the token, its value, decimals, and how it looks.
struct NumberToken {
  std::size_t start = 0;  // first digit
  std::size_t end = 0;    // past the last digit (before any %)
  double value = 0.0;
  int decimals = 0;
  bool grouped = false;
  bool percent = false;
  bool date = false;      // part of YYYY-MM-DD
  bool suffixed = false;  // followed by a letter (10x, 5y): not a plain figure
};

// The number starting at i (a digit not preceded by a word character or a '.'), or nullopt.
std::optional<NumberToken> number_at(std::string_view t, std::size_t i) {
  if (i >= t.size() || !std::isdigit(static_cast<unsigned char>(t[i]))) return std::nullopt;
  if (i > 0 && (word_char(t[i - 1]) || t[i - 1] == '.')) return std::nullopt;
  NumberToken n;
  n.start = i;
  std::string digits;
  std::size_t j = i;
  while (j < t.size() && std::isdigit(static_cast<unsigned char>(t[j]))) digits += t[j++];
  // Thousands separators: ",ddd" groups (only after 1-3 leading digits).
  if (digits.size() <= 3) {
    while (j + 3 < t.size() && t[j] == ',' && std::isdigit(static_cast<unsigned char>(t[j + 1])) &&
           std::isdigit(static_cast<unsigned char>(t[j + 2])) &&
           std::isdigit(static_cast<unsigned char>(t[j + 3])) &&
           (j + 4 >= t.size() || !std::isdigit(static_cast<unsigned char>(t[j + 4])))) {
      digits += t.substr(j + 1, 3);
      j += 4;
      n.grouped = true;
    }
  }
  if (j + 1 < t.size() && t[j] == '.' && std::isdigit(static_cast<unsigned char>(t[j + 1]))) {
    digits += '.';
    ++j;
    while (j < t.size() && std::isdigit(static_cast<unsigned char>(t[j]))) {
      digits += t[j++];
      ++n.decimals;
    }
  }
  n.end = j;
  n.value = std::strtod(digits.c_str(), nullptr);
  // A date: 4 digits, '-', 2 digits, '-', 2 digits (either end of it).
  if (n.decimals == 0 && !n.grouped) {
    const bool starts_date = digits.size() == 4 && j + 2 < t.size() && t[j] == '-' &&
                             std::isdigit(static_cast<unsigned char>(t[j + 1])) &&
                             std::isdigit(static_cast<unsigned char>(t[j + 2]));
    const bool inside_date = i > 1 && t[i - 1] == '-' && std::isdigit(static_cast<unsigned char>(t[i - 2]));
    n.date = starts_date || inside_date;
  }
  if (j < t.size() && t[j] == '%')
    n.percent = true;
  else if (j < t.size() && word_char(t[j]))
    n.suffixed = true;
  return n;
}

// Whether a number written in free text looks like an amount (see the file comment of the header).
bool amount_like(const NumberToken& n) {
  if (n.percent || n.date || n.suffixed) return false;
  if (n.decimals > 0 || n.grouped) return true;
  if (n.value >= 1900 && n.value <= 2100 && n.end - n.start == 4) return false;
  return n.value >= 100;
}

std::string placeholder_number(const std::string& ph) {
  const auto us = ph.find('_');
  return us == std::string::npos ? "" : ph.substr(us + 1);
}

// Placeholders in text: SYM_n / AMT_n, not inside a longer word.
template <class Fn>
std::string replace_placeholders(std::string_view text, Fn&& lookup) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const bool boundary = i == 0 || !word_char(text[i - 1]);
    if (boundary && i + 4 <= text.size() && (text.substr(i, 4) == "SYM_" || text.substr(i, 4) == "AMT_")) {
      std::size_t j = i + 4;
      while (j < text.size() && std::isdigit(static_cast<unsigned char>(text[j]))) ++j;
      if (j > i + 4 && (j == text.size() || !word_char(text[j]))) {
        const std::string ph(text.substr(i, j - i));
        if (auto r = lookup(ph)) {
          out += *r;
          i = j;
          continue;
        }
      }
    }
    out += text[i++];
  }
  return out;
}

void numeric_leaves(const nlohmann::json& v, const std::string& path,
                    std::vector<std::pair<double, std::string>>& out) {
  if (v.is_number()) {
    const double d = v.get<double>();
    if (std::isfinite(d)) out.emplace_back(d, path);
  } else if (v.is_string()) {
    const auto& s = v.get_ref<const std::string&>();
    if (!s.empty() && s.size() < 40) {
      char* end = nullptr;
      const double d = std::strtod(s.c_str(), &end);
      if (end && *end == '\0' && std::isfinite(d) &&
          (std::isdigit(static_cast<unsigned char>(s[0])) || s[0] == '-')) {
        out.emplace_back(d, path);
      }
    }
  } else if (v.is_array()) {
    for (std::size_t i = 0; i < v.size(); ++i) numeric_leaves(v[i], fmt::format("{}/{}", path, i), out);
  } else if (v.is_object()) {
    for (const auto& [k, e] : v.items()) {
      std::string key;
      for (char c : k) key += c == '~' ? std::string("~0") : c == '/' ? std::string("~1") : std::string(1, c);
      numeric_leaves(e, path + "/" + key, out);
    }
  }
}

bool matches(const NumberToken& f, double v) {
  const double tol = 0.5 * std::pow(10.0, -f.decimals) * (1 + 1e-9) + 1e-12 * std::fabs(f.value);
  const double a = std::fabs(v);
  if (std::fabs(a - f.value) <= tol) return true;
  if (f.percent && std::fabs(a * 100.0 - f.value) <= tol) return true;
  return false;
}

}  // namespace

std::string amount_text(double v) {
  const bool whole = std::fabs(v - std::round(v)) < 1e-9 && std::fabs(v) < 1e15;
  char buf[64];
  std::snprintf(buf, sizeof buf, whole ? "%.0f" : "%.2f", std::fabs(v));
  std::string digits(buf);
  const auto dot = digits.find('.');
  std::string intpart = digits.substr(0, dot);
  std::string frac = dot == std::string::npos ? "" : digits.substr(dot);
  std::string grouped;
  for (std::size_t i = 0; i < intpart.size(); ++i) {
    if (i > 0 && (intpart.size() - i) % 3 == 0) grouped += ',';
    grouped += intpart[i];
  }
  return (v < 0 && (grouped != "0" || frac.find_first_not_of(".0") != std::string::npos) ? "-" : "") +
         grouped + frac;
}

void Redactor::load(const nlohmann::json& map) {
  if (!map.is_object()) return;
  for (const auto& [ph, v] : map.items()) {
    const int n = std::atoi(placeholder_number(ph).c_str());
    if (ph.rfind("SYM_", 0) == 0 && v.is_string()) {
      symbol_of_[ph] = v.get<std::string>();
      symbols_[v.get<std::string>()] = ph;
      next_symbol_ = std::max(next_symbol_, n + 1);
    } else if (ph.rfind("AMT_", 0) == 0) {
      amount_of_[ph] = v;
      amounts_[v.dump()] = ph;
      next_amount_ = std::max(next_amount_, n + 1);
    }
  }
}

nlohmann::json Redactor::map() const {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [ph, s] : symbol_of_) out[ph] = s;
  for (const auto& [ph, v] : amount_of_) out[ph] = v;
  return out;
}

void Redactor::learn_symbol(const std::string& symbol) {
  if (!enabled_ || symbol.empty() || symbol.size() > 64) return;
  symbol_placeholder(symbol);
}

void Redactor::learn_amount(double value) {
  if (!enabled_ || !std::isfinite(value)) return;
  amount_placeholder(nlohmann::json(value));
}

void Redactor::learn_symbols_in(const nlohmann::json& value) {
  if (!enabled_) return;
  if (value.is_object()) {
    for (const auto& [k, v] : value.items()) {
      if (symbol_key(k) && v.is_string())
        learn_symbol(v.get<std::string>());
      else
        learn_symbols_in(v);
    }
  } else if (value.is_array()) {
    for (const auto& v : value) learn_symbols_in(v);
  }
}

std::string Redactor::symbol_placeholder(const std::string& symbol) {
  auto it = symbols_.find(symbol);
  if (it != symbols_.end()) return it->second;
  const std::string ph = fmt::format("SYM_{}", next_symbol_++);
  symbols_[symbol] = ph;
  symbol_of_[ph] = symbol;
  return ph;
}

std::string Redactor::amount_placeholder(const nlohmann::json& value) {
  const std::string key = value.dump();
  auto it = amounts_.find(key);
  if (it != amounts_.end()) return it->second;
  const std::string ph = fmt::format("AMT_{}", next_amount_++);
  amounts_[key] = ph;
  amount_of_[ph] = value;
  return ph;
}

std::string Redactor::replace_symbols(std::string_view text) {
  if (symbols_.empty() && !is_symbol_) return std::string(text);
  // Known symbols, longest first, as whole words.
  std::vector<const std::string*> order;
  for (const auto& [s, ph] : symbols_) order.push_back(&s);
  std::sort(order.begin(), order.end(), [](auto* a, auto* b) { return a->size() > b->size(); });
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const bool boundary = i == 0 || !word_char(text[i - 1]);
    bool done = false;
    if (boundary) {
      for (const auto* s : order) {
        if (text.compare(i, s->size(), *s) == 0 &&
            (i + s->size() == text.size() || !word_char(text[i + s->size()]))) {
          out += symbols_.at(*s);
          i += s->size();
          done = true;
          break;
        }
      }
      // An upper-case word the face knows as a symbol (a ticker in a question).
      if (!done && is_symbol_ && std::isupper(static_cast<unsigned char>(text[i]))) {
        std::size_t j = i;
        while (j < text.size() && (std::isupper(static_cast<unsigned char>(text[j])) ||
                                   std::isdigit(static_cast<unsigned char>(text[j])) || text[j] == '.')) {
          ++j;
        }
        while (j > i && text[j - 1] == '.') --j;
        if (j - i >= 1 && j - i <= 21 && (j == text.size() || !word_char(text[j]))) {
          const std::string word(text.substr(i, j - i));
          if (is_symbol_(word)) {
            out += symbol_placeholder(word);
            i = j;
            done = true;
          }
        }
      }
    }
    if (!done) out += text[i++];
  }
  return out;
}

std::string Redactor::redact_text(std::string_view text) {
  if (!enabled_) return std::string(text);
  const std::string symbols_done = replace_symbols(text);
  std::string out;
  std::size_t i = 0;
  const std::string_view t = symbols_done;
  while (i < t.size()) {
    if (auto n = number_at(t, i)) {
      const bool known = !n->percent && amounts_.count(nlohmann::json(n->value).dump()) > 0;
      if (known || amount_like(*n)) {
        out += amount_placeholder(nlohmann::json(n->value));
      } else {
        out.append(t.substr(n->start, n->end - n->start));
      }
      i = n->end;
      continue;
    }
    // Skip the rest of a word so that digits inside it (SYM_12, ff5) are left alone.
    if (word_char(t[i])) {
      while (i < t.size() && word_char(t[i])) out += t[i++];
      continue;
    }
    out += t[i++];
  }
  return out;
}

nlohmann::json Redactor::redact_output(const nlohmann::json& value, const nlohmann::json& units) {
  if (!enabled_) return value;
  if (value.is_object()) {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [k, v] : value.items()) {
      const nlohmann::json u = units.is_object() && units.contains(k) ? units.at(k) : nlohmann::json(nullptr);
      if (symbol_key(k) && v.is_string() && !v.get_ref<const std::string&>().empty()) {
        out[k] = symbol_placeholder(v.get<std::string>());
      } else {
        out[k] = redact_output(v, u);
      }
    }
    return out;
  }
  if (value.is_array()) {
    nlohmann::json out = nlohmann::json::array();
    for (std::size_t i = 0; i < value.size(); ++i) {
      const nlohmann::json u = units.is_array() && i < units.size() ? units[i]
                               : units.is_string()                  ? units
                                                                    : nlohmann::json(nullptr);
      out.push_back(redact_output(value[i], u));
    }
    return out;
  }
  if (value.is_number() && amount_unit(units)) return amount_placeholder(value);
  if (value.is_string()) {
    const auto& s = value.get_ref<const std::string&>();
    if (amount_unit(units) && !s.empty()) {
      char* end = nullptr;
      std::strtod(s.c_str(), &end);
      if (end && *end == '\0') return amount_placeholder(value);
    }
    return redact_text(s);
  }
  return value;
}

nlohmann::json Redactor::restore_arguments(const nlohmann::json& args) const {
  if (!enabled_) return args;
  if (args.is_object()) {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [k, v] : args.items()) out[k] = restore_arguments(v);
    return out;
  }
  if (args.is_array()) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& v : args) out.push_back(restore_arguments(v));
    return out;
  }
  if (args.is_string()) {
    const auto& s = args.get_ref<const std::string&>();
    if (auto a = amount_of_.find(s); a != amount_of_.end()) return a->second;
    if (auto y = symbol_of_.find(s); y != symbol_of_.end()) return y->second;
    return restore_text(s);
  }
  return args;
}

std::string Redactor::restore_text(std::string_view text) const {
  if (!enabled_) return std::string(text);
  return replace_placeholders(text, [&](const std::string& ph) -> std::optional<std::string> {
    if (auto y = symbol_of_.find(ph); y != symbol_of_.end()) return y->second;
    if (auto a = amount_of_.find(ph); a != amount_of_.end()) {
      const auto& v = a->second;
      if (v.is_number()) return amount_text(v.get<double>());
      if (v.is_string()) {
        char* end = nullptr;
        const double d = std::strtod(v.get_ref<const std::string&>().c_str(), &end);
        if (end && *end == '\0') return amount_text(d);
        return v.get<std::string>();
      }
    }
    return std::nullopt;
  });
}

std::string StreamRestorer::push(std::string_view delta) {
  held_.append(delta);
  // Hold back a tail that could still become a placeholder: "S", "SY", "SYM", "SYM_", "SYM_12", ...
  std::size_t keep = 0;
  for (std::size_t k = 1; k <= std::min<std::size_t>(held_.size(), 16); ++k) {
    const std::string_view tail = std::string_view(held_).substr(held_.size() - k);
    const std::size_t at = held_.size() - k;
    if (at > 0 && word_char(held_[at - 1])) continue;
    bool prefix = false;
    for (std::string_view p : {std::string_view("SYM_"), std::string_view("AMT_")}) {
      if (tail.size() <= p.size()) {
        prefix = prefix || p.substr(0, tail.size()) == tail;
      } else if (tail.substr(0, 4) == p) {
        prefix = prefix || std::all_of(tail.begin() + 4, tail.end(),
                                       [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
      }
    }
    if (prefix) keep = k;
  }
  const std::string ready = held_.substr(0, held_.size() - keep);
  held_.erase(0, held_.size() - keep);
  return r_.restore_text(ready);
}

std::string StreamRestorer::flush() {
  std::string out = r_.restore_text(held_);
  held_.clear();
  return out;
}

FigureCheck check_figures(std::string_view answer, const std::vector<CallRecord>& calls) {
  FigureCheck out;
  std::vector<std::vector<std::pair<double, std::string>>> leaves(calls.size());
  for (std::size_t c = 0; c < calls.size(); ++c) {
    numeric_leaves(calls[c].output, "", leaves[c]);
    std::vector<std::pair<double, std::string>> args;
    numeric_leaves(calls[c].arguments, "/arguments", args);
    leaves[c].insert(leaves[c].end(), args.begin(), args.end());
  }
  std::size_t i = 0;
  while (i < answer.size()) {
    auto n = number_at(answer, i);
    if (!n) {
      if (word_char(answer[i])) {
        while (i < answer.size() && word_char(answer[i])) ++i;
      } else {
        ++i;
      }
      continue;
    }
    i = n->end;
    if (n->date || n->suffixed) continue;
    const std::string figure(answer.substr(n->start, n->end - n->start + (n->percent ? 1 : 0)));
    // The calls named after the figure: the first [T..] group before the sentence ends.
    std::vector<std::string> named;
    for (std::size_t j = n->end; j < answer.size(); ++j) {
      const char c = answer[j];
      if (c == '\n' || ((c == '.' || c == ';') &&
                        (j + 1 == answer.size() || answer[j + 1] == ' ' || answer[j + 1] == '\n')))
        break;
      if (c == '[' && j + 1 < answer.size() && answer[j + 1] == 'T') {
        const auto close = answer.find(']', j);
        if (close == std::string_view::npos) break;
        const std::string_view group = answer.substr(j + 1, close - j - 1);
        std::size_t k = 0;
        while (k < group.size()) {
          if (group[k] == 'T') {
            std::size_t e = k + 1;
            while (e < group.size() && std::isdigit(static_cast<unsigned char>(group[e]))) ++e;
            if (e > k + 1) named.emplace_back(group.substr(k, e - k));
            k = e;
          } else {
            ++k;
          }
        }
        break;
      }
      // A figure that follows before any marker belongs to its own marker.
      if (std::isdigit(static_cast<unsigned char>(c)) && j > n->end && !word_char(answer[j - 1]) &&
          answer[j - 1] != '.' && answer[j - 1] != ',') {
        break;
      }
    }
    auto find_in = [&](std::size_t c) -> const std::string* {
      for (const auto& [v, path] : leaves[c]) {
        if (matches(*n, v)) return &path;
      }
      return nullptr;
    };
    bool found = false;
    for (const auto& name : named) {
      for (std::size_t c = 0; c < calls.size() && !found; ++c) {
        if (calls[c].call != name) continue;
        if (const auto* path = find_in(c)) {
          out.citations.push_back({figure, n->value, calls[c].call, calls[c].tool, *path, true});
          found = true;
        }
      }
      if (found) break;
    }
    for (std::size_t c = 0; c < calls.size() && !found; ++c) {
      if (const auto* path = find_in(c)) {
        out.citations.push_back({figure, n->value, calls[c].call, calls[c].tool, *path, false});
        found = true;
      }
    }
    if (found) continue;
    const bool prose = !n->percent && n->decimals == 0 && !n->grouped &&
                       (n->value < 100 || (n->value >= 1900 && n->value <= 2100 && n->end - n->start == 4));
    if (prose) continue;
    std::string reason = "no tool output of this conversation holds it";
    if (!named.empty()) reason = "not in " + named.front() + " nor in any other tool output";
    out.unverified.push_back({figure, reason});
  }
  return out;
}

}  // namespace keel::service::detail
