// Fuzz target: the inputs of portfolio construction read from files (keel/io/construct_reader.h):
// views (CSV or JSON, and the view expressions), group bounds. What a reader accepts must satisfy
// its documented rules: every view names known symbols with finite coefficients, a return within
// [-10, 10] and a confidence in [0, 1] (0: the view is left out); every group bound has a kind, a name and a bound.
#include <algorithm>
#include <cmath>

#include "fuzz_common.h"
#include "keel/io/construct_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text = keel::fuzz::text(data, size);
  const std::vector<std::string> universe{"AAPL", "MSFT", "KO", "BRK.B"};
  keel::fuzz::run([&] {
    keel::Diagnostics diags;
    const auto views = keel::io::parse_views(text, "views.csv", universe, diags);
    keel::fuzz::check(diags);
    for (const auto& v : views) {
      if (v.terms.empty() || !(v.confidence >= 0.0 && v.confidence <= 1.0) || !(std::abs(v.annual_return) <= 10.0)) {
        std::fprintf(stderr, "accepted a view outside its rules: %s\n", keel::io::shown(v.expression).c_str());
        std::abort();
      }
      for (const auto& [sym, w] : v.terms) {
        if (!std::isfinite(w) || w == 0.0 || std::find(universe.begin(), universe.end(), sym) == universe.end()) {
          std::fprintf(stderr, "accepted a bad term: %s\n", keel::io::shown(sym).c_str());
          std::abort();
        }
      }
    }
  });
  keel::fuzz::run([&] {
    keel::Diagnostics diags;
    const auto groups = keel::io::parse_group_bounds(text, "groups.csv", diags);
    keel::fuzz::check(diags);
    for (const auto& g : groups) {
      if (g.name.empty() || (!g.lower && !g.upper) || (g.lower && g.upper && *g.lower > *g.upper)) {
        std::fprintf(stderr, "accepted a bad group bound: %s\n", keel::io::shown(g.name).c_str());
        std::abort();
      }
    }
  });
  std::string error;
  std::size_t offset = 0;
  if (const auto terms = keel::io::parse_view_expression(text, error, offset)) {
    for (const auto& [sym, w] : *terms) keel::fuzz::check_message(keel::io::shown(sym));
  } else {
    keel::fuzz::check_message(error);
    if (offset > text.size()) {
      std::fprintf(stderr, "error offset %zu past the end (%zu)\n", offset, text.size());
      std::abort();
    }
  }
  return 0;
}
