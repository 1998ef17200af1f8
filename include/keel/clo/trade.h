// keel/clo/trade.h: trades of single loans applied to a CLO pool — buy, sell, upsize, downsize —
// with their cash and par effects.
//
// A trade names the loan it acts on by asset id, else by obligor (which must then hold exactly one
// loan of the pool). Prices are fractions of par. Cash is signed from the deal's side: a sale
// brings par x price into the principal account, a purchase takes it out.
//   buy:      a new loan of par `par` joins the pool, marked at the trade price;
//   sell:     the loan leaves the pool, or `par` of it (a partial sale);
//   upsize:   the loan's par grows by `par` (its mark stays);
//   downsize: the loan's par falls by `par` (a partial sale that must leave some par).
// Trades apply in order, so a later line may act on a loan an earlier one bought.
//
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "keel/clo/deal.h"

namespace keel::clo {

enum class TradeAction { kBuy, kSell, kUpsize, kDownsize };

// "buy", "sell", "upsize", "downsize"; nullopt for anything else.
std::optional<TradeAction> parse_trade_action(std::string_view text);
const char* trade_action_name(TradeAction a);

struct Trade {
  TradeAction action = TradeAction::kBuy;
  std::string asset;          // sell, upsize, downsize: the loan's asset id or obligor
  std::optional<double> par;  // par traded; a sale without it sells the whole loan
  double price = 1.0;         // fraction of par
  Loan loan;                  // buy: the loan bought (its par is `par`)
  std::string where;          // the trade's place in its input, for messages ("trades.csv:3")
};

struct TradeLine {
  TradeAction action = TradeAction::kBuy;
  std::string asset_id;
  std::string obligor;
  double par = 0.0;    // par traded, > 0
  double price = 1.0;  // fraction of par
  double cash = 0.0;   // + sale proceeds, - purchase cost
};

struct TradeOutcome {
  std::vector<Loan> pool;  // the pool after every trade, in the pool's order, loans bought last
  std::vector<TradeLine> lines;
  double par_sold = 0.0;    // sells and downsizes
  double par_bought = 0.0;  // buys and upsizes
  double proceeds = 0.0;
  double cost = 0.0;
  double net_cash() const { return proceeds - cost; }
  double par_change() const { return par_bought - par_sold; }
};

// Applies `trades` in order. Throws keel::Error::invalid_input listing every problem, each with
// its trade's `where`: a loan that is not in the pool, an obligor with several loans, a sale of
// more par than held, a downsize of the whole loan, a non-positive par or price.
TradeOutcome apply_trades(std::span<const Loan> pool, std::span<const Trade> trades);

}  // namespace keel::clo
