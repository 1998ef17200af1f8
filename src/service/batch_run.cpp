// run_batch and portfolio_history_json (keel/service/batch.h, docs/batch.md).
#include <algorithm>
#include <chrono>
#include <filesystem>

#include "batch_internal.h"
#include "keel/service/report_writer.h"
#include "keel/store/snapshot_repository.h"
#include "keel/store/store.h"

namespace keel::service {
namespace {

using nlohmann::json;

double ms_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

std::optional<double> number(const json& section, const char* key) {
  if (!section.is_object() || !section.contains(key) || !section.at(key).is_number()) return std::nullopt;
  return section.at(key).get<double>();
}

std::string text(const json& section, const char* key) {
  if (!section.is_object() || !section.contains(key) || !section.at(key).is_string()) return "";
  return section.at(key).get<std::string>();
}

// The snapshot of one report: the summary's figures and the whole report as JSON text.
store::PortfolioSnapshot snapshot_of(const json& report, const std::string& tenant, const std::string& portfolio,
                                     Date as_of) {
  const json& s = report.at("summary");
  store::PortfolioSnapshot snap;
  snap.tenant = tenant;
  snap.portfolio = portfolio;
  snap.as_of = as_of;
  snap.net_value_amount = number(s, "net_value_amount");
  snap.gross_value_amount = number(s, "gross_value_amount");
  snap.pnl_1d_amount = number(s, "pnl_1d_amount");
  snap.var_amount = number(s, "var_amount");
  snap.es_amount = number(s, "es_amount");
  snap.var_method = snap.var_amount ? text(s, "var_method") : "";
  snap.backtest_zone = text(s, "backtest_zone");
  snap.beta_mkt = number(s, "beta_mkt");
  snap.report_json = report.dump();
  return snap;
}

// "failed" when any step failed, else "ok" ("n/a" steps are not failures).
std::string status_of(const json& steps) {
  for (const auto& s : steps) {
    if (s.value("status", "") == "failed") return "partial";
  }
  return "ok";
}

}  // namespace

nlohmann::json run_batch(Store* store, const BatchRequest& req) {
  if (store == nullptr) throw Error::usage("the batch runs on a store (--db)");
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::string> names = req.portfolios;
  if (names.empty()) {
    for (const auto& p : store->list_portfolios(req.tenant)) names.push_back(p.name);
    if (names.empty()) {
      throw Error::invalid_input("no portfolios in the store for tenant " + req.tenant +
                                 " (keel import positions FILE --portfolio NAME)");
    }
  } else {
    std::vector<std::string> unknown;
    for (const auto& n : names) {
      if (!store->find_portfolio(req.tenant, n)) unknown.push_back(n);
    }
    if (!unknown.empty()) {
      std::string list;
      for (const auto& u : unknown) list += (list.empty() ? "" : ", ") + u;
      throw Error::not_found("unknown portfolio: " + list);
    }
  }
  // The market-data step runs once for every held symbol, before the as-of date is chosen (the
  // store's last price date may move); a failure leaves the stored data as it was and is reported.
  json market_data_steps = json::array();
  json market_data = detail::run_step("market-data", market_data_steps, [&] {
    return market_data_step(*store, req.market_data, req.tenant, names);
  });
  const json market_data_entry = market_data_steps.at(0);
  if (market_data.value("status", "") == "ok") market_data["message"] = market_data_entry.at("message");
  std::optional<Date> as_of = req.as_of ? req.as_of : store->last_price_date();
  if (!as_of) throw Error::invalid_input("the store has no prices (keel import prices FILE)");
  if (req.out_dir && req.formats.empty()) throw Error::usage("no report format given (md, json, csv, xlsx)");

  json items = json::array();
  std::size_t ok = 0;
  std::size_t partial = 0;
  std::size_t failed = 0;
  for (std::size_t k = 0; k < names.size(); ++k) {
    const std::string& name = names[k];
    if (req.progress) req.progress(name, k, names.size());
    const auto t0 = std::chrono::steady_clock::now();
    json item = {{"portfolio", name}, {"as_of", as_of->to_string()}};
    ReportRequest rr = req.report;
    rr.source = BookSource{};
    rr.source.portfolio = name;
    rr.source.tenant = req.tenant;
    rr.source.as_of = as_of;
    json report;
    try {
      report = build_report(store, rr);
    } catch (const Error& e) {
      std::string reason = e.what();
      for (const auto& d : e.details()) reason += "; " + d;
      item["status"] = "failed";
      item["error"] = reason;
      item["steps"] = json::array();
      item["elapsed_ms"] = ms_since(t0);
      items.push_back(std::move(item));
      ++failed;
      continue;
    }
    json& steps = report["steps"];
    // Every portfolio's steps show the shared market-data step (its time counted once).
    json entry = market_data_entry;
    if (k > 0) entry["elapsed_ms"] = 0.0;
    steps.insert(steps.begin(), std::move(entry));
    if (req.snapshot) {
      detail::run_step("snapshot", steps, [&] {
        store::SnapshotRepository& repo = store->snapshots();
        repo.save(snapshot_of(report, req.tenant, name, *as_of));
        return json{{"status", "ok"}, {"message", "stored for " + as_of->to_string()}};
      });
      // The value history now includes today's snapshot.
      if (rr.with_history) report["history"] = detail::history_section(store, req.tenant, name, *as_of);
    } else {
      steps.push_back({{"name", "snapshot"}, {"status", "n/a"}, {"elapsed_ms", 0.0}, {"message", "not requested"}});
    }
    json files = json::array();
    if (req.out_dir) {
      const std::string dir =
          (std::filesystem::path(*req.out_dir) / report_dir_name(name, as_of->to_string())).string();
      // report.json records every step up to the files themselves; the "reports" step is in the result.
      json reports_steps = json::array();
      detail::run_step("reports", reports_steps, [&] {
        for (const auto& f : write_report_files(report, dir, req.formats)) files.push_back(f);
        return json{{"status", "ok"}, {"message", std::to_string(files.size()) + " files in " + dir}};
      });
      steps.push_back(reports_steps[0]);
      item["report_dir"] = dir;
    } else {
      steps.push_back({{"name", "reports"}, {"status", "n/a"}, {"elapsed_ms", 0.0}, {"message", "no output folder"}});
      item["report_dir"] = nullptr;
    }
    item["status"] = status_of(steps);
    item["files"] = std::move(files);
    item["steps"] = steps;
    item["summary"] = report["summary"];
    item["elapsed_ms"] = ms_since(t0);
    (item["status"] == "ok" ? ok : partial) += 1;
    items.push_back(std::move(item));
  }
  if (req.progress) req.progress("", names.size(), names.size());
  return {{"as_of", as_of->to_string()},
          {"tenant", req.tenant},
          {"market_data", std::move(market_data)},
          {"portfolios", std::move(items)},
          {"ok", ok},
          {"partial", partial},
          {"failed", failed},
          {"elapsed_ms", ms_since(start)}};
}

nlohmann::json portfolio_history_json(Store* store, const std::string& tenant, const std::string& portfolio,
                                      std::optional<Date> from, std::optional<Date> to) {
  if (store == nullptr) throw Error::usage("portfolio history reads the store (--db)");
  if (from && to && *from > *to) {
    throw Error::invalid_input("--from " + from->to_string() + " is after --to " + to->to_string());
  }
  store::SnapshotRepository& repo = store->snapshots();
  const auto snaps = repo.list(tenant, portfolio, from, to);
  if (snaps.empty() && !store->find_portfolio(tenant, portfolio)) {
    throw Error::not_found("no portfolio named \"" + portfolio + "\" and no snapshots of it");
  }
  auto opt = [](const std::optional<double>& v) { return v ? json(*v) : json(nullptr); };
  auto opt_text = [](const std::string& s) { return s.empty() ? json(nullptr) : json(s); };
  json points = json::array();
  for (const auto& s : snaps) {
    points.push_back({{"as_of", s.as_of.to_string()},
                      {"net_value_amount", opt(s.net_value_amount)},
                      {"gross_value_amount", opt(s.gross_value_amount)},
                      {"pnl_1d_amount", opt(s.pnl_1d_amount)},
                      {"var_amount", opt(s.var_amount)},
                      {"es_amount", opt(s.es_amount)},
                      {"var_method", opt_text(s.var_method)},
                      {"backtest_zone", opt_text(s.backtest_zone)},
                      {"beta_mkt", opt(s.beta_mkt)},
                      {"created_at", s.created_at}});
  }
  return {{"portfolio", portfolio},
          {"tenant", tenant},
          {"from", from ? json(from->to_string()) : json(nullptr)},
          {"to", to ? json(to->to_string()) : json(nullptr)},
          {"points", std::move(points)}};
}

}  // namespace keel::service
