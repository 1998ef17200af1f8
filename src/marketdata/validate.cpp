// Validation of fetched bars and adjusted closes (keel/marketdata/validate.h).

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>

#include "keel/core/calendar.h"
#include "keel/core/error.h"
#include "keel/marketdata/validate.h"

namespace keel::marketdata {
namespace {

double median(std::vector<double> v) {
  if (v.empty()) return 0.0;
  const std::size_t n = v.size() / 2;
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(n), v.end());
  if (v.size() % 2) return v[n];
  const double hi = v[n];
  return (*std::max_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(n)) + hi) / 2.0;
}

std::string num(double x) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6g", x);
  return buf;
}

// Product over the actions with ex-date in (prev, cur] of what they do to the adjustment factor
// between the two bars: (1 - D / prev_close) per dividend, 1 / R per split on raw closes.
double step_factor(std::span<const CorporateAction> actions, Date prev, Date cur, double prev_close, bool split_adjusted,
                   const CorporateAction** split_seen = nullptr) {
  double f = 1.0;
  for (const auto& a : actions) {
    if (a.ex_date <= prev || a.ex_date > cur) continue;
    if (a.kind == ActionKind::kDividend) {
      if (prev_close > 0) f *= 1.0 - a.cash_amount / prev_close;
    } else {
      if (split_seen) *split_seen = &a;
      if (!split_adjusted && a.split_ratio > 0) f /= a.split_ratio;
    }
  }
  return f;
}

}  // namespace

std::vector<Date> exchange_business_days(Date from, Date to, const std::string& calendar) {
  std::vector<Date> out;
  if (calendar == "none") return out;
  if (calendar != "NYSE" && calendar != "NASDAQ") {
    throw Error::usage("unknown exchange calendar \"" + calendar + "\" (expected NYSE, NASDAQ or none)");
  }
  const BusinessCalendar& cal = *BusinessCalendar::find("NYSE");
  for (Date d = from; d <= to; d = Date::from_serial(d.serial() + 1)) {
    if (cal.is_business_day(d)) out.push_back(d);
  }
  return out;
}

std::vector<double> adjusted_closes(std::span<const Date> dates, std::span<const double> close,
                                    std::span<const CorporateAction> actions, bool close_split_adjusted) {
  std::vector<double> adj(close.size(), kMissing);
  double factor = 1.0;
  for (std::size_t k = close.size(); k-- > 0;) {
    adj[k] = close[k] * factor;
    if (k > 0) factor *= step_factor(actions, dates[k - 1], dates[k], close[k - 1], close_split_adjusted);
  }
  return adj;
}

ValidationReport validate_series(const PriceSeries& s, std::span<const CorporateAction> actions,
                                 const ValidationOptions& o) {
  ValidationReport rep;
  auto error = [&](std::size_t i, const std::string& kind, const std::string& msg) {
    rep.errors.push_back({s.symbol, s.date[i].to_string(), kind, msg});
  };
  for (std::size_t i = 0; i < s.size(); ++i) {
    const double op = s.open[i], hi = s.high[i], lo = s.low[i], cl = s.close[i];
    bool ok = true;
    for (const auto& [v, name] : {std::pair{op, "open"}, {hi, "high"}, {lo, "low"}, {cl, "close"}}) {
      if (!std::isnan(v) && !(v > 0)) {
        error(i, "price", std::string(name) + " " + num(v) + ": expected a positive price");
        ok = false;
      }
    }
    if (std::isnan(cl)) {
      error(i, "price", "no close");
      ok = false;
    }
    if (ok && !std::isnan(hi)) {
      const double top = std::isnan(op) ? cl : std::max(op, cl);
      if (hi < top) error(i, "ohlc", "high " + num(hi) + " is below max(open, close) " + num(top));
      if (!std::isnan(lo) && lo > hi) error(i, "ohlc", "low " + num(lo) + " is above high " + num(hi));
    }
    if (ok && !std::isnan(lo)) {
      const double bottom = std::isnan(op) ? cl : std::min(op, cl);
      if (lo > bottom) error(i, "ohlc", "low " + num(lo) + " is above min(open, close) " + num(bottom));
    }
    if (!std::isnan(s.volume[i]) && s.volume[i] < 0) error(i, "volume", "volume " + num(s.volume[i]) + ": expected >= 0");
    if (i > 0 && s.date[i] == s.date[i - 1]) error(i, "duplicate", "the date appears twice in the response");
  }
  if (s.size() == 0) return rep;

  // Gaps: business days between the first and the last bar without a bar.
  std::size_t j = 0;
  for (const Date d : exchange_business_days(s.date.front(), s.date.back(), o.calendar)) {
    while (j < s.size() && s.date[j] < d) ++j;
    if (j == s.size() || s.date[j] != d) {
      rep.flags.push_back({s.symbol, d.to_string(), "gap", "no bar on an exchange business day (" + o.calendar + ")"});
    }
  }

  // Jumps: robust z-score of close-to-close log returns.
  std::vector<double> r;
  for (std::size_t i = 1; i < s.size(); ++i) {
    r.push_back(s.close[i] > 0 && s.close[i - 1] > 0 ? std::log(s.close[i] / s.close[i - 1]) : 0.0);
  }
  if (r.size() >= 2) {
    const double m = median(r);
    std::vector<double> dev;
    for (double x : r) dev.push_back(std::fabs(x - m));
    const double sigma = 1.4826 * median(dev);
    auto is_jump = [&](double x) { return std::fabs(x) > o.jump_min_log && std::fabs(x - m) > o.jump_mads * sigma; };
    for (std::size_t i = 1; i < s.size(); ++i) {
      const CorporateAction* split = nullptr;
      step_factor(actions, s.date[i - 1], s.date[i], s.close[i - 1], s.close_split_adjusted, &split);
      const double x = r[i - 1];
      if (!is_jump(x)) continue;
      if (split && !s.close_split_adjusted && !is_jump(x + std::log(split->split_ratio))) {
        ++rep.splits_explaining_jumps;
        continue;
      }
      rep.flags.push_back({s.symbol, s.date[i].to_string(), "jump",
                           "close moved " + num(100.0 * (std::exp(x) - 1.0)) + "% (log " + num(x) + ", robust threshold " +
                               num(std::max(o.jump_min_log, o.jump_mads * sigma)) + ")" +
                               (split ? " and the split on record does not explain it" : " with no split on record")});
    }
  }

  // The provider's adjusted close against the actions.
  if (s.has_adj_close) {
    for (std::size_t i = 1; i < s.size(); ++i) {
      const double a0 = s.adj_close[i - 1], a1 = s.adj_close[i], c0 = s.close[i - 1], c1 = s.close[i];
      if (std::isnan(a0) || std::isnan(a1) || !(c0 > 0) || !(c1 > 0) || !(a1 > 0)) continue;
      const double observed = (a0 / c0) / (a1 / c1);
      const double expected = step_factor(actions, s.date[i - 1], s.date[i], c0, s.close_split_adjusted);
      if (std::fabs(observed / expected - 1.0) > o.adj_tolerance) {
        rep.flags.push_back({s.symbol, s.date[i].to_string(), "adjustment",
                             "adjusted close implies a factor of " + num(observed) + " from the previous bar, the stored "
                             "actions imply " + num(expected)});
      }
    }
  }
  return rep;
}

}  // namespace keel::marketdata

namespace keel::marketdata {

std::string normalise_asset_type(const std::string& code) {
  std::string c;
  for (char ch : code) c += static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  if (c.empty()) return "";
  if (c == "EQUITY" || c == "CS" || c == "PFD" || c == "OS") return "equity";
  if (c == "ETF" || c == "ETN" || c == "ETV" || c == "ETS") return "etf";
  if (c == "MUTUALFUND" || c == "FUND" || c == "MONEYMARKET") return "fund";
  if (c == "ADRC" || c == "ADRP" || c == "ADRR" || c == "ADRW") return "adr";
  if (c == "INDEX") return "index";
  if (c == "CRYPTOCURRENCY") return "crypto";
  if (c == "CURRENCY") return "currency";
  if (c == "FUTURE") return "future";
  if (c == "OPTION") return "option";
  return "other";
}

std::vector<std::string> validate_profile(const SymbolInfo& info, const std::string& requested) {
  std::vector<std::string> out;
  auto upper = [](std::string s) {
    for (auto& ch : s) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    return s;
  };
  if (upper(info.symbol) != upper(requested)) {
    out.push_back("symbol: expected \"" + requested + "\", the response is about \"" + info.symbol + "\"");
  }
  if (info.name.empty()) out.push_back("name: expected the security's name, got none");
  if (!info.currency.empty()) {
    const bool iso = info.currency.size() == 3 &&
                     std::all_of(info.currency.begin(), info.currency.end(), [](char ch) { return ch >= 'A' && ch <= 'Z'; });
    if (!iso) out.push_back("currency: expected a 3-letter ISO 4217 code, got \"" + info.currency + "\"");
  }
  if (info.market_cap && !(std::isfinite(*info.market_cap) && *info.market_cap >= 0)) {
    out.push_back("market_cap: expected a finite number >= 0, got " + num(*info.market_cap));
  }
  static const char* kinds[] = {"equity", "etf", "fund", "adr", "index", "crypto", "currency", "future", "option", "other"};
  if (!info.asset_type.empty() && std::find(std::begin(kinds), std::end(kinds), info.asset_type) == std::end(kinds)) {
    out.push_back("asset_type: \"" + info.asset_type + "\" is not a known kind");
  }
  return out;
}

}  // namespace keel::marketdata
