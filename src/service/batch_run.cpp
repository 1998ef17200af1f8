// run_batch (keel/service/batch.h, docs/batch.md).
#include "keel/service/batch.h"
#include "keel/service/clo_determinations.h"
#include "keel/store/clo_repository.h"
#include "keel/service/changes.h"
#include "keel/service/portfolio_view.h"

#include <algorithm>
#include <chrono>
#include <filesystem>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "report_internal.h"
#include "keel/service/report_writer.h"
#include "keel/store/snapshot_repository.h"
#include "keel/store/ledger_repository.h"
#include "keel/store/store.h"

namespace keel::service {
namespace {

using nlohmann::json;

using detail::ms_since;

// "partial" when any step failed, else "ok" ("n/a" steps are not failures).
std::string status_of(const std::vector<ReportStep>& steps) {
  for (const auto& s : steps) {
    if (s.status == "failed") return "partial";
  }
  return "ok";
}

}  // namespace

namespace detail {

store::PortfolioSnapshot snapshot_of(const Report& report, const std::string& tenant, const std::string& portfolio,
                                     Date as_of) {
  const ReportSummary& s = report.summary;
  auto opt = [](const spec::Nullable<double>& v) { return v ? std::optional<double>(*v) : std::nullopt; };
  store::PortfolioSnapshot snap;
  snap.tenant = tenant;
  snap.portfolio = portfolio;
  snap.as_of = as_of;
  snap.net_value_amount = opt(s.net_value_amount);
  snap.gross_value_amount = opt(s.gross_value_amount);
  snap.pnl_1d_amount = opt(s.pnl_1d_amount);
  snap.var_amount = opt(s.var_amount);
  snap.es_amount = opt(s.es_amount);
  snap.var_method = snap.var_amount ? s.var_method : "";
  snap.backtest_zone = s.backtest_zone ? *s.backtest_zone : "";
  snap.beta_mkt = opt(s.beta_mkt);
  snap.report_json = spec::to_json(report).dump();
  return snap;
}

detail::StepFilter step_filter(const std::vector<std::string>& asked) {
  check_batch_steps(asked);
  detail::StepFilter filter;
  filter.only = asked;
  auto need = [&](const char* step, const char* needed) {
    if (filter.wants(step) && !filter.wants(needed)) filter.only.push_back(needed);
  };
  need("greeks", "exposures");
  need("backtest", "var");
  return filter;
}

}  // namespace detail

namespace {

// The clo step: every stored deal of the tenant determined on `as_of` (a deal not closed yet is
// skipped; one that fails is reported and the others still run).
std::vector<BatchCloItem> clo_step(const Context& cx, const Date& as_of) {
  std::vector<BatchCloItem> out;
  for (const auto& d : require_store(cx, "the batch runs on a store").clo_deals().list(cx.actor.tenant)) {
    BatchCloItem item;
    item.deal_id = d.id;
    item.deal = d.name;
    try {
      CloDetermineRequest r;
      r.deal = std::to_string(d.id);
      r.as_of = as_of;
      Date closing;
      if (const auto det = clo_determine_if_closed(cx, r, closing)) {
        item.breaches = det->breaches;
        item.alerts = det->alerts;
        item.events = det->events;
        item.status = det->breaches > 0 ? "breach" : det->alerts > 0 ? "alert" : "ok";
      } else {
        item.status = "skipped";
        item.reason = fmt::format("the deal closes on {}, after {}", closing.to_string(), as_of.to_string());
      }
    } catch (const Error& e) {
      if (e.code() == ErrorCode::kCancelled) throw;
      item.status = "failed";
      item.reason = detail::error_text(e);
    }
    out.push_back(std::move(item));
  }
  return out;
}

}  // namespace

std::vector<std::string> portfolio_names(const Context& cx, const std::vector<std::string>& refs) {
  std::vector<std::string> names;
  std::vector<std::string> unknown;
  for (std::size_t i = 0; i < refs.size(); ++i) {
    try {
      names.push_back(resolve_portfolio(cx, refs[i]).name);
    } catch (const Error& e) {
      if (e.code() != ErrorCode::kNotFound) throw;
      unknown.push_back(fmt::format("portfolios[{}]: no portfolio {}", i, refs[i]));
    }
  }
  if (!unknown.empty()) throw Error(ErrorCode::kNotFound, "unknown portfolios", unknown);
  return names;
}

void check_batch_steps(const std::vector<std::string>& steps) {
  std::vector<std::string> problems;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const auto known = std::find_if(std::begin(kBatchStepNames), std::end(kBatchStepNames),
                                    [&](const char* n) { return steps[i] == n; });
    if (known == std::end(kBatchStepNames)) {
      problems.push_back(fmt::format("steps[{}]: expected one of {}, got \"{}\"", i,
                                     fmt::join(std::begin(kBatchStepNames), std::end(kBatchStepNames), ", "),
                                     steps[i]));
    }
  }
  if (!problems.empty()) throw Error::invalid_input("unknown batch steps", problems);
}

BatchResult run_batch(const Context& cx, const BatchRequest& req) {
  Store& store = require_store(cx, "the batch runs on a store (--db)");
  if (req.all && !req.portfolios.empty()) throw Error::usage("give all or portfolios, not both");
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::string> names = req.portfolios;
  // The whole tenant: its ledger accounts' holdings are synced with the portfolios'.
  const bool whole_tenant = names.empty();
  if (names.empty()) {
    for (const auto& p : store.list_portfolios(cx.actor.tenant)) names.push_back(p.name);
    if (names.empty() && store.ledger().list_accounts(cx.actor.tenant).empty() &&
        store.clo_deals().list(cx.actor.tenant).empty()) {
      throw Error::invalid_input("no portfolios in the store for tenant " + cx.actor.tenant +
                                 " (keel import positions FILE --portfolio NAME)");
    }
  } else {
    std::vector<std::string> unknown;
    for (const auto& n : names) {
      if (!store.find_portfolio(cx.actor.tenant, n)) unknown.push_back(n);
    }
    if (!unknown.empty()) {
      std::string list;
      for (const auto& u : unknown) list += (list.empty() ? "" : ", ") + u;
      throw Error::not_found("unknown portfolio: " + list);
    }
  }
  const detail::StepFilter filter = detail::step_filter(req.steps);
  BatchResult out;
  out.tenant = cx.actor.tenant;
  // The market-data step runs once for every held symbol, before the as-of date is chosen (the
  // store's last price date may move); a failure leaves the stored data as it was and is reported.
  std::vector<ReportStep> market_data_steps;
  out.market_data =
      detail::run_section<MarketDataStepResult>("market-data", market_data_steps, filter, [&](std::string& message) {
        MarketDataStepResult r = market_data_step(cx, req.market_data, names, whole_tenant);
        if (r.ok() && r.message) message = *r.message;
        return r;
      });
  const ReportStep market_data_entry = market_data_steps.at(0);
  std::optional<Date> as_of = req.as_of ? req.as_of : store.last_price_date();
  if (!as_of && !names.empty()) throw Error::invalid_input("the store has no prices (keel import prices FILE)");
  out.as_of = as_of ? as_of->to_string() : std::string();
  if (req.reports && req.formats.empty()) throw Error::usage("no report format given (md, json, csv, xlsx)");

  for (std::size_t k = 0; k < names.size(); ++k) {
    const std::string& name = names[k];
    if (req.progress) req.progress(name, k, names.size());
    const auto t0 = std::chrono::steady_clock::now();
    BatchItem item;
    item.portfolio = name;
    item.as_of = as_of->to_string();
    ReportRequest rr = req.report;
    rr.source = BookSource{};
    rr.source.portfolio = name;
    rr.source.as_of = as_of;
    rr.only_steps = filter.only;
    Report report;
    try {
      report = build_report(cx, rr);
    } catch (const Error& e) {
      item.status = "failed";
      item.error = detail::error_text(e);
      item.elapsed_ms = ms_since(t0);
      out.portfolios.push_back(std::move(item));
      ++out.failed;
      continue;
    }
    std::vector<ReportStep>& steps = report.steps;
    // Every portfolio's steps show the shared market-data step (its time counted once).
    ReportStep entry = market_data_entry;
    if (k > 0) entry.elapsed_ms = 0.0;
    steps.insert(steps.begin(), std::move(entry));
    if (!filter.wants("snapshot")) {
      steps.push_back({"snapshot", "n/a", 0.0, detail::StepFilter::kSkipped});
    } else if (req.snapshot) {
      detail::run_step("snapshot", steps, [&] {
        store::SnapshotRepository& repo = store.snapshots();
        repo.save(detail::snapshot_of(report, cx.actor.tenant, name, *as_of));
        return json{{"status", "ok"}, {"message", "stored for " + as_of->to_string()}};
      });
      if (cx.changes != nullptr) {
        if (const auto p = store.find_portfolio(cx.actor.tenant, name)) portfolio_changed(cx, p->id, name, "snapshot");
      }
      // The value history now includes today's snapshot.
      if (rr.with_history) report.history = detail::history_section(&store, cx.actor.tenant, name, *as_of);
    } else {
      steps.push_back({"snapshot", "n/a", 0.0, "not requested"});
    }
    std::vector<std::string> files;
    if (!filter.wants("reports")) {
      steps.push_back({"reports", "n/a", 0.0, detail::StepFilter::kSkipped});
      item.report_dir.emplace(spec::Nullable<std::string>());
    } else if (req.reports) {
      const std::string dir = (std::filesystem::path(req.out_dir) / report_dir_name(name, as_of->to_string())).string();
      // report.json records every step up to the files themselves; the "reports" step is in the result.
      std::vector<ReportStep> reports_steps;
      detail::run_step("reports", reports_steps, [&] {
        files = write_report_files(report, dir, req.formats);
        return json{{"status", "ok"}, {"message", fmt::format("{} files in {}", files.size(), dir)}};
      });
      steps.push_back(reports_steps[0]);
      item.report_dir.emplace(spec::Nullable<std::string>(dir));
    } else {
      steps.push_back({"reports", "n/a", 0.0, "no output folder"});
      item.report_dir.emplace(spec::Nullable<std::string>());
    }
    item.status = status_of(steps);
    item.files = std::move(files);
    item.steps = steps;
    item.summary = report.summary;
    item.elapsed_ms = ms_since(t0);
    (item.status == "ok" ? out.ok : out.partial) += 1;
    out.portfolios.push_back(std::move(item));
  }
  if (filter.wants("clo") && as_of) out.clo = clo_step(cx, *as_of);
  if (req.progress) req.progress("", names.size(), names.size());
  out.elapsed_ms = ms_since(start);
  return out;
}

}  // namespace keel::service
