// `keel ledger lots|gains|holdings|reconcile|performance|income`, `keel account create|list|show`,
// `keel export transactions|lots|gains|holdings` and `keel import transactions`.
#include <fmt/format.h>

#include <fstream>
#include <iostream>
#include <memory>

#include "context.h"
#include "keel/io/input.h"
#include "keel/io/json_input.h"
#include "keel/service/ledger_exports.h"
#include "keel/service/ledger_mappings.h"
#include "spec_cli.h"
#include "keel/core/error.h"
#include "keel/service/ledger.h"
#include "keel/service/ledger_income.h"
#include "keel/risk/stage_profile.h"
#include "keel/service/ledger_networth.h"

namespace keel::cli {
namespace {


std::string money(const ledger::Decimal& d) { return fmt_amount(d.to_double()); }
std::string money(const spec::Nullable<ledger::Decimal>& d) { return d ? money(*d) : "-"; }
std::string money(double d) { return fmt_amount(d); }
std::string qty(const ledger::Decimal& q) {
  const double d = q.to_double();
  return fmt_amount(d, d == static_cast<double>(static_cast<long long>(d)) ? 0 : 4);
}
std::string text(const spec::Nullable<std::string>& v) { return v ? *v : "-"; }
std::string pct(const spec::Nullable<double>& v) { return v ? fmt_percent(*v) : "-"; }

void warn_all(Context& ctx, const std::vector<std::string>& warnings) {
  for (const auto& w : warnings) ctx.warn(w);
}

// Gains and lots can run to millions of rows: their tables are made only when printed.
void print_gains(Context& ctx, const service::LedgerGainsResult& r) {
  ctx.emit_lazy(r, [&r] {
    TextTable t("Realized gains (" + r.method + ")");
    t.column("account", TextTable::Align::kLeft).column("symbol", TextTable::Align::kLeft);
    t.column("sell_date", TextTable::Align::kLeft).column("buy_date", TextTable::Align::kLeft);
    t.column("quantity").column("proceeds").column("cost").column("wash_disallowed").column("gain");
    t.column("term", TextTable::Align::kLeft);
    for (const auto& g : r.realized) {
      t.row({g.account, g.symbol, g.sell_date.to_string(), g.buy_date.to_string(), qty(g.quantity), money(g.proceeds),
             money(g.cost), money(g.wash_sale_disallowed), money(g.gain), g.term});
    }
    const auto& tot = r.totals;
    t.footer("short term " + money(tot.short_term) + "   long term " + money(tot.long_term) + "   total " +
             money(tot.total) + "   wash sales disallowed " + money(tot.wash_sale_disallowed));
    t.footer("dividends " + money(r.income.dividends) + "   interest " + money(r.income.interest));
    return std::vector<TextTable>{t};
  });
}

void print_lots(Context& ctx, const service::LedgerLotsResult& r) {
  ctx.emit_lazy(r, [&r] {
    TextTable t("Open lots (" + r.method + ")");
    t.column("account", TextTable::Align::kLeft).column("symbol", TextTable::Align::kLeft);
    t.column("lot_id", TextTable::Align::kLeft).column("buy_date", TextTable::Align::kLeft);
    t.column("acquired", TextTable::Align::kLeft).column("quantity").column("basis").column("wash_adj");
    for (const auto& l : r.lots) {
      t.row({l.account, l.symbol, l.lot_id, l.buy_date.to_string(), l.acquired_date.to_string(), qty(l.quantity),
             money(l.basis), money(l.wash_sale_adjustment)});
    }
    t.footer(fmt::format("{} lots, basis {}", r.lots.size(), money(r.totals.basis)));
    return std::vector<TextTable>{t};
  });
}

void print_holdings(Context& ctx, const service::LedgerHoldingsResult& r) {
  TextTable t("Holdings as of " + r.as_of.to_string());
  t.column("account", TextTable::Align::kLeft).column("symbol", TextTable::Align::kLeft).column("quantity");
  t.column("basis").column("price").column("market_value").column("unrealized").column("weight");
  t.column("sector", TextTable::Align::kLeft);
  for (const auto& p : r.positions) {
    t.row({p.account, p.symbol, qty(p.quantity), money(p.basis), money(p.price), money(p.market_value),
           money(p.unrealized), fmt_percent(p.weight), p.sector});
  }
  const auto& tot = r.totals;
  t.footer("securities " + money(tot.securities_value) + "   cash " + money(tot.cash) + "   net worth " +
           money(tot.net_worth) + "   unrealized " + money(tot.unrealized));
  TextTable a("Allocation");
  a.column("by", TextTable::Align::kLeft).column("key", TextTable::Align::kLeft).column("market_value").column("weight");
  const std::pair<const char*, const std::vector<service::AllocationSliceResult>*> by[] = {
      {"asset_type", &r.allocation.asset_type}, {"sector", &r.allocation.sector}, {"account", &r.allocation.account}};
  for (const auto& [name, slices] : by) {
    for (const auto& s : *slices) a.row({name, s.key, money(s.market_value), fmt_percent(s.weight)});
  }
  ctx.emit(r, {t, a});
}

void print_reconcile(Context& ctx, const service::LedgerReconcileResult& r) {
  TextTable t("Reconciliation with " + r.broker_file);
  t.column("account", TextTable::Align::kLeft).column("symbol", TextTable::Align::kLeft);
  t.column("ledger_qty").column("broker_qty").column("ledger_basis").column("broker_basis");
  t.column("status", TextTable::Align::kLeft);
  for (const auto& row : r.rows) {
    t.row({row.account, row.symbol, qty(row.ledger_quantity), qty(row.broker_quantity), money(row.ledger_basis),
           money(row.broker_basis), row.status});
  }
  t.footer(fmt::format("{} discrepancies", r.discrepancies));
  warn_all(ctx, r.warnings);
  ctx.emit(r, {t});
}

void print_performance(Context& ctx, const service::LedgerPerformanceResult& r) {
  auto p = [](double v) { return fmt_percent(v); };
  TextTable t("Performance of " + r.scope + " " + r.start + " .. " + r.end);
  t.column("measure", TextTable::Align::kLeft).column("value");
  t.row({"start value", money(r.start_value)});
  t.row({"end value", money(r.end_value)});
  t.row({"net external flows", money(r.net_flows)});
  t.row({"time-weighted return", p(r.twr)});
  t.row({"CAGR (of TWR)", p(r.cagr)});
  t.row({"money-weighted (XIRR)", pct(r.xirr)});
  t.row({"volatility (annual)", p(r.volatility)});
  t.row({"Sharpe", fmt_number(r.sharpe, 3)});
  t.row({"Sortino", fmt_number(r.sortino, 3)});
  const auto& dd = r.max_drawdown;
  t.row({"max drawdown",
         p(dd.depth) + " (" + text(dd.peak) + " -> " + text(dd.trough) + ", recovered " + text(dd.recovery) + ")"});
  t.row({"Calmar", fmt_number(r.calmar, 3)});
  TextTable g("Annual growth");
  g.column("period", TextTable::Align::kLeft).column("start_value").column("end_value").column("flows").column("twr");
  for (const auto& x : r.growth.annual) {
    g.row({x.period, money(x.start_value), money(x.end_value), money(x.flows), p(x.twr)});
  }
  if (!r.benchmark) {
    ctx.emit(r, {t, g});
    return;
  }
  const auto& b = *r.benchmark;
  TextTable c("Against " + b.benchmark);
  c.column("measure", TextTable::Align::kLeft).column("portfolio").column("benchmark");
  c.row({"return", p(b.portfolio_return), p(b.benchmark_return)});
  c.row({"CAGR", p(b.portfolio_cagr), p(b.benchmark_cagr)});
  c.row({"excess return", p(b.excess_return), ""}).row({"excess CAGR", p(b.excess_cagr), ""});
  c.row({"volatility", p(r.volatility), p(b.benchmark_volatility)});
  c.row({"tracking error", p(b.tracking_error), ""});
  c.row({"information ratio", fmt_number(b.information_ratio, 3), ""});
  c.row({"beta", fmt_number(b.beta, 3), ""}).row({"alpha (annual)", p(b.alpha), ""});
  c.row({"correlation", fmt_number(b.correlation, 3), ""});
  c.row({"up capture", b.up_capture ? fmt_number(*b.up_capture, 3) : "-", ""});
  c.row({"down capture", b.down_capture ? fmt_number(*b.down_capture, 3) : "-", ""});
  const auto& bd = b.benchmark_drawdown;
  c.row({"max drawdown", p(dd.depth) + " (" + text(dd.peak) + " -> " + text(dd.trough) + ")",
         p(bd.depth) + " (" + text(bd.peak) + " -> " + text(bd.trough) + ")"});
  c.row({"money-weighted (XIRR)", pct(r.xirr), pct(b.same_flows.xirr)});
  c.row({"end value, same flows", money(b.same_flows.portfolio_end_value), money(b.same_flows.end_value)});
  TextTable y("Calendar-year returns");
  y.column("year", TextTable::Align::kLeft).column("portfolio").column("benchmark").column("excess");
  for (const auto& x : b.annual) y.row({x.period, p(x.portfolio), p(x.benchmark), p(x.excess)});
  TextTable m("Monthly returns");
  m.column("month", TextTable::Align::kLeft).column("portfolio").column("benchmark").column("excess");
  for (const auto& x : b.monthly) m.row({x.period, p(x.portfolio), p(x.benchmark), p(x.excess)});
  ctx.emit(r, {t, c, y, m});
}

void print_income(Context& ctx, const service::LedgerIncomeResult& r) {
  TextTable g(fmt::format("Income of {} {} .. {} by {}", r.scope, text(r.from), r.to, r.by));
  g.column(r.by, TextTable::Align::kLeft).column("gross").column("withheld").column("net").column("dividends");
  g.column("interest").column("distributions").column("reinvested").column("payments");
  const auto row = [&](const std::string& key, const service::IncomeTotalsResult& t) {
    g.row({key, money(t.gross), money(t.withholding), money(t.net), money(t.dividends), money(t.interest),
           money(t.distributions), money(t.reinvested), std::to_string(t.payments)});
  };
  for (const auto& x : r.groups) row(x.key.empty() && r.by == "symbol" ? "(cash)" : x.key, x.totals);
  row("total", r.totals);
  const auto& t12 = r.trailing_12m;
  const auto& p12 = r.projected_12m;
  g.footer("trailing 12 months: gross " + money(t12.gross) + "   withheld " + money(t12.withholding) + "   net " +
           money(t12.net));
  g.footer("projected next 12 months: gross " + money(p12.gross) + "   withheld " + money(p12.withholding) +
           "   net " + money(p12.net));
  TextTable h("Holdings as of " + r.to);
  h.column("account", TextTable::Align::kLeft).column("symbol", TextTable::Align::kLeft).column("shares");
  h.column("basis").column("market_value").column("trailing_12m").column("frequency", TextTable::Align::kLeft);
  h.column("last_paid", TextTable::Align::kLeft).column("projected_12m").column("yield_on_cost");
  h.column("current_yield").column("next_payment", TextTable::Align::kLeft);
  for (const auto& x : r.holdings) {
    h.row({x.account, x.symbol, qty(x.shares), money(x.basis), money(x.market_value), money(x.trailing_12m.gross),
           x.frequency, text(x.last_paid), money(x.projected_gross), pct(x.yield_on_cost), pct(x.current_yield),
           text(x.next_payment)});
  }
  TextTable c("Expected payments");
  c.column("date", TextTable::Align::kLeft).column("account", TextTable::Align::kLeft);
  c.column("symbol", TextTable::Align::kLeft).column("gross").column("withheld").column("net");
  for (const auto& x : r.calendar) {
    c.row({x.date.to_string(), x.account, x.symbol, money(x.gross), money(x.withholding), money(x.net)});
  }
  if (r.calendar.empty()) c.footer("none: no regular payer held");
  ctx.emit(r, {g, h, c});
}

void print_networth(Context& ctx, const service::LedgerNetworthResult& r) {
  TextTable t("Net worth of " + r.scope + " (" + r.source + ")");
  t.column("date", TextTable::Align::kLeft).column("net_worth").column("market_value").column("cash");
  t.column("unrealized").column("change").column("growth");
  for (const auto& p : r.points) {
    t.row({p.date, money(p.net_worth), money(p.market_value), money(p.cash), money(p.unrealized), money(p.change),
           pct(p.growth)});
  }
  const auto& tot = r.totals;
  if (tot.change) {
    t.footer("change " + money(*tot.change) + "   growth " + pct(tot.growth.value_or(spec::Nullable<double>())) +
             "   annualized " + pct(tot.annualized_growth));
  }
  TextTable g("Growth by period");
  g.column("period", TextTable::Align::kLeft).column("start_value").column("end_value").column("change").column("growth");
  for (const auto* kind : {&r.growth.annual, &r.growth.quarterly, &r.growth.monthly}) {
    for (const auto& p : *kind) {
      g.row({p.period.value_or("-"), money(p.start_value), money(p.end_value), money(p.change), pct(p.growth)});
    }
  }
  ctx.emit(r, {t, g});
}

void add_snapshot_commands(CLI::App* group, Context& ctx) {
  auto sreq = std::make_shared<service::LedgerSnapshotRequest>();
  auto* snap = group->add_subcommand("snapshot", "Record net worth, market value, cash and basis at a date");
  spec_options(snap, *sreq);
  snap->callback([&ctx, sreq] {
    const auto r = service::record_ledger_snapshot(ctx.service(), *sreq);
    warn_all(ctx, r.warnings);
    TextTable t(std::string(r.replaced ? "Replaced" : "Recorded") + " snapshot of " + r.scope + " as of " + r.as_of);
    t.column("measure", TextTable::Align::kLeft).column("value");
    t.row({"net_worth", money(r.net_worth)}).row({"market_value", money(r.market_value)}).row({"cash", money(r.cash)});
    t.row({"cost_basis", money(r.cost_basis)}).row({"unrealized", money(r.unrealized)});
    if (!r.unpriced.empty()) t.footer(fmt::format("unpriced (left out): {}", r.unpriced.size()));
    ctx.emit(r, {t});
  });

  auto nreq = std::make_shared<service::LedgerNetworthRequest>();
  auto* nw = group->add_subcommand("networth", "Net worth history from snapshots: change and growth per period");
  spec_options(nw, *nreq);
  nw->callback([&ctx, nreq] {
    const auto r = service::ledger_networth(ctx.service_if(!nreq->transactions_file), *nreq);
    warn_all(ctx, r.warnings);
    print_networth(ctx, r);
  });
}

// `keel ledger mapping list|show|save|delete`: the tenant's broker mappings by name, the use cases
// of /api/v1/ledger/mappings (keel/service/ledger_mappings.h), which an import names with
// --mapping-name.
void add_mapping_commands(CLI::App* group, Context& ctx) {
  auto* mapping = group->add_subcommand("mapping", "Broker mappings saved by name (an import's --mapping-name)");
  mapping->require_subcommand(1);
  auto table = [](const std::vector<service::LedgerMappingResult>& items, const std::string& title) {
    TextTable t(title);
    t.column("name", TextTable::Align::kLeft).column("builtin", TextTable::Align::kLeft)
        .column("updated_at", TextTable::Align::kLeft).column("updated_by", TextTable::Align::kLeft);
    for (const auto& m : items) {
      t.row({m.name, m.builtin ? "yes" : "no", m.updated_at.value_or("-"), m.updated_by.value_or("-")});
    }
    return t;
  };

  auto* list = mapping->add_subcommand("list", "The built-in mappings and the tenant's");
  list->callback([&ctx, table] {
    const auto out = service::list_ledger_mappings(ctx.service());
    ctx.emit(spec::to_json(out), {table(out.items, "Broker mappings")});
  });

  auto name = std::make_shared<std::string>();
  auto* show = mapping->add_subcommand("show", "A mapping's document");
  show->add_option("name", *name, "The mapping's name")->required();
  show->callback([&ctx, name, table] {
    const auto out = service::find_ledger_mapping(ctx.service(), *name);
    ctx.emit(spec::to_json(out), {table({out}, "Broker mapping " + out.name)});
  });

  struct SaveFlags {
    std::string name, file;
  };
  auto sf = std::make_shared<SaveFlags>();
  auto* save = mapping->add_subcommand("save", "Save a mapping document (JSON, docs/ledger.md) under a name");
  save->add_option("name", sf->name, "The mapping's name")->required();
  save->add_option("file", sf->file, "The mapping document (JSON)")->required();
  save->callback([&ctx, sf, table] {
    service::LedgerMappingSaveRequest req;
    req.name = sf->name;
    req.document = io::read_json_file(local_files(), sf->file, "mapping", "broker mapping");
    const auto out = service::save_ledger_mapping(ctx.service(), req);
    ctx.emit(spec::to_json(out), {table({out}, "Saved broker mapping " + out.name)});
  });

  auto* del = mapping->add_subcommand("delete", "Delete a saved mapping");
  del->add_option("name", *name, "The mapping's name")->required();
  del->callback([&ctx, name] {
    const auto out = service::delete_ledger_mapping(ctx.service(), *name);
    ctx.emit(spec::to_json(out), {TextTable("Deleted broker mapping " + out.name)});
  });
}

// An export's text to --out FILE (noted), else to stdout.
void write_export(Context& ctx, const std::string& out, const std::string& body) {
  if (out.empty()) {
    std::cout << body;
    return;
  }
  std::ofstream file(out);
  if (!file) throw Error::invalid_input(out + ": cannot write");
  file << body;
  ctx.note("wrote " + out);
}

// `keel export KIND`: the request's flags, --out FILE; CSV, or the result's JSON with --format json.
template <class Req, class Json>
void add_export(CLI::App* exp, Context& ctx, const char* kind_name, service::ExportKind kind, Json json) {
  auto req = std::make_shared<Req>();
  auto out = std::make_shared<std::string>();
  auto* cmd = exp->add_subcommand(kind_name, std::string("Export ") + kind_name);
  spec_options(cmd, *req);
  cmd->add_option("--out,-o", *out, "Write to this file (default: stdout)");
  cmd->callback([&ctx, req, out, kind, json] {
    const auto cx = ctx.service_for(req->source);
    write_export(ctx, *out, ctx.format_name == "json" ? spec::to_json(json(cx, *req)).dump(2) + "\n"
                                                      : service::export_csv(cx, req->source, kind));
  });
}
}  // namespace

void add_ledger_commands(CLI::App& app, Context& ctx) {
  // keel ledger ...
  auto* group = app.add_subcommand("ledger", "Tax lots, realized gains, holdings, reconciliation and performance");
  group->require_subcommand(1);

  auto lreq = std::make_shared<service::LedgerLotsRequest>();
  auto* lots = group->add_subcommand("lots", "Open tax lots with basis and acquisition dates");
  spec_options(lots, *lreq);
  lots->callback([&ctx, lreq] {
    const auto r = service::ledger_lots(ctx.service_for(lreq->source), *lreq);
    warn_all(ctx, r.warnings);
    print_lots(ctx, r);
  });

  auto treq = std::make_shared<service::LedgerTransactionsRequest>();
  auto* txs = group->add_subcommand("transactions", "An account's transactions as stored, filtered (--symbol --type --from --to)");
  spec_options(txs, *treq);
  txs->callback([&ctx, treq] {
    const auto r = service::ledger_transactions(ctx.service(), *treq);
    TextTable t(fmt::format("Transactions of {}: {} of {}", r.account, r.items.size(), r.total));
    t.column("#").column("date", TextTable::Align::kLeft).column("type", TextTable::Align::kLeft)
        .column("symbol", TextTable::Align::kLeft).column("quantity").column("price").column("fees").column("amount")
        .column("note", TextTable::Align::kLeft);
    for (const auto& i : r.items) {
      const auto& x = i.row;
      t.row({std::to_string(i.number), x.date, x.type, x.symbol, x.quantity, x.price, x.fees, x.amount.value_or(""),
             x.note.value_or("")});
    }
    ctx.emit(spec::to_json(r), {t});
  });

  // `ledger transaction edit|delete`: one stored row corrected or removed, the account re-booked.
  auto* one = group->add_subcommand("transaction", "Correct or remove one stored transaction (its number: ledger transactions)");
  one->require_subcommand(1);
  auto print_edit = [&ctx](const service::TransactionEditResult& r) {
    warn_all(ctx, r.warnings);
    TextTable t(fmt::format("Transaction {} of {} {}; the account holds {} rows", r.number, r.account, r.action,
                            r.account_transactions));
    t.column("", TextTable::Align::kLeft).column("date", TextTable::Align::kLeft).column("type", TextTable::Align::kLeft)
        .column("symbol", TextTable::Align::kLeft).column("quantity").column("price").column("fees").column("amount")
        .column("note", TextTable::Align::kLeft);
    auto row = [&t](const char* label, const service::ExportedTransaction& x) {
      t.row({label, x.date, x.type, x.symbol, x.quantity, x.price, x.fees, x.amount.value_or(""), x.note.value_or("")});
    };
    row("before", r.before);
    if (r.after) row("after", *r.after);
    ctx.emit(spec::to_json(r), {t});
  };
  auto ereq = std::make_shared<service::TransactionEditRequest>();
  auto* edit = one->add_subcommand("edit", "Change fields of a stored transaction; the account is booked again");
  spec_options(edit, *ereq);
  edit->callback([&ctx, ereq, print_edit] { print_edit(service::edit_transaction(ctx.service(), *ereq)); });
  auto dreq = std::make_shared<service::TransactionRef>();
  auto* remove = one->add_subcommand("delete", "Remove a stored transaction; the account is booked again");
  spec_options(remove, *dreq);
  remove->callback([&ctx, dreq, print_edit] {
    service::TransactionEditRequest r;
    r.row = *dreq;
    r.remove = true;
    print_edit(service::edit_transaction(ctx.service(), r));
  });

  auto greq = std::make_shared<service::LedgerGainsRequest>();
  auto* gains = group->add_subcommand("gains", "Realized gains by lot, short/long term, wash sales");
  spec_options(gains, *greq);
  gains->callback([&ctx, greq] {
    const auto r = service::ledger_gains(ctx.service_for(greq->source), *greq);
    warn_all(ctx, r.warnings);
    print_gains(ctx, r);
  });

  auto hreq = std::make_shared<service::LedgerHoldingsRequest>();
  auto* holdings = group->add_subcommand("holdings", "Positions at market, unrealized gains, allocation, net worth");
  spec_options(holdings, *hreq);
  holdings->callback([&ctx, hreq] {
    const auto r = service::ledger_holdings(ctx.service_for(hreq->source), *hreq);
    warn_all(ctx, r.warnings);
    print_holdings(ctx, r);
  });

  auto rreq = std::make_shared<service::LedgerReconcileRequest>();
  auto* rec = group->add_subcommand("reconcile", "Compare rebuilt holdings with a broker holdings file");
  spec_options(rec, *rreq);
  rec->callback([&ctx, rreq] {
    const auto r = service::ledger_reconcile(ctx.service_for(rreq->source), *rreq);
    print_reconcile(ctx, r);
    // Differences are the answer, not an error: printed in full, and the exit code says so.
    if (r.discrepancies > 0) ctx.exit_status = 6;
  });

  auto preq = std::make_shared<service::LedgerPerformanceRequest>();
  auto* perf = group->add_subcommand("performance", "TWR, XIRR, CAGR, volatility, Sharpe, Sortino, drawdown, Calmar");
  spec_options(perf, *preq);
  perf->callback([&ctx, preq] {
    const auto r = service::ledger_performance(ctx.service_for(preq->source), *preq);
    warn_all(ctx, r.warnings);
    print_performance(ctx, r);
    risk::profile_mark("output");
    ctx.print_profile();
  });

  auto ireq = std::make_shared<service::LedgerIncomeRequest>();
  auto* income = group->add_subcommand(
      "income", "Dividends, interest and distributions: gross, withheld, net; yields; projected income");
  spec_options(income, *ireq);
  income->callback([&ctx, ireq] {
    const auto r = service::ledger_income(ctx.service_for(ireq->source), *ireq);
    warn_all(ctx, r.warnings);
    print_income(ctx, r);
    risk::profile_mark("output");
    ctx.print_profile();
  });

  add_snapshot_commands(group, ctx);
  add_mapping_commands(group, ctx);

  // keel account ...
  auto* account = app.add_subcommand("account", "Ledger accounts: create, list, show, update, delete");
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
    t.row({"type", a.type}).row({"institution", a.institution}).row({"notes", a.notes});
    ctx.emit(a, {t});
  });
  auto ureq = std::make_shared<service::AccountUpdateRequest>();
  auto* update = account->add_subcommand("update", "Rename an account or change its type, institution, notes, method");
  spec_options(update, *ureq);
  update->callback([&ctx, ureq] {
    const service::AccountResult a = service::update_account(ctx.service(), *ureq);
    TextTable t("Updated account " + a.name);
    t.column("field", TextTable::Align::kLeft).column("value", TextTable::Align::kLeft);
    t.row({"type", a.type}).row({"institution", a.institution}).row({"notes", a.notes});
    t.row({"method", a.method}).row({"allow_short", a.allow_short ? "true" : "false"}).row({"currency", a.currency});
    ctx.emit(a, {t});
  });
  auto* list = account->add_subcommand("list", "Accounts with their transaction counts");
  list->callback([&ctx] {
    const service::AccountListResult all = service::list_accounts(ctx.service());
    TextTable t;
    t.column("name", TextTable::Align::kLeft).column("type", TextTable::Align::kLeft);
    t.column("institution", TextTable::Align::kLeft).column("method", TextTable::Align::kLeft).column("transactions");
    t.column("first", TextTable::Align::kLeft).column("last", TextTable::Align::kLeft);
    for (const auto& a : all.items) {
      t.row({a.name, a.type, a.institution, a.method, std::to_string(a.transactions), a.first_date.value_or("-"),
             a.last_date.value_or("-")});
    }
    if (all.items.empty()) t.footer("no accounts yet: keel account create NAME");
    ctx.emit(all, {t});
  });
  auto name = std::make_shared<std::string>();
  auto* show = account->add_subcommand("show", "An account's settings, positions and cash");
  show->add_option("name", *name, "Account name")->required();
  show->callback([&ctx, name] {
    const service::AccountShowResult a = service::show_account(ctx.service(), *name);
    TextTable t(
        fmt::format("Account {} ({}, {} transactions)", *name, a.account.method, a.account.transactions));
    t.column("symbol", TextTable::Align::kLeft).column("quantity").column("basis");
    for (const auto& p : a.positions) {
      t.row({p.symbol, qty(p.quantity), fmt_amount(p.basis.to_double())});
    }
    t.footer("cash " + fmt_amount(a.cash.to_double()));
    ctx.emit(a, {t});
  });
  auto* del = account->add_subcommand("delete", "Delete an account and its transactions");
  del->add_option("name", *name, "Account name")->required();
  del->callback([&ctx, name] {
    const service::AccountDeleteResult out = service::delete_account(ctx.service(), *name);
    ctx.emit(out,
             {TextTable(fmt::format("Deleted account {} ({} transactions)", out.name, out.transactions))});
  });

  // keel export ...
  auto* exp = app.add_subcommand("export", "Export transactions, lots, gains or holdings as CSV (or --format json)");
  exp->require_subcommand(1);
  add_export<service::LedgerLotsRequest>(exp, ctx, "transactions", service::ExportKind::kTransactions,
                                         service::export_transactions);
  add_export<service::LedgerLotsRequest>(exp, ctx, "lots", service::ExportKind::kLots, service::ledger_lots);
  add_export<service::LedgerGainsRequest>(exp, ctx, "gains", service::ExportKind::kGains, service::ledger_gains);
  add_export<service::LedgerHoldingsRequest>(exp, ctx, "holdings", service::ExportKind::kHoldings,
                                             service::ledger_holdings);
  // keel export account --account A [--out FILE]: the whole account as one JSON document.
  auto areq = std::make_shared<service::AccountExportRequest>();
  auto aout = std::make_shared<std::string>();
  auto* acct = exp->add_subcommand("account", "The whole account (settings, every transaction, snapshots) as JSON");
  spec_options(acct, *areq);
  acct->add_option("--out,-o", *aout, "Write to this file (default: stdout)");
  acct->callback([&ctx, areq, aout] {
    write_export(ctx, *aout, spec::to_json(service::export_account(ctx.service(), *areq)).dump(2) + "\n");
  });

  // keel import transactions FILE --account NAME [--mapping FILE | --mapping-name NAME] [--replace]
  // [--dry-run] [--keep-duplicates]
  if (CLI::App* imp = app.get_subcommand("import")) {
    auto treq = std::make_shared<service::ImportTransactionsRequest>();
    auto* tx = imp->add_subcommand("transactions", "Broker transactions of an account (validated, all-or-nothing)");
    tx->add_option("file", treq->input.name, "CSV file, OFX/QFX or IBKR Flex Query statement (told from the content)")
        ->required();
    spec_options(tx, *treq);
    tx->callback([&ctx, treq] {
      const auto r = service::import_transactions(ctx.service(), *treq);
      warn_all(ctx, r.warnings);
      TextTable t((r.dry_run ? "Dry run (nothing stored) of transactions from " : "Imported transactions from ") +
                  treq->input.name);
      t.column("field", TextTable::Align::kLeft).column("value", TextTable::Align::kLeft);
      t.row({"account", r.account}).row({"rows", std::to_string(r.rows)}).row({"symbols", std::to_string(r.symbols)});
      t.row({"duplicates skipped", std::to_string(r.duplicates)});
      t.row({"account_transactions", std::to_string(r.account_transactions)});
      t.row({"first_date", text(r.first_date)}).row({"last_date", text(r.last_date)});
      std::vector<TextTable> tables;
      if (r.statement) {
        t.row({"format", r.statement->format}).row({"broker_account", r.statement->broker_account});
        t.row({"period", fmt::format("{} to {}", text(r.statement->start), text(r.statement->end))});
      }
      tables.push_back(std::move(t));
      // A statement's dry run shows its plan: the rows to add and those already held.
      if (r.statement && r.preview) {
        TextTable p("Rows");
        p.column("line").column("date", TextTable::Align::kLeft).column("type", TextTable::Align::kLeft);
        p.column("symbol", TextTable::Align::kLeft).column("quantity").column("price").column("fees").column("amount");
        p.column("id", TextTable::Align::kLeft).column("plan", TextTable::Align::kLeft);
        for (const auto& row : *r.preview) {
          p.row({std::to_string(row.line), row.date, row.type, row.symbol, row.quantity.to_string(), row.price.to_string(),
                 row.fees.to_string(), row.amount ? row.amount->to_string() : "", row.external_id.value_or(""),
                 row.duplicate ? "skip (held)" : "add"});
        }
        tables.push_back(std::move(p));
      }
      if (r.reconciliation) {
        TextTable c(fmt::format("Reconciliation with the statement's positions{}",
                                r.statement && r.statement->positions_as_of ? " on " + *r.statement->positions_as_of
                                                                            : std::string()));
        c.column("symbol", TextTable::Align::kLeft).column("statement").column("ledger").column("difference");
        c.column("status", TextTable::Align::kLeft);
        for (const auto& row : *r.reconciliation) {
          c.row({row.symbol, row.statement.to_string(), row.ledger.to_string(), row.difference.to_string(), row.status});
        }
        tables.push_back(std::move(c));
      }
      ctx.emit(r, tables);
    });
  }
}

}  // namespace keel::cli
