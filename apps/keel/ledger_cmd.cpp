// `keel ledger lots|gains|holdings|reconcile|performance`, `keel account create|list|show`,
// `keel export transactions|lots|gains|holdings` and `keel import transactions`.
#include <fstream>
#include <iostream>
#include <memory>

#include "context.h"
#include "spec_cli.h"
#include "keel/core/error.h"
#include "keel/service/ledger.h"
#include "keel/store/store.h"

namespace keel::cli {
namespace {

struct LedgerFlags {
  std::string transactions, mapping, account, prices, method, as_of;
  int year = 0;
  bool allow_short = false;
  bool no_wash_sales = false;
  bool splits_from_store = false;
};

void add_source_flags(CLI::App* cmd, LedgerFlags& f, bool with_prices) {
  cmd->add_option("--transactions,-t", f.transactions, "Transactions CSV (instead of the stored accounts)");
  cmd->add_option("--mapping", f.mapping, "Broker mapping JSON for --transactions (see examples/ledger)");
  cmd->add_option("--account,-a", f.account, "Report this account only (booking covers all accounts)");
  cmd->add_option("--method", f.method, "Lot method for every sale: fifo|lifo|hifo|average|specific")
      ->check(CLI::IsMember({"fifo", "lifo", "hifo", "average", "specific"}));
  cmd->add_option("--as-of", f.as_of, "Ignore transactions after this date (YYYY-MM-DD)");
  cmd->add_flag("--allow-short", f.allow_short, "Sales beyond the shares held open short lots");
  cmd->add_flag("--no-wash-sales", f.no_wash_sales, "Do not apply the wash-sale rule");
  cmd->add_flag("--splits-from-store", f.splits_from_store,
                "Book the store's splits (keel fetch actions) as SPLIT rows the ledger lacks");
  if (with_prices) cmd->add_option("--prices", f.prices, "Prices CSV (else the store's prices)");
}

service::LedgerSource to_source(const LedgerFlags& f) {
  service::LedgerSource s;
  if (!f.transactions.empty()) s.transactions_file = f.transactions;
  if (!f.mapping.empty()) {
    if (f.transactions.empty()) throw Error::usage("--mapping applies to --transactions FILE");
    s.mapping_file = f.mapping;
  }
  if (!f.account.empty()) s.account = f.account;
  if (!f.prices.empty()) s.prices_file = f.prices;
  if (!f.method.empty()) s.method = ledger::parse_lot_method(f.method);
  if (!f.as_of.empty()) s.as_of = Date::parse_or_throw(f.as_of, "--as-of");
  if (f.year != 0) s.year = f.year;
  s.allow_short = f.allow_short;
  s.wash_sales = !f.no_wash_sales;
  s.splits_from_store = f.splits_from_store;
  return s;
}

// The store when the command needs it (stored accounts) or when one exists (prices, sectors).
Store* store_for(Context& ctx, const LedgerFlags& f) {
  if (f.transactions.empty() || f.splits_from_store || ctx.has_store_file()) return &ctx.store();
  return nullptr;
}

std::string money(const nlohmann::json& v) { return v.is_null() ? "-" : fmt_amount(v.get<double>()); }
std::string qty(const nlohmann::json& v) {
  if (v.is_null()) return "-";
  const double d = v.get<double>();
  return fmt_amount(d, d == static_cast<double>(static_cast<long long>(d)) ? 0 : 4);
}
std::string text(const nlohmann::json& v) { return v.is_null() ? "-" : v.is_string() ? v.get<std::string>() : v.dump(); }

void warn_all(Context& ctx, const nlohmann::json& j) {
  if (j.contains("warnings")) {
    for (const auto& w : j["warnings"]) ctx.warn(w.get<std::string>());
  }
}

void print_gains(Context& ctx, const nlohmann::json& j) {
  TextTable t("Realized gains (" + text(j["method"]) + ")");
  t.column("account", TextTable::Align::kLeft).column("symbol", TextTable::Align::kLeft);
  t.column("sell_date", TextTable::Align::kLeft).column("buy_date", TextTable::Align::kLeft);
  t.column("quantity").column("proceeds").column("cost").column("wash_disallowed").column("gain");
  t.column("term", TextTable::Align::kLeft);
  for (const auto& g : j["realized"]) {
    t.row({text(g["account"]), text(g["symbol"]), text(g["sell_date"]), text(g["buy_date"]), qty(g["quantity"]),
           money(g["proceeds"]), money(g["cost"]), money(g["wash_sale_disallowed"]), money(g["gain"]), text(g["term"])});
  }
  const auto& tot = j["totals"];
  t.footer("short term " + money(tot["short"]) + "   long term " + money(tot["long"]) + "   total " +
           money(tot["total"]) + "   wash sales disallowed " + money(tot["wash_sale_disallowed"]));
  t.footer("dividends " + money(j["income"]["dividends"]) + "   interest " + money(j["income"]["interest"]));
  ctx.emit(j, {t});
}

void print_lots(Context& ctx, const nlohmann::json& j) {
  TextTable t("Open lots (" + text(j["method"]) + ")");
  t.column("account", TextTable::Align::kLeft).column("symbol", TextTable::Align::kLeft);
  t.column("lot_id", TextTable::Align::kLeft).column("buy_date", TextTable::Align::kLeft);
  t.column("acquired", TextTable::Align::kLeft).column("quantity").column("basis").column("wash_adj");
  for (const auto& l : j["lots"]) {
    t.row({text(l["account"]), text(l["symbol"]), text(l["lot_id"]), text(l["buy_date"]), text(l["acquired_date"]),
           qty(l["quantity"]), money(l["basis"]), money(l["wash_sale_adjustment"])});
  }
  t.footer(std::to_string(j["lots"].size()) + " lots, basis " + money(j["totals"]["basis"]));
  ctx.emit(j, {t});
}

void print_holdings(Context& ctx, const nlohmann::json& j) {
  TextTable t("Holdings as of " + text(j["as_of"]));
  t.column("account", TextTable::Align::kLeft).column("symbol", TextTable::Align::kLeft).column("quantity");
  t.column("basis").column("price").column("market_value").column("unrealized").column("weight");
  t.column("sector", TextTable::Align::kLeft);
  for (const auto& p : j["positions"]) {
    t.row({text(p["account"]), text(p["symbol"]), qty(p["quantity"]), money(p["basis"]), money(p["price"]),
           money(p["market_value"]), money(p["unrealized"]), fmt_percent(p["weight"].get<double>()), text(p["sector"])});
  }
  const auto& tot = j["totals"];
  t.footer("securities " + money(tot["securities_value"]) + "   cash " + money(tot["cash"]) + "   net worth " +
           money(tot["net_worth"]) + "   unrealized " + money(tot["unrealized"]));
  TextTable a("Allocation");
  a.column("by", TextTable::Align::kLeft).column("key", TextTable::Align::kLeft).column("market_value").column("weight");
  for (const char* by : {"asset_type", "sector", "account"}) {
    for (const auto& s : j["allocation"][by]) {
      a.row({by, text(s["key"]), money(s["market_value"]), fmt_percent(s["weight"].get<double>())});
    }
  }
  ctx.emit(j, {t, a});
}

void print_reconcile(Context& ctx, const nlohmann::json& j) {
  TextTable t("Reconciliation with " + text(j["broker_file"]));
  t.column("account", TextTable::Align::kLeft).column("symbol", TextTable::Align::kLeft);
  t.column("ledger_qty").column("broker_qty").column("ledger_basis").column("broker_basis");
  t.column("status", TextTable::Align::kLeft);
  for (const auto& r : j["rows"]) {
    t.row({text(r["account"]), text(r["symbol"]), qty(r["ledger_quantity"]), qty(r["broker_quantity"]),
           money(r["ledger_basis"]), money(r["broker_basis"]), text(r["status"])});
  }
  t.footer(std::to_string(j["discrepancies"].get<std::size_t>()) + " discrepancies");
  ctx.emit(j, {t});
}

void print_performance(Context& ctx, const nlohmann::json& j) {
  auto pct = [](const nlohmann::json& v) { return v.is_null() ? std::string("-") : fmt_percent(v.get<double>()); };
  TextTable t("Performance of " + text(j["scope"]) + " " + text(j["start"]) + " .. " + text(j["end"]));
  t.column("measure", TextTable::Align::kLeft).column("value");
  t.row({"start value", money(j["start_value"])});
  t.row({"end value", money(j["end_value"])});
  t.row({"net external flows", money(j["net_flows"])});
  t.row({"time-weighted return", pct(j["twr"])});
  t.row({"CAGR (of TWR)", pct(j["cagr"])});
  t.row({"money-weighted (XIRR)", pct(j["xirr"])});
  t.row({"volatility (annual)", pct(j["volatility"])});
  t.row({"Sharpe", fmt_number(j["sharpe"].get<double>(), 3)});
  t.row({"Sortino", fmt_number(j["sortino"].get<double>(), 3)});
  t.row({"max drawdown", pct(j["max_drawdown"]["depth"]) + " (" + text(j["max_drawdown"]["peak"]) + " -> " +
                             text(j["max_drawdown"]["trough"]) + ", recovered " + text(j["max_drawdown"]["recovery"]) + ")"});
  t.row({"Calmar", fmt_number(j["calmar"].get<double>(), 3)});
  TextTable g("Annual growth");
  g.column("period", TextTable::Align::kLeft).column("start_value").column("end_value").column("flows").column("twr");
  for (const auto& p : j["growth"]["annual"]) {
    g.row({text(p["period"]), money(p["start_value"]), money(p["end_value"]), money(p["flows"]), pct(p["twr"])});
  }
  ctx.emit(j, {t, g});
}


// `keel ledger snapshot|networth`: a scope (--account NAME or --all) instead of the source flags.
struct SnapshotFlags {
  std::string account, prices, as_of, from, to, transactions;
  bool all = false;
};

service::LedgerSource snapshot_source(const SnapshotFlags& f) {
  if (f.all == !f.account.empty()) throw Error::usage("give either --account NAME or --all");
  service::LedgerSource s;
  if (!f.account.empty()) s.account = f.account;
  if (!f.prices.empty()) s.prices_file = f.prices;
  if (!f.transactions.empty()) s.transactions_file = f.transactions;
  if (!f.as_of.empty()) s.as_of = Date::parse_or_throw(f.as_of, "--as-of");
  return s;
}

std::string pct_or_dash(const nlohmann::json& v) { return v.is_null() ? "-" : fmt_percent(v.get<double>()); }

void print_networth(Context& ctx, const nlohmann::json& j) {
  TextTable t("Net worth of " + text(j["scope"]) + " (" + text(j["source"]) + ")");
  t.column("date", TextTable::Align::kLeft).column("net_worth").column("market_value").column("cash");
  t.column("unrealized").column("change").column("growth");
  for (const auto& p : j["points"]) {
    t.row({text(p["date"]), money(p["net_worth"]), money(p["market_value"]), money(p["cash"]), money(p["unrealized"]),
           money(p["change"]), pct_or_dash(p["growth"])});
  }
  const auto& tot = j["totals"];
  if (tot.contains("change")) {
    t.footer("change " + money(tot["change"]) + "   growth " + pct_or_dash(tot["growth"]) + "   annualized " +
             pct_or_dash(tot["annualized_growth"]));
  }
  TextTable g("Growth by period");
  g.column("period", TextTable::Align::kLeft).column("start_value").column("end_value").column("change").column("growth");
  for (const char* kind : {"annual", "quarterly", "monthly"}) {
    for (const auto& p : j["growth"][kind]) {
      g.row({text(p["period"]), money(p["start_value"]), money(p["end_value"]), money(p["change"]), pct_or_dash(p["growth"])});
    }
  }
  ctx.emit(j, {t, g});
}

void add_snapshot_commands(CLI::App* group, Context& ctx) {
  auto f = std::make_shared<SnapshotFlags>();
  auto* snap = group->add_subcommand("snapshot", "Record net worth, market value, cash and basis at a date");
  snap->add_option("--account,-a", f->account, "Stored account to value");
  snap->add_flag("--all", f->all, "Every stored account together (the household)");
  snap->add_option("--as-of", f->as_of, "Valuation date (default: last transaction or price date)");
  snap->add_option("--prices", f->prices, "Prices CSV (else the store's prices)");
  snap->callback([&ctx, f] {
    const auto j = service::record_ledger_snapshot(ctx.store(), snapshot_source(*f));
    warn_all(ctx, j);
    TextTable t(std::string(j["replaced"].get<bool>() ? "Replaced" : "Recorded") + " snapshot of " +
                text(j["scope"]) + " as of " + text(j["as_of"]));
    t.column("measure", TextTable::Align::kLeft).column("value");
    for (const char* k : {"net_worth", "market_value", "cash", "cost_basis", "unrealized"}) t.row({k, money(j[k])});
    if (!j["unpriced"].empty()) t.footer("unpriced (left out): " + std::to_string(j["unpriced"].size()));
    ctx.emit(j, {t});
  });

  auto* nw = group->add_subcommand("networth", "Net worth history from snapshots: change and growth per period");
  nw->add_option("--account,-a", f->account, "Stored account");
  nw->add_flag("--all", f->all, "Every stored account together (the household)");
  nw->add_option("--from", f->from, "First date (YYYY-MM-DD)");
  nw->add_option("--to", f->to, "Last date (YYYY-MM-DD)");
  nw->add_option("--prices", f->prices, "Prices CSV for the replay when there are no snapshots");
  nw->add_option("--transactions,-t", f->transactions, "Replay a transactions CSV instead of stored accounts");
  nw->callback([&ctx, f] {
    if (!f->transactions.empty() && !f->account.empty()) {
      throw Error::usage("--transactions replays every account of the file: use --all");
    }
    std::optional<Date> from, to;
    if (!f->from.empty()) from = Date::parse_or_throw(f->from, "--from");
    if (!f->to.empty()) to = Date::parse_or_throw(f->to, "--to");
    Store* store = f->transactions.empty() || ctx.has_store_file() ? &ctx.store() : nullptr;
    const auto j = service::ledger_networth(store, snapshot_source(*f), from, to);
    warn_all(ctx, j);
    print_networth(ctx, j);
  });
}
}  // namespace

void add_ledger_commands(CLI::App& app, Context& ctx) {
  // keel ledger ...
  auto* group = app.add_subcommand("ledger", "Tax lots, realized gains, holdings, reconciliation and performance");
  group->require_subcommand(1);
  auto f = std::make_shared<LedgerFlags>();

  auto* lots = group->add_subcommand("lots", "Open tax lots with basis and acquisition dates");
  add_source_flags(lots, *f, false);
  lots->callback([&ctx, f] {
    const auto j = service::ledger_lots(store_for(ctx, *f), to_source(*f));
    warn_all(ctx, j);
    print_lots(ctx, j);
  });

  auto* gains = group->add_subcommand("gains", "Realized gains by lot, short/long term, wash sales");
  add_source_flags(gains, *f, false);
  gains->add_option("--year", f->year, "Sales in this calendar year only");
  gains->callback([&ctx, f] {
    const auto j = service::ledger_gains(store_for(ctx, *f), to_source(*f));
    warn_all(ctx, j);
    print_gains(ctx, j);
  });

  auto* holdings = group->add_subcommand("holdings", "Positions at market, unrealized gains, allocation, net worth");
  add_source_flags(holdings, *f, true);
  holdings->callback([&ctx, f] {
    const auto j = service::ledger_holdings(store_for(ctx, *f), to_source(*f));
    warn_all(ctx, j);
    print_holdings(ctx, j);
  });

  auto broker = std::make_shared<std::string>();
  auto tolerance = std::make_shared<std::string>("0");
  auto* rec = group->add_subcommand("reconcile", "Compare rebuilt holdings with a broker holdings file");
  add_source_flags(rec, *f, false);
  rec->add_option("--broker", *broker, "Broker holdings CSV: symbol,quantity[,cost_basis,account]")->required();
  rec->add_option("--tolerance", *tolerance, "Basis difference accepted, currency units")->capture_default_str();
  rec->callback([&ctx, f, broker, tolerance] {
    const auto j = service::ledger_reconcile(store_for(ctx, *f), to_source(*f), *broker, *tolerance);
    print_reconcile(ctx, j);
  });

  auto from = std::make_shared<std::string>();
  auto perf_opts = std::make_shared<ledger::PerformanceOptions>();
  auto* perf = group->add_subcommand("performance", "TWR, XIRR, CAGR, volatility, Sharpe, Sortino, drawdown, Calmar");
  add_source_flags(perf, *f, true);
  perf->add_option("--from", *from, "Start date (default: first transaction)");
  perf->add_option("--risk-free", perf_opts->risk_free_annual, "Risk-free rate, decimal per year")->capture_default_str();
  perf->add_option("--periods-per-year", perf_opts->periods_per_year, "Periods per year for annualising")
      ->capture_default_str();
  perf->callback([&ctx, f, from, perf_opts] {
    std::optional<Date> d;
    if (!from->empty()) d = Date::parse_or_throw(*from, "--from");
    const auto j = service::ledger_performance(store_for(ctx, *f), to_source(*f), d, *perf_opts);
    warn_all(ctx, j);
    print_performance(ctx, j);
  });

  add_snapshot_commands(group, ctx);

  // keel account ...
  auto* account = app.add_subcommand("account", "Ledger accounts: create, list, show");
  account->require_subcommand(1);
  auto creq = std::make_shared<service::AccountCreateRequest>();
  auto* create = account->add_subcommand("create", "Create an account");
  create->add_option("name", creq->name, "Account name")->required();
  spec_options(create, *creq);
  create->callback([&ctx, creq] {
    const service::AccountResult a = service::create_account(ctx.service(), *creq);
    TextTable t("Created account " + a.name);
    t.column("field", TextTable::Align::kLeft).column("value", TextTable::Align::kLeft);
    t.row({"method", a.method}).row({"allow_short", a.allow_short ? "true" : "false"}).row({"currency", a.currency});
    ctx.emit(spec::to_json(a), {t});
  });
  auto* list = account->add_subcommand("list", "Accounts with their transaction counts");
  list->callback([&ctx] {
    const service::AccountListResult all = service::list_accounts(ctx.service());
    TextTable t;
    t.column("name", TextTable::Align::kLeft).column("method", TextTable::Align::kLeft).column("transactions");
    t.column("first", TextTable::Align::kLeft).column("last", TextTable::Align::kLeft);
    for (const auto& a : all.items) {
      t.row({a.name, a.method, std::to_string(a.transactions), a.first_date.value_or("-"), a.last_date.value_or("-")});
    }
    if (all.items.empty()) t.footer("no accounts yet: keel account create NAME");
    ctx.emit(spec::to_json(all), {t});
  });
  auto name = std::make_shared<std::string>();
  auto* show = account->add_subcommand("show", "An account's settings, positions and cash");
  show->add_option("name", *name, "Account name")->required();
  show->callback([&ctx, name] {
    const service::AccountShowResult a = service::show_account(ctx.service(), *name);
    TextTable t("Account " + *name + " (" + a.account.method + ", " + std::to_string(a.account.transactions) +
                " transactions)");
    t.column("symbol", TextTable::Align::kLeft).column("quantity").column("basis");
    for (const auto& p : a.positions) {
      t.row({p.symbol, qty(p.quantity.to_double()), fmt_amount(p.basis.to_double())});
    }
    t.footer("cash " + fmt_amount(a.cash.to_double()));
    ctx.emit(spec::to_json(a), {t});
  });

  // keel export ...
  auto* exp = app.add_subcommand("export", "Export transactions, lots, gains or holdings as CSV (or --format json)");
  exp->require_subcommand(1);
  auto out = std::make_shared<std::string>();
  const std::pair<const char*, service::ExportKind> kinds[] = {{"transactions", service::ExportKind::kTransactions},
                                                               {"lots", service::ExportKind::kLots},
                                                               {"gains", service::ExportKind::kGains},
                                                               {"holdings", service::ExportKind::kHoldings}};
  for (const auto& [kind_name, kind] : kinds) {
    auto* cmd = exp->add_subcommand(kind_name, std::string("Export ") + kind_name);
    add_source_flags(cmd, *f, kind == service::ExportKind::kHoldings);
    if (kind == service::ExportKind::kGains) cmd->add_option("--year", f->year, "Sales in this calendar year only");
    cmd->add_option("--out,-o", *out, "Write to this file (default: stdout)");
    cmd->callback([&ctx, f, out, kind = kind] {
      const auto source = to_source(*f);
      const std::string body = ctx.format_name == "json"
                                    ? service::export_json(store_for(ctx, *f), source, kind).dump(2) + "\n"
                                    : service::export_csv(store_for(ctx, *f), source, kind);
      if (out->empty()) {
        std::cout << body;
        return;
      }
      std::ofstream file(*out);
      if (!file) throw Error::invalid_input(*out + ": cannot write");
      file << body;
      ctx.note("wrote " + *out);
    });
  }

  // keel import transactions FILE --account NAME [--mapping FILE] [--replace]
  if (CLI::App* imp = app.get_subcommand("import")) {
    auto file = std::make_shared<std::string>();
    auto acct = std::make_shared<std::string>();
    auto mapping = std::make_shared<std::string>();
    auto replace = std::make_shared<bool>(false);
    auto* tx = imp->add_subcommand("transactions", "Broker transactions of an account (validated, all-or-nothing)");
    tx->add_option("file", *file, "CSV file")->required();
    tx->add_option("--account,-a", *acct, "Account (created when missing)")->required();
    tx->add_option("--mapping", *mapping, "Broker mapping JSON (examples/ledger/*.mapping.json)");
    tx->add_flag("--replace", *replace, "Replace the account's transactions instead of appending");
    tx->callback([&ctx, file, acct, mapping, replace] {
      std::optional<std::string> m;
      if (!mapping->empty()) m = *mapping;
      const auto j = service::import_transactions(ctx.store(), *file, *acct, m, *replace);
      warn_all(ctx, j);
      TextTable t("Imported transactions from " + *file);
      t.column("field", TextTable::Align::kLeft).column("value", TextTable::Align::kLeft);
      for (const char* k : {"account", "rows", "symbols", "account_transactions", "first_date", "last_date"}) {
        t.row({k, text(j[k])});
      }
      ctx.emit(j, {t});
    });
  }
}

}  // namespace keel::cli
