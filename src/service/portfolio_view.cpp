#include "keel/service/portfolio_view.h"
#include "keel/service/changes.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <iterator>
#include <charconv>
#include <cmath>
#include <set>
#include <variant>

#include "keel/core/error.h"
#include "keel/core/strings.h"
#include "keel/service/exposures.h"
#include "keel/service/fx.h"

namespace keel::service {

PortfolioView show_portfolio(const Context& cx, const PortfolioShowRequest& request) {
  Store& store = require_store(cx, "a stored portfolio is shown");
  const std::string& name = request.portfolio;
  const std::string& tenant = cx.actor.tenant;
  const std::optional<Date>& as_of = request.as_of;
  PortfolioView v;
  v.name = name;
  std::vector<std::int64_t> numbers;
  const auto positions = store.positions(tenant, name, &numbers);
  if (const auto d = as_of ? as_of : store.last_price_date()) v.as_of.emplace(*d);
  const auto summary = store.find_portfolio(tenant, name);
  v.currency = request.currency ? *request.currency : summary ? summary->base_currency : "USD";
  check_currency(v.currency);
  // The stored rates between the positions' currencies and the reporting one, read once; a
  // position whose rate is missing is left unvalued with a warning naming the pair and the date,
  // never converted at 1.
  std::optional<FxRates> rates;
  auto fx_rate = [&](const Position& p) -> std::optional<double> {
    if (p.currency == v.currency) return 1.0;
    if (!v.as_of) return std::nullopt;
    if (!rates) {
      std::vector<std::string> currencies{v.currency};
      for (const auto& q : positions) currencies.push_back(q.currency);
      rates.emplace(stored_fx(cx, currencies, std::nullopt, *v.as_of));
    }
    try {
      return rates->rate(p.currency, v.currency, *v.as_of).rate;
    } catch (const Error& e) {
      v.warnings.push_back(fmt::format("{}: not valued in {}: {}: import FX rates (keel import fx FILE)", p.symbol,
                                       v.currency, e.what()));
      return std::nullopt;
    }
  };
  // Options without a stored price are valued by the options engine, once for the whole book.
  std::optional<PricedBook> priced;
  auto model_value = [&](std::size_t i) -> const exposures::PositionExposure* {
    if (!priced) {
      BookRiskRequest req;
      req.source.portfolio = name;
      req.source.as_of = v.as_of;
      req.source.currency = v.currency;
      try {
        priced = price_book(cx, req);
      } catch (const Error& e) {
        v.warnings.push_back(std::string("options could not be valued: ") + e.what());
        priced = PricedBook{};
      }
    }
    if (i >= priced->report.positions.size()) return nullptr;
    const auto& pe = priced->report.positions[i];
    return pe.error.empty() ? &pe : nullptr;
  };
  for (std::size_t i = 0; i < positions.size(); ++i) {
    const Position& p = positions[i];
    PositionView pv;
    pv.id = numbers[i];
    pv.position = p;
    pv.record = position_record(p);
    const bool cash = p.type == InstrumentType::kCash;
    const auto lp = cash ? std::nullopt : store.latest_price(p.symbol, v.as_of);
    const exposures::PositionExposure* pe = (!lp && p.is_option()) ? model_value(i) : nullptr;
    if (cash) {
      // Cash is its amount in its currency (quantity x multiplier), as the risk engines value it.
      pv.last_price.emplace(1.0);
      pv.price_date = v.as_of;
      pv.market_value.emplace(p.quantity * p.multiplier);
      pv.price_source.emplace("cash");
    } else if (pe != nullptr) {
      pv.last_price.emplace(pe->price);
      pv.price_date = v.as_of;
      // In the position's own currency, like a close: the priced book's market value is already
      // converted into the reporting currency, and the conversion below is the one that applies.
      pv.market_value.emplace(p.quantity * p.multiplier * pe->price);
      pv.price_source.emplace("model");
    } else if (lp) {
      pv.last_price.emplace(lp->close);
      pv.price_date.emplace(lp->date);
      pv.market_value.emplace(p.quantity * p.multiplier * lp->close);
      pv.price_source.emplace("close");
      if (v.as_of && lp->date < v.as_of->add_days(-7)) {
        v.warnings.push_back(p.symbol + ": last price is from " + lp->date.to_string() + ", stale against " +
                             v.as_of->to_string());
      }
    } else {
      ++v.unpriced;
      v.warnings.push_back(p.symbol + ": no price on or before " +
                           (v.as_of ? v.as_of->to_string() : std::string("any date")) +
                           (p.is_option() ? " and no model value (see `keel options greeks`)" : ""));
    }
    if (pv.market_value) {
      pv.market_value_local = pv.market_value;
      pv.market_value.reset();
      if (const auto rate = fx_rate(p)) {
        pv.fx_rate.emplace(*rate);
        pv.market_value.emplace(*pv.market_value_local * *rate);
      } else {
        ++v.unpriced;
      }
    }
    if (pv.market_value) {
      const double mv = *pv.market_value;
      v.net_market_value += mv;
      v.gross_market_value += std::fabs(mv);
      (mv >= 0 ? v.long_market_value : v.short_market_value) += mv;
    }
    v.positions.push_back(std::move(pv));
  }
  for (auto& pv : v.positions) {
    if (pv.market_value && v.gross_market_value > 0) pv.weight.emplace(*pv.market_value / v.gross_market_value);
  }
  return v;
}

std::string currency_problem(std::string_view field, const std::string& code) {
  if (is_currency_code(code)) return {};
  return fmt::format("{}: expected a three-letter code such as USD, got {}", field, shown_with(code, 40, '"'));
}

void check_currency(const std::string& currency) {
  if (auto p = currency_problem("currency", currency); !p.empty()) throw Error::invalid_input("invalid currency", {p});
}

PositionRecord position_record(const Position& p) {
  PositionRecord r;
  r.symbol = p.symbol;
  r.type = std::string(instrument_type_name(p.type));
  r.quantity = p.quantity;
  r.multiplier = p.multiplier;
  r.currency = p.currency;
  r.entry_price = p.entry_price;
  r.entry_date = p.entry_date;
  if (p.is_option()) {
    r.underlying = p.underlying;
    r.strike = p.strike;
    r.expiry = p.expiry;
    if (p.option_type) r.option_type = std::string(option_right_name(*p.option_type));
    r.exercise = std::string(exercise_style_name(p.exercise));
    r.dividend_yield = p.dividend_yield;
  }
  r.implied_vol = p.implied_vol;
  if (!p.sector.empty()) r.sector = p.sector;
  if (!p.tags.empty()) r.tags = p.tags;
  if (!p.strategy.empty()) r.strategy = p.strategy;
  return r;
}

namespace {

bool passes(const PositionRecord& r, const PositionsQuery& q) {
  auto is = [](const std::optional<std::string>& field, const std::optional<std::string>& wanted) {
    return !wanted || (field && iequals(*field, *wanted));
  };
  if (q.type && !iequals(r.type, *q.type)) return false;
  if (q.currency && !iequals(r.currency, *q.currency)) return false;
  if (!is(r.sector, q.sector)) return false;
  if (q.symbol && !iequals(r.symbol, *q.symbol) && !is(r.underlying, q.symbol)) return false;
  if (q.tag) {
    const auto& tags = r.tags ? *r.tags : std::vector<std::string>{};
    if (std::none_of(tags.begin(), tags.end(), [&](const std::string& t) { return iequals(t, *q.tag); })) {
      return false;
    }
  }
  return true;
}

// A sort key of a position: a number or a text, or nothing (sorted last).
using SortKey = std::variant<std::monostate, double, std::string>;

SortKey sort_key(const PositionItem& item, std::string_view field) {
  const PositionRecord& r = item.position;
  if (field == "id") return static_cast<double>(item.id);
  if (field == "symbol") return r.symbol;
  if (field == "type") return r.type;
  if (field == "quantity") return r.quantity;
  if (field == "currency") return r.currency;
  if (field == "sector") return r.sector ? SortKey(*r.sector) : SortKey();
  return r.entry_date ? SortKey(r.entry_date->to_string()) : SortKey();  // entry_date
}

}  // namespace

PositionsList list_positions(const Context& cx, const PositionsQuery& q) {
  static constexpr std::string_view kTypes[] = {"stock", "etf", "option", "cash", "other"};
  static constexpr std::string_view kSortFields[] = {"id",       "symbol", "type",      "quantity",
                                                     "currency", "sector", "entry_date"};
  std::vector<std::string> problems;
  if (q.type && std::none_of(std::begin(kTypes), std::end(kTypes), [&](std::string_view t) { return iequals(t, *q.type); })) {
    problems.push_back(fmt::format("type: expected stock, etf, option, cash or other, got {}", shown_with(*q.type, 40, '"')));
  }
  const bool descending = q.sort && !q.sort->empty() && q.sort->front() == '-';
  const std::string field = q.sort ? q.sort->substr(descending ? 1 : 0) : "id";  // none: the stored order
  if (std::find(std::begin(kSortFields), std::end(kSortFields), field) == std::end(kSortFields)) {
    problems.push_back(fmt::format(
        "sort: expected id, symbol, type, quantity, currency, sector or entry_date (-FIELD descending), got {}",
        shown_with(*q.sort, 40, '"')));
  }
  if (!problems.empty()) throw Error::invalid_input("invalid positions query", problems);
  Store& store = require_store(cx, "a stored portfolio is read");
  const auto summary = store.find_portfolio(cx.actor.tenant, q.portfolio);
  if (!summary) throw Error::not_found(fmt::format("no portfolio named {}", shown_with(q.portfolio, 80, '"')));
  PositionsList out;
  out.id = summary->id;
  out.name = summary->name;
  std::vector<std::int64_t> numbers;
  const auto positions = store.positions(cx.actor.tenant, q.portfolio, &numbers);
  out.total = positions.size();
  for (std::size_t i = 0; i < positions.size(); ++i) {
    PositionRecord r = position_record(positions[i]);
    if (passes(r, q)) out.items.push_back({numbers[i], std::move(r)});
  }
  if (q.sort) std::stable_sort(out.items.begin(), out.items.end(), [&](const PositionItem& a, const PositionItem& b) {
    const SortKey ka = sort_key(a, field), kb = sort_key(b, field);
    const bool a_none = std::holds_alternative<std::monostate>(ka), b_none = std::holds_alternative<std::monostate>(kb);
    if (a_none || b_none) return !a_none && b_none;  // absent values last, either direction
    return descending ? kb < ka : ka < kb;
  });
  out.matched = out.items.size();
  const std::size_t from = std::min(q.offset, out.items.size());
  const std::size_t to = q.limit ? std::min(out.items.size(), from + *q.limit) : out.items.size();
  if (to < out.items.size()) out.next_offset.emplace(to);
  out.items = std::vector<PositionItem>(std::make_move_iterator(out.items.begin() + static_cast<std::ptrdiff_t>(from)),
                                        std::make_move_iterator(out.items.begin() + static_cast<std::ptrdiff_t>(to)));
  return out;
}

std::size_t stored_position_index(const std::string& portfolio, const std::vector<std::int64_t>& numbers,
                                  std::int64_t id) {
  const auto it = std::find(numbers.begin(), numbers.end(), id);
  if (it == numbers.end()) {
    if (numbers.empty()) throw Error::not_found(fmt::format("portfolio {} holds no position", portfolio));
    // The ids as runs ("1-13, 15"), the first 20 runs.
    std::vector<std::int64_t> ids = numbers;
    std::sort(ids.begin(), ids.end());
    std::vector<std::string> runs;
    for (std::size_t i = 0; i < ids.size() && runs.size() <= 20;) {
      std::size_t j = i;
      while (j + 1 < ids.size() && ids[j + 1] == ids[j] + 1) ++j;
      runs.push_back(j == i ? std::to_string(ids[i]) : fmt::format("{}-{}", ids[i], ids[j]));
      i = j + 1;
    }
    if (runs.size() > 20) runs.back() = "...";
    throw Error::not_found(fmt::format("portfolio {} has no position {} (its positions: {})", portfolio, id,
                                       fmt::join(runs, ", ")));
  }
  return static_cast<std::size_t>(it - numbers.begin());
}

PositionItem find_position(const Context& cx, const std::string& portfolio, std::int64_t id) {
  Store& store = require_store(cx, "a stored portfolio is read");
  std::vector<std::int64_t> numbers;
  const auto positions = store.positions(cx.actor.tenant, portfolio, &numbers);
  return {id, position_record(positions[stored_position_index(portfolio, numbers, id)])};
}

PortfolioRecord portfolio_record(const PortfolioSummary& s) {
  return {s.id, s.name, s.tenant, s.positions, s.base_currency, s.created_at, s.updated_at};
}

PortfolioRecord create_portfolio(const Context& cx, const PortfolioCreateRequest& request) {
  authorize(cx, kPortfolioCreate, "portfolio/" + shown_with(request.name, 200, 0));
  Store& store = require_store(cx, "a portfolio is stored");
  if (const auto p = spec::name_problem(request.name, 200); !p.empty()) {
    throw Error::invalid_input("invalid portfolio", {"name: " + p});
  }
  check_currency(request.currency);
  const std::string& tenant = cx.actor.tenant;
  const PortfolioSummary p = store.transaction([&] {
    if (store.find_portfolio(tenant, request.name)) {
      throw Error::conflict(fmt::format("portfolio {} already exists", shown_with(request.name, 200, '\'')));
    }
    store.save_portfolio(tenant, request.name, {}, "api");
    store.set_portfolio_currency(tenant, request.name, request.currency);
    return *store.find_portfolio(tenant, request.name);
  });
  // The currency is written when it is not the default, so a default creation's row stays {name}.
  nlohmann::json details{{"name", p.name}};
  if (p.base_currency != "USD") details["currency"] = p.base_currency;
  audit(cx, kPortfolioCreate, fmt::format("portfolio/{}", p.id), details);
  return portfolio_record(p);
}

PortfolioRecord set_portfolio_currency(const Context& cx, const PortfolioCurrencyRequest& request) {
  authorize(cx, kPortfolioCurrency, "portfolio/" + shown_with(request.portfolio, 200, 0));
  Store& store = require_store(cx, "a stored portfolio is changed");
  check_currency(request.currency);
  const std::string& tenant = cx.actor.tenant;
  // Refused before it is chosen: a currency the book's positions cannot be converted into (no
  // stored rate, direct, inverse or through a pivot, on the last price date) would leave every
  // figure of the book unvalued.
  if (store.find_portfolio(tenant, request.portfolio)) {
    std::vector<std::string> missing;
    for (const auto& u : unconverted_currencies(cx, store.positions(tenant, request.portfolio), request.currency,
                                                store.last_price_date())) {
      missing.push_back("currency: " + u.why);
    }
    if (!missing.empty()) {
      missing.push_back(
          "currency: store the rates first: keel import fx FILE or keel fetch fx (the web app: the dashboard's "
          "readiness panel, Fetch the FX rates)");
      throw Error::invalid_input(fmt::format("the portfolio's positions cannot be valued in {}", request.currency),
                                 missing);
    }
  }
  std::string before;
  const PortfolioSummary p = store.transaction([&] {
    const auto found = store.find_portfolio(tenant, request.portfolio);
    if (!found) throw Error::not_found(fmt::format("no portfolio named {}", shown_with(request.portfolio, 200, '"')));
    before = found->base_currency;
    store.set_portfolio_currency(tenant, request.portfolio, request.currency);
    return *store.find_portfolio(tenant, request.portfolio);
  });
  audit(cx, kPortfolioCurrency, fmt::format("portfolio/{}", p.id),
        {{"name", p.name}, {"from", before}, {"to", p.base_currency}});
  portfolio_changed(cx, p.id, p.name, "portfolio");
  return portfolio_record(p);
}

PortfolioDeleted delete_portfolio(const Context& cx, const std::string& name) {
  authorize(cx, kPortfolioDelete, "portfolio/" + shown_with(name, 200, 0));
  Store& store = require_store(cx, "a stored portfolio is deleted");
  const std::string& tenant = cx.actor.tenant;
  const auto found = store.find_portfolio(tenant, name);
  if (!found || !store.delete_portfolio(tenant, name)) {
    throw Error::not_found(fmt::format("no portfolio named {}", shown_with(name, 200, '"')));
  }
  audit(cx, kPortfolioDelete, fmt::format("portfolio/{}", found->id),
        {{"name", found->name}, {"positions", found->positions}});
  portfolio_changed(cx, found->id, found->name, "deleted");
  return {true, found->id, found->name};
}

PortfolioSummary resolve_portfolio(const Context& cx, std::string_view ref) {
  Store& store = require_store(cx, "a stored portfolio is read");
  const std::string& tenant = cx.actor.tenant;
  const std::string name(ref);
  // A name first: a portfolio whose name is made of digits is still found by its name.
  if (auto p = store.find_portfolio(tenant, name)) return *p;
  std::int64_t id = 0;
  const auto [ptr, ec] = std::from_chars(ref.data(), ref.data() + ref.size(), id);
  if (!ref.empty() && ec == std::errc() && ptr == ref.data() + ref.size()) {
    if (auto p = store.find_portfolio_by_id(tenant, id)) return *p;
    throw Error::not_found(fmt::format("no portfolio {}", shown_with(ref, 200, 0)));
  }
  throw Error::not_found(fmt::format("no portfolio named {}", shown_with(ref, 200, '"')));
}

}  // namespace keel::service
