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
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
};

struct NetWorthGrowth {
  std::vector<NetWorthChangeResult> monthly;
  std::vector<NetWorthChangeResult> quarterly;
  std::vector<NetWorthChangeResult> annual;

  static constexpr const char* kSchemaName = "NetWorthGrowth";
  template <class V, class S>
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
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
