// stored_option_rates (option_rates.h).
#include "option_rates.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <optional>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "keel/core/error.h"
#include "keel/portfolio/curve.h"
#include "keel/store/market_data_repository.h"
#include "keel/store/store.h"

namespace keel::service::detail {
namespace {

constexpr double kFlat = std::numeric_limits<double>::quiet_NaN();
// A curve this many days older than the as-of date is named in a warning.
constexpr int kStaleDays = 7;

std::string curve_label(const CurveData& c) {
  return fmt::format("stored curve {} ({})", c.name, c.as_of ? c.as_of->to_string() : std::string("undated"));
}

ZeroCurve zero_of(const CurveData& c) {
  try {
    return to_zero_curve(c);
  } catch (const Error& e) {
    throw Error::invalid_input(curve_label(c) + " cannot value options: " + e.what(), e.details());
  }
}

// The latest curve in `currency` dated on or before as_of (undated last), by name on a tie.
std::optional<CurveSummary> latest_in(const std::vector<CurveSummary>& curves, const std::string& currency,
                                      Date as_of) {
  std::optional<CurveSummary> best;
  auto later = [](const CurveSummary& a, const CurveSummary& b) {
    if (a.as_of.has_value() != b.as_of.has_value()) return a.as_of.has_value();
    if (a.as_of && *a.as_of != *b.as_of) return *a.as_of > *b.as_of;
    return a.name < b.name;
  };
  for (const CurveSummary& c : curves) {
    if (c.currency != currency || (c.as_of && *c.as_of > as_of)) continue;
    if (!best || later(c, *best)) best = c;
  }
  return best;
}

}  // namespace

std::optional<std::size_t> last_priced_row(const PriceHistory& h, std::size_t col) {
  for (std::size_t t = h.rows(); t-- > 0;) {
    if (!is_missing(h.at(t, col))) return t;
  }
  return std::nullopt;
}

OptionRates stored_option_inputs(const Context& cx, Book& book, const std::string& rate_curve, double flat_rate) {
  const std::string div_source = stored_dividend_yields(cx, book);
  OptionRates out = stored_option_rates(cx, book, rate_curve, flat_rate);
  out.div_source = div_source;
  return out;
}

std::string stored_dividend_yields(const Context& cx, Book& book) {
  if (cx.store == nullptr) return "flag";
  const Date from = book.as_of.add_days(-364);
  std::map<std::string, std::optional<double>> yield;  // by underlying
  std::vector<std::string> used;
  for (Position& p : book.positions) {
    if (!p.is_option() || p.dividend_yield) continue;
    const std::string& u = p.price_symbol();
    auto it = yield.find(u);
    if (it == yield.end()) {
      std::optional<double> q;
      const auto col = book.closes.find(u);
      double spot = 0.0;
      if (col) {
        if (const auto t = last_priced_row(book.closes, *col)) spot = book.closes.at(*t, *col);
      }
      if (spot > 0.0) {
        const std::vector<CorporateAction> actions = cx.store->market_data().actions(u, from, book.as_of);
        double paid = 0.0;
        bool any = false;
        for (std::size_t i = 0; i < actions.size(); ++i) {
          if (actions[i].kind != ActionKind::kDividend) continue;
          double amount = actions[i].cash_amount;
          for (std::size_t j = i + 1; j < actions.size(); ++j) {
            if (actions[j].kind == ActionKind::kSplit && actions[j].ex_date > actions[i].ex_date &&
                actions[j].split_ratio > 0.0) {
              amount /= actions[j].split_ratio;
            }
          }
          paid += amount;
          any = true;
        }
        if (any) q = std::log1p(paid / spot);
      }
      it = yield.emplace(u, q).first;
      if (q) used.push_back(u);
    }
    if (it->second) p.dividend_yield = *it->second;
  }
  if (used.empty()) return "flag";
  return fmt::format("stored dividends (12 months) of {}", fmt::join(used, ", "));
}

bool OptionRates::any_from_curve() const {
  return std::any_of(rate.begin(), rate.end(), [](double r) { return !std::isnan(r); });
}

OptionRates stored_option_rates(const Context& cx, const Book& book, const std::string& rate_curve, double flat_rate) {
  OptionRates out;
  out.source = "flag";
  const bool any_option = std::any_of(book.positions.begin(), book.positions.end(),
                                      [](const Position& p) { return p.is_option() && p.expiry; });
  if (rate_curve == "none" || !any_option) return out;
  const bool named = rate_curve != "auto" && !rate_curve.empty();
  if (cx.store == nullptr) {
    if (named) throw Error::usage("the stored curve \"" + rate_curve + "\" needs the store (--db)");
    return out;
  }
  // The curves each option currency uses, read once.
  std::map<std::string, std::optional<CurveData>> by_currency;
  std::optional<CurveData> the_named;
  std::vector<CurveSummary> summaries;
  if (named) {
    the_named = cx.store->curve(rate_curve, book.as_of);
    if (!the_named) {
      throw Error::not_found(fmt::format("no stored curve named \"{}\" on or before {}", rate_curve,
                                         book.as_of.to_string()));
    }
  } else {
    summaries = cx.store->list_curves();
  }
  std::map<std::string, ZeroCurve> zero;  // by curve label
  std::vector<std::string> used;
  std::vector<std::string> without;  // currencies of options valued at the flat rate
  out.rate.assign(book.positions.size(), kFlat);
  for (std::size_t i = 0; i < book.positions.size(); ++i) {
    const Position& p = book.positions[i];
    if (!p.is_option() || !p.expiry) continue;
    const std::optional<CurveData>* curve = &the_named;
    if (!named) {
      auto it = by_currency.find(p.currency);
      if (it == by_currency.end()) {
        std::optional<CurveData> c;
        if (const auto s = latest_in(summaries, p.currency, book.as_of)) c = cx.store->curve(s->name, s->as_of);
        it = by_currency.emplace(p.currency, std::move(c)).first;
      }
      curve = &it->second;
    }
    if (!curve->has_value()) {
      if (std::find(without.begin(), without.end(), p.currency) == without.end()) without.push_back(p.currency);
      continue;
    }
    const CurveData& c = **curve;
    const std::string label = curve_label(c);
    auto z = zero.find(label);
    if (z == zero.end()) {
      z = zero.emplace(label, zero_of(c)).first;
      used.push_back(label);
      if (c.as_of && book.as_of - *c.as_of > kStaleDays) {
        out.warnings.push_back(fmt::format("{}: {} days before the as-of date {}; option rates read off it",
                                           label, book.as_of - *c.as_of, book.as_of.to_string()));
      }
      if (named && c.currency != p.currency) {
        out.warnings.push_back(fmt::format("{} is in {}, the option {} in {}", label, c.currency, p.symbol, p.currency));
      }
    }
    out.rate[i] = z->second.zero(std::max(year_fraction_act365(book.as_of, *p.expiry), 0.0));
  }
  if (!without.empty()) {
    const std::string flat = fmt::format("flag {:.2f} % (no stored {} curve on or before {})", flat_rate * 100.0,
                                         fmt::join(without, ", "), book.as_of.to_string());
    out.warnings.push_back(fmt::format("options in {} valued at the flat rate {:.2f} %: no stored curve in that "
                                       "currency on or before {} (a stored curve gives each option the rate at its "
                                       "expiry)",
                                       fmt::join(without, ", "), flat_rate * 100.0, book.as_of.to_string()));
    out.source = used.empty() ? flat : fmt::format("{}; else {}", fmt::join(used, ", "), flat);
  } else {
    out.source = fmt::format("{}", fmt::join(used, ", "));
  }
  return out;
}

}  // namespace keel::service::detail
