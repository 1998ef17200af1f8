// `keel import prices|positions|factors|curve|sectors FILE`: validated, all-or-nothing imports.
#include <iostream>

#include "context.h"
#include "keel/core/error.h"
#include "keel/service/imports.h"

namespace keel::cli {
namespace {

void print_result(Context& ctx, const service::ImportResult& r) {
  for (const auto& w : r.warnings) ctx.warn(w);
  TextTable t("Imported " + r.kind + " from " + r.file);
  t.column("field", TextTable::Align::kLeft).column("value", TextTable::Align::kLeft);
  t.row({"rows", std::to_string(r.rows)});
  for (auto it = r.details.begin(); it != r.details.end(); ++it) {
    t.row({it.key(), it.value().is_string() ? it.value().get<std::string>() : it.value().dump()});
  }
  ctx.emit(to_json(r), {t});
}

// Progress on stderr, for terminals only: "importing prices  42%".
ProgressFn progress_printer(Context& ctx, const std::string& what) {
  if (!ctx.show_progress()) return {};
  return [what, last = -1](std::size_t done, std::size_t total) mutable {
    const int pct = total ? static_cast<int>(100 * done / total) : 100;
    if (pct == last) return;
    last = pct;
    std::cerr << "\rimporting " << what << " " << pct << "%" << (pct == 100 ? "\n" : "") << std::flush;
  };
}

io::RateUnits parse_units(const std::string& s) {
  return s == "percent" ? io::RateUnits::kPercent : io::RateUnits::kDecimal;
}

}  // namespace

void add_import_commands(CLI::App& app, Context& ctx) {
  auto* imp = app.add_subcommand("import", "Import validated files into the store (all-or-nothing)");
  imp->require_subcommand(1);

  auto file = std::make_shared<std::string>();
  auto* prices = imp->add_subcommand("prices", "Daily prices: date,symbol,close[,adj_close,...] or date,SYM1,SYM2,...");
  prices->add_option("file", *file, "CSV or CSV.gz file")->required();
  prices->callback([&ctx, file] {
    print_result(ctx, service::import_prices(ctx.store(), {*file, std::nullopt}, progress_printer(ctx, "prices")));
  });

  auto portfolio = std::make_shared<std::string>();
  auto* positions = imp->add_subcommand("positions", "Positions of a portfolio (replaces its positions)");
  positions->add_option("file", *file, "CSV file")->required();
  positions->add_option("--portfolio,-p", *portfolio, "Portfolio name")->required();
  positions->callback([&ctx, file, portfolio] {
    print_result(ctx, service::import_positions(ctx.store(), {*file, std::nullopt}, *portfolio));
  });

  auto set_name = std::make_shared<std::string>("ff5");
  auto units = std::make_shared<std::string>("decimal");
  auto* factors = imp->add_subcommand("factors", "Factor returns: date,<factor>,...");
  factors->add_option("file", *file, "CSV file")->required();
  factors->add_option("--set", *set_name, "Name of the factor set")->capture_default_str();
  factors->add_option("--factor-units", *units, "percent or decimal")
      ->check(CLI::IsMember({"percent", "decimal"}))
      ->capture_default_str();
  factors->callback([&ctx, file, set_name, units] {
    print_result(ctx, service::import_factors(ctx.store(), {*file, std::nullopt}, *set_name, parse_units(*units)));
  });

  auto curve_opts = std::make_shared<io::CurveReadOptions>();
  auto curve_type = std::make_shared<std::string>("zero");
  auto rate_units = std::make_shared<std::string>("decimal");
  auto date = std::make_shared<std::string>();
  auto* curve = imp->add_subcommand("curve", "Yield curve: tenor,rate (zero or par) or the dated Treasury par file");
  curve->add_option("file", *file, "CSV file")->required();
  curve->add_option("--name", curve_opts->name, "Curve name (default: the file name)");
  curve->add_option("--curve-type", *curve_type, "zero or par")->check(CLI::IsMember({"zero", "par"}));
  curve->add_option("--rate-units", *rate_units, "decimal or percent")->check(CLI::IsMember({"decimal", "percent"}));
  curve->add_option("--date", *date, "Row to take from a dated file (YYYY-MM-DD)");
  curve->add_option("--currency", curve_opts->currency, "ISO currency of the curve")->capture_default_str();
  curve->callback([&ctx, file, curve_opts, curve_type, rate_units, date] {
    io::CurveReadOptions o = *curve_opts;
    o.kind = *curve_type == "par" ? CurveKind::kPar : CurveKind::kZero;
    o.units = parse_units(*rate_units);
    if (!date->empty()) o.date = Date::parse_or_throw(*date, "--date");
    print_result(ctx, service::import_curve(ctx.store(), {*file, std::nullopt}, o));
  });

  auto* sectors = imp->add_subcommand("sectors", "Security master: symbol,sector[,name,industry] (or S&P constituents)");
  sectors->add_option("file", *file, "CSV file")->required();
  sectors->callback([&ctx, file] {
    print_result(ctx, service::import_symbol_info(ctx.store(), {*file, std::nullopt}));
  });
}

}  // namespace keel::cli
