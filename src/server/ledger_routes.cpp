// The personal ledger of the caller's tenant over HTTP (the `keel account` and `keel ledger`
// commands): GET/POST /api/v1/accounts, GET/DELETE /api/v1/accounts/{id},
// POST /api/v1/accounts/{id}/transactions (CSV body, or JSON {"csv","mapping","replace"}),
// GET .../lots|gains|holdings|performance and POST .../reconcile (broker holdings in the body);
// net worth: POST .../snapshots and GET .../networth (POST /api/v1/networth/snapshots and
// GET /api/v1/networth: every account of the tenant together); exports: GET
// .../export/{transactions,lots,gains,holdings} (the `keel export` CSV, or ?format=json).
// {id} is the account's numeric id or its name; another tenant's account answers 404.
#include "app.h"
#include "query.h"
#include "requests.h"
#include "keel/ledger/transaction.h"
#include "keel/service/ledger.h"
#include "keel/store/ledger_repository.h"

namespace keel::server {
namespace {

store::LedgerAccount resolve_account(Call& c) {
  const std::string text = c.param("id");
  store::LedgerRepository& repo = c.store().ledger();
  for (auto& a : repo.list_accounts(c.tenant())) {
    if (a.name == text || std::to_string(a.id) == text) return a;
  }
  throw Error::not_found("no account " + text);
}

std::string account_resource(const store::LedgerAccount& a) { return "account/" + std::to_string(a.id); }

std::optional<ledger::LotMethod> lot_method(const std::optional<std::string>& text,
                                            const std::function<void(const std::string&)>& fail) {
  if (!text) return std::nullopt;
  const auto m = ledger::parse_lot_method(*text);
  if (!m) fail("expected fifo, lifo, hifo, average or specific");
  return m;
}

// The `keel ledger` source flags as query parameters: method, as_of, year, allow_short, wash_sales.
service::LedgerSource ledger_source(Call& c, const store::LedgerAccount& a, QueryFields& q) {
  service::LedgerSource s;
  s.tenant = c.tenant();
  s.account = a.name;
  s.method = lot_method(q.text("method"), [&](const std::string& m) { q.fail("method", m); });
  s.as_of = q.date("as_of");
  if (auto v = q.boolean("allow_short")) s.allow_short = *v;
  if (auto v = q.boolean("wash_sales")) s.wash_sales = *v;
  return s;
}

void list_accounts(Call& c) {
  const auto all = spec::to_json(service::list_accounts(c.service(), c.tenant()));
  c.send(200, paginate(c, all["items"], "a"));
}

void create_account(Call& c) {
  const auto body = c.json_body();  // an object
  service::AccountCreateRequest req;
  spec::JsonReader reader(body);
  service::AccountCreateRequest::fields(reader, req);
  reader.refuse_unknown();
  // Reported with the other problems of the body (the service checks the same).
  if (body.contains("name") && req.name.empty()) reader.fail("name", "required");
  else if (req.name.size() > 200) reader.fail("name", "at most 200 characters");
  reader.throw_if_problems("account");
  req.tenant = c.tenant();
  const auto out = service::create_account(c.service(), req);
  c.audit("account.create", "account/" + std::to_string(out.id), {{"name", out.name}});
  c.send(201, spec::to_json(out));
}

void show_account(Call& c) {
  const auto a = resolve_account(c);
  c.send(200, spec::to_json(service::show_account(c.service(), a.name, c.tenant())));
}

void delete_account(Call& c) {
  const auto a = resolve_account(c);
  auto out = service::delete_account(c.service(), a.name, c.tenant());
  c.audit("account.delete", account_resource(a), {{"name", a.name}, {"transactions", a.transactions}});
  out.id = a.id;
  c.send(200, spec::to_json(out));
}

// CSV body (canonical columns; ?replace=true) or JSON {"csv": text, "mapping": {broker mapping
// document, docs/ledger.md}, "replace": bool}. Every row is validated and booked with the account's
// existing rows before anything is stored; row errors come back in the error's details.
void import_transactions(Call& c) {
  const auto a = resolve_account(c);
  service::InputFile input{"body.csv", std::nullopt};
  std::optional<io::TransactionMapping> mapping;
  bool replace = false;
  if (c.body_is_json()) {
    const auto body = c.json_body();
    Fields f(body);
    input.text = f.text("csv");
    if (!input.text || input.text->empty()) f.fail("csv", "required: the transactions CSV as a string");
    replace = f.boolean("replace").value_or(false);
    if (auto it = body.find("mapping"); it != body.end() && !it->is_null()) {
      if (!it->is_object()) {
        f.fail("mapping", "expected the mapping document as an object (see docs/ledger.md)");
      } else {
        try {
          mapping = io::parse_mapping(*it, "mapping");
        } catch (const Error& e) {
          for (const auto& d : e.details()) f.fail("mapping", d);
        }
      }
    }
    f.throw_if_errors("transactions upload");
  } else {
    QueryFields q(c);
    replace = q.boolean("replace").value_or(false);
    q.throw_if_errors("transactions upload");
    if (c.req.body.empty()) throw Error::invalid_input("empty transactions upload", {"body: expected transactions CSV"});
    input.text = c.req.body;
  }
  const auto out = service::import_transactions(c.store(), input, a.name, mapping, replace, c.tenant());
  c.audit("transactions.import", account_resource(a),
          {{"name", a.name}, {"rows", out["rows"]}, {"replaced", replace}});
  c.send(200, out);
}

void lots(Call& c) {
  const auto a = resolve_account(c);
  QueryFields q(c);
  const auto source = ledger_source(c, a, q);
  q.throw_if_errors("lots request");
  c.send(200, service::ledger_lots(&c.store(), source));
}

void gains(Call& c) {
  const auto a = resolve_account(c);
  QueryFields q(c);
  auto source = ledger_source(c, a, q);
  if (auto y = q.integer("year", 1900, 2200)) source.year = static_cast<int>(*y);
  q.throw_if_errors("gains request");
  c.send(200, service::ledger_gains(&c.store(), source));
}

void holdings(Call& c) {
  const auto a = resolve_account(c);
  QueryFields q(c);
  const auto source = ledger_source(c, a, q);
  q.throw_if_errors("holdings request");
  c.send(200, service::ledger_holdings(&c.store(), source));
}

void performance(Call& c) {
  const auto a = resolve_account(c);
  QueryFields q(c);
  const auto source = ledger_source(c, a, q);
  const auto from = q.date("from");
  ledger::PerformanceOptions options;
  if (auto v = q.number("risk_free")) options.risk_free_annual = *v;
  if (auto v = q.integer("periods_per_year", 1, 366)) options.periods_per_year = static_cast<int>(*v);
  q.throw_if_errors("performance request");
  c.send(200, service::ledger_performance(&c.store(), source, from, options));
}

// JSON {"broker": "symbol,quantity[,cost_basis,account]\n...", "tolerance": "0.01"} or the broker
// CSV as the body (?tolerance=).
void reconcile(Call& c) {
  const auto a = resolve_account(c);
  QueryFields q(c);
  auto source = ledger_source(c, a, q);
  service::InputFile broker{"broker.csv", std::nullopt};
  std::string tolerance = q.text("tolerance").value_or("0.01");
  if (c.body_is_json()) {
    const auto body = c.json_body();
    Fields f(body);
    broker.text = f.text("broker");
    if (!broker.text || broker.text->empty()) f.fail("broker", "required: the broker holdings CSV as a string");
    if (auto it = body.find("tolerance"); it != body.end() && it->is_number()) {
      tolerance = it->dump();  // the decimal as written
    } else if (auto t = f.text("tolerance")) {
      tolerance = *t;
    }
    f.throw_if_errors("reconcile request");
  } else {
    if (c.req.body.empty()) throw Error::invalid_input("empty broker holdings", {"body: expected broker holdings CSV"});
    broker.text = c.req.body;
  }
  q.throw_if_errors("reconcile request");
  c.send(200, service::ledger_reconcile(&c.store(), source, broker, tolerance));
}

// {"as_of": date (default: the later of the last transaction and the last price date), "prices":
// CSV text (default: the store's prices)} for one account (`account` set) or every account.
void record_snapshot(Call& c, const std::optional<store::LedgerAccount>& account) {
  const auto body = c.req.body.empty() ? nlohmann::json::object() : c.json_body();  // every field is optional
  Fields f(body);
  service::LedgerSource source;
  source.tenant = c.tenant();
  if (account) source.account = account->name;
  source.as_of = f.date("as_of");
  source.prices_text = f.text("prices");
  if (source.prices_text && source.prices_text->empty()) f.fail("prices", "expected the prices CSV as a string");
  f.throw_if_errors("snapshot request");
  auto out = service::record_ledger_snapshot(c.store(), source);
  if (account) out["account_id"] = account->id;
  c.audit("ledger_snapshot.create", account ? account_resource(*account) : "accounts",
          {{"as_of", out["as_of"]}, {"net_worth", out["net_worth"]}, {"replaced", out["replaced"]}});
  c.send(201, out);
}

void account_snapshot(Call& c) { record_snapshot(c, resolve_account(c)); }
void household_snapshot(Call& c) { record_snapshot(c, std::nullopt); }

// ?from= ?to= (inclusive); the history of one account or of every account.
void networth(Call& c, const std::optional<store::LedgerAccount>& account) {
  QueryFields q(c);
  const auto from = q.date("from");
  const auto to = q.date("to");
  if (from && to && *to < *from) q.fail("to", "is before from");
  q.throw_if_errors("networth request");
  service::LedgerSource source;
  source.tenant = c.tenant();
  if (account) source.account = account->name;
  auto out = service::ledger_networth(&c.store(), source, from, to);
  if (account) out["account_id"] = account->id;
  c.send(200, out);
}

void account_networth(Call& c) { networth(c, resolve_account(c)); }
void household_networth(Call& c) { networth(c, std::nullopt); }

// `keel export KIND --account NAME`: the canonical CSV as text/csv, or ?format=json. Takes the
// ledger source parameters (method, as_of, allow_short, wash_sales; gains also year).
void export_kind(Call& c, service::ExportKind kind, const std::string& kind_name) {
  const auto a = resolve_account(c);
  QueryFields q(c);
  auto source = ledger_source(c, a, q);
  if (kind == service::ExportKind::kGains) {
    if (auto y = q.integer("year", 1900, 2200)) source.year = static_cast<int>(*y);
  }
  const std::string format = q.text("format").value_or("csv");
  if (format != "csv" && format != "json") q.fail("format", "expected csv or json");
  q.throw_if_errors("export request");
  if (format == "json") {
    c.send(200, service::export_json(&c.store(), source, kind));
    return;
  }
  c.res.status = 200;
  c.res.set_header("Content-Disposition", "attachment; filename=\"" + kind_name + ".csv\"");
  c.res.set_content(service::export_csv(&c.store(), source, kind), "text/csv");
}

}  // namespace

void add_ledger_routes(App& app) {
  RouteSpec list{"GET", "/api/v1/accounts", "Ledger accounts of the tenant (?limit= ?cursor=)", "ledger",
                 Permission::kRead, list_accounts};
  list.paginated = true;
  app.add_route(std::move(list));
  app.add_route(RouteSpec{"POST", "/api/v1/accounts", "Create a ledger account {name, method, allow_short, currency}",
                          "ledger", Permission::kManagePortfolios, create_account, "json"}
                    .takes<service::AccountCreateRequest>()
                    .returns<service::AccountResult>(201));
  app.add_route(RouteSpec{"GET", "/api/v1/accounts/{id}", "An account's settings, positions and cash", "ledger",
                          Permission::kRead, show_account}
                    .returns<service::AccountShowResult>());
  app.add_route(RouteSpec{"DELETE", "/api/v1/accounts/{id}", "Delete an account and its transactions", "ledger",
                          Permission::kManagePortfolios, delete_account}
                    .returns<service::AccountDeleteResult>());
  app.add_route({"POST", "/api/v1/accounts/{id}/transactions",
                 "Import transactions (CSV body, or JSON {csv, mapping, replace}); all rows or none", "ledger",
                 Permission::kImportPositions, import_transactions, "json|csv"});
  app.add_route({"GET", "/api/v1/accounts/{id}/lots", "Open tax lots (?method= ?as_of=)", "ledger", Permission::kRead,
                 lots});
  app.add_route({"GET", "/api/v1/accounts/{id}/gains", "Realized gains (?year= ?method= ?as_of=)", "ledger",
                 Permission::kRead, gains});
  app.add_route({"GET", "/api/v1/accounts/{id}/holdings", "Holdings at market (?as_of=)", "ledger", Permission::kRead,
                 holdings});
  app.add_compute_route({"GET", "/api/v1/accounts/{id}/performance",
                 "TWR, XIRR, CAGR, volatility, Sharpe, drawdown (?from= ?as_of= ?risk_free= ?periods_per_year=)",
                 "ledger", Permission::kRead, performance});
  app.add_route({"POST", "/api/v1/accounts/{id}/reconcile",
                 "Reconcile against broker holdings {broker: CSV text, tolerance}", "ledger", Permission::kCompute,
                 reconcile, "json|csv"});
  app.add_compute_route({"POST", "/api/v1/accounts/{id}/snapshots",
                 "Record the account's net worth at a date {as_of, prices: CSV text} (201)", "ledger",
                 Permission::kCompute, account_snapshot, "json"});
  app.add_compute_route({"GET", "/api/v1/accounts/{id}/networth",
                 "Net worth history from snapshots (or replayed), growth per period (?from= ?to=)", "ledger",
                 Permission::kRead, account_networth});
  app.add_compute_route({"POST", "/api/v1/networth/snapshots",
                 "Record the net worth of every account together {as_of, prices: CSV text} (201)", "ledger",
                 Permission::kCompute, household_snapshot, "json"});
  app.add_compute_route({"GET", "/api/v1/networth", "Net worth history of every account together (?from= ?to=)", "ledger",
                 Permission::kRead, household_networth});
  const std::pair<const char*, service::ExportKind> kinds[] = {{"transactions", service::ExportKind::kTransactions},
                                                               {"lots", service::ExportKind::kLots},
                                                               {"gains", service::ExportKind::kGains},
                                                               {"holdings", service::ExportKind::kHoldings}};
  for (const auto& [name, kind] : kinds) {
    app.add_route({"GET", std::string("/api/v1/accounts/{id}/export/") + name,
                   std::string("Export ") + name + " as the `keel export` CSV (text/csv) or ?format=json" +
                       " (?method= ?as_of=" + (kind == service::ExportKind::kGains ? " ?year=)" : ")"),
                   "ledger", Permission::kRead,
                   [kind = kind, name = std::string(name)](Call& c) { export_kind(c, kind, name); }});
  }
}

}  // namespace keel::server
