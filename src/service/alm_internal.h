// Private: how the ALM use cases read their CSV inputs — an inline text (HTTP) or a file through
// the Env (CLI) — shared by the runs (alm_runs.cpp) and the shock tables (alm_shocks.cpp).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "keel/core/diagnostics.h"
#include "keel/io/csv.h"
#include "keel/portfolio/market_data.h"
#include "keel/service/alm_runs.h"
#include "keel/service/context.h"

namespace keel::service::detail {

// A CSV read from an inline text (named `name`) or from a file through the Env.
struct CsvSource {
  std::string name;
  std::optional<std::string> text;
  std::optional<std::string> path;
};

// Reads `src` with `fn(csv, diags)`; throws invalid_input naming every problem, and appends the
// warnings to `warnings` when given.
template <class F>
auto read_input(const Context& cx, const CsvSource& src, const std::string& what, F&& fn,
                std::vector<std::string>* warnings) {
  Diagnostics diags;
  io::CsvReader csv = src.text ? io::CsvReader::from_text(src.name, *src.text, diags)
                               : io::CsvReader::open(cx.env.files.open(*src.path, what), diags);
  auto result = fn(csv, diags);
  diags.throw_if_errors(what + " " + (src.text ? src.name : *src.path) + " has problems");
  if (warnings) {
    for (const auto& w : diags.warnings()) warnings->push_back(w.to_string());
  }
  return result;
}

// The inline text (HTTP) or the file (CLI) of an input, or nothing.
std::optional<CsvSource> source_of(const std::optional<std::string>& text, const std::optional<std::string>& file,
                                   const std::string& name);

// One currency's curve, read from its text, file or the store, with `currency` set and its points
// sorted by tenor. Throws usage (nothing to read, a stored curve without the store), not_found,
// invalid_input.
CurveData load_curve(const Context& cx, const AlmCurveInput& in, const std::string& currency,
                     std::vector<std::string>* warnings);

// Throws what a missing session throws (not_found) when the actor's tenant has a session `name`
// the actor may not see (keel/service/alm_sessions.h: owner, shared, administrator).
void require_visible_alm_session(const Context& cx, const std::string& name);

}  // namespace keel::service::detail
