// build_report: one book, every analysis, one report.json (keel/service/report_build.h,
// docs/reports.md).
#include "keel/service/report_build.h"

#include <chrono>
#include <ctime>
#include <optional>

#include <fmt/format.h>

#include "report_internal.h"
#include "keel/report/report_format.h"
#include "keel/report/report_schema.h"
#include "keel/service/exposures.h"
#include "keel/service/factor_attribution.h"
#include "keel/service/factors.h"
#include "keel/service/risk.h"
#include "keel/store/snapshot_repository.h"
#include "keel/store/store.h"
#include "risk_compute.h"

namespace keel::service {
namespace {

ReportSummary summary_section(const Report& report, const Book& book) {
  const ReportExposures& ex = report.exposures;
  const ReportVar& var = report.var;
  const ReportStress& st = report.stress;
  const ReportFactors& fa = report.factors;
  const ReportConcentration& co = report.concentration;
  ReportSummary s;
  s.status = ex.ok() ? "ok" : "failed";
  if (!ex.ok()) s.reason = "the book could not be valued: " + ex.reason.value_or("");
  s.currency = book.currency;
  s.positions_count = book.positions.size();
  if (ex.ok()) {
    s.net_value_amount = ex.result.market_value.net;
    s.gross_value_amount = ex.result.market_value.gross;
    s.long_value_amount = ex.result.market_value.long_;
    s.short_value_amount = ex.result.market_value.short_;
  }
  // One-day P&L, cost and unrealized P&L: the sums of the positions' (report "positions"), so that
  // the headline is what its rows add up to.
  if (report.positions.ok()) {
    double pnl = 0.0, cost = 0.0, unrealized = 0.0;
    bool any_pnl = false, any_cost = false;
    for (const auto& row : report.positions.rows) {
      if (row.pnl_1d_amount) {
        pnl += *row.pnl_1d_amount;
        any_pnl = true;
      }
      if (row.cost_basis_amount && row.unrealized_pnl_amount) {
        cost += *row.cost_basis_amount;
        unrealized += *row.unrealized_pnl_amount;
        any_cost = true;
      }
    }
    if (any_pnl) {
      s.pnl_1d_amount = pnl;
      s.pnl_1d_from = report.positions.pnl_1d_from;
    }
    if (any_cost) {
      s.cost_basis_amount = cost;
      s.unrealized_pnl_amount = unrealized;
    }
  }
  const double net = s.net_value_amount ? *s.net_value_amount : 0.0;
  if (s.pnl_1d_amount && net != 0.0) s.pnl_1d_pct = *s.pnl_1d_amount / net;
  s.var_method = "historical";
  if (const VarMethodResult* m = var.ok() ? find_var_method(var, s.var_method) : nullptr) {
    s.var_amount = m->var;
    s.es_amount = m->es;
    s.var_pct = m->var_pct;
    s.confidence = m->confidence;
  }
  if (var.ok() && var.backtest.ok()) s.backtest_zone = var.backtest.result.zone;
  if (fa.ok()) {
    const auto it = fa.result.portfolio.betas.find(fa.market_factor);
    if (it != fa.result.portfolio.betas.end()) s.beta_mkt = it->second;
  }
  if (const StressScenarioResult* worst = st.ok() ? worst_stress_scenario(st) : nullptr) {
    s.worst_stress_scenario = worst->name;
    s.worst_stress_pnl_amount = worst->pnl;
  }
  if (co.ok() && !co.largest.empty()) {
    s.largest_position_symbol = co.largest[0].symbol;
    s.largest_position_weight = co.largest[0].weight;
  }
  s.data_warnings_count = report.data_quality.ok() ? report.data_quality.issues.size() : 0;
  return s;
}

ReportProvenance provenance_section(const ReportRequest& req, const Book& book, const ReportFactors& factors,
                                    const PricedBook* priced) {
  ReportProvenance p;
  p.prices_source = req.source.prices_file ? *req.source.prices_file : std::string("store");
  p.prices_first_date = book.prices.dates.front().to_string();
  p.prices_last_date = book.prices.dates.back().to_string();
  p.price_symbols = book.prices.cols();
  p.positions_source = req.source.portfolio        ? "portfolio '" + *req.source.portfolio + "' in the store"
                       : req.source.positions_file ? *req.source.positions_file
                                                   : std::string("positions in memory");
  if (factors.ok()) {
    p.factor_source = factors.result.factor_source;
    p.factor_last_date = factors.result.last_date;
  }
  p.rate_source = priced != nullptr ? priced->rate_source : std::string("flag");
  p.rate = req.rate;  // the flat rate; rate_source says where the options' rates came from
  p.sectors_source = "position's own sector, else the store's security master";
  p.window_days = req.window;
  p.confidence = req.confidence;
  p.horizon_days = 1;
  p.warnings = book.warnings;
  return p;
}

}  // namespace

namespace detail {

// Snapshots of the portfolio up to the as-of date, oldest first (report "history").
ReportHistory history_section(Store* store, const std::string& tenant, const std::string& portfolio, Date as_of) {
  if (store == nullptr) {
    return unavailable_section<ReportHistory>("n/a", "no store: history comes from the snapshots of `keel batch run`");
  }
  store::SnapshotRepository& repo = store->snapshots();
  ReportHistory h;
  auto opt = [](const std::optional<double>& v) { return v ? spec::Nullable<double>(*v) : spec::Nullable<double>(); };
  for (const auto& s : repo.list(tenant, portfolio, std::nullopt, as_of)) {
    h.points.push_back({s.as_of.to_string(), opt(s.net_value_amount), opt(s.pnl_1d_amount), opt(s.var_amount),
                        opt(s.es_amount)});
  }
  if (h.points.empty()) {
    return unavailable_section<ReportHistory>("n/a", "no snapshots of " + portfolio + " on or before " +
                                                         as_of.to_string() + " yet (`keel batch run` stores one per day)");
  }
  return h;
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
  // Every step in the book's reporting currency, with the rates it was loaded with: positions in
  // memory carry no portfolio to take the currency from.
  src.currency = book.currency;
  src.loaded_fx = book.fx;
  RiskInputsRequest inputs;
  inputs.source = src;
  inputs.rate = req.rate;
  inputs.rate_curve = req.rate_curve;
  inputs.missing = req.missing;

  std::vector<ReportStep> steps;
  const detail::StepFilter filter{req.only_steps};
  Report report;
  report.schema = std::string(report::kReportSchema);
  report.portfolio = book.name;
  report.as_of = book.as_of.to_string();
  report.generated_at = req.generated_at.empty() ? cx.env.clock.iso8601() : req.generated_at;
  report.keel_version = "0.1.0";

  report.data_quality = detail::run_section<ReportDataQuality>("data_check", steps, filter, [&](std::string& message) {
    risk::DataQualityOptions o = req.data_quality;
    if (o.window == risk::DataQualityOptions{}.window) o.window = req.window;
    const PriceHistory& closes = book.closes.rows() > 0 ? book.closes : book.prices;
    ReportDataQuality s = detail::data_quality_section(risk::check_market_data(closes, book.prices, book.as_of, o));
    message = fmt::format("{} symbols checked, {} {}", s.symbols_checked, s.issues.size(),
                          s.issues.size() == 1 ? "warning" : "warnings");
    return s;
  });

  std::optional<PricedBook> priced;
  std::optional<PricedBook> previous;  // the same positions at the previous price date
  std::vector<std::string> report_warnings;
  report.exposures = detail::run_section<ReportExposures>("exposures", steps, filter, [&](std::string& message) {
    BookRiskRequest r;
    r.source = src;
    r.rate = req.rate;
    r.rate_curve = req.rate_curve;
    priced = price_book(cx, r);
    // The 1-day P&L: the same book valued the same way at the last price date before the as-of.
    std::optional<Date> prev;
    for (std::size_t t = priced->book.closes.rows(); t-- > 0;) {
      if (priced->book.closes.dates[t] < priced->book.as_of) {
        prev = priced->book.closes.dates[t];
        break;
      }
    }
    if (prev) {
      BookRiskRequest before = r;
      before.source.as_of = *prev;
      try {
        previous = price_book(cx, before);
      } catch (const Error& e) {
        report_warnings.push_back(fmt::format("1-day P&L: the book could not be valued on {}: {}", prev->to_string(),
                                              e.what()));
      }
    }
    ReportExposures s = detail::exposures_section(exposures_of(*priced, exposures::GroupBy::kSector),
                                                  exposures_of(*priced, exposures::GroupBy::kType));
    message = fmt::format("{} positions valued, {} failed", priced->report.valued, priced->report.failed);
    return s;
  });

  report.greeks = detail::run_section<ReportGreeks>("greeks", steps, filter, [&](std::string&) {
    if (!priced) {
      return unavailable_section<ReportGreeks>("failed", "the book could not be valued (see the exposures step)");
    }
    return detail::greeks_section(option_greeks_of(*priced));
  });

  report.factors = detail::run_section<ReportFactors>("factors", steps, filter, [&](std::string&) {
    if (store == nullptr && !req.factors.file) {
      return unavailable_section<ReportFactors>("n/a",
                                                "no factor data: give a factor file or import factors into a store");
    }
    FactorsRequest r;
    r.inputs = inputs;
    r.factors = req.factors;
    r.window = req.window;
    return detail::factors_section(risk_factors(Context{store}, r));
  });

  if (req.attribution_from) {
    report.attribution =
        detail::run_section<ReportAttribution>("attribution", steps, filter, [&](std::string& message) {
          if (store == nullptr && !req.factors.file) {
            return unavailable_section<ReportAttribution>(
                "n/a", "no factor data: give a factor file or import factors into a store");
          }
          FactorAttributionRequest r;
          r.inputs = inputs;
          r.factors = req.factors;
          r.window = req.window;
          r.from = *req.attribution_from;
          r.to = book.as_of;
          FactorAttributionResult a = factor_attribution(Context{store}, r);
          message = fmt::format("{} positions over {} days", a.positions.size(), a.days);
          return detail::attribution_section(std::move(a));
        });
  }

  using VarStep = detail::StepResult<RiskVarResult>;
  VarStep var = detail::run_section<VarStep>("var", steps, filter, [&](std::string& message) {
    RiskVarRequest r;
    r.inputs = inputs;
    r.methods = {risk::VarMethod::kParametric, risk::VarMethod::kHistorical, risk::VarMethod::kMonteCarlo};
    r.window = req.window;
    r.var.confidence = req.confidence;
    r.var.horizon_days = 1;
    r.var.monte_carlo.paths = req.mc_paths;
    r.var.monte_carlo.seed = req.seed;
    // Each method's P&L distribution, binned as report.md's chart draws it.
    r.histogram_bins = static_cast<std::size_t>(std::max(10, report::pnl_histogram_bins(req.window)));
    VarStep s;
    s.value = risk_var(cx, r);
    message = fmt::format("{} methods", s.value->results.size());
    return s;
  });

  using BacktestStep = detail::StepResult<RiskBacktestResult>;
  BacktestStep backtest = detail::run_section<BacktestStep>("backtest", steps, filter, [&](std::string& message) {
    RiskBacktestRequest r;
    r.inputs = inputs;
    r.backtest.window = req.backtest_window;
    r.backtest.confidence = req.confidence;
    BacktestStep s;
    s.value = risk_backtest(cx, r);
    message = fmt::format("{} exceptions in {} days, {}", s.value->exceptions, s.value->observations, s.value->zone);
    return s;
  });
  report.var = var.ok() ? detail::var_section(std::move(*var.value), std::move(backtest))
                        : unavailable_section<ReportVar>(var.status, var.reason.value_or(""));

  report.stress = detail::run_section<ReportStress>("stress", steps, filter, [&](std::string&) {
    if (store == nullptr && !req.factors.file) {
      return unavailable_section<ReportStress>(
          "n/a", "no factor data: stress scenarios shock factors (give a factor file or a store)");
    }
    StressRequest r;
    r.inputs = inputs;
    r.factors = req.factors;
    r.window = req.window;
    return detail::stress_section(risk_stress(Context{store}, r));
  });

  report.correlation = detail::run_section<ReportCorrelation>("correlation", steps, filter, [&](std::string&) {
    RiskCorrelationRequest r;
    r.inputs = inputs;
    r.window = req.window;
    return detail::correlation_section(risk_correlation(cx, r));
  });

  report.concentration =
      priced && report.exposures.ok()
          ? detail::concentration_section(*priced, report.exposures.result)
          : unavailable_section<ReportConcentration>("failed", "the book could not be valued (see the exposures step)");

  detail::RowSources rows;
  rows.priced = priced ? &*priced : nullptr;
  rows.previous = previous ? &*previous : nullptr;
  rows.greeks = report.greeks.ok() ? &report.greeks.result : nullptr;
  rows.factors = report.factors.ok() ? &report.factors.result : nullptr;
  rows.var = report.var.ok() ? &report.var.result : nullptr;
  rows.stress = report.stress.ok() ? &report.stress.result : nullptr;
  rows.price_source = req.source.prices_file ? *req.source.prices_file : std::string("store");
  report.positions = detail::positions_section(rows);

  report.provenance = provenance_section(req, book, report.factors, priced ? &*priced : nullptr);
  report.provenance.load_ms = load_ms;  // reading positions and prices, before the steps
  report.provenance.warnings.insert(report.provenance.warnings.end(), report_warnings.begin(), report_warnings.end());
  if (!req.with_history) {
    report.history = unavailable_section<ReportHistory>("n/a", "history not requested");
  } else if (req.source.portfolio) {
    report.history = detail::history_section(store, cx.actor.tenant, *req.source.portfolio, book.as_of);
  } else {
    report.history = unavailable_section<ReportHistory>(
        "n/a", "history needs a stored portfolio (snapshots of `keel batch run`); this book came from " +
                   std::string(req.source.positions_file ? "a positions file" : "memory"));
  }
  report.steps = std::move(steps);
  report.summary = summary_section(report, book);
  return report;
}

}  // namespace keel::service
