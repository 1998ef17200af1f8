#include "keel/service/book.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

#include "keel/core/error.h"
#include "keel/service/imports.h"
#include "keel/store/store.h"

namespace keel::service {

Store& require_store(const Context& cx, const char* why) {
  if (cx.store == nullptr) throw Error::usage(why);
  return *cx.store;
}

bool Book::multi_currency() const {
  return std::any_of(positions.begin(), positions.end(), [&](const Position& p) { return p.currency != currency; });
}

Book load_book(const Context& cx, const BookSource& src) {
  Store* store = cx.store;
  const int sources = int(src.portfolio.has_value()) + int(src.positions_file.has_value()) + int(src.positions.has_value());
  if (sources != 1) throw Error::usage("give either --portfolio NAME or --positions FILE");
  Book book;
  if (src.portfolio) {
    if (store == nullptr) throw Error::usage("--portfolio needs a store (--db)");
    book.name = *src.portfolio;
    book.positions = store->positions(cx.actor.tenant, *src.portfolio);
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
  if (!is_currency_code(book.currency)) {
    throw Error::invalid_input(fmt::format("reporting currency \"{}\" is not a three-letter currency code such as USD",
                                           book.currency));
  }
  if (book.multi_currency()) {
    if (src.loaded_fx) {
      book.fx = src.loaded_fx;
    } else if (src.fx_file) {
      book.fx = std::make_shared<const FxRates>(
          FxRates(read_fx_file({*src.fx_file, std::nullopt}, {}, &book.warnings, cx.env.files)));
    } else {
      std::string foreign;
      for (const auto& p : book.positions) {
        if (p.currency != book.currency && foreign.find(p.currency) == std::string::npos) {
          foreign += (foreign.empty() ? "" : ", ") + p.currency;
        }
      }
      throw Error::invalid_input(fmt::format("{} holds positions in {} and reports in {}: give FX rates (--fx FILE)",
                                             book.name, foreign, book.currency));
    }
  }
  if (book.prices.rows() == 0) {
    std::string list;
    for (const auto& s : symbols) list += (list.empty() ? "" : ", ") + s;
    throw Error::invalid_input("no prices for any symbol of " + book.name + " (" + list + ")" +
                               (src.as_of ? " on or before " + src.as_of->to_string() : ""));
  }
  book.as_of = src.as_of ? *src.as_of : book.prices.dates.back();
  // By name: loaded prices may hold more symbols than this book, in another order.
  for (const auto& symbol : symbols) {
    bool any = false;
    if (const auto col = book.prices.find(symbol)) {
      for (std::size_t t = 0; t < book.prices.rows() && !any; ++t) any = !is_missing(book.prices.at(t, *col));
    }
    if (!any) book.warnings.push_back(symbol + ": no prices");
  }
  return book;
}

}  // namespace keel::service
