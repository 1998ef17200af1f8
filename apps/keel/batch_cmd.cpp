// `keel batch run`, `keel batch backfill`, `keel report` and `keel report tearsheet` (keel/service/batch.h, report_build.h and
// ledger_tearsheet.h; docs/batch.md, docs/reports.md, docs/ledger.md).
#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>

#include "context.h"
#include "spec_cli.h"
#include "keel/marketdata/environment.h"
#include "keel/core/error.h"
#include "keel/service/backfill.h"
#include "keel/service/batch.h"
#include "keel/service/ledger_tearsheet.h"
#include "keel/risk/stage_profile.h"
#include "keel/service/report.h"
#include "keel/service/report_build.h"
#include "keel/service/report_writer.h"

namespace keel::cli {
namespace {

// The files of `keel report`: what the command does with the report it builds.
struct ReportFiles {
  std::string out = "reports";
  std::vector<std::string> formats = service::kReportFormats;

  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "out", .help = "Root folder; the files go to <out>/<portfolio-slug>_<as-of>/"}, s.out);
    // Shadows the global --format: here it names the report files.
    v.field({.name = "format", .help = "Report formats: md,json,csv,xlsx (one file per format)"}, s.formats);
  }
};

std::string amount_or_dash(const spec::Nullable<double>& v) { return v ? fmt_amount(*v) : "-"; }

// One row per portfolio, then the steps' times (ms) per portfolio.
std::vector<TextTable> batch_tables(const service::BatchResult& result) {
  TextTable t("Batch as of " + result.as_of);
  t.column("portfolio", TextTable::Align::kLeft)
      .column("status", TextTable::Align::kLeft)
      .column("net_value")
      .column("var_99_1d")
      .column("zone", TextTable::Align::kLeft)
      .column("ms")
      .column("report_dir", TextTable::Align::kLeft);
  TextTable steps("Step times (ms)");
  steps.column("step", TextTable::Align::kLeft);
  std::vector<std::string> order;
  std::map<std::string, std::vector<std::string>> cells;
  for (const auto& p : result.portfolios) {
    const service::ReportSummary summary = p.summary.value_or(service::ReportSummary{});
    const bool has_dir = p.report_dir && *p.report_dir;
    t.row({p.portfolio, p.status, amount_or_dash(summary.net_value_amount), amount_or_dash(summary.var_amount),
           summary.backtest_zone ? *summary.backtest_zone : "-", fmt_amount(p.elapsed_ms, 0),
           has_dir ? **p.report_dir : p.error.value_or("-")});
    steps.column(p.portfolio);
    const std::size_t col = cells.empty() ? 0 : cells.begin()->second.size();
    for (auto& [name, v] : cells) v.resize(col + 1, "-");
    for (const auto& s : p.steps) {
      if (!cells.count(s.name)) {
        order.push_back(s.name);
        cells[s.name].assign(col + 1, "-");
      }
      cells[s.name][col] = fmt_amount(s.elapsed_ms, 1) + (s.status == "ok" ? "" : " " + s.status);
    }
  }
  for (const auto& name : order) {
    std::vector<std::string> row{name};
    row.insert(row.end(), cells[name].begin(), cells[name].end());
    steps.row(row);
  }
  t.footer(fmt::format("{} ok, {} partial, {} failed in {} ms", result.ok, result.partial, result.failed,
                       fmt_amount(result.elapsed_ms, 0)));
  return {t, steps};
}

// The file of `keel report tearsheet`: stdout unless --out names one.
struct TearsheetFile {
  std::string out;

  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "out", .help = "Write to this file (default: stdout); .md gives Markdown, .json the model"},
            s.out);
  }
};

// --format, else the extension of --out (.md, .markdown, .json), else HTML.
service::TearsheetFormat tearsheet_format(const service::LedgerTearsheetRequest& req, const std::string& out) {
  if (req.format) return *req.format;
  const std::string ext = std::filesystem::path(out).extension().string();
  if (ext == ".md" || ext == ".markdown") return service::TearsheetFormat::kMarkdown;
  if (ext == ".json") return service::TearsheetFormat::kJson;
  return service::TearsheetFormat::kHtml;
}

// One row per portfolio (days by status, the first and last value stored), then the days that were
// not stored.
std::vector<TextTable> backfill_tables(const service::BackfillResult& result) {
  TextTable t(fmt::format("Backfill {} to {} ({} workers)", result.from, result.to, result.threads));
  t.column("portfolio", TextTable::Align::kLeft)
      .column("stored")
      .column("partial")
      .column("skipped")
      .column("failed")
      .column("first_value")
      .column("last_value");
  TextTable missed("Days not stored, or stored with a failed step");
  missed.column("portfolio", TextTable::Align::kLeft)
      .column("as_of", TextTable::Align::kLeft)
      .column("status", TextTable::Align::kLeft)
      .column("why", TextTable::Align::kLeft);
  for (const auto& name : result.portfolios) {
    std::size_t n[4] = {0, 0, 0, 0};
    spec::Nullable<double> first;
    spec::Nullable<double> last;
    for (const auto& d : result.days) {
      if (d.portfolio != name) continue;
      const std::size_t k = d.status == "stored" ? 0 : d.status == "partial" ? 1 : d.status == "skipped" ? 2 : 3;
      ++n[k];
      if (d.net_value_amount) {
        if (!first) first = d.net_value_amount;
        last = d.net_value_amount;
      }
      if (k != 0) missed.row({d.portfolio, d.as_of, d.status, d.message});
    }
    t.row({name, std::to_string(n[0]), std::to_string(n[1]), std::to_string(n[2]), std::to_string(n[3]),
           amount_or_dash(first), amount_or_dash(last)});
  }
  return {t, missed};
}

void add_tearsheet_command(CLI::App* report, Context& ctx) {
  auto* cmd = report->add_subcommand(
      "tearsheet", "An account's performance against a benchmark: one offline HTML file, or Markdown (--format md)");
  auto req = std::make_shared<service::LedgerTearsheetRequest>();
  auto file = std::make_shared<TearsheetFile>();
  spec_options(cmd, *req);  // its --format shadows the global one: here it names the document's
  spec_options(cmd, *file);
  cmd->callback([&ctx, req, file] {
    const auto tearsheet = service::ledger_tearsheet(ctx.service_for(req->source), *req);
    for (const auto& w : tearsheet.warnings) ctx.warn(w);
    const auto doc = service::render_tearsheet(tearsheet, tearsheet_format(*req, file->out));
    risk::profile_mark("tearsheet: render");
    ctx.print_profile();
    if (file->out.empty()) {
      std::cout << doc.body;
      return;
    }
    std::ofstream f(file->out, std::ios::binary | std::ios::trunc);
    f << doc.body;
    f.close();
    if (!f) throw Error::invalid_input(file->out + ": cannot write");
    ctx.note("wrote " + file->out);
  });
}

}  // namespace

void add_batch_commands(CLI::App& app, Context& ctx) {
  auto* group = app.add_subcommand("batch", "The daily batch: every analysis, a snapshot and the reports per portfolio");
  group->require_subcommand(1);
  auto* run = group->add_subcommand("run", "Run the batch on stored portfolios");
  auto req = std::make_shared<service::BatchRequest>();
  spec_options(run, *req);
  run->callback([&ctx, req] {
    service::BatchRequest r = *req;
    // The market-data step: the provider of --market-data, else of the environment; the host,
    // offline mode and cache folder from the environment (keel/marketdata/environment.h).
    const auto env = marketdata::market_data_environment();
    if (r.market_data.provider.empty()) r.market_data.provider = env.provider;
    r.market_data.options = env.options;
    if (ctx.show_progress()) {
      r.progress = [&ctx](const std::string& name, std::size_t done, std::size_t total) {
        if (!name.empty()) ctx.note(fmt::format("[{}/{}] {}", done + 1, total, name));
      };
    }
    const auto result = service::run_batch(ctx.service(), r);
    ctx.emit(spec::to_json(result), batch_tables(result));
    if (result.failed > 0 && result.failed == result.portfolios.size()) {
      std::vector<std::string> details;
      for (const auto& p : result.portfolios) details.push_back(p.portfolio + ": " + p.error.value_or(""));
      throw Error::invalid_input("every portfolio of the batch failed", details);
    }
  });

  auto* backfill = group->add_subcommand(
      "backfill", "Store the snapshots of past days: each day valued with the positions held that day, in parallel");
  auto breq = std::make_shared<service::BackfillRequest>();
  spec_options(backfill, *breq);
  backfill->callback([&ctx, breq] {
    service::BackfillRequest r = *breq;
    r.open_store = ctx.store_connections();
    if (ctx.show_progress()) {
      r.progress = [&ctx](std::size_t done, std::size_t total) {
        if (done % 50 == 0 || done == total) ctx.note(fmt::format("[{}/{}] days", done, total));
      };
    }
    const auto result = service::backfill_history(ctx.service(), r);
    ctx.emit(spec::to_json(result), backfill_tables(result));
    if (result.stored + result.partial == 0 && result.failed > 0) {
      std::vector<std::string> details;
      for (const auto& d : result.days) {
        if (d.status == "failed" && details.size() < 5) details.push_back(d.portfolio + " " + d.as_of + ": " + d.message);
      }
      throw Error::invalid_input("no day of the backfill could be valued", details);
    }
  });
}

// What `keel report` writes on stdout: the files and the report's steps and summary.
struct ReportWritten {
  std::string portfolio;
  std::string as_of;
  std::string report_dir;
  std::vector<std::string> files;
  std::vector<service::ReportStep> steps;
  service::ReportSummary summary;

  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "portfolio"}, s.portfolio);
    v.field({.name = "as_of"}, s.as_of);
    v.field({.name = "report_dir"}, s.report_dir);
    v.field({.name = "files"}, s.files);
    v.field({.name = "steps"}, s.steps);
    v.field({.name = "summary"}, s.summary);
  }
};

void add_report_commands(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("report", "Write the report of one book (md, json, csv, xlsx) into a folder");
  auto req = std::make_shared<service::ReportRequest>();
  auto files = std::make_shared<ReportFiles>();
  spec_options(cmd, *req);
  spec_options(cmd, *files);
  add_tearsheet_command(cmd, ctx);
  cmd->callback([&ctx, cmd, req, files] {
    if (!cmd->get_subcommands().empty()) return;  // `keel report tearsheet` ran instead
    const service::Report report = service::build_report(ctx.service_for(req->source), *req);
    ReportWritten out;
    out.portfolio = report.portfolio;
    out.as_of = report.as_of;
    out.report_dir = (std::filesystem::path(files->out) / service::report_dir_name(report.portfolio, report.as_of)).string();
    out.files = service::write_report_files(report, out.report_dir, files->formats);
    out.steps = report.steps;
    out.summary = report.summary;
    TextTable t("Report of " + report.portfolio + " as of " + report.as_of);
    t.column("file", TextTable::Align::kLeft);
    for (const auto& f : out.files) t.row({f});
    TextTable steps("Steps");
    steps.column("step", TextTable::Align::kLeft).column("status", TextTable::Align::kLeft).column("ms").column("message", TextTable::Align::kLeft);
    for (const auto& s : report.steps) steps.row({s.name, s.status, fmt_amount(s.elapsed_ms, 1), s.message});
    ctx.emit(spec::to_json(out), {t, steps});
  });
}

}  // namespace keel::cli
