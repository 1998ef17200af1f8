// Report files from report.json: folder naming, positions.csv, and the atomic writes.
#include "keel/service/report_writer.h"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <system_error>

#include "keel/core/error.h"
#include "keel/report/report_json.h"
#include "keel/report/report_markdown.h"
#include "keel/report/report_schema.h"
#include "keel/service/batch.h"
#include "ledger_internal.h"

namespace keel::service {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// Shortest text that parses back to the same double (std::to_chars without a precision).
std::string round_trip(double v) {
  char buf[64];
  const auto res = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, res.ptr);
}

std::string csv_value(const json& v) {
  if (v.is_number_integer()) return v.dump();
  if (v.is_number()) return round_trip(v.get<double>());
  if (v.is_string()) return ledger_detail::csv_field(v.get<std::string>());
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_array()) {
    std::string joined;  // a list of tags as the positions file writes them: "a;b"
    for (const json& e : v)
      joined += (joined.empty() ? "" : ";") + (e.is_string() ? e.get<std::string>() : e.dump());
    return ledger_detail::csv_field(joined);
  }
  if (v.is_object()) return ledger_detail::csv_field(v.dump());
  return "";
}

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

std::string write_workbook(const fs::path& dir, const json& report) {
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

std::string positions_csv(const nlohmann::json& report) {
  std::string out;
  for (std::size_t i = 0; i < report::kPositionColumns.size(); ++i)
    out += (i ? "," : "") + std::string(report::kPositionColumns[i]);
  out += '\n';
  const json& p = report::detail::member(report, "positions");
  if (!report::detail::section_ok(p)) return out;
  for (const json& row : report::detail::array(p, "rows")) {
    for (std::size_t i = 0; i < report::kPositionColumns.size(); ++i) {
      if (i) out += ',';
      out += csv_value(report::detail::member(row, report::kPositionColumns[i]));
    }
    out += '\n';
  }
  return out;
}

std::vector<std::string> write_report_files(const nlohmann::json& report, const std::string& dir,
                                            const std::vector<std::string>& formats) {
  if (formats.empty()) throw Error::usage("no report format given (expected md, json, csv or xlsx)");
  for (const auto& f : formats)
    if (std::find(kReportFormats.begin(), kReportFormats.end(), f) == kReportFormats.end())
      throw Error::usage("unknown report format '" + f + "' (expected md, json, csv or xlsx)");
  if (!report.is_object())
    throw Error::invalid_input("a report must be a JSON object (schema keel.report/1)");
  auto wanted = [&](const char* f) { return std::find(formats.begin(), formats.end(), f) != formats.end(); };

  const fs::path folder(dir);
  std::error_code ec;
  fs::create_directories(folder, ec);
  if (ec || !fs::is_directory(folder))
    throw Error::internal(dir + ": cannot create the report folder" +
                          (ec ? ": " + ec.message() : std::string()));
  std::vector<std::string> written;
  if (wanted("md")) {
    const auto files = report::render_markdown_report(report);
    written.push_back(write_atomically(folder, "report.md", files.at("report.md")));
    for (const auto& [name, content] : files)
      if (name != "report.md") written.push_back(write_atomically(folder, name, content));
  }
  if (wanted("json"))
    written.push_back(write_atomically(folder, "report.json",
                                       report.dump(2, ' ', false, json::error_handler_t::replace) + "\n"));
  if (wanted("csv")) written.push_back(write_atomically(folder, "positions.csv", positions_csv(report)));
  if (wanted("xlsx")) written.push_back(write_workbook(folder, report));
  return written;
}

std::vector<std::string> write_report(const Report& report, const std::string& dir,
                                            const std::vector<std::string>& formats) {
  return write_report_files(spec::to_json(report), dir, formats);
}

}  // namespace keel::service
