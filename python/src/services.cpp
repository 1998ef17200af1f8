// python/src/services.cpp: the use cases of the CLI and HTTP API on in-memory inputs (stress,
// ledger booking, retirement plans, IRRBB, CLO waterfalls) and a read-only view of a keel store.
// Results cross as JSON text (spec::to_json of the use cases' result structs, the documents the CLI
// prints with --format json); keel/_frames.py turns their tables into DataFrames. Ledger lots and gains cross
// column by column with exact decimal strings.
#include <fmt/format.h>

#include <filesystem>
#include <mutex>

#include "bindings.h"
#include "book_inputs.h"
#include "keel/core/error.h"
#include "keel/io/clo_deal_reader.h"
#include "keel/io/csv.h"
#include "keel/io/trades_reader.h"
#include "keel/io/transaction_reader.h"
#include "keel/ledger/booking.h"
#include "keel/service/alm_runs.h"
#include "keel/service/book_health.h"
#include "keel/service/exposures.h"
#include "keel/service/portfolio_performance.h"
#include "keel/service/position_detail.h"
#include "keel/service/risk_runs.h"
#include "keel/service/storage.h"
#include "keel/service/clo.h"
#include "keel/service/factor_attribution.h"
#include "keel/service/factors.h"
#include "keel/service/imports.h"
#include "keel/service/ledger_holdings.h"
#include "keel/service/ledger_income.h"
#include "keel/service/ledger_lots.h"
#include "keel/service/portfolio_history.h"
#include "keel/service/plan.h"
#include "keel/service/portfolio_view.h"
#include "keel/service/whatif.h"
#include "keel/store/store.h"

namespace keel::python {
namespace {

std::optional<Date> date_of(std::optional<std::int32_t> days) {
  return days ? std::optional<Date>(Date::from_serial(*days)) : std::nullopt;
}

// The booking options are the API's lots request (the keyword arguments of keel.ledger.book:
// python/keel/_spec.py), read and checked by its own description.
py::dict ledger_book(const std::string& name, const std::string& csv_text,
                     const std::optional<std::string>& mapping_json, const std::string& request_json,
                     const std::string& default_account) {
  service::LedgerLotsRequest request;
  spec::read_json(nlohmann::json::parse(request_json), request, "lots request");
  const service::LedgerSource& source = request.source;
  ledger::BookOptions options;
  options.allow_short = source.allow_short;
  options.wash_sales = source.wash_sales;
  if (source.method) options.default_method = *source.method;
  const std::optional<Date> as_of = source.as_of;
  std::vector<std::string> warnings;
  ledger::BookResult b;
  std::vector<ledger::Transaction> txs;
  {
    py::gil_scoped_release release;
    io::TransactionReadOptions read;
    read.default_account = default_account;
    if (mapping_json) read.mapping = io::parse_mapping(nlohmann::json::parse(*mapping_json), "mapping");
    Diagnostics diags;
    auto csv = io::CsvReader::from_text(name, csv_text, diags, read.mapping ? read.mapping->delimiter : ',');
    txs = io::read_transactions(csv, read, diags);
    diags.throw_if_errors(fmt::format("{}: {} problem(s) in the transactions", name, diags.error_count()));
    for (const auto& w : diags.warnings()) warnings.push_back(w.to_string());
    if (as_of) std::erase_if(txs, [&](const ledger::Transaction& t) { return t.date > *as_of; });
    b = ledger::book(txs, options);
  }
  for (const auto& w : b.warnings) warnings.push_back(w);

  py::dict lots;
  {
    std::vector<std::string> account, symbol, lot_id, buy_date, acquired, quantity, basis, wash;
    for (const auto& l : b.open_lots) {
      account.push_back(b.key(l).account);
      symbol.push_back(b.key(l).symbol);
      lot_id.push_back(l.lot_id);
      buy_date.push_back(l.purchase_date.to_string());
      acquired.push_back(l.acquired.to_string());
      quantity.push_back(l.quantity.to_string());
      basis.push_back(l.basis.to_string());
      wash.push_back(l.wash_adjustment.to_string());
    }
    lots["account"] = account;
    lots["symbol"] = symbol;
    lots["lot_id"] = lot_id;
    lots["buy_date"] = buy_date;
    lots["acquired_date"] = acquired;
    lots["quantity"] = quantity;
    lots["basis"] = basis;
    lots["wash_sale_adjustment"] = wash;
  }
  py::dict gains;
  {
    std::vector<std::string> account, symbol, lot_id, buy_date, acquired, sell_date, term, quantity, proceeds, cost,
        wash, gain;
    std::vector<bool> short_sale;
    for (const auto& g : b.realized) {
      account.push_back(b.key(g).account);
      symbol.push_back(b.key(g).symbol);
      lot_id.push_back(b.lot_id(g));
      buy_date.push_back(b.purchase_date(g).to_string());
      acquired.push_back(g.acquired.to_string());
      sell_date.push_back(b.sell_date(g).to_string());
      term.emplace_back(ledger::term_name(g.term));
      short_sale.push_back(g.short_sale);
      quantity.push_back(g.quantity.to_string());
      proceeds.push_back(g.proceeds.to_string());
      cost.push_back(g.cost.to_string());
      wash.push_back(g.wash_disallowed.to_string());
      gain.push_back(g.gain().to_string());
    }
    gains["account"] = account;
    gains["symbol"] = symbol;
    gains["lot_id"] = lot_id;
    gains["buy_date"] = buy_date;
    gains["acquired_date"] = acquired;
    gains["sell_date"] = sell_date;
    gains["term"] = term;
    gains["short_sale"] = short_sale;
    gains["quantity"] = quantity;
    gains["proceeds"] = proceeds;
    gains["cost"] = cost;
    gains["wash_sale_disallowed"] = wash;
    gains["gain"] = gain;
  }
  py::dict income;
  {
    std::vector<std::string> date, type, account, symbol, amount;
    for (const auto& i : b.income) {
      date.push_back(i.date.to_string());
      type.emplace_back(ledger::tx_type_name(i.type));
      account.push_back(i.account);
      symbol.push_back(i.symbol);
      amount.push_back(i.amount.to_string());
    }
    income["date"] = date;
    income["type"] = type;
    income["account"] = account;
    income["symbol"] = symbol;
    income["amount"] = amount;
  }
  py::dict cash;
  for (const auto& [acct, amount] : b.cash) cash[py::str(acct)] = amount.to_string();
  py::dict out;
  out["lots"] = lots;
  out["gains"] = gains;
  out["income"] = income;
  out["cash"] = cash;
  out["transactions"] = txs.size();
  out["warnings"] = warnings;
  return out;
}

// A keel store opened read-mostly from Python. The store is not thread-safe: one call at a time.
// The caller's ledger as texts: transactions, closes and FX rates (no store).
struct LedgerTexts {
  std::string transactions_name;
  std::string transactions_csv;
  std::optional<std::string> prices_csv;
  std::optional<std::string> fx_name;
  std::optional<std::string> fx_csv;
};

// A ledger report of the caller's texts: the request's HTTP fields from `body_json`, plus the
// account selection and the file-mode currency (CLI-only fields of the request); the result as
// JSON text.
template <class Request, class UseCase>
std::string ledger_report(const std::string& body_json, const char* what, const LedgerTexts& texts, UseCase use_case) {
  py::gil_scoped_release release;
  auto body = nlohmann::json::parse(body_json);
  auto take = [&body](const char* key) -> std::optional<std::string> {
    if (!body.is_object()) return std::nullopt;
    const auto it = body.find(key);
    if (it == body.end()) return std::nullopt;
    if (!it->is_string()) throw Error::invalid_input(fmt::format("{}: expected a string", key));
    std::string value = it->get<std::string>();
    body.erase(it);
    return value;
  };
  Request q;
  q.source.account = take("account");
  if (auto currency = take("currency")) q.source.currency = *currency;
  spec::read_json(body, q, what);
  q.source.transactions_file = texts.transactions_name;
  q.source.transactions_text = texts.transactions_csv;
  q.source.prices_text = texts.prices_csv;
  q.source.fx_file = texts.fx_name;
  q.source.fx_text = texts.fx_csv;
  return spec::to_json(use_case(service::Context{nullptr, system_env()}, q)).dump();
}

class PyStore {
 public:
  explicit PyStore(const std::string& path) : path_(path) {
    if (!std::filesystem::exists(path)) throw Error::not_found("no keel store at '" + path + "'");
    py::gil_scoped_release release;
    store_ = open_store(path);
  }
  std::string portfolio(const std::string& name, std::optional<std::int32_t> as_of, const std::string& tenant) {
    py::gil_scoped_release release;
    const std::lock_guard lock(mutex_);
    return spec::to_json(service::show_portfolio(in_tenant(tenant), {name, date_of(as_of)})).dump();
  }
  std::string position(const std::string& name, std::int64_t id, std::optional<std::int32_t> as_of,
                       const std::string& tenant) {
    py::gil_scoped_release release;
    const std::lock_guard lock(mutex_);
    return spec::to_json(service::position_detail(in_tenant(tenant), {name, id, date_of(as_of)})).dump();
  }
  std::string performance(const std::string& name, std::optional<std::int32_t> from, std::optional<std::int32_t> to,
                          std::optional<std::string> benchmark, double risk_free, bool series,
                          const std::string& tenant) {
    py::gil_scoped_release release;
    const std::lock_guard lock(mutex_);
    service::PortfolioPerformanceRequest req;
    req.portfolio = name;
    req.from = date_of(from);
    req.to = date_of(to);
    req.benchmark = std::move(benchmark);
    req.risk_free = risk_free;
    req.series = series;
    return spec::to_json(service::portfolio_performance(in_tenant(tenant), req)).dump();
  }
  std::string portfolios(const std::string& tenant) {
    py::gil_scoped_release release;
    const std::lock_guard lock(mutex_);
    return spec::to_json(service::portfolio_list(in_tenant(tenant))).dump();
  }
  // A stored portfolio's use case by its request as JSON, read by the request's own spec (the fields,
  // their names, defaults and checks are the spec's, as over HTTP, where the portfolio is the path's):
  // book_health, exposures, var or backtest (the use cases every face calls: a VaR is kept as the
  // portfolio's last, as by the command and the route), or from_ledger (the portfolio's positions
  // replaced by the ledger's holdings). The book is the store's; no file is read.
  std::string book_use_case(const std::string& use_case, const std::string& portfolio, const std::string& request_json,
                            const std::string& tenant) {
    const auto body = nlohmann::json::parse(request_json);
    py::gil_scoped_release release;
    const std::lock_guard lock(mutex_);
    service::Context cx{store_.get(), server_env()};  // no file access: the store's prices and positions only
    cx.actor.tenant = tenant;
    if (use_case == "book_health") {
      service::BookHealthRequest req;
      spec::read_json(body, req, "health request");
      req.book.source.portfolio = portfolio;
      return spec::to_json(service::book_health(cx, req)).dump();
    }
    if (use_case == "exposures") {
      service::ExposuresRequest req;
      spec::read_json(body, req, "exposures request");
      req.book.source.portfolio = portfolio;
      return spec::to_json(service::book_exposures(cx, req)).dump();
    }
    if (use_case == "var") {
      service::RiskVarRequest req;
      spec::read_json(body, req, "risk/var request");
      req.inputs.source.portfolio = portfolio;
      return spec::to_json(*service::run_var(cx, req).result).dump();
    }
    if (use_case == "backtest") {
      service::RiskBacktestRequest req;
      spec::read_json(body, req, "risk/backtest request");
      req.inputs.source.portfolio = portfolio;
      return spec::to_json(*service::run_backtest(cx, req).result).dump();
    }
    if (use_case == "from_ledger") {
      service::PortfolioFromLedgerRequest req;
      spec::read_json(body, req, "positions from the ledger");
      req.portfolio = portfolio;
      return spec::to_json(service::portfolio_from_ledger(cx, req)).dump();
    }
    throw Error::usage("no use case '" + use_case + "'");
  }
  // What the store keeps for `tenant`, area by area and by owner (service::storage_usage), as
  // `keel db usage` gives it; the module's caller reads as the store's operator (no server bounds).
  std::string storage(const std::string& tenant) {
    py::gil_scoped_release release;
    const std::lock_guard lock(mutex_);
    return spec::to_json(service::storage_usage(in_tenant(tenant), {})).dump();
  }
  const std::string& path() const { return path_; }

 private:
  // The store read as the module's caller, in `tenant`.
  service::Context in_tenant(const std::string& tenant) const {
    service::Context cx{store_.get()};
    cx.actor.tenant = tenant;
    return cx;
  }
  std::string path_;
  std::unique_ptr<Store> store_;
  std::mutex mutex_;
};

}  // namespace

// The JSON text of a request's schema (spec::schema_of): nested parts inline.
template <class R>
std::string request_schema() {
  return spec::schema_of<R>(spec::Role::kRequest).dump();
}

void bind_services(py::module_& m) {
  m.def(
      "stress",
      [](const std::string& positions_name, const std::string& positions_csv, const DoubleArray& prices,
         const py::object& closes, const DayArray& days, const std::vector<std::string>& symbols,
         const std::string& factors_file, bool factors_percent, const std::optional<std::string>& scenarios_file,
         std::optional<std::int32_t> as_of, const std::string& request_json) {
        // Every option is the API's stress request, read and checked by its own description (the
        // keyword arguments of keel.stress: python/keel/_spec.py); the book, its prices, the factor
        // file and the scenario file are the caller's.
        service::StressRequest req;
        spec::read_json(nlohmann::json::parse(request_json), req, "stress request");
        req.factors.file = factors_file;
        req.factors.units = factors_percent ? io::RateUnits::kPercent : io::RateUnits::kDecimal;
        req.scenarios_file = scenarios_file;
        std::vector<std::string> warnings;
        auto positions = positions_from_text(positions_name, positions_csv, &warnings);
        req.inputs.source.loaded_prices = loaded_prices(positions, prices, closes, days, symbols, date_of(as_of));
        req.inputs.source.positions = std::move(positions);
        req.inputs.source.positions_name = positions_name;
        req.inputs.source.as_of = date_of(as_of);
        py::gil_scoped_release release;
        nlohmann::json j = spec::to_json(service::risk_stress(service::Context{nullptr, system_env()}, req));
        for (const auto& w : warnings) j["warnings"].push_back(w);
        return j.dump();
      },
      py::arg("positions_name"), py::arg("positions_csv"), py::arg("prices"), py::arg("closes"), py::arg("dates"),
      py::arg("symbols"), py::arg("factors_file"), py::arg("factors_percent"), py::arg("scenarios_file"),
      py::arg("as_of"), py::arg("request"));

  m.def(
      "attribution",
      [](const std::string& positions_name, const std::string& positions_csv, const DoubleArray& prices,
         const py::object& closes, const DayArray& days, const std::vector<std::string>& symbols,
         const std::string& factors_file, bool factors_percent, const std::string& request_json) {
        // The period and every option are the API's attribution request, read and checked by its own
        // description (keel.attribution's keyword arguments: python/keel/_spec.py).
        service::FactorAttributionRequest req;
        spec::read_json(nlohmann::json::parse(request_json), req, "attribution request");
        req.factors.file = factors_file;
        req.factors.units = factors_percent ? io::RateUnits::kPercent : io::RateUnits::kDecimal;
        std::vector<std::string> warnings;
        auto positions = positions_from_text(positions_name, positions_csv, &warnings);
        req.inputs.source.loaded_prices = loaded_prices(positions, prices, closes, days, symbols, req.to);
        req.inputs.source.positions = std::move(positions);
        req.inputs.source.positions_name = positions_name;
        py::gil_scoped_release release;
        nlohmann::json j = spec::to_json(service::factor_attribution(service::Context{nullptr, system_env()}, req));
        for (const auto& w : warnings) j["warnings"].push_back(w);
        return j.dump();
      },
      py::arg("positions_name"), py::arg("positions_csv"), py::arg("prices"), py::arg("closes"), py::arg("dates"),
      py::arg("symbols"), py::arg("factors_file"), py::arg("factors_percent"), py::arg("request"));

  m.def(
      "whatif",
      [](const std::string& positions_name, const std::string& positions_csv, const DoubleArray& prices,
         const py::object& closes, const DayArray& days, const std::vector<std::string>& symbols,
         const std::string& trades_name, const std::string& trades_csv,
         const std::optional<std::string>& factors_file, bool factors_percent, std::optional<std::int32_t> as_of,
         const std::string& request_json) {
        // Every option is the API's what-if request, read and checked by its own description (the
        // keyword arguments of keel.whatif: python/keel/_spec.py); the book, its prices, the trades
        // and the factor file are the caller's.
        service::WhatIfRequest req;
        spec::read_json(nlohmann::json::parse(request_json), req, "what-if request");
        if (factors_file) {
          req.factors.file = *factors_file;
          req.factors.units = factors_percent ? io::RateUnits::kPercent : io::RateUnits::kDecimal;
        }
        std::vector<std::string> warnings;
        auto positions = positions_from_text(positions_name, positions_csv, &warnings);
        req.trades = io::read_trades_file(trades_name, trades_csv, &req.trade_warnings);
        // The prices of the book and of every traded symbol (a trade may open a new position).
        std::vector<Position> priced = positions;
        for (const auto& t : req.trades) priced.push_back(t.position);
        req.inputs.source.loaded_prices =
            loaded_prices(priced, prices, closes, days, symbols, date_of(as_of));
        req.inputs.source.positions = std::move(positions);
        req.inputs.source.positions_name = positions_name;
        req.inputs.source.as_of = date_of(as_of);
        py::gil_scoped_release release;
        // No store: the book, its prices and the trades are the caller's; a factor file may be read.
        nlohmann::json j = spec::to_json(service::whatif(service::Context{nullptr, system_env()}, req));
        for (const auto& w : warnings) j["warnings"].push_back(w);
        return j.dump();
      },
      py::arg("positions_name"), py::arg("positions_csv"), py::arg("prices"), py::arg("closes"),
      py::arg("dates"), py::arg("symbols"), py::arg("trades_name"), py::arg("trades_csv"),
      py::arg("factors_file"), py::arg("factors_percent"), py::arg("as_of"), py::arg("request"));

  // The JSON Schema of a request whose fields a function of the package takes as keyword arguments
  // (python/keel/_spec.py): the HTTP face's fields, with their defaults, choices and ranges.
  m.def(
      "request_schema",
      [](const std::string& name) {
        if (name == service::RiskVarRequest::kSchemaName) return request_schema<service::RiskVarRequest>();
        if (name == service::WhatIfRequest::kSchemaName) return request_schema<service::WhatIfRequest>();
        if (name == service::StressRequest::kSchemaName) return request_schema<service::StressRequest>();
        if (name == service::FactorAttributionRequest::kSchemaName) {
          return request_schema<service::FactorAttributionRequest>();
        }
        if (name == service::PlanRequest::kSchemaName) return request_schema<service::PlanRequest>();
        if (name == service::LedgerPerformanceRequest::kSchemaName) {
          return request_schema<service::LedgerPerformanceRequest>();
        }
        if (name == service::LedgerIncomeRequest::kSchemaName) return request_schema<service::LedgerIncomeRequest>();
        if (name == service::CloRunRequest::kSchemaName) return request_schema<service::CloRunRequest>();
        if (name == service::AlmRequest::kSchemaName) return request_schema<service::AlmRequest>();
        if (name == service::LedgerLotsRequest::kSchemaName) return request_schema<service::LedgerLotsRequest>();
        throw Error::not_found("no request named '" + name + "' among those keel's Python functions take");
      },
      py::arg("name"));

  m.def("ledger_book", &ledger_book, py::arg("name"), py::arg("csv_text"), py::arg("mapping_json"),
        py::arg("request_json"), py::arg("default_account"));

  m.def(
      "ledger_performance",
      [](const std::string& body_json, const std::string& transactions_name, const std::string& transactions_csv,
         const std::optional<std::string>& prices_csv, const std::optional<std::string>& fx_name,
         const std::optional<std::string>& fx_csv) {
        return ledger_report<service::LedgerPerformanceRequest>(
            body_json, "performance request", {transactions_name, transactions_csv, prices_csv, fx_name, fx_csv},
            service::ledger_performance);
      },
      py::arg("body_json"), py::arg("transactions_name"), py::arg("transactions_csv"), py::arg("prices_csv"),
      py::arg("fx_name"), py::arg("fx_csv"));

  m.def(
      "ledger_income",
      [](const std::string& body_json, const std::string& transactions_name, const std::string& transactions_csv,
         const std::optional<std::string>& prices_csv, const std::optional<std::string>& fx_name,
         const std::optional<std::string>& fx_csv) {
        return ledger_report<service::LedgerIncomeRequest>(
            body_json, "income request", {transactions_name, transactions_csv, prices_csv, fx_name, fx_csv},
            service::ledger_income);
      },
      py::arg("body_json"), py::arg("transactions_name"), py::arg("transactions_csv"), py::arg("prices_csv"),
      py::arg("fx_name"), py::arg("fx_csv"));

  m.def(
      "plan_retire",
      [](const std::string& body_json) {
        py::gil_scoped_release release;
        auto body = nlohmann::json::parse(body_json);
        // A local caller may name an events file (a CLI-only field of the request).
        std::optional<std::string> events_file;
        if (body.is_object()) {
          if (auto it = body.find("events_file"); it != body.end() && it->is_string()) {
            events_file = it->get<std::string>();
            body.erase(it);
          }
        }
        service::PlanRequest q;
        spec::read_json(body, q, "plan request");
        q.events_file = events_file;
        return spec::to_json(service::plan_retire(service::Context{nullptr, system_env()}, q)).dump();
      },
      py::arg("body_json"));

  m.def(
      "alm",
      [](const std::string& what, const std::string& balance_sheet_name, const std::string& curve_name,
         const std::string& request_json) {
        // The API's ALM request (the keyword arguments of keel.alm.eve|nii|gap: python/keel/_spec.py),
        // read and checked by its own description, with the balance sheet and the curve as its CSV
        // texts, as HTTP sends them; the names only say which texts an error is about.
        service::AlmRequest req;
        spec::read_json(nlohmann::json::parse(request_json), req, "ALM request");
        req.balance_sheet_name = balance_sheet_name;
        for (auto& curve : req.curves) curve.name = curve_name;
        py::gil_scoped_release release;
        const service::Context cx{nullptr, server_env()};  // texts only: no file is read
        if (what == "eve") return spec::to_json(service::alm_eve(cx, req)).dump();
        if (what == "nii") return spec::to_json(service::alm_nii(cx, req)).dump();
        if (what == "gap") return spec::to_json(service::alm_gap(cx, req)).dump();
        throw Error::usage("alm: unknown measure '" + what + "'");
      },
      py::arg("what"), py::arg("balance_sheet_name"), py::arg("curve_name"), py::arg("request_json"));

  m.def(
      "clo_run",
      [](const std::string& deal_json, const std::string& display_name, const std::string& base_dir,
         const std::string& request_json) {
        // Every option is the API's CLO run request, read and checked by its own description (the
        // keyword arguments of keel.clo.run: python/keel/_spec.py). The deal is the caller's: a
        // document whose collateral may be a CSV path relative to base_dir, which a deal sent to the
        // server may not name, so it is read here rather than as the request's `deal`.
        auto body = nlohmann::json::parse(request_json);
        body["deal"] = nlohmann::json::object();  // the request's required field, replaced below
        service::CloRunRequest req;
        spec::read_json(body, req, "CLO run request");
        req.source.deal.reset();
        py::gil_scoped_release release;
        req.source.parsed = io::parse_clo_deal(deal_json, display_name, base_dir, local_files());
        return spec::to_json(service::clo_run({nullptr, system_env()}, req)).dump();
      },
      py::arg("deal_json"), py::arg("display_name"), py::arg("base_dir"), py::arg("request_json"));

  py::class_<PyStore>(m, "Store")
      .def(py::init<const std::string&>(), py::arg("path"))
      .def("portfolio", &PyStore::portfolio, py::arg("name"), py::arg("as_of"), py::arg("tenant"))
      .def("portfolios", &PyStore::portfolios, py::arg("tenant"))
      .def("book_use_case", &PyStore::book_use_case, py::arg("use_case"), py::arg("portfolio"), py::arg("request_json"),
           py::arg("tenant"))
      .def("storage", &PyStore::storage, py::arg("tenant"))
      .def("position", &PyStore::position, py::arg("name"), py::arg("id"), py::arg("as_of"), py::arg("tenant"))
      .def("performance", &PyStore::performance, py::arg("name"), py::arg("start"), py::arg("end"),
           py::arg("benchmark"), py::arg("risk_free"), py::arg("series"), py::arg("tenant"))
      .def_property_readonly("path", &PyStore::path);
}

}  // namespace keel::python
