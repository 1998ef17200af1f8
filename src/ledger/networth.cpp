// Net worth history: changes and growth per step and per calendar period (keel/ledger/networth.h).
#include "keel/ledger/networth.h"

#include <cmath>

#include "keel/core/error.h"
#include "keel/ledger/performance.h"

namespace keel::ledger {
namespace {

NetWorthChange change_between(const NetWorthPoint& a, const NetWorthPoint& b, std::string period) {
  NetWorthChange c;
  c.period = std::move(period);
  c.start = a.date;
  c.end = b.date;
  c.start_value = a.net_worth;
  c.end_value = b.net_worth;
  c.change = b.net_worth - a.net_worth;
  // Analytics ratio in binary floating point (the amounts themselves stay exact).
  if (a.net_worth.is_positive()) c.growth = b.net_worth.to_double() / a.net_worth.to_double() - 1.0;
  return c;
}

std::vector<NetWorthChange> by_period(std::span<const NetWorthPoint> p, char kind) {
  std::vector<NetWorthChange> out;
  std::size_t start = 0;  // the point the current period starts from
  for (std::size_t t = 1; t < p.size(); ++t) {
    const std::string key = period_key(p[t].date, kind);
    if (out.empty() || out.back().period != key) {
      start = t - 1;  // the last point before the period
      out.push_back(change_between(p[start], p[t], key));
    } else {
      out.back() = change_between(p[start], p[t], key);
    }
  }
  return out;
}

}  // namespace

NetWorthHistory net_worth_history(std::span<const NetWorthPoint> points) {
  for (std::size_t t = 1; t < points.size(); ++t) {
    if (!(points[t - 1].date < points[t].date)) {
      throw Error::invalid_input("net worth history: dates must be strictly increasing (" +
                                 points[t - 1].date.to_string() + " then " + points[t].date.to_string() + ")");
    }
  }
  NetWorthHistory h;
  if (points.empty()) return h;
  for (std::size_t t = 1; t < points.size(); ++t) h.steps.push_back(change_between(points[t - 1], points[t], ""));
  h.monthly = by_period(points, 'm');
  h.quarterly = by_period(points, 'q');
  h.annual = by_period(points, 'y');
  h.total = change_between(points.front(), points.back(), "");
  const int days = points.back().date - points.front().date;
  if (h.total->growth && days > 0 && *h.total->growth > -1.0) {
    h.annualized_growth = std::pow(1.0 + *h.total->growth, 365.0 / days) - 1.0;
  }
  return h;
}

}  // namespace keel::ledger
