#include "keel/service/fx.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <tuple>

#include "keel/core/error.h"
#include "keel/store/fx_repository.h"
#include "keel/store/store.h"

namespace keel::service {
namespace {

// The tolerance of FxRates for a pair given both ways on one date (docs/fx.md).
constexpr double kInverseTolerance = 1e-9;

std::string pair_name(std::string_view base, std::string_view quote) {
  return fmt::format("{}/{}", base, quote);
}

}  // namespace

void check_stored_inverses(Store& store, const FxRows& rows, const std::string& file) {
  std::set<std::string> currencies;
  Date first = rows.date.front(), last = rows.date.front();
  std::map<std::tuple<std::string, std::string, Date>, double> given;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    currencies.insert(rows.base[i]);
    first = std::min(first, rows.date[i]);
    last = std::max(last, rows.date[i]);
    given[{rows.base[i], rows.quote[i], rows.date[i]}] = rows.rate[i];
  }
  const FxRows stored =
      store.fx().rows(std::vector<std::string>(currencies.begin(), currencies.end()), first, last);
  std::vector<std::string> problems;
  for (std::size_t i = 0; i < stored.size() && problems.size() < 20; ++i) {
    const auto it = given.find({stored.quote[i], stored.base[i], stored.date[i]});
    if (it == given.end()) continue;
    if (std::abs(it->second * stored.rate[i] - 1.0) > kInverseTolerance) {
      problems.push_back(fmt::format("{} on {}: {} in the file, but the store holds {} {} (so {} {})",
                                     pair_name(stored.quote[i], stored.base[i]), stored.date[i].to_string(),
                                     it->second, pair_name(stored.base[i], stored.quote[i]), stored.rate[i],
                                     pair_name(stored.quote[i], stored.base[i]), 1.0 / stored.rate[i]));
    }
  }
  if (!problems.empty()) {
    throw Error::invalid_input(
        fmt::format("cannot import FX rates from {}: a pair stored both ways must agree on each date", file),
        problems);
  }
}

FxImportResult import_fx(const Context& cx, const ImportFxRequest& request) {
  authorize(cx, kFxImport, "fx");
  Store& store = require_store(cx, "imports are stored");
  io::FxColumnNames names;
  if (!request.columns.empty()) io::apply_fx_column_spec(request.columns, names);
  FxImportResult r;
  r.kind = "fx";
  r.file = request.input.name;
  const FxRows rows = read_fx_file(request.input, names, &r.warnings, cx.env.files);
  if (rows.size() == 0) {
    throw Error::invalid_input(fmt::format("cannot import FX rates from {}: the file has no rates", request.input.name));
  }
  // The table's own rules (a pair given both ways in the file must agree), before anything is written.
  const FxRates table(rows);
  store.transaction([&] {
    check_stored_inverses(store, rows, request.input.name);
    const store::FxUpsertStats s = store.fx().upsert(rows);
    r.inserted = s.inserted;
    r.updated = s.updated;
  });
  r.rows = rows.size();
  r.pairs = table.pairs().size();
  const auto [lo, hi] = std::minmax_element(rows.date.begin(), rows.date.end());
  r.first_date = lo->to_string();
  r.last_date = hi->to_string();
  audit(cx, kFxImport, "fx", {{"rows", r.rows}, {"pairs", r.pairs}, {"first_date", r.first_date},
                              {"last_date", r.last_date}});
  return r;
}

FxPairsResult fx_pairs(const Context& cx) {
  Store& store = require_store(cx, "FX rates are stored");
  FxPairsResult out;
  for (const auto& p : store.fx().pairs()) {
    out.items.push_back({pair_name(p.base, p.quote), p.base, p.quote, p.first.to_string(), p.last.to_string(),
                         p.rates});
  }
  return out;
}

FxRates stored_fx(const Context& cx, const std::vector<std::string>& currencies, std::optional<Date> from,
                  std::optional<Date> to) {
  Store& store = require_store(cx, "FX rates are stored");
  return FxRates(store.fx().rows(currencies, from, to));
}

std::vector<UnconvertedCurrency> unconverted_currencies(const Context& cx, const std::vector<Position>& positions,
                                                        const std::string& to, std::optional<Date> date) {
  std::set<std::string> currencies;
  for (const auto& p : positions) {
    if (!p.currency.empty() && p.currency != to) currencies.insert(p.currency);
  }
  std::vector<UnconvertedCurrency> out;
  for (const auto& c : currencies) {
    FxRateRequest r;
    r.from = c;
    r.to = to;
    r.date = date;
    try {
      fx_rate(cx, r);
    } catch (const Error& e) {
      out.push_back({c, e.what()});
    }
  }
  return out;
}

FxRateResult fx_rate(const Context& cx, const FxRateRequest& request) {
  Store& store = require_store(cx, "FX rates are stored");
  for (const std::string* code : {&request.from, &request.to}) {
    if (!is_currency_code(*code)) {
      throw Error::invalid_input(
          fmt::format("\"{}\" is not a three-letter currency code such as USD", shown_with(*code, 40, 0)));
    }
  }
  std::optional<Date> date = request.date;
  if (!date) {
    for (const auto& p : store.fx().pairs()) {
      const bool touches = p.base == request.from || p.quote == request.from || p.base == request.to ||
                           p.quote == request.to;
      if (touches && (!date || p.last > *date)) date = p.last;
    }
    if (!date) {
      throw Error::invalid_input(fmt::format("no FX rates stored for {} or {}: import FX rates (keel import fx FILE)",
                                             request.from, request.to));
    }
  }
  // Every rate up to the date, not only the last kFxMaxStaleDays: a missing rate's message names
  // the pair's latest rate.
  const FxRates rates = stored_fx(cx, {request.from, request.to}, std::nullopt, *date);
  const FxQuote q = rates.rate(request.from, request.to, *date);
  FxRateResult r;
  r.from = request.from;
  r.to = request.to;
  r.date = date->to_string();
  r.rate = q.rate;
  r.rate_date = q.rate_date.to_string();
  const auto route = rates.route(request.from, request.to);
  r.route = route ? route->describe(rates) : pair_name(request.from, request.to);
  r.via = q.via;
  return r;
}

}  // namespace keel::service
