// report.xlsx sheets from report.json (service::report_workbook).
#include <algorithm>
#include <string_view>

#include "keel/report/report_json.h"
#include "keel/report/report_schema.h"
#include "keel/service/report_writer.h"

namespace keel::service {
namespace {

using nlohmann::json;
using report::detail::member;
using report::detail::section_ok;

constexpr const char* kAmountFormat = "#,##0.00";
constexpr const char* kFractionFormat = "0.00%";
constexpr const char* kCountFormat = "#,##0";
constexpr const char* kNumberFormat = "0.0000";
constexpr const char* kMillisFormat = "#,##0.0";

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

bool one_of(std::string_view s, std::initializer_list<std::string_view> names) {
  return std::find(names.begin(), names.end(), s) != names.end();
}

// The Excel number format of a numeric field, from the contract's naming rules (docs/reports.md):
// *_amount and prices are amounts; *_pct, *weight and the rates, vols and R² are fractions;
// counts, days and *_count are whole numbers; *_ms are milliseconds; quantities stay General;
// everything else (betas, Greeks, correlations, p-values, HHI) gets 4 decimals.
std::string number_format(std::string_view key) {
  if (ends_with(key, "_amount") || one_of(key, {"price", "entry_price", "strike"})) return kAmountFormat;
  if (ends_with(key, "_pct") || ends_with(key, "weight") ||
      one_of(key,
             {"confidence", "rate", "implied_vol", "alpha_annual", "residual_vol_annual", "r2", "factor_r2"}))
    return kFractionFormat;
  if (ends_with(key, "_count") || ends_with(key, "_days") ||
      one_of(key, {"count", "positions", "price_symbols", "symbols_checked", "backtest_exceptions",
                   "backtest_observations"}))
    return kCountFormat;
  if (ends_with(key, "_ms")) return kMillisFormat;
  if (one_of(key, {"quantity", "multiplier"})) return "";
  return kNumberFormat;
}

io::XlsxCell to_cell(const json& v) {
  if (v.is_number()) return v.get<double>();
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return std::string(v.get<bool>() ? "true" : "false");
  if (v.is_array()) {
    std::string joined;
    for (const json& e : v)
      joined += (joined.empty() ? "" : "; ") + (e.is_string() ? e.get<std::string>() : e.dump());
    return joined;
  }
  if (v.is_object()) return v.dump();
  return std::monostate{};
}

// A sheet saying why a section has no table.
io::XlsxSheet status_sheet(std::string name, const json& section) {
  io::XlsxSheet sheet{std::move(name), {{"status", ""}, {"reason", ""}}, {}};
  const json& status = member(section, "status");
  const json& reason = member(section, "reason");
  sheet.rows.push_back({status.is_string() ? to_cell(status) : io::XlsxCell(std::string("missing")),
                        reason.is_string()
                            ? to_cell(reason)
                            : io::XlsxCell(std::string("the section is missing from the report"))});
  return sheet;
}

// One table of a sheet: the rows of `array_key` in `section`, tagged with `tag` in the sheet's
// first column when the sheet holds several tables.
struct Part {
  const char* array_key;
  const char* tag;
};

// A sheet of the objects in section[part.array_key] for each part, columns `keys` (plus a
// leading "table" column when there are several parts), or the status sheet when not ok.
io::XlsxSheet table_sheet(std::string name, const json& section, std::initializer_list<Part> parts,
                          std::initializer_list<std::string_view> keys) {
  if (!section_ok(section)) return status_sheet(std::move(name), section);
  const bool tagged = parts.size() > 1;
  io::XlsxSheet sheet{std::move(name), {}, {}};
  if (tagged) sheet.columns.push_back({"table", ""});
  for (std::string_view k : keys) sheet.columns.push_back({std::string(k), number_format(k)});
  for (const Part& p : parts) {
    const json& rows = member(section, p.array_key);
    if (!rows.is_array()) continue;
    for (const json& r : rows) {
      std::vector<io::XlsxCell> cells;
      if (tagged) cells.emplace_back(std::string(p.tag));
      for (std::string_view k : keys) cells.push_back(to_cell(member(r, k)));
      sheet.rows.push_back(std::move(cells));
    }
  }
  return sheet;
}

// Summary: the top-level identity fields, then every scalar of every section as "section.key".
io::XlsxSheet summary_sheet(const json& report) {
  io::XlsxSheet sheet{"Summary",
                      {{"metric", ""},
                       {"text", ""},
                       {"amount", kAmountFormat},
                       {"fraction", kFractionFormat},
                       {"count", kCountFormat},
                       {"number", kNumberFormat}},
                      {}};
  auto add = [&](const std::string& metric, std::string_view key, const json& v) {
    std::vector<io::XlsxCell> row(6);
    row[0] = metric;
    if (v.is_number()) {
      const std::string f = number_format(key);
      const std::size_t col = f == kAmountFormat ? 2 : f == kFractionFormat ? 3 : f == kCountFormat ? 4 : 5;
      row[col] = v.get<double>();
    } else {
      row[1] = to_cell(v);
    }
    sheet.rows.push_back(std::move(row));
  };
  for (std::string_view k : {"portfolio", "as_of", "generated_at", "keel_version", "schema"})
    add(std::string(k), k, member(report, k));
  for (std::string_view name : report::kReportSections) {
    const json& s = member(report, name);
    if (!s.is_object()) {
      add(std::string(name) + ".status", "status", json("missing"));
      continue;
    }
    add(std::string(name) + ".status", "status", member(s, "status"));
    for (const auto& [k, v] : s.items())
      if (k != "status" && !v.is_array() && !v.is_object()) add(std::string(name) + "." + k, k, v);
  }
  return sheet;
}

io::XlsxSheet positions_sheet(const json& report) {
  const json& p = member(report, "positions");
  if (!section_ok(p)) return status_sheet("Positions", p);
  io::XlsxSheet sheet{"Positions", {}, {}};
  for (std::string_view k : report::kPositionColumns)
    sheet.columns.push_back({std::string(k), number_format(k)});
  const json& rows = member(p, "rows");
  if (rows.is_array()) {
    for (const json& r : rows) {
      std::vector<io::XlsxCell> cells;
      for (std::string_view k : report::kPositionColumns) cells.push_back(to_cell(member(r, k)));
      sheet.rows.push_back(std::move(cells));
    }
  }
  return sheet;
}

io::XlsxSheet steps_sheet(const json& report) {
  io::XlsxSheet sheet{"Steps", {}, {}};
  for (std::string_view k : {"name", "status", "elapsed_ms", "message"})
    sheet.columns.push_back({std::string(k), number_format(k)});
  const json& steps = member(report, "steps");
  if (steps.is_array())
    for (const json& s : steps)
      sheet.rows.push_back({to_cell(member(s, "name")), to_cell(member(s, "status")),
                            to_cell(member(s, "elapsed_ms")), to_cell(member(s, "message"))});
  return sheet;
}

}  // namespace

std::vector<io::XlsxSheet> report_workbook(const nlohmann::json& report) {
  std::vector<io::XlsxSheet> sheets;
  sheets.push_back(summary_sheet(report));
  sheets.push_back(positions_sheet(report));
  sheets.push_back(
      table_sheet("Exposures", member(report, "exposures"), {{"by_sector", "sector"}, {"by_type", "type"}},
                  {"key", "positions", "gross_amount", "net_amount", "delta_adjusted_net_amount", "weight"}));
  sheets.push_back(table_sheet("Greeks", member(report, "greeks"), {{"options", "options"}},
                               {"symbol", "underlying", "quantity", "price", "implied_vol", "delta", "gamma",
                                "dollar_delta_amount", "vega_per_point_amount", "theta_per_day_amount"}));
  sheets.push_back(table_sheet("Factors", member(report, "factors"), {{"betas", "betas"}},
                               {"factor", "beta", "t_stat", "exposure_amount"}));
  sheets.push_back(table_sheet("VaR", member(report, "var"),
                               {{"methods", "methods"}, {"contributions", "contributions"}},
                               {"method", "var_amount", "es_amount", "var_pct", "symbol",
                                "component_var_amount", "component_pct", "marginal_var"}));
  sheets.push_back(table_sheet("Stress", member(report, "stress"), {{"scenarios", "scenarios"}},
                               {"name", "description", "method", "pnl_amount", "pnl_pct"}));
  sheets.push_back(table_sheet("Correlation", member(report, "correlation"),
                               {{"highest_pairs", "highest"}, {"lowest_pairs", "lowest"}},
                               {"a", "b", "correlation"}));
  sheets.push_back(table_sheet("Concentration", member(report, "concentration"),
                               {{"largest", "largest"}, {"by_sector", "by_sector"}},
                               {"symbol", "sector", "weight"}));
  sheets.push_back(table_sheet("History", member(report, "history"), {{"points", "points"}},
                               {"as_of", "net_value_amount", "pnl_1d_amount", "var_amount", "es_amount"}));
  sheets.push_back(table_sheet("Data quality", member(report, "data_quality"), {{"issues", "issues"}},
                               {"symbol", "kind", "date", "detail"}));
  sheets.push_back(steps_sheet(report));
  return sheets;
}

}  // namespace keel::service
