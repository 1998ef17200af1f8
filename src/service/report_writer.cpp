// Report files of a report: folder naming, positions.csv, and the atomic writes.
#include "keel/service/report_writer.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string_view>
#include <system_error>

#include "keel/core/csv_writer.h"
#include "keel/core/error.h"
#include "keel/core/strings.h"
#include "keel/report/report_schema.h"
#include "keel/service/report.h"
#include "keel/service/report_markdown.h"
#include "ledger_internal.h"
#include "report_cells.h"

namespace keel::service {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// Writes `content` to dir/name through a temporary file renamed into place.
std::string write_atomically(const fs::path& dir, const std::string& name, const std::string& content) {
  const fs::path target = dir / name;
  const fs::path tmp = dir / ("." + name + ".tmp");
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << content;
    out.close();
    if (!out) {
      std::error_code ec;
      fs::remove(tmp, ec);
      throw Error::internal(target.string() + ": cannot write the file");
    }
  }
  std::error_code ec;
  fs::rename(tmp, target, ec);
  if (ec) {
    fs::remove(tmp, ec);
    throw Error::internal(target.string() + ": cannot move the finished file into place: " + ec.message());
  }
  return target.string();
}

std::string write_workbook(const fs::path& dir, const Report& report) {
  const fs::path target = dir / "report.xlsx";
  const fs::path tmp = dir / ".report.xlsx.tmp";
  try {
    io::write_xlsx(tmp.string(), report_workbook(report));
  } catch (...) {
    std::error_code ec;
    fs::remove(tmp, ec);
    throw;
  }
  std::error_code ec;
  fs::rename(tmp, target, ec);
  if (ec) {
    fs::remove(tmp, ec);
    throw Error::internal(target.string() + ": cannot move the finished file into place: " + ec.message());
  }
  return target.string();
}

}  // namespace

std::string report_slug(const std::string& portfolio) {
  std::string slug;
  bool gap = false;
  for (unsigned char c : portfolio) {
    const unsigned char lower = (c >= 'A' && c <= 'Z') ? static_cast<unsigned char>(c - 'A' + 'a') : c;
    if ((lower >= 'a' && lower <= 'z') || (lower >= '0' && lower <= '9')) {
      if (gap && !slug.empty()) slug += '-';
      slug += static_cast<char>(lower);
      gap = false;
    } else {
      gap = true;
    }
  }
  return slug.empty() ? "portfolio" : slug;
}

std::string report_dir_name(const std::string& portfolio, const std::string& as_of) {
  return report_slug(portfolio) + "_" + as_of;
}

std::string positions_csv(const Report& report) {
  CsvWriter w;
  for (const auto& name : report::kPositionColumns) w.cell(name);
  w.end_row();
  if (!report.positions.ok()) return w.take();
  // Text and numbers through the one writer: a number stays a number, a text that a spreadsheet
  // would evaluate gets the formula guard's apostrophe.
  for (const ReportPositionRow& row : report.positions.rows) {
    for (const detail::Cell& c : detail::cells_of(row)) w.cell(c.text);
    w.end_row();
  }
  return w.take();
}

Report report_from_json(const nlohmann::json& document) {
  // A document of another schema (a report kept by an earlier keel: keel.report/1 restated the
  // results under the report's own names) is refused by name rather than field by field.
  const auto schema = document.is_object() ? document.find("schema") : document.end();
  if (document.is_object() && schema != document.end() && schema->is_string() &&
      schema->get<std::string>() != report::kReportSchema) {
    throw Error::invalid_input("this report was kept in format " + schema->get<std::string>() +
                                   ", which this keel does not render (it renders " +
                                   std::string(report::kReportSchema) + "): run the report again",
                               {"schema: expected " + std::string(report::kReportSchema) + ", got " +
                                schema->get<std::string>()});
  }
  Report report;
  spec::read_json(document, report, "report (schema " + std::string(report::kReportSchema) + ")",
                  spec::NullNumbers::kNaN);
  return report;
}

std::vector<std::string> write_report_files(const Report& report, const std::string& dir,
                                            const std::vector<std::string>& formats) {
  if (formats.empty()) throw Error::usage("no report format given (expected md, json, csv or xlsx)");
  for (const auto& f : formats)
    if (std::find(kReportFormats.begin(), kReportFormats.end(), f) == kReportFormats.end())
      throw Error::usage("unknown report format '" + f + "' (expected md, json, csv or xlsx)");
  auto wanted = [&](const char* f) { return std::find(formats.begin(), formats.end(), f) != formats.end(); };

  const fs::path folder(dir);
  std::error_code ec;
  fs::create_directories(folder, ec);
  if (ec || !fs::is_directory(folder))
    throw Error::internal(dir + ": cannot create the report folder" +
                          (ec ? ": " + ec.message() : std::string()));
  std::vector<std::string> written;
  if (wanted("md")) {
    const auto files = render_markdown_report(report);
    written.push_back(write_atomically(folder, "report.md", files.at("report.md")));
    for (const auto& [name, content] : files)
      if (name != "report.md") written.push_back(write_atomically(folder, name, content));
  }
  if (wanted("json"))
    written.push_back(
        write_atomically(folder, "report.json",
                         spec::to_json(report).dump(2, ' ', false, json::error_handler_t::replace) + "\n"));
  if (wanted("csv")) written.push_back(write_atomically(folder, "positions.csv", positions_csv(report)));
  if (wanted("xlsx")) written.push_back(write_workbook(folder, report));
  return written;
}

std::vector<std::string> write_report_files(const nlohmann::json& document, const std::string& dir,
                                            const std::vector<std::string>& formats) {
  return write_report_files(report_from_json(document), dir, formats);
}

}  // namespace keel::service
