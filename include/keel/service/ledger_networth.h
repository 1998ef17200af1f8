// keel/service/ledger_networth.h: net worth over time from the ledger: recording dated snapshots
// of every account's value (`keel ledger snapshot`, POST .../snapshots) and the history built
// from them or replayed from the transactions (`keel ledger networth`, GET .../networth).
// The accounts, lots, gains, holdings and performance are in keel/service/ledger.h.
//
// Thread-safety: stateless functions over the Context's store.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "keel/service/context.h"
#include "keel/service/rules.h"
#include "keel/service/ledger_source.h"
#include "keel/service/spec.h"

namespace keel::service {

// `keel ledger snapshot (--account NAME | --all)`, POST /api/v1/accounts/{id}/snapshots and
// /api/v1/networth/snapshots {as_of, prices}.
struct LedgerSnapshotRequest {
  std::optional<std::string> account;      // CLI: --account; HTTP: the path's account
  bool all = false;                        // every account together (the household)
  std::optional<Date> as_of;               // default: the later of the last transaction and price
  std::optional<std::string> prices_file;  // CLI: --prices FILE
  std::optional<std::string> prices;       // HTTP: the prices CSV as text

  static constexpr const char* kSchemaName = "LedgerSnapshotRequest";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "account", .help = "Stored account to value", .faces = spec::kCli, .cli_short = "-a"},
            s.account);
    v.field({.name = "all", .help = "Every stored account together (the household)", .faces = spec::kCli}, s.all);
    v.field({.name = "as_of", .help = "Valuation date (default: last transaction or price date)"}, s.as_of);
    v.field({.name = "prices_file", .help = "Prices CSV (else the store's prices)", .faces = spec::kCli,
             .cli_name = "prices"},
            s.prices_file);
    v.field({.name = "prices", .help = "Prices CSV text (else the store's prices)", .faces = spec::kHttp}, s.prices);
  }
};

struct LedgerSnapshotResult {
  spec::Nullable<std::string> account;
  std::string scope;
  std::string as_of;
  ledger::Decimal net_worth;
  ledger::Decimal market_value;
  ledger::Decimal cash;
  ledger::Decimal cost_basis;
  ledger::Decimal unrealized;
  std::vector<std::string> unpriced;
  std::map<std::string, ledger::Decimal> asset_classes;  // market value by asset class
  bool replaced = false;
  std::vector<std::string> warnings;
  std::optional<std::int64_t> account_id;  // HTTP: the account's id

  static constexpr const char* kSchemaName = "LedgerSnapshotResult";
  template <class V, class S>
  static void fields(V& v, S& s) {
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
};

// `keel ledger networth (--account NAME | --all)`, GET .../networth and /api/v1/networth.
struct LedgerNetworthRequest {
  std::optional<std::string> account;
  bool all = false;
  std::optional<Date> from;
  std::optional<Date> to;
  std::optional<std::string> prices_file;        // CLI: prices for the replay
  std::optional<std::string> transactions_file;  // CLI: replay a file instead of stored accounts
  // The currency of the values (default: the accounts', when they share one).
  std::optional<std::string> reporting_currency;

  static constexpr const char* kSchemaName = "LedgerNetworthRequest";
  template <class V, class S>
  static void fields(V& v, S& s) {
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
};

struct NetWorthPointResult {
  std::string date;
  ledger::Decimal net_worth;
  spec::Nullable<ledger::Decimal> market_value;  // null in a replay
  spec::Nullable<ledger::Decimal> cash;
  spec::Nullable<ledger::Decimal> cost_basis;
  spec::Nullable<ledger::Decimal> unrealized;
  std::optional<int> unpriced;              // snapshots only
  std::optional<std::string> recorded_at;  // snapshots only
  std::optional<std::map<std::string, ledger::Decimal>> asset_classes;  // snapshots that recorded it
  spec::Nullable<ledger::Decimal> change;  // null for the first point
  spec::Nullable<double> growth;

  static constexpr const char* kSchemaName = "NetWorthPoint";
  template <class V, class S>
  static void fields(V& v, S& s) {
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
};

// A change of net worth over a step or a calendar period.
struct NetWorthChangeResult {
  std::optional<std::string> period;  // absent for the whole range
  std::string start;
  std::string end;
  ledger::Decimal start_value;
  ledger::Decimal end_value;
  ledger::Decimal change;
  spec::Nullable<double> growth;

  static constexpr const char* kSchemaName = "NetWorthChange";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "period", .help = "2024-03, 2024-Q1 or 2024"}, s.period);
    v.field({.name = "start"}, s.start);
    v.field({.name = "end"}, s.end);
    v.field({.name = "start_value", .unit = "account currency"}, s.start_value);
    v.field({.name = "end_value", .unit = "account currency"}, s.end_value);
    v.field({.name = "change", .unit = "account currency"}, s.change);
    v.field({.name = "growth", .help = "end_value / start_value - 1 (null from zero)", .unit = "fraction"},
            s.growth);
  }
};

struct NetWorthTotals {
  // The whole range (absent with fewer than two points).
  std::optional<std::string> start;
  std::optional<std::string> end;
  std::optional<ledger::Decimal> start_value;
  std::optional<ledger::Decimal> end_value;
  std::optional<ledger::Decimal> change;
  std::optional<spec::Nullable<double>> growth;
  std::size_t points = 0;
  spec::Nullable<double> annualized_growth;
  // With values converted from another currency: the part of change due to the currencies' moves.
  std::optional<ledger::Decimal> fx_effect;

  static constexpr const char* kSchemaName = "NetWorthTotals";
  template <class V, class S>
  static void fields(V& v, S& s) {
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
};

struct NetWorthGrowth {
  std::vector<NetWorthChangeResult> monthly;
  std::vector<NetWorthChangeResult> quarterly;
  std::vector<NetWorthChangeResult> annual;

  static constexpr const char* kSchemaName = "NetWorthGrowth";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "monthly"}, s.monthly);
    v.field({.name = "quarterly"}, s.quarterly);
    v.field({.name = "annual"}, s.annual);
  }
};

struct LedgerNetworthResult {
  std::string scope;
  std::string source;  // snapshots or replay
  std::string currency;  // of every value
  spec::Nullable<std::string> from;
  spec::Nullable<std::string> to;
  std::vector<NetWorthPointResult> points;
  NetWorthTotals totals;
  NetWorthGrowth growth;
  std::vector<std::string> warnings;
  std::optional<std::int64_t> account_id;  // HTTP: the account's id

  static constexpr const char* kSchemaName = "LedgerNetworthResult";
  template <class V, class S>
  static void fields(V& v, S& s) {
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
};

// Net-worth snapshots (src/service/ledger_snapshots.cpp; docs/ledger.md "Net worth history").
// record_ledger_snapshot values the stored accounts as ledger_holdings does (the account, or every
// account with `all`; as_of, default the later of the last transaction and the last price date;
// the prices given, else the store's) and records net worth, market value, cash, cost basis and
// unrealized gain to the cent, replacing a snapshot of the same date, in the actor's tenant;
// audited as ledger_snapshot.create (resource account/ID, or "accounts" with `all`; details as_of,
// net_worth and replaced). Throws forbidden (kLedgerSnapshotCreate), usage unless exactly one of
// account and all is given, not_found for an unknown account.
inline constexpr UseCase kLedgerSnapshotCreate{"record net worth snapshots", Permission::kCompute,
                                               "ledger_snapshot.create"};
LedgerSnapshotResult record_ledger_snapshot(const Context& cx, const LedgerSnapshotRequest& request);
// The net worth history of the account (or every account) between from and to (inclusive,
// optional) from the recorded snapshots, with change and growth per step, per month, quarter and
// year, and the annualized growth. Without snapshots in the range (or with a transactions file)
// the history is replayed from transactions and daily closes (month-end values, as
// ledger_performance) and labelled "replay", with a warning. Throws invalid_input when to is
// before from.
LedgerNetworthResult ledger_networth(const Context& cx, const LedgerNetworthRequest& request);

}  // namespace keel::service
