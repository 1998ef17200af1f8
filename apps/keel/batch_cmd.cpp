// `keel batch run` and `keel report` (keel/service/batch.h, docs/batch.md, docs/reports.md).
#include <filesystem>
#include <map>

#include "context.h"
#include "keel/core/error.h"
#include "keel/service/batch.h"
#include "keel/service/report_writer.h"
#include "keel/store/store.h"

namespace keel::cli {
namespace {

using nlohmann::json;

// Settings every report shares (the analyses' windows, confidence, Monte Carlo, factor data).
struct ReportFlags {
  double rate = 0.0;
  std::size_t window = 252;
  double confidence = 0.99;
  std::size_t paths = 10000;
  std::uint64_t seed = 1;
  std::string factors_file;
  std::string factor_units = "decimal";
  std::string factor_set = "ff5";
  std::string missing = "error";
};

void add_report_flags(CLI::App* cmd, ReportFlags& f) {
  cmd->add_option("--rate", f.rate, "Risk-free rate for options, continuous decimal (0.05 = 5%)");
  cmd->add_option("--window", f.window, "Daily returns for VaR, factors, stress and correlations");
  cmd->add_option("--confidence", f.confidence, "VaR/ES confidence (1-day horizon)");
  cmd->add_option("--paths", f.paths, "Monte Carlo paths");
  cmd->add_option("--seed", f.seed, "Monte Carlo seed");
  cmd->add_option("--factors", f.factors_file, "Factor returns CSV (default: the store's --factor-set)");
  cmd->add_option("--factor-units", f.factor_units, "Units of --factors: decimal or percent")
      ->check(CLI::IsMember({"decimal", "percent"}));
  cmd->add_option("--factor-set", f.factor_set, "Factor set in the store");
  cmd->add_option("--missing", f.missing, "Holes in price histories: error (common dates) or carry-forward")
      ->check(CLI::IsMember({"error", "carry-forward"}));
}

service::ReportRequest report_request(const ReportFlags& f) {
  service::ReportRequest r;
  r.rate = f.rate;
  r.window = f.window;
  r.confidence = f.confidence;
  r.mc_paths = f.paths;
  r.seed = f.seed;
  if (!f.factors_file.empty()) r.factors.file = f.factors_file;
  r.factors.units = f.factor_units == "percent" ? io::RateUnits::kPercent : io::RateUnits::kDecimal;
  r.factors.set = f.factor_set;
  r.missing = f.missing == "carry-forward" ? risk::MissingPrices::kCarryForward : risk::MissingPrices::kError;
  return r;
}

std::string amount_or_dash(const json& j, const char* key) {
  return j.is_object() && j.contains(key) && j.at(key).is_number() ? fmt_amount(j.at(key).get<double>()) : "-";
}

std::string text_or_dash(const json& j, const char* key) {
  return j.is_object() && j.contains(key) && j.at(key).is_string() ? j.at(key).get<std::string>() : "-";
}

// One row per portfolio, then the steps' times (ms) per portfolio.
std::vector<TextTable> batch_tables(const json& result) {
  TextTable t("Batch as of " + result.value("as_of", std::string()));
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
  for (const auto& p : result.at("portfolios")) {
    const json summary = p.value("summary", json::object());
    t.row({p.at("portfolio").get<std::string>(), p.at("status").get<std::string>(), amount_or_dash(summary, "net_value_amount"),
           amount_or_dash(summary, "var_amount"), text_or_dash(summary, "backtest_zone"),
           fmt_amount(p.value("elapsed_ms", 0.0), 0),
           p.contains("report_dir") && p.at("report_dir").is_string() ? p.at("report_dir").get<std::string>()
                                                                        : p.value("error", std::string("-"))});
    steps.column(p.at("portfolio").get<std::string>());
    const std::size_t col = cells.empty() ? 0 : cells.begin()->second.size();
    for (auto& [name, v] : cells) v.resize(col + 1, "-");
    for (const auto& s : p.at("steps")) {
      const std::string name = s.at("name");
      if (!cells.count(name)) {
        order.push_back(name);
        cells[name].assign(col + 1, "-");
      }
      const std::string status = s.at("status");
      cells[name][col] = fmt_amount(s.value("elapsed_ms", 0.0), 1) + (status == "ok" ? "" : " " + status);
    }
  }
  for (const auto& name : order) {
    std::vector<std::string> row{name};
    row.insert(row.end(), cells[name].begin(), cells[name].end());
    steps.row(row);
  }
  t.footer(std::to_string(result.value("ok", 0)) + " ok, " + std::to_string(result.value("partial", 0)) + " partial, " +
           std::to_string(result.value("failed", 0)) + " failed in " + fmt_amount(result.value("elapsed_ms", 0.0), 0) +
           " ms");
  return {t, steps};
}

}  // namespace

void add_batch_commands(CLI::App& app, Context& ctx) {
  auto* group = app.add_subcommand("batch", "The daily batch: every analysis, a snapshot and the reports per portfolio");
  group->require_subcommand(1);
  auto* run = group->add_subcommand("run", "Run the batch on stored portfolios");
  auto portfolios = std::make_shared<std::vector<std::string>>();
  auto all = std::make_shared<bool>(false);
  auto as_of = std::make_shared<std::string>();
  auto out = std::make_shared<std::string>("reports");
  auto formats = std::make_shared<std::vector<std::string>>(service::kReportFormats);
  auto no_snapshot = std::make_shared<bool>(false);
  auto no_reports = std::make_shared<bool>(false);
  auto flags = std::make_shared<ReportFlags>();
  auto market_data = std::make_shared<std::string>();
  run->add_option("--portfolio,-p", *portfolios, "Portfolio name (repeat for several)");
  run->add_option("--market-data", *market_data,
                  "Sync held symbols from this provider first (yahoo, stooq, polygon; default: $KEEL_MARKET_DATA_PROVIDER, else off)");
  run->add_flag("--all", *all, "Every portfolio of the store (the default when no --portfolio is given)");
  run->add_option("--as-of", *as_of, "As-of date (default: the store's last price date)");
  run->add_option("--out", *out, "Root folder of the reports (<out>/<portfolio-slug>_<as-of>/)");
  run->add_option("--formats", *formats, "Report formats: md,json,csv,xlsx")->delimiter(',');
  run->add_flag("--no-snapshot", *no_snapshot, "Do not store snapshots");
  run->add_flag("--no-reports", *no_reports, "Do not write report files");
  add_report_flags(run, *flags);
  run->callback([&ctx, portfolios, all, as_of, out, formats, no_snapshot, no_reports, flags, market_data] {
    if (*all && !portfolios->empty()) throw Error::usage("give --all or --portfolio NAME, not both");
    service::BatchRequest req;
    req.portfolios = *portfolios;
    if (!as_of->empty()) req.as_of = Date::parse_or_throw(*as_of, "--as-of");
    req.out_dir = *no_reports ? std::nullopt : std::optional<std::string>(*out);
    req.formats = *formats;
    req.snapshot = !*no_snapshot;
    req.report = report_request(*flags);
    req.market_data.provider = *market_data;
    if (ctx.show_progress()) {
      req.progress = [&ctx](const std::string& name, std::size_t done, std::size_t total) {
        if (!name.empty()) ctx.note("[" + std::to_string(done + 1) + "/" + std::to_string(total) + "] " + name);
      };
    }
    const json result = service::run_batch(&ctx.store(), req);
    ctx.emit(result, batch_tables(result));
    const std::size_t failed = result.value("failed", std::size_t{0});
    if (failed > 0 && failed == result.at("portfolios").size()) {
      std::vector<std::string> details;
      for (const auto& p : result.at("portfolios")) details.push_back(p.value("portfolio", "") + ": " + p.value("error", ""));
      throw Error::invalid_input("every portfolio of the batch failed", details);
    }
  });
}

void add_report_commands(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("report", "Write the report of one book (md, json, csv, xlsx) into a folder");
  auto portfolio = std::make_shared<std::string>();
  auto positions = std::make_shared<std::string>();
  auto prices = std::make_shared<std::string>();
  auto as_of = std::make_shared<std::string>();
  auto out = std::make_shared<std::string>("reports");
  auto formats = std::make_shared<std::vector<std::string>>(service::kReportFormats);
  auto flags = std::make_shared<ReportFlags>();
  cmd->add_option("--portfolio,-p", *portfolio, "Stored portfolio name");
  cmd->add_option("--positions", *positions, "Positions CSV (instead of --portfolio)");
  cmd->add_option("--prices", *prices, "Prices CSV (default: the store's prices)");
  cmd->add_option("--as-of", *as_of, "As-of date (default: the last date with prices)");
  // Shadows the global --format: here it names the report files.
  cmd->add_option("--format", *formats, "Report formats: md,json,csv,xlsx (one file per format)")->delimiter(',');
  cmd->add_option("--out", *out, "Root folder; the files go to <out>/<portfolio-slug>_<as-of>/");
  add_report_flags(cmd, *flags);
  cmd->callback([&ctx, portfolio, positions, prices, as_of, out, formats, flags] {
    service::ReportRequest req = report_request(*flags);
    if (!portfolio->empty()) req.source.portfolio = *portfolio;
    if (!positions->empty()) req.source.positions_file = *positions;
    if (!prices->empty()) req.source.prices_file = *prices;
    if (!as_of->empty()) req.source.as_of = Date::parse_or_throw(*as_of, "--as-of");
    Store* store = nullptr;
    if (!portfolio->empty() || ctx.has_store_file()) store = &ctx.store();
    const json report = service::build_report(store, req);
    const std::string dir = (std::filesystem::path(*out) / service::report_dir_name(report.at("portfolio"), report.at("as_of"))).string();
    const auto files = service::write_report_files(report, dir, *formats);
    TextTable t("Report of " + report.at("portfolio").get<std::string>() + " as of " + report.at("as_of").get<std::string>());
    t.column("file", TextTable::Align::kLeft);
    for (const auto& f : files) t.row({f});
    TextTable steps("Steps");
    steps.column("step", TextTable::Align::kLeft).column("status", TextTable::Align::kLeft).column("ms").column("message", TextTable::Align::kLeft);
    for (const auto& s : report.at("steps")) {
      steps.row({s.at("name"), s.at("status"), fmt_amount(s.value("elapsed_ms", 0.0), 1), s.value("message", "")});
    }
    ctx.emit({{"portfolio", report.at("portfolio")},
              {"as_of", report.at("as_of")},
              {"report_dir", dir},
              {"files", files},
              {"steps", report.at("steps")},
              {"summary", report.at("summary")}},
             {t, steps});
  });
}

}  // namespace keel::cli
