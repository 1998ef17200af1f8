// build_report: one book, every analysis, one report.json (keel/service/batch.h, docs/reports.md).
#include <chrono>
#include <ctime>
#include <optional>

#include "batch_internal.h"
#include "keel/report/report_schema.h"
#include "keel/service/exposures.h"
#include "keel/service/factors.h"
#include "keel/service/risk.h"
#include "keel/store/snapshot_repository.h"
#include "keel/store/store.h"

namespace keel::service {
namespace {

using nlohmann::json;

template <class T>
json field(const json& section, const char* key, T fallback) {
  return detail::is_ok(section) && section.contains(key) ? section.at(key) : json(fallback);
}

spec::Nullable<double> number_or_null(const json& section, const char* key) {
  if (!detail::is_ok(section) || !section.contains(key) || !section.at(key).is_number()) return {};
  return section.at(key).get<double>();
}

spec::Nullable<std::string> text_or_null(const json& section, const char* key) {
  if (!detail::is_ok(section) || !section.contains(key) || !section.at(key).is_string()) return {};
  return section.at(key).get<std::string>();
}

ReportSummary summary_section(const Report& report, std::size_t positions_count) {
  const json& ex = report.exposures;
  const json& var = report.var;
  const json& st = report.stress;
  const json& fa = report.factors;
  const json& co = report.concentration;
  const json& dq = report.data_quality;
  ReportSummary s;
  s.status = detail::is_ok(ex) ? "ok" : "failed";
  if (!detail::is_ok(ex)) s.reason = "the book could not be valued: " + ex.value("reason", std::string());
  s.positions_count = positions_count;
  s.net_value_amount = number_or_null(ex, "net_amount");
  s.gross_value_amount = number_or_null(ex, "gross_amount");
  s.long_value_amount = number_or_null(ex, "long_amount");
  s.short_value_amount = number_or_null(ex, "short_amount");
  // One-day P&L: today's book under the last day's market move (the last scenario of the P&L series).
  if (detail::is_ok(var) && !var.at("pnl_distribution_amount").empty()) {
    s.pnl_1d_amount = var.at("pnl_distribution_amount").back().get<double>();
  }
  const double net = s.net_value_amount ? *s.net_value_amount : 0.0;
  if (s.pnl_1d_amount && net != 0.0) s.pnl_1d_pct = *s.pnl_1d_amount / net;
  s.var_method = "historical";
  s.var_amount = number_or_null(var, "historical_var_amount");
  s.es_amount = number_or_null(var, "historical_es_amount");
  if (detail::is_ok(var)) {
    for (const auto& m : var.at("methods")) {
      if (m.value("method", "") == "historical" && m.at("var_pct").is_number()) s.var_pct = m.at("var_pct").get<double>();
    }
  }
  s.confidence = number_or_null(var, "confidence");
  s.backtest_zone = text_or_null(var, "backtest_zone");
  if (detail::is_ok(fa)) {
    for (const auto& b : fa.at("betas")) {
      if (b.at("factor") == fa.at("market_factor") && b.at("beta").is_number()) s.beta_mkt = b.at("beta").get<double>();
    }
  }
  s.worst_stress_scenario = text_or_null(st, "worst_scenario");
  s.worst_stress_pnl_amount = number_or_null(st, "worst_pnl_amount");
  if (detail::is_ok(co) && !co.at("largest").empty()) {
    s.largest_position_symbol = co.at("largest")[0].at("symbol").get<std::string>();
    s.largest_position_weight = co.at("largest")[0].at("weight").get<double>();
  }
  s.data_warnings_count = detail::is_ok(dq) ? dq.at("issues").size() : 0;
  return s;
}

json provenance_section(const ReportRequest& req, const Book& book, const json& factors, const PricedBook* priced) {
  return {{"status", "ok"},
          {"prices_source", req.source.prices_file ? *req.source.prices_file : std::string("store")},
          {"prices_first_date", book.prices.dates.front().to_string()},
          {"prices_last_date", book.prices.dates.back().to_string()},
          {"price_symbols", book.prices.cols()},
          {"positions_source", req.source.portfolio   ? "portfolio '" + *req.source.portfolio + "' in the store"
                               : req.source.positions_file ? *req.source.positions_file
                                                           : std::string("positions in memory")},
          {"factor_source", detail::is_ok(factors) ? factors.at("factor_source") : json(nullptr)},
          {"factor_last_date", detail::is_ok(factors) ? factors.at("last_date") : json(nullptr)},
          {"rate_source", priced != nullptr ? priced->rate_source : std::string("flag")},
          {"rate", req.rate},
          {"sectors_source", "position's own sector, else the store's security master"},
          {"window_days", req.window},
          {"confidence", req.confidence},
          {"horizon_days", 1},
          {"warnings", book.warnings}};
}

}  // namespace

namespace detail {

// Snapshots of the portfolio up to the as-of date, oldest first (report "history").
json history_section(Store* store, const std::string& tenant, const std::string& portfolio, Date as_of) {
  if (store == nullptr) return unavailable("n/a", "no store: history comes from the snapshots of `keel batch run`");
  store::SnapshotRepository& repo = store->snapshots();
  json points = json::array();
  for (const auto& s : repo.list(tenant, portfolio, std::nullopt, as_of)) {
    auto opt = [](const std::optional<double>& v) { return v ? json(*v) : json(nullptr); };
    points.push_back({{"as_of", s.as_of.to_string()},
                      {"net_value_amount", opt(s.net_value_amount)},
                      {"pnl_1d_amount", opt(s.pnl_1d_amount)},
                      {"var_amount", opt(s.var_amount)},
                      {"es_amount", opt(s.es_amount)}});
  }
  if (points.empty()) {
    return unavailable("n/a", "no snapshots of " + portfolio + " on or before " + as_of.to_string() +
                                  " yet (`keel batch run` stores one per day)");
  }
  return {{"status", "ok"}, {"points", std::move(points)}};
}

}  // namespace detail

Report build_report(const Context& cx, const ReportRequest& req) {
  Store* store = cx.store;
  // The book once: positions and prices; every step gets them in memory, at one as-of date.
  const auto load_start = std::chrono::steady_clock::now();
  const Book book = load_book(cx, req.source);
  const double load_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - load_start).count();
  BookSource src;
  src.positions = book.positions;
  src.positions_name = book.name;
  src.loaded_prices = std::make_shared<const LoadedPrices>(LoadedPrices{book.prices, book.closes});
  src.as_of = book.as_of;
  src.tenant = req.source.tenant;
  RiskInputsRequest inputs;
  inputs.source = src;
  inputs.rate = req.rate;
  inputs.missing = req.missing;

  std::vector<ReportStep> steps;
  Report report;
  report.schema = std::string(report::kReportSchema);
  report.portfolio = book.name;
  report.as_of = book.as_of.to_string();
  report.generated_at = req.generated_at.empty() ? cx.env.clock.iso8601() : req.generated_at;
  report.keel_version = "0.1.0";

  report.data_quality = detail::run_step("data_check", steps, [&] {
    risk::DataQualityOptions o = req.data_quality;
    if (o.window == risk::DataQualityOptions{}.window) o.window = req.window;
    const PriceHistory& closes = book.closes.rows() > 0 ? book.closes : book.prices;
    return detail::data_quality_section(risk::check_market_data(closes, book.prices, book.as_of, o));
  });

  std::optional<PricedBook> priced;
  json by_sector;
  report.exposures = detail::run_step("exposures", steps, [&] {
    BookRiskRequest r;
    r.source = src;
    r.rate = req.rate;
    priced = price_book(cx, r);
    by_sector = spec::to_json(exposures_of(*priced, exposures::GroupBy::kSector));
    json s = detail::exposures_section(by_sector, spec::to_json(exposures_of(*priced, exposures::GroupBy::kType)));
    s["message"] = std::to_string(priced->report.valued) + " positions valued, " +
                   std::to_string(priced->report.failed) + " failed";
    return s;
  });

  json greeks_doc;
  report.greeks = detail::run_step("greeks", steps, [&] {
    if (!priced) return detail::unavailable("failed", "the book could not be valued (see the exposures step)");
    greeks_doc = spec::to_json(option_greeks_of(*priced));
    return detail::greeks_section(greeks_doc);
  });

  json factors_doc;
  report.factors = detail::run_step("factors", steps, [&] {
    if (store == nullptr && !req.factors.file) {
      return detail::unavailable("n/a", "no factor data: give a factor file or import factors into a store");
    }
    FactorsRequest r;
    r.inputs = inputs;
    r.factors = req.factors;
    r.window = req.window;
    factors_doc = spec::to_json(risk_factors(Context{store}, r));
    return detail::factors_section(factors_doc);
  });

  json var_doc;
  json var_status = detail::run_step("var", steps, [&] {
    RiskVarRequest r;
    r.inputs = inputs;
    r.methods = {risk::VarMethod::kParametric, risk::VarMethod::kHistorical, risk::VarMethod::kMonteCarlo};
    r.window = req.window;
    r.var.confidence = req.confidence;
    r.var.horizon_days = 1;
    r.var.monte_carlo.paths = req.mc_paths;
    r.var.monte_carlo.seed = req.seed;
    var_doc = spec::to_json(risk_var(cx, r));
    return json{{"status", "ok"}, {"message", std::to_string(var_doc.at("results").size()) + " methods"}};
  });

  json backtest = detail::run_step("backtest", steps, [&] {
    RiskBacktestRequest r;
    r.inputs = inputs;
    r.backtest.window = req.backtest_window;
    r.backtest.confidence = req.confidence;
    r.include_series = true;
    json b = spec::to_json(risk_backtest(cx, r));
    b["status"] = "ok";
    b["message"] = std::to_string(b.value("exceptions", 0)) + " exceptions in " +
                   std::to_string(b.value("observations", 0)) + " days, " + b.value("zone", "");
    return b;
  });
  report.var = detail::is_ok(var_status) ? detail::var_section(var_doc, backtest, req.window) : var_status;

  json stress_doc;
  report.stress = detail::run_step("stress", steps, [&] {
    if (store == nullptr && !req.factors.file) {
      return detail::unavailable("n/a", "no factor data: stress scenarios shock factors (give a factor file or a store)");
    }
    StressRequest r;
    r.inputs = inputs;
    r.factors = req.factors;
    r.window = req.window;
    stress_doc = spec::to_json(risk_stress(Context{store}, r));
    return detail::stress_section(stress_doc);
  });

  report.correlation = detail::run_step("correlation", steps, [&] {
    RiskCorrelationRequest r;
    r.inputs = inputs;
    r.window = req.window;
    return detail::correlation_section(spec::to_json(risk_correlation(cx, r)));
  });

  report.concentration = priced && detail::is_ok(report.exposures)
                                ? detail::concentration_section(*priced, report.exposures.at("by_sector"))
                                : detail::unavailable("failed", "the book could not be valued (see the exposures step)");

  detail::RowSources rows;
  rows.priced = priced ? &*priced : nullptr;
  rows.greeks = greeks_doc;
  rows.factors = factors_doc;
  rows.var = var_doc;
  rows.stress = stress_doc;
  rows.price_source = req.source.prices_file ? *req.source.prices_file : std::string("store");
  report.positions = detail::positions_section(rows);

  report.provenance = provenance_section(req, book, report.factors, priced ? &*priced : nullptr);
  report.provenance["load_ms"] = load_ms;  // reading positions and prices, before the steps
  if (!req.with_history) {
    report.history = detail::unavailable("n/a", "history not requested");
  } else if (req.source.portfolio) {
    report.history = detail::history_section(store, req.source.tenant, *req.source.portfolio, book.as_of);
  } else {
    report.history = detail::unavailable("n/a", "history needs a stored portfolio (snapshots of `keel batch run`); this book came from " +
                                                       std::string(req.source.positions_file ? "a positions file" : "memory"));
  }
  report.steps = std::move(steps);
  report.summary = summary_section(report, book.positions.size());
  return report;
}

}  // namespace keel::service
