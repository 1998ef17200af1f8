#include "keel/service/book.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

#include "keel/core/error.h"
#include "keel/service/fx.h"
#include "keel/service/imports.h"
#include "keel/service/portfolio_view.h"
#include "keel/store/store.h"

namespace keel::service {

Store& require_store(const Context& cx, const char* why) {
  if (cx.store == nullptr) throw Error::usage(why);
  return *cx.store;
}

bool Book::multi_currency() const {
  return std::any_of(positions.begin(), positions.end(), [&](const Position& p) { return p.currency != currency; });
}

namespace {

// The rates converting `book`'s positions into its reporting currency: loaded before, from a file,
// else the store's from the first price date (less the staleness allowance) to the as-of date.
std::shared_ptr<const FxRates> book_fx(const Context& cx, const BookSource& src, Book& book) {
  if (src.loaded_fx) return src.loaded_fx;
  if (src.fx_file) {
    return std::make_shared<const FxRates>(
        FxRates(read_fx_file({*src.fx_file, std::nullopt}, {}, &book.warnings, cx.env.files)));
  }
  std::vector<std::string> foreign;
  for (const auto& p : book.positions) {
    if (p.currency != book.currency && std::find(foreign.begin(), foreign.end(), p.currency) == foreign.end()) {
      foreign.push_back(p.currency);
    }
  }
  const std::string hint = "import FX rates (keel import fx FILE) or give --fx FILE";
  if (cx.store == nullptr) {
    std::string list;
    for (const auto& c : foreign) list += (list.empty() ? "" : ", ") + c;
    throw Error::invalid_input(
        fmt::format("{} holds positions in {} and reports in {}: {}", book.name, list, book.currency, hint));
  }
  std::vector<std::string> currencies = foreign;
  currencies.push_back(book.currency);
  auto rates = std::make_shared<const FxRates>(
      stored_fx(cx, currencies, book.prices.dates.front().add_days(-kFxMaxStaleDays), book.as_of));
  // Each foreign currency converts on the as-of date, or the book is refused here, naming the pair
  // and the date, rather than valued at a rate of 1.
  for (const auto& c : foreign) {
    try {
      rates->rate(c, book.currency, book.as_of);
    } catch (const Error& e) {
      throw Error::invalid_input(fmt::format("{}: {}", e.what(), hint));
    }
  }
  return rates;
}

}  // namespace

Book load_book(const Context& cx, const BookSource& src) {
  Store* store = cx.store;
  const int sources = int(src.portfolio.has_value()) + int(src.positions_file.has_value()) + int(src.positions.has_value());
  if (sources != 1) throw Error::usage("give either --portfolio NAME or --positions FILE");
  Book book;
  std::optional<PortfolioSummary> stored;  // the portfolio read, when the book is a stored one
  if (src.portfolio) {
    if (store == nullptr) throw Error::usage("--portfolio needs a store (--db)");
    // By name, or by id as the routes take it (resolve_portfolio: the one rule).
    stored = resolve_portfolio(cx, *src.portfolio);
    book.name = stored->name;
    book.positions = store->positions(cx.actor.tenant, book.name);
  } else if (src.positions) {
    book.name = src.positions_name;
    book.positions = *src.positions;
  } else {
    book.name = std::filesystem::path(*src.positions_file).stem().string();
    book.positions = read_positions_file({*src.positions_file, std::nullopt}, &book.warnings, cx.env.files);
  }
  if (book.positions.empty()) throw Error::invalid_input("portfolio " + book.name + " has no positions");

  std::vector<std::string> symbols;
  for (const auto& p : book.positions) {
    const std::string& s = p.price_symbol();
    if (!s.empty() && std::find(symbols.begin(), symbols.end(), s) == symbols.end()) symbols.push_back(s);
  }
  if (src.loaded_prices) {
    book.prices = src.loaded_prices->prices;
    book.closes = src.loaded_prices->closes;
    if (src.as_of) {
      // Loaded for a later date (the report values its book at the previous price date too): the
      // rows after the as-of date are not known on it.
      for (PriceHistory* h : {&book.prices, &book.closes}) {
        const auto end = std::upper_bound(h->dates.begin(), h->dates.end(), *src.as_of);
        const std::size_t keep = static_cast<std::size_t>(end - h->dates.begin());
        h->dates.resize(keep);
        h->values.resize(keep * h->symbols.size());
      }
    }
  } else if (src.prices_file) {
    const PriceRows rows = read_prices_file({*src.prices_file, std::nullopt}, &book.warnings, cx.env.files);
    book.prices = pivot_prices(rows, symbols, /*adjusted=*/true, src.as_of);
    book.closes = pivot_prices(rows, symbols, /*adjusted=*/false, src.as_of);
  } else {
    if (store == nullptr) throw Error::usage("no prices: give --prices FILE or import prices into the store");
    PriceHistories h = store->price_histories(symbols, std::nullopt, src.as_of);
    book.prices = std::move(h.adjusted);
    book.closes = std::move(h.close);
  }
  book.currency = src.currency ? *src.currency : "USD";
  if (!src.currency && stored) book.currency = stored->base_currency;
  if (!is_currency_code(book.currency)) {
    throw Error::invalid_input(fmt::format("reporting currency \"{}\" is not a three-letter currency code such as USD",
                                           book.currency));
  }
  if (book.prices.rows() == 0) {
    // The symbols that want a price: a cash position's is its amount.
    std::string list;
    for (const auto& s : symbols) {
      const bool cash = std::all_of(book.positions.begin(), book.positions.end(), [&](const Position& p) {
        return p.price_symbol() != s || p.type == InstrumentType::kCash;
      });
      if (!cash) list += (list.empty() ? "" : ", ") + s;
    }
    throw Error::invalid_input("no prices for any symbol of " + book.name + " (" + list + ")" +
                               (src.as_of ? " on or before " + src.as_of->to_string() : ""));
  }
  book.as_of = src.as_of ? *src.as_of : book.prices.dates.back();
  // A position entered after the as-of date was not held then: a back-dated valuation (the batch's
  // history, a backfill) leaves it out and says so.
  std::vector<std::string> later;
  std::optional<Date> first_entry;
  for (const Position& p : book.positions) {
    if (!p.entry_date || *p.entry_date <= book.as_of) continue;
    later.push_back(fmt::format("{} ({})", p.symbol, p.entry_date->to_string()));
    if (!first_entry || *p.entry_date < *first_entry) first_entry = *p.entry_date;
  }
  if (!later.empty()) {
    if (later.size() == book.positions.size()) {
      throw Error::invalid_input(fmt::format("no position of {} was held on {}: the first entry date is {}", book.name,
                                             book.as_of.to_string(), first_entry->to_string()));
    }
    std::erase_if(book.positions, [&](const Position& p) { return p.entry_date && *p.entry_date > book.as_of; });
    book.warnings.push_back(fmt::format("entered after {}, so not held then and left out: {}", book.as_of.to_string(),
                                        fmt::join(later, ", ")));
  }
  if (book.multi_currency()) book.fx = book_fx(cx, src, book);
  // By name: loaded prices may hold more symbols than this book, in another order.
  // Cash counts at face value: it needs no price, so a cash balance without one is not warned of.
  const auto cash_only = [&](const std::string& symbol) {
    return std::all_of(book.positions.begin(), book.positions.end(), [&](const Position& p) {
      return p.type == InstrumentType::kCash || p.price_symbol() != symbol;
    });
  };
  for (const auto& symbol : symbols) {
    if (cash_only(symbol)) continue;
    bool any = false;
    if (const auto col = book.prices.find(symbol)) {
      for (std::size_t t = 0; t < book.prices.rows() && !any; ++t) any = !is_missing(book.prices.at(t, *col));
    }
    if (!any) book.warnings.push_back(symbol + ": no prices");
  }
  return book;
}

}  // namespace keel::service
