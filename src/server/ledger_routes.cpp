// The personal ledger of the caller's tenant over HTTP (the `keel account` and `keel ledger`
// commands): GET/POST /api/v1/accounts, GET/PUT/DELETE /api/v1/accounts/{id},
// POST /api/v1/accounts/{id}/transactions (CSV body, or JSON {"csv","mapping","replace"}),
// GET .../lots|gains|holdings|performance|income and POST .../reconcile (broker holdings in the body);
// GET .../tearsheet (the performance against a benchmark as HTML, Markdown or JSON);
// net worth: POST .../snapshots and GET .../networth (POST /api/v1/networth/snapshots and
// GET /api/v1/networth: every account of the tenant together); exports: GET
// .../export/{transactions,lots,gains,holdings} (the `keel export` CSV, or ?format=json); broker
// mappings by name: GET /api/v1/ledger/mappings, GET/PUT/DELETE /api/v1/ledger/mappings/{name}.
// {id} is the account's numeric id or its name; another tenant's account answers 404. The use
// cases (keel/service/ledger*.h) check the permission and write the audit row; the routes parse,
// call one and answer.
#include <charconv>
#include "app.h"
#include "keel/service/report_writer.h"
#include "query.h"
#include "requests.h"
#include "keel/io/statement.h"
#include "keel/io/transaction_reader.h"
#include "keel/ledger/transaction.h"
#include "keel/service/ledger.h"
#include "keel/service/ledger_income.h"
#include "keel/service/ledger_mappings.h"
#include "keel/service/ledger_networth.h"
#include "keel/service/ledger_tearsheet.h"

namespace keel::server {
namespace {

service::AccountResult resolve_account(Call& c) { return service::resolve_account(c.service(), c.param("id")); }

// ?replace= ?dry_run= ?keep_duplicates= ?mapping_name= of a CSV transactions upload (a JSON upload
// says them in its body).
struct TransactionsUploadQuery {
  bool replace = false;
  bool dry_run = false;
  bool keep_duplicates = false;
  std::optional<std::string> mapping_name;
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "replace", .help = "Replace the account's transactions (a CSV body; JSON says it in the body)"},
            s.replace);
    v.field({.name = "dry_run", .help = "Validate and preview; store nothing"}, s.dry_run);
    v.field({.name = "keep_duplicates", .help = "Store rows the account already holds again"}, s.keep_duplicates);
    v.field({.name = "mapping_name", .help = "A built-in or saved broker mapping"}, s.mapping_name);
  }
};

// A report's query parameters (method, as_of, allow_short, wash_sales; year, from, ... as the
// request describes them) read through its description, on the path's account.
template <class Req>
Req ledger_request(Call& c, const service::AccountResult& a, std::string_view what,
                   std::initializer_list<std::string_view> route_params = {}) {
  Req req;
  read_query(c, req, what, route_params);
  req.source.account = a.name;
  return req;
}

void list_accounts(Call& c) {
  const auto q = c.query_as<PageQuery>("account list parameters");
  c.send(200, spec::to_json(page_of(q, service::list_accounts(c.service()).items, "a")));
}

void create_account(Call& c) {
  const auto body = c.json_body();  // an object
  service::AccountCreateRequest req;
  spec::JsonReader reader(body);
  service::AccountCreateRequest::fields(reader, req);
  reader.refuse_unknown();  // the name's bounds are its field's (nonblank, max_length), read with the rest
  reader.throw_if_problems("account");
  c.send(201, spec::to_json(service::create_account(c.service(), req)));
}

void show_account(Call& c) {
  const auto a = resolve_account(c);
  c.send(200, spec::to_json(service::show_account(c.service(), a.name)));
}

// JSON {name, type, institution, notes, method, allow_short, currency}: the fields given replace the
// account's. The path's {id} (name or id) is the account; a body naming it is refused.
void update_account(Call& c) {
  service::AccountUpdateRequest req;
  spec::read_json(c.json_body(), req, "account update");
  req.account = c.param("id");
  c.send(200, spec::to_json(service::update_account(c.service(), req)));
}

void delete_account(Call& c) {
  const auto a = resolve_account(c);
  auto out = service::delete_account(c.service(), a.name);
  out.id = a.id;
  c.send(200, spec::to_json(out));
}

// CSV body (canonical columns; ?replace=true), an OFX/QFX or IBKR Flex Query statement as the body
// (the format told from the content), or JSON {"csv": text, "mapping": {broker mapping
// document, docs/ledger.md}, "replace": bool}. Every row is validated and booked with the account's
// existing rows before anything is stored; row errors come back in the error's details.
void import_transactions(Call& c) {
  service::ImportTransactionsRequest req;
  if (c.body_is_json()) {
    const auto body = c.json_body();
    spec::JsonReader reader(body);
    service::ImportTransactionsRequest::fields(reader, req);
    reader.refuse_unknown();
    // Reported with the other problems of the body (the service checks the same).
    if (req.csv && req.csv->empty()) reader.fail("csv", "expected the transactions CSV as a string");
    if (!req.mapping.is_null()) {
      if (!req.mapping.is_object()) {
        reader.fail("mapping", "expected the mapping document as an object (see docs/ledger.md)");
      } else {
        try {
          io::parse_mapping(req.mapping, "mapping");
        } catch (const Error& e) {
          for (const auto& d : e.details()) reader.fail("mapping", d);
          if (e.details().empty()) reader.fail("mapping", e.what());
        }
      }
    }
    reader.throw_if_problems("transactions upload");
    // A JSON string holds its whole CSV (a body cut short is not JSON), so the CSV's last line
    // needs no line ending: none is warned about.
    if (req.csv && !req.csv->empty() && req.csv->back() != '\n') req.csv->push_back('\n');
    req.input = {"body.csv", req.csv};
  } else {
    const auto q = c.query_as<TransactionsUploadQuery>("transactions upload");
    req.replace = q.replace;
    req.dry_run = q.dry_run;
    req.keep_duplicates = q.keep_duplicates;
    req.mapping_name = q.mapping_name;
    if (c.req.body.empty()) throw Error::invalid_input("empty transactions upload", {"body: expected transactions CSV"});
    // The body is a CSV or a broker statement, told from its content; messages name it so.
    const io::StatementFormat format = io::detect_statement_format(c.req.body);
    req.input = {format == io::StatementFormat::kOfx        ? "body.ofx"
                 : format == io::StatementFormat::kIbkrFlex ? "body.xml"
                                                            : "body.csv",
                 c.req.body};
  }
  // The path's account by name or id; a name of no account opens it, as `keel import transactions`
  // does (the use case asks for the right to create accounts then).
  req.account = c.param("id");
  if (!req.mapping.is_null() && req.mapping_name) {
    throw Error::invalid_input("invalid transactions upload", {"mapping_name: give mapping or mapping_name, not both"});
  }
  c.send(200, spec::to_json(service::import_transactions(c.service(), req)));
}

// ?symbol= ?type= ?from= ?to= ?limit= ?cursor= of an account's transactions list.
struct TransactionsListQuery {
  service::LedgerTransactionsFilter filter;
  PageQuery page;
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.flatten(s.filter);
    v.flatten(s.page);
  }
};

void list_transactions(Call& c) {
  const auto a = resolve_account(c);
  const auto q = c.query_as<TransactionsListQuery>("transactions list parameters");
  const Page page = decode_page(q.page.limit, q.page.cursor);
  service::LedgerTransactionsRequest req;
  req.account = a.name;
  req.filter = q.filter;
  req.offset = page.cursor ? static_cast<std::size_t>(cursor_number(page, "t:")) : 0;
  req.limit = page.limit;
  auto r = service::ledger_transactions(c.service(), req);
  PageOf<service::LedgerTransactionItem> out;
  out.total = r.total;
  const std::size_t next = r.offset + r.items.size();
  out.items = std::move(r.items);
  if (next < r.total) out.next_cursor.emplace(encode_cursor(fmt::format("t:{}", next)));
  c.send(200, spec::to_json(out));
}

// The {number} of .../transactions/{number}: a positive integer, else 404 as an unknown row.
std::size_t transaction_number(Call& c) {
  const std::string text = c.param("number");
  std::size_t n = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || ptr != text.data() + text.size() || n == 0) {
    throw Error::not_found("no transaction " + shown_with(text, 32, '\''));
  }
  return n;
}

void edit_transaction(Call& c) {
  const auto a = resolve_account(c);
  service::TransactionEditRequest req;
  spec::read_json(c.json_body(), req, "transaction edit");
  req.row = {a.name, transaction_number(c)};
  c.send(200, spec::to_json(service::edit_transaction(c.service(), req)));
}

void delete_transaction(Call& c) {
  const auto a = resolve_account(c);
  service::TransactionEditRequest req;
  req.row = {a.name, transaction_number(c)};
  req.remove = true;
  c.send(200, spec::to_json(service::edit_transaction(c.service(), req)));
}

void lots(Call& c) {
  const auto a = resolve_account(c);
  const auto req = ledger_request<service::LedgerLotsRequest>(c, a, "lots request");
  c.send(200, spec::to_json(service::ledger_lots(c.service(), req)));
}

void gains(Call& c) {
  const auto a = resolve_account(c);
  const auto req = ledger_request<service::LedgerGainsRequest>(c, a, "gains request");
  c.send(200, spec::to_json(service::ledger_gains(c.service(), req)));
}

void holdings(Call& c) {
  const auto a = resolve_account(c);
  const auto req = ledger_request<service::LedgerHoldingsRequest>(c, a, "holdings request");
  c.send(200, spec::to_json(service::ledger_holdings(c.service(), req)));
}

void performance(Call& c) {
  const auto a = resolve_account(c);
  const auto req = ledger_request<service::LedgerPerformanceRequest>(c, a, "performance request");
  c.send(200, spec::to_json(service::ledger_performance(c.service(), req)));
}

void income(Call& c) {
  const auto a = resolve_account(c);
  const auto req = ledger_request<service::LedgerIncomeRequest>(c, a, "income request");
  c.send(200, spec::to_json(service::ledger_income(c.service(), req)));
}

// ?benchmark= (required) ?format=html|md|json (default html), and performance's other parameters.
void tearsheet(Call& c) {
  const auto a = resolve_account(c);
  const auto req = ledger_request<service::LedgerTearsheetRequest>(c, a, "tearsheet request");
  auto doc = service::render_tearsheet(service::ledger_tearsheet(c.service(), req),
                                       req.format.value_or(service::TearsheetFormat::kHtml));
  c.res.status = 200;
  c.res.set_content(std::move(doc.body), doc.media_type);
}

// JSON {"broker": "symbol,quantity[,cost_basis,account]\n...", "tolerance": 0.01, "method": ...}
// or the broker CSV as the body (the other fields as query parameters).
void reconcile(Call& c) {
  const auto a = resolve_account(c);
  service::LedgerReconcileRequest req;
  if (c.body_is_json()) {
    spec::read_json(c.json_body(), req, "reconcile request");
  } else {
    // The CSV body is the broker file; the rest of the request comes as query parameters.
    if (c.req.body.empty()) throw Error::invalid_input("empty broker holdings", {"body: expected broker holdings CSV"});
    read_query(c, req, "reconcile request");
    req.broker = c.req.body;
  }
  if (req.broker->empty()) {
    throw Error::invalid_input("invalid reconcile request", {"broker: expected the broker holdings CSV as a string"});
  }
  req.source.account = a.name;
  c.send(200, spec::to_json(service::ledger_reconcile(c.service(), req)));
}

// {"as_of": date (default: the later of the last transaction and the last price date), "prices":
// CSV text (default: the store's prices)} for one account (`account` set) or every account.
void record_snapshot(Call& c, const std::optional<service::AccountResult>& account) {
  service::LedgerSnapshotRequest req;
  if (!c.req.body.empty()) spec::read_json(c.json_body(), req, "snapshot request");  // every field is optional
  if (req.prices && req.prices->empty()) {
    throw Error::invalid_input("invalid snapshot request", {"prices: expected the prices CSV as a string"});
  }
  if (account) req.account = account->name;
  req.all = !account;
  auto out = service::record_ledger_snapshot(c.service(), req);
  if (account) out.account_id = account->id;
  c.send(201, spec::to_json(out));
}

void account_snapshot(Call& c) { record_snapshot(c, resolve_account(c)); }
void household_snapshot(Call& c) { record_snapshot(c, std::nullopt); }

// ?from= ?to= (inclusive); the history of one account or of every account.
void networth(Call& c, const std::optional<service::AccountResult>& account) {
  service::LedgerNetworthRequest req;
  read_query(c, req, "networth request");
  if (account) req.account = account->name;
  req.all = !account;
  auto out = service::ledger_networth(c.service(), req);
  if (account) out.account_id = account->id;
  c.send(200, spec::to_json(out));
}

void account_networth(Call& c) { networth(c, resolve_account(c)); }
void household_networth(Call& c) { networth(c, std::nullopt); }

// `keel export KIND --account NAME`: the canonical CSV as text/csv, or ?format=json. Takes the
// query parameters of the matching report (method, as_of, allow_short, wash_sales; gains also year).
template <class Req, class Json>
void export_kind(Call& c, service::ExportKind kind, const std::string& kind_name, Json json) {
  const auto a = resolve_account(c);
  // The route's own `format` is reported with the report's parameters.
  std::vector<std::string> problems;
  const std::string format = c.query("format").value_or("csv");
  if (format != "csv" && format != "json") problems.push_back("format: expected csv or json");
  Req req;
  try {
    req = ledger_request<Req>(c, a, "export request", {"format"});
  } catch (const Error& e) {
    if (e.code() != ErrorCode::kInvalidInput) throw;
    problems.insert(problems.end(), e.details().begin(), e.details().end());
  }
  if (!problems.empty()) throw Error::invalid_input("invalid export request", problems);
  if (format == "json") {
    c.send(200, spec::to_json(json(c.service(), req)));
    return;
  }
  c.res.status = 200;
  // <account-slug>_<kind>.csv: the account in the name, so exports of several accounts do not collide.
  c.res.set_header("Content-Disposition",
                   "attachment; filename=\"" + service::report_slug(a.name) + "_" + kind_name + ".csv\"");
  c.res.set_content(service::export_csv(c.service(), req.source, kind), "text/csv; charset=utf-8");
}

template <class Req, class Res>
void add_export_route(App& app, const char* name, service::ExportKind kind, Res (*json)(const service::Context&, const Req&),
                      const char* params) {
  app.add_route(RouteSpec{"GET", std::string("/api/v1/accounts/{id}/export/") + name,
                          std::string("Export ") + name + " as the `keel export` CSV (text/csv) or ?format=json (" +
                              params + ")",
                          "ledger", Permission::kRead,
                          [kind, name = std::string(name), json](Call& c) { export_kind<Req>(c, kind, name, json); }}
                    .query<Req>()
                    .template returns<Res>()
                    .returns_media("text/csv"));
}

void export_account(Call& c) {
  service::AccountExportRequest req;
  read_query(c, req, "account export");
  req.account = resolve_account(c).name;
  auto out = service::export_account(c.service(), req);
  c.res.set_header("Content-Disposition",
                   "attachment; filename=\"" + service::report_slug(out.account.name) + "_account.json\"");
  c.send(200, spec::to_json(out));
}

// Broker mappings by name (keel/service/ledger_mappings.h): the built-in ones and the tenant's.
void list_mappings(Call& c) { c.send(200, spec::to_json(service::list_ledger_mappings(c.service()))); }

void show_mapping(Call& c) {
  c.send(200, spec::to_json(service::find_ledger_mapping(c.service(), c.param("name"))));
}

void save_mapping(Call& c) {
  service::LedgerMappingSaveRequest req;
  spec::read_json(c.json_body(), req, "mapping");
  req.name = c.param("name");
  c.send(200, spec::to_json(service::save_ledger_mapping(c.service(), req)));
}

void delete_mapping(Call& c) {
  c.send(200, spec::to_json(service::delete_ledger_mapping(c.service(), c.param("name"))));
}

}  // namespace

void add_ledger_routes(App& app) {
  app.add_route(RouteSpec{"GET", "/api/v1/accounts", "Ledger accounts of the tenant", "ledger", Permission::kRead,
                          list_accounts}
                    .query<PageQuery>()
                    .returns<PageOf<service::AccountResult>>());
  app.add_route(RouteSpec{"POST", "/api/v1/accounts", "Create a ledger account {name, method, allow_short, currency}",
                          "ledger", service::kAccountCreate, create_account, "json"}
                    .takes<service::AccountCreateRequest>()
                    .returns<service::AccountResult>(201));
  app.add_route(RouteSpec{"GET", "/api/v1/accounts/{id}", "An account's settings, positions and cash", "ledger",
                          Permission::kRead, show_account}
                    .returns<service::AccountShowResult>());
  app.add_route(RouteSpec{"PUT", "/api/v1/accounts/{id}",
                          "Rename or change an account {name, type, institution, notes, method, allow_short, "
                          "currency}; fields left out keep their values",
                          "ledger", service::kAccountUpdate, update_account, "json"}
                    .takes<service::AccountUpdateRequest>()
                    .returns<service::AccountResult>());
  app.add_route(RouteSpec{"DELETE", "/api/v1/accounts/{id}", "Delete an account and its transactions", "ledger",
                          service::kAccountDelete, delete_account}
                    .returns<service::AccountDeleteResult>());
  app.add_route(RouteSpec{"POST", "/api/v1/accounts/{id}/transactions",
                          "Import transactions (CSV, OFX/QFX or IBKR Flex Query body, or JSON {csv, mapping, replace}); all rows "
                          "or none; {id} an account's name or id, or the name of an account to open",
                          "ledger",
                          service::kTransactionsImport, import_transactions, "json|csv"}
                    .takes<service::ImportTransactionsRequest>()
                    .returns<service::TransactionsImportResult>());
  app.add_route(RouteSpec{"GET", "/api/v1/accounts/{id}/transactions",
                          "The account's transactions as stored, filtered (?symbol= ?type= ?from= ?to=), a page at a "
                          "time (?limit= ?cursor=; total counts the filtered rows)",
                          "ledger", Permission::kRead, list_transactions}
                    .query<TransactionsListQuery>()
                    .returns<PageOf<service::LedgerTransactionItem>>());
  app.add_route(RouteSpec{"PUT", "/api/v1/accounts/{id}/transactions/{number}",
                          "Correct one stored transaction (the fields given replace its own); the account is booked "
                          "again and the change stored only when it books",
                          "ledger", service::kTransactionEdit, edit_transaction, "json"}
                    .takes<service::TransactionEditRequest>()
                    .returns<service::TransactionEditResult>());
  app.add_route(RouteSpec{"DELETE", "/api/v1/accounts/{id}/transactions/{number}",
                          "Remove one stored transaction; the account is booked again and the removal stored only "
                          "when it books",
                          "ledger", service::kTransactionDelete, delete_transaction}
                    .returns<service::TransactionEditResult>());
  app.add_route(RouteSpec{"GET", "/api/v1/accounts/{id}/lots", "Open tax lots (?method= ?as_of= ?allow_short= ?wash_sales=)",
                          "ledger", Permission::kRead, lots}
                    .query<service::LedgerLotsRequest>()
                    .returns<service::LedgerLotsResult>());
  app.add_route(RouteSpec{"GET", "/api/v1/accounts/{id}/gains", "Realized gains (?year= ?method= ?as_of=)", "ledger",
                          Permission::kRead, gains}
                    .query<service::LedgerGainsRequest>()
                    .returns<service::LedgerGainsResult>());
  app.add_route(RouteSpec{"GET", "/api/v1/accounts/{id}/holdings", "Holdings at market (?as_of= ?method=)", "ledger",
                          Permission::kRead, holdings}
                    .query<service::LedgerHoldingsRequest>()
                    .returns<service::LedgerHoldingsResult>());
  app.add_compute_route(
      RouteSpec{"GET", "/api/v1/accounts/{id}/performance",
                "TWR, XIRR, CAGR, volatility, Sharpe, drawdown (?from= ?as_of= ?risk_free= ?periods_per_year=)", "ledger",
                Permission::kRead, performance}
          .query<service::LedgerPerformanceRequest>()
          .returns<service::LedgerPerformanceResult>());
  app.add_compute_route(
      RouteSpec{"GET", "/api/v1/accounts/{id}/tearsheet",
                "The performance against a benchmark as one offline HTML page, Markdown or the model's JSON "
                "(?benchmark= ?format=html|md|json ?from= ?to=)",
                "ledger", Permission::kRead, tearsheet}
          .query<service::LedgerTearsheetRequest>()
          .returns<service::LedgerTearsheet>()
          .returns_media("text/html")
          .returns_media("text/markdown"));
  app.add_route(RouteSpec{"GET", "/api/v1/accounts/{id}/income",
                          "Dividends, interest and distributions, yields, projected income (?from= ?to= ?by=)",
                          "ledger", Permission::kRead, income}
                    .query<service::LedgerIncomeRequest>()
                    .returns<service::LedgerIncomeResult>());
  app.add_route(RouteSpec{"POST", "/api/v1/accounts/{id}/reconcile",
                          "Reconcile against broker holdings {broker: CSV text, tolerance}", "ledger", Permission::kCompute,
                          reconcile, "json|csv"}
                    .takes<service::LedgerReconcileRequest>()
                    .returns<service::LedgerReconcileResult>());
  app.add_compute_route(RouteSpec{"POST", "/api/v1/accounts/{id}/snapshots",
                                  "Record the account's net worth at a date {as_of, prices: CSV text} (201)", "ledger",
                                  service::kLedgerSnapshotCreate, account_snapshot, "json"}
                            .takes<service::LedgerSnapshotRequest>()
                            .returns<service::LedgerSnapshotResult>(201));
  app.add_compute_route(RouteSpec{"GET", "/api/v1/accounts/{id}/networth",
                                  "Net worth history from snapshots (or replayed), growth per period (?from= ?to=)",
                                  "ledger", Permission::kRead, account_networth}
                            .query<service::LedgerNetworthRequest>()
                            .returns<service::LedgerNetworthResult>());
  app.add_compute_route(RouteSpec{"POST", "/api/v1/networth/snapshots",
                                  "Record the net worth of every account together {as_of, prices: CSV text} (201)",
                                  "ledger", service::kLedgerSnapshotCreate, household_snapshot, "json"}
                            .takes<service::LedgerSnapshotRequest>()
                            .returns<service::LedgerSnapshotResult>(201));
  app.add_compute_route(RouteSpec{"GET", "/api/v1/networth", "Net worth history of every account together (?from= ?to=)",
                                  "ledger", Permission::kRead, household_networth}
                            .query<service::LedgerNetworthRequest>()
                            .returns<service::LedgerNetworthResult>());
  app.add_route(RouteSpec{"GET", "/api/v1/ledger/mappings",
                          "Broker mappings for transaction imports: built-in (fidelity, ibkr) and the tenant's",
                          "ledger", Permission::kRead, list_mappings}
                    .returns<service::LedgerMappingListResult>());
  app.add_route(RouteSpec{"GET", "/api/v1/ledger/mappings/{name}", "A broker mapping by name", "ledger",
                          Permission::kRead, show_mapping}
                    .returns<service::LedgerMappingResult>());
  app.add_route(RouteSpec{"PUT", "/api/v1/ledger/mappings/{name}",
                          "Save a broker mapping of the tenant by name {document} (checked first)", "ledger",
                          service::kLedgerMappingSave, save_mapping, "json"}
                    .takes<service::LedgerMappingSaveRequest>()
                    .returns<service::LedgerMappingResult>());
  app.add_route(RouteSpec{"DELETE", "/api/v1/ledger/mappings/{name}", "Delete a saved broker mapping", "ledger",
                          service::kLedgerMappingDelete, delete_mapping}
                    .returns<service::LedgerMappingDeleteResult>());
  add_export_route(app, "transactions", service::ExportKind::kTransactions, service::export_transactions,
                   "?method= ?as_of=");
  add_export_route(app, "lots", service::ExportKind::kLots, service::ledger_lots, "?method= ?as_of=");
  add_export_route(app, "gains", service::ExportKind::kGains, service::ledger_gains, "?method= ?as_of= ?year=");
  add_export_route(app, "holdings", service::ExportKind::kHoldings, service::ledger_holdings, "?method= ?as_of=");
  app.add_route(RouteSpec{"GET", "/api/v1/accounts/{id}/export/account",
                          "The whole account as one JSON document (settings, every transaction as stored, "
                          "snapshots), which a transactions upload reads back",
                          "ledger", Permission::kRead, export_account}
                    .returns<service::AccountExport>());
}

}  // namespace keel::server
