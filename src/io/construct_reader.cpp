// Views and group bounds files of portfolio construction (keel/io/construct_reader.h).
#include "keel/io/construct_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>

#include "keel/io/csv.h"
#include "keel/io/json_input.h"
#include "keel/io/readers.h"
#include "keel/core/parse.h"
#include "keel/core/strings.h"

namespace keel::io {
namespace {

bool symbol_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '/' || c == '^' || c == '=' ||
         c == ':';
}

void skip_spaces(std::string_view s, std::size_t& i) {
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
}

bool in_universe(const std::vector<std::string>& universe, const std::string& s) {
  return std::find(universe.begin(), universe.end(), s) != universe.end();
}

std::string list_of(const std::vector<std::string>& universe) {
  std::string out;
  for (std::size_t i = 0; i < universe.size() && i < 12; ++i) out += (i ? ", " : "") + universe[i];
  if (universe.size() > 12) out += fmt::format(", ... ({} in all)", universe.size());
  return out;
}

// The checks every view gets, CSV or JSON; `report(column_or_key, message)`.
template <class Report>
void check_view(ViewRow& v, const std::vector<std::string>& universe, Report report) {
  for (const auto& [sym, w] : v.terms)
    if (!in_universe(universe, sym))
      report(0, fmt::format("unknown symbol {}: a view names the book's symbols ({})", shown(sym, 32),
                            list_of(universe)));
  if (!std::isfinite(v.annual_return) || std::abs(v.annual_return) > 10.0)
    report(1, fmt::format("must be an annual decimal within [-10, 10] (0.10 = 10%), got {}", v.annual_return));
  if (!(v.confidence >= 0.0 && v.confidence <= 1.0))
    report(2, fmt::format("must lie in [0, 1] (1: the view holds exactly, 0: no effect), got {}", v.confidence));
}

std::vector<ViewRow> parse_views_json(std::string_view text, const std::string& name,
                                      const std::vector<std::string>& universe, Diagnostics& diags) {
  if (auto d = check_json_text(text, name)) {
    diags.error(*d);
    return {};
  }
  const nlohmann::json doc = nlohmann::json::parse(text);
  const nlohmann::json* rows = &doc;
  std::string prefix;
  if (doc.is_object() && doc.contains("views")) {
    rows = &doc["views"];
    prefix = "views";
  }
  if (!rows->is_array()) {
    diags.error({name, 0, 0, prefix, "must be an array of {\"view\", \"return\", \"confidence\"}"});
    return {};
  }
  std::vector<ViewRow> out;
  static constexpr const char* kKeys[] = {"view", "return", "confidence"};
  for (std::size_t k = 0; k < rows->size(); ++k) {
    const nlohmann::json& j = (*rows)[k];
    const std::string path = fmt::format("{}[{}]", prefix, k);
    if (!j.is_object()) {
      diags.error({name, 0, 0, path, "must be an object {\"view\", \"return\", \"confidence\"}"});
      continue;
    }
    const std::size_t before = diags.error_count();
    for (auto it = j.begin(); it != j.end(); ++it)
      if (std::find_if(std::begin(kKeys), std::end(kKeys), [&](const char* s) { return it.key() == s; }) ==
          std::end(kKeys))
        diags.error({name, 0, 0, path + "." + shown_with(it.key(), 32, '\0'), "unknown field (view, return, confidence)"});
    ViewRow v;
    const auto view = j.find("view");
    if (view == j.end() || !view->is_string()) {
      diags.error({name, 0, 0, path + ".view", "is required: a string such as \"AAPL\" or \"AAPL - MSFT\""});
    } else {
      v.expression = std::string(trim(view->get<std::string>()));
      std::string err;
      std::size_t at = 0;
      if (auto terms = parse_view_expression(v.expression, err, at)) v.terms = std::move(*terms);
      else diags.error({name, 0, 0, path + ".view", fmt::format("{} (at character {})", err, at + 1)});
    }
    for (const char* key : {"return", "confidence"}) {
      const auto it = j.find(key);
      if (it == j.end() || !it->is_number()) {
        diags.error({name, 0, 0, path + "." + key, "is required: a number"});
        continue;
      }
      (std::string_view(key) == "return" ? v.annual_return : v.confidence) = it->get<double>();
    }
    if (diags.error_count() != before) continue;
    check_view(v, universe, [&](int which, std::string msg) {
      diags.error({name, 0, 0, path + "." + kKeys[which], std::move(msg)});
    });
    if (diags.error_count() == before) out.push_back(std::move(v));
  }
  if (diags.has_errors()) return {};
  return out;
}

}  // namespace

std::optional<std::vector<std::pair<std::string, double>>> parse_view_expression(std::string_view s,
                                                                                  std::string& error,
                                                                                  std::size_t& offset) {
  struct Term {
    std::string symbol;
    int sign;
    std::optional<double> coefficient;
  };
  std::vector<Term> terms;
  std::size_t i = 0;
  skip_spaces(s, i);
  int sign = 1;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
    sign = s[i] == '-' ? -1 : 1;
    ++i;
  }
  for (;;) {
    skip_spaces(s, i);
    Term t{{}, sign, std::nullopt};
    // A coefficient: a number followed by a space or '*' before the symbol.
    if (i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == '.')) {
      std::size_t j = i;
      while (j < s.size() && (std::isdigit(static_cast<unsigned char>(s[j])) || s[j] == '.' || s[j] == 'e' ||
                              s[j] == 'E'))
        ++j;
      std::size_t k = j;
      skip_spaces(s, k);
      if (k < s.size() && s[k] == '*') ++k;
      skip_spaces(s, k);
      if (k > j && k < s.size() && symbol_char(s[k])) {
        double c = 0.0;
        const auto [p, ec] = std::from_chars(s.data() + i, s.data() + j, c);
        if (ec != std::errc() || p != s.data() + j || !std::isfinite(c) || c <= 0.0 || c > 1e6) {
          error = "a coefficient must be a positive number";
          offset = i;
          return std::nullopt;
        }
        t.coefficient = c;
        i = k;
      }
    }
    const std::size_t start = i;
    while (i < s.size() && symbol_char(s[i])) ++i;
    if (i == start) {
      error = i < s.size() ? fmt::format("expected a symbol, got {}", shown(s.substr(i, 1), 8))
                           : std::string("expected a symbol at the end");
      offset = i;
      return std::nullopt;
    }
    t.symbol = std::string(s.substr(start, i - start));
    for (const Term& o : terms)
      if (o.symbol == t.symbol) {
        error = fmt::format("{} appears twice", t.symbol);
        offset = start;
        return std::nullopt;
      }
    terms.push_back(std::move(t));
    skip_spaces(s, i);
    if (i == s.size()) break;
    if (s[i] != '+' && s[i] != '-') {
      error = fmt::format("expected + or - between symbols, got {}", shown(s.substr(i, 1), 8));
      offset = i;
      return std::nullopt;
    }
    sign = s[i] == '-' ? -1 : 1;
    ++i;
  }
  if (terms.size() > 1000) {
    error = "a view names at most 1000 symbols";
    offset = 0;
    return std::nullopt;
  }
  // Plain names share their side's unit weight: +1 over the long names, -1 over the short ones.
  std::size_t plain_long = 0, plain_short = 0;
  for (const Term& t : terms)
    if (!t.coefficient) (t.sign > 0 ? plain_long : plain_short) += 1;
  std::vector<std::pair<std::string, double>> out;
  for (const Term& t : terms) {
    const double c = t.coefficient ? *t.coefficient : 1.0 / double(t.sign > 0 ? plain_long : plain_short);
    out.emplace_back(t.symbol, t.sign * c);
  }
  return out;
}

std::vector<ViewRow> parse_views(std::string_view text, const std::string& name,
                                 const std::vector<std::string>& universe, Diagnostics& diags) {
  const std::size_t first = text.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && (text[first] == '[' || text[first] == '{'))
    return parse_views_json(text, name, universe, diags);
  std::vector<ViewRow> out;
  CsvReader csv = CsvReader::from_text(name, std::string(text), diags);
  const CsvColumns cols(csv, {"view", "return", "confidence"}, {}, diags);
  if (diags.has_errors()) return {};
  const int cv = cols.index("view"), cr = cols.index("return"), cc = cols.index("confidence");
  const CsvCells cells(csv, diags);
  CsvRecord rec;
  while (csv.next(rec)) {
    const std::size_t before = diags.error_count();
    ViewRow v;
    v.expression = std::string(cells.text(rec, cv));
    if (v.expression.empty()) {
      cells.error(rec, cv, "is required: a view such as AAPL or AAPL - MSFT");
    } else {
      std::string err;
      std::size_t at = 0;
      if (auto terms = parse_view_expression(v.expression, err, at)) v.terms = std::move(*terms);
      else cells.error(rec, cv, fmt::format("{} (at character {})", err, at + 1));
    }
    const auto r = cells.number(rec, cr, true);
    const auto c = cells.number(rec, cc, true);
    if (diags.error_count() != before) continue;
    v.annual_return = *r;
    v.confidence = *c;
    const int columns[] = {cv, cr, cc};
    check_view(v, universe, [&](int which, std::string msg) { cells.error(rec, columns[which], std::move(msg)); });
    if (diags.error_count() == before) out.push_back(std::move(v));
  }
  if (diags.has_errors()) return {};
  return out;
}

std::vector<GroupBoundRow> parse_group_bounds(std::string_view text, const std::string& name, Diagnostics& diags) {
  std::vector<GroupBoundRow> out;
  CsvReader csv = CsvReader::from_text(name, std::string(text), diags);
  const CsvColumns cols(csv, {"kind", "name"}, {"lower", "upper"}, diags);
  if (diags.has_errors()) return {};
  const int ck = cols.index("kind"), cn = cols.index("name"), cl = cols.index("lower"), cu = cols.index("upper");
  const CsvCells cells(csv, diags);
  CsvRecord rec;
  while (csv.next(rec)) {
    const std::size_t before = diags.error_count();
    GroupBoundRow g;
    g.line = rec.line;
    g.kind = to_lower(std::string(cells.text(rec, ck)));
    if (g.kind != "sector" && g.kind != "tag" && g.kind != "currency" && g.kind != "symbols")
      cells.error(rec, ck, fmt::format("must be sector, tag, currency or symbols, got {}", shown(g.kind, 32)));
    g.name = std::string(cells.text(rec, cn));
    if (g.name.empty()) cells.error(rec, cn, "is required");
    g.lower = cells.number(rec, cl, false);
    g.upper = cells.number(rec, cu, false);
    if (diags.error_count() != before) continue;
    if (!g.lower && !g.upper) cells.error(rec, -1, "gives neither lower nor upper");
    for (const auto& [v, col] : {std::pair{g.lower, cl}, std::pair{g.upper, cu}})
      if (v && (!std::isfinite(*v) || std::abs(*v) > 10.0))
        cells.error(rec, col, fmt::format("must be a fraction of the portfolio within [-10, 10], got {}", *v));
    if (g.lower && g.upper && *g.lower > *g.upper)
      cells.error(rec, cu, fmt::format("upper {} is below lower {}", *g.upper, *g.lower));
    if (diags.error_count() == before) out.push_back(std::move(g));
  }
  if (diags.has_errors()) return {};
  return out;
}

std::map<std::string, double> parse_symbol_weights(std::string_view text, const std::string& name,
                                                   Diagnostics& diags) {
  std::map<std::string, double> out;
  std::map<std::string, std::size_t> line_of;
  CsvReader csv = CsvReader::from_text(name, std::string(text), diags);
  const CsvColumns cols(csv, {"symbol", "weight"}, {}, diags);
  if (diags.has_errors()) return {};
  const int cs = cols.index("symbol"), cw = cols.index("weight");
  const CsvCells cells(csv, diags);
  CsvRecord rec;
  while (csv.next(rec)) {
    const std::string symbol(cells.text(rec, cs));
    if (const auto problem = symbol_problem(symbol)) {
      cells.error(rec, cs, *problem);
      continue;
    }
    const auto weight = cells.number(rec, cw, true);
    if (!weight) continue;
    if (!std::isfinite(*weight) || std::abs(*weight) > 10.0) {
      cells.error(rec, cw, fmt::format("must be a fraction of the portfolio within [-10, 10], got {}", *weight));
      continue;
    }
    if (const auto [it, fresh] = line_of.emplace(symbol, rec.line); !fresh) {
      cells.error(rec, cs, fmt::format("{} is given twice (line {} too)", symbol, it->second));
      continue;
    }
    out[symbol] = *weight;
  }
  if (diags.has_errors()) return {};
  return out;
}

}  // namespace keel::io
