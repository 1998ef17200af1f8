// report.xlsx sheets of a report (service::report_workbook), read from its typed sections.
#include <algorithm>
#include <map>
#include <string_view>

#include "keel/service/report.h"
#include "keel/service/report_writer.h"
#include "report_cells.h"

namespace keel::service {
namespace {


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

// The Excel number format of a numeric field, from its description's unit, else the contract's
// naming rules (docs/reports.md): a field in the portfolio currency, *_amount and prices are
// amounts; a fraction, *_pct, *weight and the rates, vols and R² are fractions; integer fields,
// days and *_count are whole numbers; *_ms are milliseconds; quantities stay General; everything else
// (betas, Greeks, correlations, p-values, HHI) gets 4 decimals.
std::string number_format(std::string_view key, std::string_view unit = {}, bool integer = false) {
  if (unit.find("currency") != std::string_view::npos) return kAmountFormat;
  if (unit.starts_with("fraction")) return kFractionFormat;
  if (integer || unit.starts_with("trading days")) return kCountFormat;
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

// A sheet saying why a section has no table.
template <class Section>
io::XlsxSheet status_sheet(std::string name, const Section& section) {
  io::XlsxSheet sheet{std::move(name), {{"status", ""}, {"reason", ""}}, {}};
  sheet.rows.push_back({section.status, section.reason.value_or("no reason given")});
  return sheet;
}

// Columns and rows of the scalar fields of described rows; `tag` names the table in a leading
// column when a sheet holds several tables (the union of their fields, in first-seen order).
class TableBuilder {
 public:
  explicit TableBuilder(bool tagged) : tagged_(tagged) {}
  template <class Row>
  void add(const char* tag, const std::vector<Row>& rows) {
    for (const Row& r : rows) {
      std::vector<std::pair<std::size_t, io::XlsxCell>> at;
      for (detail::Cell& c : detail::cells_of(r)) at.emplace_back(column(c), std::move(c.value));
      rows_.push_back({tag, std::move(at)});
    }
    // The columns of an empty table still show.
    if (rows.empty()) {
      for (const detail::Cell& c : detail::cells_of(Row{})) column(c);
    }
  }
  io::XlsxSheet sheet(std::string name) const {
    io::XlsxSheet out{std::move(name), {}, {}};
    if (tagged_) out.columns.push_back({"table", ""});
    for (std::size_t k = 0; k < names_.size(); ++k) out.columns.push_back({names_[k], formats_[k]});
    for (const auto& [tag, cells] : rows_) {
      std::vector<io::XlsxCell> row(out.columns.size());
      if (tagged_) row[0] = std::string(tag);
      for (const auto& [k, v] : cells) row[k + (tagged_ ? 1 : 0)] = v;
      out.rows.push_back(std::move(row));
    }
    return out;
  }

 private:
  std::size_t column(const detail::Cell& c) {
    const auto it = std::find(names_.begin(), names_.end(), c.name);
    if (it != names_.end()) return static_cast<std::size_t>(it - names_.begin());
    names_.push_back(c.name);
    formats_.push_back(number_format(c.name, c.unit, c.integer));
    return names_.size() - 1;
  }
  bool tagged_;
  std::vector<std::string> names_;
  std::vector<std::string> formats_;  // of each column, from its first cell
  std::vector<std::pair<const char*, std::vector<std::pair<std::size_t, io::XlsxCell>>>> rows_;
};

// A sheet of one table of a section (or its status sheet when not ok).
template <class Section, class Row>
io::XlsxSheet table_sheet(std::string name, const Section& section, const std::vector<Row>& rows) {
  if (!section.ok()) return status_sheet(std::move(name), section);
  TableBuilder t(false);
  t.add("", rows);
  return t.sheet(std::move(name));
}
// A sheet of two tables of a section, tagged.
template <class Section, class RowA, class RowB>
io::XlsxSheet table_sheet(std::string name, const Section& section, const char* tag_a, const std::vector<RowA>& a,
                          const char* tag_b, const std::vector<RowB>& b) {
  if (!section.ok()) return status_sheet(std::move(name), section);
  TableBuilder t(true);
  t.add(tag_a, a);
  t.add(tag_b, b);
  return t.sheet(std::move(name));
}

// One row per factor of a result's per-factor maps (betas, t-stats, amounts): column name, Excel
// format and map; a factor missing from a map is an empty cell.
struct FactorColumn {
  const char* name;
  const char* format;
  const std::map<std::string, double>* values;
};
template <class Section>
io::XlsxSheet factor_sheet(std::string name, const Section& section, const std::vector<std::string>& factors,
                           const std::vector<FactorColumn>& columns) {
  if (!section.ok()) return status_sheet(std::move(name), section);
  io::XlsxSheet sheet{std::move(name), {{"factor", ""}}, {}};
  for (const auto& c : columns) sheet.columns.push_back({c.name, c.format});
  for (const auto& f : factors) {
    std::vector<io::XlsxCell> row(columns.size() + 1);
    row[0] = f;
    for (std::size_t k = 0; k < columns.size(); ++k) {
      const auto it = columns[k].values->find(f);
      if (it != columns[k].values->end()) row[k + 1] = it->second;
    }
    sheet.rows.push_back(std::move(row));
  }
  return sheet;
}

// Summary: the top-level identity fields, then every scalar of every section as "section.key"
// (status first, then the others by name).
io::XlsxSheet summary_sheet(const Report& report) {
  io::XlsxSheet sheet{"Summary",
                      {{"metric", ""},
                       {"text", ""},
                       {"amount", kAmountFormat},
                       {"fraction", kFractionFormat},
                       {"count", kCountFormat},
                       {"number", kNumberFormat}},
                      {}};
  auto add = [&](const std::string& metric, const detail::Cell& c) {
    std::vector<io::XlsxCell> row(6);
    row[0] = metric;
    if (c.number) {
      const std::string f = number_format(c.name, c.unit, c.integer);
      const std::size_t col = f == kAmountFormat ? 2 : f == kFractionFormat ? 3 : f == kCountFormat ? 4 : 5;
      row[col] = c.value;
    } else {
      row[1] = c.value;
    }
    sheet.rows.push_back(std::move(row));
  };
  for (const detail::Cell& c : detail::cells_of(report)) add(c.name, c);
  auto section = [&](std::string_view name, std::vector<detail::Cell> cells) {
    std::stable_sort(cells.begin(), cells.end(), [](const detail::Cell& a, const detail::Cell& b) {
      return (a.name == "status") != (b.name == "status") ? a.name == "status" : a.name < b.name;
    });
    for (const detail::Cell& c : cells) add(std::string(name) + "." + c.name, c);
  };
  detail::SectionVisitor v(section);
  Report::fields(v, report);
  return sheet;
}

io::XlsxSheet positions_sheet(const Report& report) {
  const ReportPositions& p = report.positions;
  if (!p.ok()) return status_sheet("Positions", p);
  io::XlsxSheet sheet{"Positions", {}, {}};
  for (const detail::Cell& c : detail::cells_of(ReportPositionRow{})) sheet.columns.push_back({c.name, number_format(c.name, c.unit, c.integer)});
  for (const ReportPositionRow& r : p.rows) {
    std::vector<io::XlsxCell> cells;
    for (detail::Cell& c : detail::cells_of(r)) cells.push_back(std::move(c.value));
    sheet.rows.push_back(std::move(cells));
  }
  return sheet;
}

io::XlsxSheet steps_sheet(const Report& report) {
  TableBuilder t(false);
  t.add("", report.steps);
  return t.sheet("Steps");
}

}  // namespace

std::vector<io::XlsxSheet> report_workbook(const Report& report) {
  std::vector<io::XlsxSheet> sheets;
  sheets.push_back(summary_sheet(report));
  sheets.push_back(positions_sheet(report));
  const ReportExposures& ex = report.exposures;
  sheets.push_back(table_sheet("Exposures", ex, "sector", ex.result.groups, "type", ex.by_type));
  sheets.push_back(table_sheet("Greeks", report.greeks, report.greeks.result.positions));
  const FactorsResult& fa = report.factors.result;
  sheets.push_back(factor_sheet("Factors", report.factors, fa.factors,
                                {{"beta", kNumberFormat, &fa.portfolio.betas},
                                 {"t_stat", kNumberFormat, &fa.portfolio.regression.t_stats},
                                 {"exposure", kAmountFormat, &fa.portfolio.exposures}}));
  const ReportVar& var = report.var;
  sheets.push_back(table_sheet("VaR", var, "methods", var.result.results, "contributions", var.result.contributions));
  if (var.ok()) sheets.push_back(table_sheet("Backtest", var.backtest, std::vector{var.backtest.result}));
  sheets.push_back(table_sheet("Stress", report.stress, report.stress.result.scenarios));
  if (report.attribution) {
    const ReportAttribution& at = *report.attribution;
    const FactorAttributionResult& ar = at.result;
    sheets.push_back(factor_sheet("Attribution factors", at, ar.factors,
                                  {{"return", kFractionFormat, &ar.factor_returns},
                                   {"pnl_amount", kAmountFormat, &ar.book.factors}}));
    sheets.push_back(table_sheet("Attribution", at, ar.positions));
  }
  const ReportCorrelation& co = report.correlation;
  sheets.push_back(table_sheet("Correlation", co, "highest", co.highest_pairs, "lowest", co.lowest_pairs));
  const ReportConcentration& cn = report.concentration;
  sheets.push_back(table_sheet("Concentration", cn, "largest", cn.largest, "by_sector", cn.by_sector));
  sheets.push_back(table_sheet("History", report.history, report.history.points));
  sheets.push_back(table_sheet("Data quality", report.data_quality, report.data_quality.issues));
  sheets.push_back(steps_sheet(report));
  return sheets;
}

}  // namespace keel::service
