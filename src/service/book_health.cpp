// Health checks of a book (keel/service/book_health.h).
#include "keel/service/book_health.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <utility>

#include <fmt/format.h>

#include "keel/core/error.h"
#include "option_rates.h"

namespace keel::service {
namespace {

constexpr const char* kWeight = "fraction of gross";
constexpr const char* kCount = "positions";
constexpr std::size_t kListed = 20;

// Amounts by key, largest first.
std::vector<std::pair<std::string, double>> ranked(const std::map<std::string, double>& by) {
  std::vector<std::pair<std::string, double>> out(by.begin(), by.end());
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  return out;
}

std::vector<std::string> keys_of(const std::vector<std::pair<std::string, double>>& ranked_amounts,
                                 std::size_t at_most = kListed) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < ranked_amounts.size() && i < at_most; ++i) out.push_back(ranked_amounts[i].first);
  return out;
}

// A weight check: `amount` of `gross` against `limit` (warn above it); na when nothing is weighed.
HealthCheck weight_check(std::string id, double amount, double gross, double limit, std::string subject,
                         std::vector<std::string> positions) {
  HealthCheck c;
  c.id = std::move(id);
  c.limit = limit;
  c.unit = kWeight;
  c.subject = std::move(subject);
  c.positions = std::move(positions);
  if (!(gross > 0.0)) {
    c.status = "na";
    return c;
  }
  const double w = amount / gross;
  c.figure.emplace(w);
  c.status = w > limit + 1e-12 ? "warn" : "ok";
  return c;
}

void check_limits(const BookHealthRequest& r) {
  std::vector<std::string> problems;
  const auto weight = [&](const char* name, double x) {
    if (!(x >= 0.0 && x <= 1.0)) problems.push_back(fmt::format("{}: expected a fraction from 0 to 1, got {}", name, x));
  };
  weight("max_position_weight", r.max_position_weight);
  weight("max_top_five_weight", r.max_top_five_weight);
  weight("max_sector_weight", r.max_sector_weight);
  weight("max_unclassified_weight", r.max_unclassified_weight);
  weight("max_foreign_weight", r.max_foreign_weight);
  weight("max_cash_weight", r.max_cash_weight);
  if (r.stale_days < 0) problems.push_back("stale_days: expected 0 or more days");
  if (r.expiry_days < 0) problems.push_back("expiry_days: expected 0 or more days");
  if (!problems.empty()) throw Error::invalid_input("invalid health request", problems);
}

}  // namespace

BookHealthResult book_health(const Context& cx, const BookHealthRequest& request) {
  check_limits(request);
  const PricedBook priced = price_book(cx, request.book);
  const Book& book = priced.book;
  const auto& report = priced.report;

  BookHealthResult out;
  out.header = valuation_header(priced);
  out.currency = book.currency;
  out.stale_days = request.stale_days;
  out.expiry_days = request.expiry_days;

  // |MV| by symbol (an option counts under its underlying: it is exposure to the same issuer),
  // sector, currency; cash; stale closes; expiring options; failures.
  std::map<std::string, double> by_symbol, by_sector, foreign, cash, stale, unclassified;
  std::map<std::string, std::string> sector_of;  // a symbol's sector (its first position's)
  std::vector<std::pair<std::string, double>> expiring;  // symbol, days to expiry
  std::vector<std::string> unvalued;
  double gross = 0.0;
  for (std::size_t i = 0; i < book.positions.size(); ++i) {
    const Position& p = book.positions[i];
    const auto& e = report.positions[i];
    if (!e.error.empty()) {
      unvalued.push_back(p.symbol);
      continue;
    }
    const double mv = std::abs(e.market_value);
    if (!std::isfinite(mv)) continue;
    gross += mv;
    if (p.type == InstrumentType::kCash) {
      cash[p.symbol] += mv;
      if (p.currency != book.currency) foreign[p.currency] += mv;
      continue;  // cash is neither a holding of an issuer nor of a sector
    }
    by_symbol[p.price_symbol()] += mv;
    sector_of.emplace(p.price_symbol(), p.sector);
    if (p.sector.empty()) unclassified[p.price_symbol()] += mv;
    else by_sector[p.sector] += mv;
    if (p.currency != book.currency) foreign[p.currency] += mv;
    if (const auto col = book.closes.find(p.price_symbol())) {
      const auto row = detail::last_priced_row(book.closes, *col);
      if (row && book.as_of - book.closes.dates[*row] > request.stale_days) stale[p.price_symbol()] += mv;
    }
    if (p.is_option() && p.expiry && *p.expiry - book.as_of <= request.expiry_days) {
      expiring.emplace_back(p.symbol, static_cast<double>(*p.expiry - book.as_of));
    }
  }
  out.gross_amount = gross;

  const auto symbols = ranked(by_symbol);
  out.checks.push_back(weight_check("position", symbols.empty() ? 0.0 : symbols.front().second, gross,
                                    request.max_position_weight, symbols.empty() ? "" : symbols.front().first,
                                    keys_of(symbols, 1)));
  double top = 0.0;
  for (std::size_t i = 0; i < symbols.size() && i < 5; ++i) top += symbols[i].second;
  out.checks.push_back(
      weight_check("top_five", top, gross, request.max_top_five_weight, "", keys_of(symbols, 5)));

  const auto sectors = ranked(by_sector);
  HealthCheck sector = weight_check("sector", sectors.empty() ? 0.0 : sectors.front().second, gross,
                                    request.max_sector_weight, sectors.empty() ? "" : sectors.front().first, {});
  if (!sectors.empty()) {
    for (const auto& [symbol, amount] : symbols) {
      if (sector_of[symbol] == sectors.front().first && sector.positions.size() < kListed) {
        sector.positions.push_back(symbol);
      }
    }
  } else {
    sector.status = "na";
    sector.figure.reset();
  }
  out.checks.push_back(std::move(sector));

  double sum_unclassified = 0.0;
  for (const auto& [k, v] : unclassified) sum_unclassified += v;
  out.checks.push_back(weight_check("unclassified", sum_unclassified, gross, request.max_unclassified_weight, "",
                                    keys_of(ranked(unclassified))));

  double sum_foreign = 0.0;
  for (const auto& [k, v] : foreign) sum_foreign += v;
  const auto currencies = ranked(foreign);
  out.checks.push_back(weight_check("foreign", sum_foreign, gross, request.max_foreign_weight,
                                    currencies.empty() ? "" : currencies.front().first, keys_of(currencies)));

  double sum_cash = 0.0;
  for (const auto& [k, v] : cash) sum_cash += v;
  out.checks.push_back(weight_check("cash", sum_cash, gross, request.max_cash_weight, "", keys_of(ranked(cash))));

  // Stale closes: any holding on an old price makes every figure above doubtful.
  double sum_stale = 0.0;
  for (const auto& [k, v] : stale) sum_stale += v;
  HealthCheck stale_check = weight_check("stale_prices", sum_stale, gross, 0.0, "", keys_of(ranked(stale)));
  if (stale_check.status == "warn") stale_check.status = "alert";
  out.checks.push_back(std::move(stale_check));

  HealthCheck expiring_check;
  expiring_check.id = "expiring";
  expiring_check.unit = kCount;
  expiring_check.limit = 0;
  std::stable_sort(expiring.begin(), expiring.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
  for (const auto& [symbol, days] : expiring) {
    if (expiring_check.positions.size() < kListed) expiring_check.positions.push_back(symbol);
  }
  expiring_check.figure.emplace(static_cast<double>(expiring.size()));
  expiring_check.status = expiring.empty() ? "ok" : "warn";
  out.checks.push_back(std::move(expiring_check));

  HealthCheck unvalued_check;
  unvalued_check.id = "unvalued";
  unvalued_check.unit = kCount;
  unvalued_check.limit = 0;
  unvalued_check.figure.emplace(static_cast<double>(unvalued.size()));
  unvalued_check.status = unvalued.empty() ? "ok" : "alert";
  for (std::size_t i = 0; i < unvalued.size() && i < kListed; ++i) unvalued_check.positions.push_back(unvalued[i]);
  out.checks.push_back(std::move(unvalued_check));

  for (const auto& c : out.checks) {
    if (c.status == "warn") ++out.warnings;
    if (c.status == "alert") ++out.alerts;
  }
  return out;
}

}  // namespace keel::service
