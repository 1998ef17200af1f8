// The descriptions of the requests and results of keel/service/ledger_networth.h (keel/service/spec.h),
// instantiated for every visitor (spec_define.h).
#include "keel/service/ledger_networth.h"

#include "spec_define.h"

namespace keel::service {

template <class V, class S>
void LedgerSnapshotRequest::fields(V& v, S& s) {
  v.field({.name = "account", .help = "Stored account to value", .faces = spec::kCli, .cli_short = "-a"},
          s.account);
  v.field({.name = "all", .help = "Every stored account together (the household)", .faces = spec::kCli}, s.all);
  v.field({.name = "as_of", .help = "Valuation date (default: last transaction or price date)"}, s.as_of);
  v.field({.name = "prices_file", .help = "Prices CSV (else the store's prices)", .faces = spec::kCli,
           .cli_name = "prices"},
          s.prices_file);
  v.field({.name = "prices", .help = "Prices CSV text (else the store's prices)", .faces = spec::kHttp}, s.prices);
}
KEEL_SPEC_REQUEST_FIELDS(LedgerSnapshotRequest)

template <class V, class S>
void LedgerSnapshotResult::fields(V& v, S& s) {
  v.field({.name = "account", .help = "null: every account"}, s.account);
  v.field({.name = "scope", .help = "\"account NAME\" or \"all accounts\""}, s.scope);
  v.field({.name = "as_of"}, s.as_of);
  v.field({.name = "net_worth", .unit = "account currency, to the cent"}, s.net_worth);
  v.field({.name = "market_value", .unit = "account currency, to the cent"}, s.market_value);
  v.field({.name = "cash", .unit = "account currency, to the cent"}, s.cash);
  v.field({.name = "cost_basis", .unit = "account currency, to the cent"}, s.cost_basis);
  v.field({.name = "unrealized", .unit = "account currency, to the cent"}, s.unrealized);
  v.field({.name = "unpriced", .help = "Symbols left out (no price on or before as_of)"}, s.unpriced);
  v.field({.name = "asset_classes", .help = "Market value by asset class: equity, option, cash",
           .unit = "account currency, to the cent"},
          s.asset_classes);
  v.field({.name = "replaced", .help = "A snapshot of the same date was replaced"}, s.replaced);
  v.field({.name = "warnings"}, s.warnings);
  v.field({.name = "account_id", .help = "The account's id (HTTP)"}, s.account_id);
}
KEEL_SPEC_FIELDS(LedgerSnapshotResult)

template <class V, class S>
void LedgerNetworthRequest::fields(V& v, S& s) {
  v.field({.name = "account", .help = "Stored account", .faces = spec::kCli, .cli_short = "-a"}, s.account);
  v.field({.name = "all", .help = "Every stored account together (the household)", .faces = spec::kCli}, s.all);
  v.field({.name = "from", .help = "First date (YYYY-MM-DD)"}, s.from);
  v.field({.name = "to", .help = "Last date (YYYY-MM-DD)"}, s.to);
  v.field({.name = "prices_file", .help = "Prices CSV for the replay when there are no snapshots",
           .faces = spec::kCli, .cli_name = "prices"},
          s.prices_file);
  v.field({.name = "transactions", .help = "Replay a transactions CSV instead of stored accounts",
           .faces = spec::kCli, .cli_short = "-t"},
          s.transactions_file);
  v.field({.name = "reporting_currency",
           .help = "Show the values in this currency, each converted at its date's FX rate (default: the "
                   "accounts' currency)"},
          s.reporting_currency);
}
KEEL_SPEC_REQUEST_FIELDS(LedgerNetworthRequest)

template <class V, class S>
void NetWorthPointResult::fields(V& v, S& s) {
  v.field({.name = "date"}, s.date);
  v.field({.name = "net_worth", .unit = "account currency"}, s.net_worth);
  v.field({.name = "market_value", .help = "null in a replay", .unit = "account currency"}, s.market_value);
  v.field({.name = "cash", .help = "null in a replay", .unit = "account currency"}, s.cash);
  v.field({.name = "cost_basis", .help = "null in a replay", .unit = "account currency"}, s.cost_basis);
  v.field({.name = "unrealized", .help = "null in a replay", .unit = "account currency"}, s.unrealized);
  v.field({.name = "unpriced", .help = "Positions the snapshot left out (snapshots only)"}, s.unpriced);
  v.field({.name = "recorded_at", .help = "When the snapshot was recorded (snapshots only)"}, s.recorded_at);
  v.field({.name = "asset_classes",
           .help = "Market value by asset class: equity, option, cash (snapshots that recorded it)",
           .unit = "account currency"},
          s.asset_classes);
  v.field({.name = "change", .help = "Since the previous point (null for the first)", .unit = "account currency"},
          s.change);
  v.field({.name = "growth", .help = "Since the previous point (null: first point or from zero)",
           .unit = "fraction"},
          s.growth);
}
KEEL_SPEC_FIELDS(NetWorthPointResult)

template <class V, class S>
void NetWorthChangeResult::fields(V& v, S& s) {
  v.field({.name = "period", .help = "2024-03, 2024-Q1 or 2024"}, s.period);
  v.field({.name = "start"}, s.start);
  v.field({.name = "end"}, s.end);
  v.field({.name = "start_value", .unit = "account currency"}, s.start_value);
  v.field({.name = "end_value", .unit = "account currency"}, s.end_value);
  v.field({.name = "change", .unit = "account currency"}, s.change);
  v.field({.name = "growth", .help = "end_value / start_value - 1 (null from zero)", .unit = "fraction"},
          s.growth);
}
KEEL_SPEC_FIELDS(NetWorthChangeResult)

template <class V, class S>
void NetWorthTotals::fields(V& v, S& s) {
  v.field({.name = "start"}, s.start);
  v.field({.name = "end"}, s.end);
  v.field({.name = "start_value", .unit = "account currency"}, s.start_value);
  v.field({.name = "end_value", .unit = "account currency"}, s.end_value);
  v.field({.name = "change", .unit = "account currency"}, s.change);
  v.field({.name = "growth", .unit = "fraction"}, s.growth);
  v.field({.name = "points"}, s.points);
  v.field({.name = "annualized_growth", .unit = "fraction per year"}, s.annualized_growth);
  v.field({.name = "fx_effect",
           .help = "The currencies' part of change: end_value less the end value at the first point's FX "
                   "rates (when values are converted from another currency)",
           .unit = "currency, to the cent"},
          s.fx_effect);
}
KEEL_SPEC_FIELDS(NetWorthTotals)

template <class V, class S>
void NetWorthGrowth::fields(V& v, S& s) {
  v.field({.name = "monthly"}, s.monthly);
  v.field({.name = "quarterly"}, s.quarterly);
  v.field({.name = "annual"}, s.annual);
}
KEEL_SPEC_FIELDS(NetWorthGrowth)

template <class V, class S>
void LedgerNetworthResult::fields(V& v, S& s) {
  v.field({.name = "scope", .help = "\"account NAME\" or \"all accounts\""}, s.scope);
  v.field({.name = "source", .help = "snapshots, or replay (from transactions and daily closes)"}, s.source);
  v.field({.name = "currency", .help = "The currency of every value (reporting_currency, else the accounts')"},
          s.currency);
  v.field({.name = "from"}, s.from);
  v.field({.name = "to"}, s.to);
  v.field({.name = "points"}, s.points);
  v.field({.name = "totals"}, s.totals);
  v.field({.name = "growth"}, s.growth);
  v.field({.name = "warnings"}, s.warnings);
  v.field({.name = "account_id", .help = "The account's id (HTTP)"}, s.account_id);
}
KEEL_SPEC_FIELDS(LedgerNetworthResult)

}  // namespace keel::service
