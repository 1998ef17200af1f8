#include "keel/portfolio/fx.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <set>

#include "keel/core/error.h"

namespace keel {
namespace {

// Pivots tried first, in this order, before the other currencies alphabetically.
constexpr std::string_view kPreferredPivots[] = {"USD", "EUR"};

// Rows with more problems than this are summarised ("and N more").
constexpr std::size_t kMaxListed = 20;

}  // namespace

bool is_currency_code(std::string_view code) {
  return code.size() == 3 && std::all_of(code.begin(), code.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

void FxRows::add(Date d, std::string b, std::string q, double r) {
  date.push_back(d);
  base.push_back(std::move(b));
  quote.push_back(std::move(q));
  rate.push_back(r);
}

std::string FxRoute::describe(const FxRates& rates) const {
  if (legs.empty()) return fmt::format("{}/{}", from, to);
  if (!via.empty()) return fmt::format("{}→{} via {}", from, to, via);
  const auto& p = rates.pairs()[legs[0].pair];
  if (legs[0].inverted) return fmt::format("{}/{} (inverse of {}/{})", from, to, p.base, p.quote);
  return fmt::format("{}/{}", p.base, p.quote);
}

FxRates::FxRates(const FxRows& rows) {
  std::vector<std::string> problems;
  std::size_t hidden = 0;
  auto problem = [&](std::size_t row, std::string what) {
    if (problems.size() < kMaxListed) {
      problems.push_back(fmt::format("rate {} ({} {}/{}): {}", row + 1, rows.date[row].to_string(), rows.base[row],
                                     rows.quote[row], what));
    } else {
      ++hidden;
    }
  };
  // Row order per pair, then sorted by date.
  std::map<std::pair<std::string, std::string>, std::vector<std::size_t>> by_pair;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const double r = rows.rate[i];
    if (!is_currency_code(rows.base[i])) {
      problem(i, fmt::format("base \"{}\" is not a three-letter currency code", rows.base[i]));
    } else if (!is_currency_code(rows.quote[i])) {
      problem(i, fmt::format("quote \"{}\" is not a three-letter currency code", rows.quote[i]));
    } else if (rows.base[i] == rows.quote[i]) {
      problem(i, "base and quote are the same currency");
    } else if (!std::isfinite(r) || r <= 0.0) {
      problem(i, fmt::format("rate {} is not a positive finite number", r));
    } else {
      by_pair[{rows.base[i], rows.quote[i]}].push_back(i);
    }
  }
  for (auto& [key, idx] : by_pair) {
    std::stable_sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) { return rows.date[a] < rows.date[b]; });
    Pair p{key.first, key.second, {}, {}};
    p.dates.reserve(idx.size());
    p.rates.reserve(idx.size());
    for (const std::size_t i : idx) {
      if (!p.dates.empty() && p.dates.back() == rows.date[i]) {
        problem(i, "a second rate for this pair and date");
        continue;
      }
      p.dates.push_back(rows.date[i]);
      p.rates.push_back(rows.rate[i]);
    }
    index_.emplace(key, pairs_.size());
    pairs_.push_back(std::move(p));
  }
  // A pair given both ways must agree on the dates both give.
  for (std::size_t a = 0; a < pairs_.size(); ++a) {
    const auto inv = find_pair(pairs_[a].quote, pairs_[a].base);
    if (!inv || *inv < a) continue;
    const Pair& p = pairs_[a];
    const Pair& q = pairs_[*inv];
    for (std::size_t i = 0, j = 0; i < p.dates.size() && j < q.dates.size();) {
      if (p.dates[i] < q.dates[j]) {
        ++i;
      } else if (q.dates[j] < p.dates[i]) {
        ++j;
      } else {
        const double product = p.rates[i] * q.rates[j];
        if (std::abs(product - 1.0) > 1e-9) {
          if (problems.size() < kMaxListed) {
            problems.push_back(fmt::format("{}: {}/{} {} and {}/{} {} are not each other's inverse",
                                           p.dates[i].to_string(), p.base, p.quote, p.rates[i], q.base, q.quote,
                                           q.rates[j]));
          } else {
            ++hidden;
          }
        }
        ++i;
        ++j;
      }
    }
  }
  if (!problems.empty()) {
    if (hidden) problems.push_back(fmt::format("and {} more", hidden));
    throw Error::invalid_input(fmt::format("{} bad FX rate(s)", problems.size() + hidden - (hidden ? 1 : 0)),
                               std::move(problems));
  }
}

std::size_t FxRates::rate_count() const {
  return std::accumulate(pairs_.begin(), pairs_.end(), std::size_t{0},
                         [](std::size_t n, const Pair& p) { return n + p.dates.size(); });
}

std::vector<std::string> FxRates::currencies() const {
  std::set<std::string> out;
  for (const auto& p : pairs_) {
    out.insert(p.base);
    out.insert(p.quote);
  }
  return {out.begin(), out.end()};
}

std::optional<std::size_t> FxRates::find_pair(std::string_view base, std::string_view quote) const {
  const auto it = index_.find(std::pair<std::string, std::string>(base, quote));
  if (it == index_.end()) return std::nullopt;
  return it->second;
}

std::optional<FxRoute> FxRates::route(std::string_view from, std::string_view to) const {
  FxRoute r{std::string(from), std::string(to), {}, {}};
  if (from == to) return r;
  auto leg = [&](std::string_view a, std::string_view b) -> std::optional<FxRoute::Leg> {
    if (const auto p = find_pair(a, b)) return FxRoute::Leg{*p, false};
    if (const auto p = find_pair(b, a)) return FxRoute::Leg{*p, true};
    return std::nullopt;
  };
  if (const auto direct = leg(from, to)) {
    r.legs.push_back(*direct);
    return r;
  }
  std::vector<std::string> pivots(std::begin(kPreferredPivots), std::end(kPreferredPivots));
  for (const auto& c : currencies()) {
    if (std::find(pivots.begin(), pivots.end(), c) == pivots.end()) pivots.push_back(c);
  }
  for (const auto& pivot : pivots) {
    if (pivot == from || pivot == to) continue;
    const auto first = leg(from, pivot);
    const auto second = leg(pivot, to);
    if (first && second) {
      r.via = pivot;
      r.legs = {*first, *second};
      return r;
    }
  }
  return std::nullopt;
}

std::optional<std::pair<double, Date>> FxRates::pair_rate(std::size_t pair, Date date) const {
  const Pair& p = pairs_[pair];
  const auto it = std::upper_bound(p.dates.begin(), p.dates.end(), date);
  if (it == p.dates.begin()) return std::nullopt;
  const auto i = static_cast<std::size_t>(it - p.dates.begin()) - 1;
  if (date - p.dates[i] > kFxMaxStaleDays) return std::nullopt;
  return std::pair{p.rates[i], p.dates[i]};
}

std::optional<FxQuote> FxRates::quote(const FxRoute& route, Date date) const {
  FxQuote q{1.0, date, date, route.via};
  for (const auto& leg : route.legs) {
    const auto r = pair_rate(leg.pair, date);
    if (!r) return std::nullopt;
    q.rate = leg.inverted ? q.rate / r->first : q.rate * r->first;
    q.rate_date = std::min(q.rate_date, r->second);
  }
  return q;
}

std::optional<FxQuote> FxRates::find(std::string_view from, std::string_view to, Date date) const {
  const auto r = route(from, to);
  if (!r) return std::nullopt;
  return quote(*r, date);
}

void FxRates::missing(const FxRoute& route, Date date) const {
  // Name the leg that lacks the rate and the latest rate it has before the date.
  for (const auto& leg : route.legs) {
    if (pair_rate(leg.pair, date)) continue;
    const Pair& p = pairs_[leg.pair];
    const auto it = std::upper_bound(p.dates.begin(), p.dates.end(), date);
    const std::string latest =
        it == p.dates.begin() ? std::string("none") : fmt::format("latest: {}", std::prev(it)->to_string());
    const std::string leg_note =
        route.legs.size() > 1 ? fmt::format(" (a leg of {})", route.describe(*this)) : std::string();
    throw Error::invalid_input(fmt::format("no FX rate for {}/{}{} on or up to {} days before {} ({})", p.base,
                                           p.quote, leg_note, kFxMaxStaleDays, date.to_string(), latest));
  }
  throw Error::internal(fmt::format("FX route {} has every rate on {}", route.describe(*this), date.to_string()));
}

FxQuote FxRates::rate(std::string_view from, std::string_view to, Date date) const {
  const auto r = route(from, to);
  if (!r) {
    throw Error::invalid_input(fmt::format("no FX rate for {}/{} on {}: neither the pair, its inverse nor a cross "
                                           "through one currency is in the FX rates{}",
                                           from, to, date.to_string(),
                                           pairs_.empty() ? " (none are stored; see keel import fx)" : ""));
  }
  if (auto q = quote(*r, date)) return *q;
  missing(*r, date);
}

std::vector<double> FxRates::series(const FxRoute& route, std::span<const Date> dates) const {
  std::vector<double> out(dates.size(), 1.0);
  for (std::size_t t = 0; t < dates.size(); ++t) {
    const auto q = quote(route, dates[t]);
    if (!q) missing(route, dates[t]);
    out[t] = q->rate;
  }
  return out;
}

}  // namespace keel
