// keel/service/report_writer.h: writes a report (service::Report, schema "keel.report/1",
// docs/reports.md) as files in a report folder: report.md + its SVG charts, report.json,
// positions.csv and report.xlsx.
//
// The folder of one portfolio and date is `<root>/<report_dir_name(portfolio, as_of)>/`. Each file
// is written to a temporary name in the folder and renamed into place, so a failure never leaves
// a half-written report file behind (a run that fails part-way may leave the files it finished).
//
// Thread-safety: stateless; distinct folders may be written concurrently.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "keel/io/xlsx_writer.h"

namespace keel::service {

struct Report;

// The report formats, as named on the command line (`keel report --format md,json,csv,xlsx`).
inline const std::vector<std::string> kReportFormats = {"md", "json", "csv", "xlsx"};

// Folder-safe portfolio name: lower case, [a-z0-9] kept, every run of other characters becomes
// one '-', no leading or trailing '-' ("Demo HNW Book" -> "demo-hnw-book"). A name with no letter
// or digit gives "portfolio".
std::string report_slug(const std::string& portfolio);

// `<slug>_<as_of>`, e.g. ("Demo HNW Book", "2017-12-06") -> "demo-hnw-book_2017-12-06".
std::string report_dir_name(const std::string& portfolio, const std::string& as_of);

// positions.csv: a header of the 37 report::kPositionColumns, then one line per positions.rows
// entry (the fields of ReportPositionRow, in that order); RFC 4180 quoting; numbers in shortest
// round-trip form (std::to_chars, so parsing the text gives back the same double); empty for
// null; a text that begins with = + - @, a tab or a carriage return gets a leading apostrophe, so
// that a spreadsheet shows it instead of evaluating it (docs/reports.md). A positions section that
// is not ok gives the header only.
std::string positions_csv(const Report& report);

// The worksheets of report.xlsx: Summary (every scalar of every section as a row "section.key",
// the number in the column whose format fits it: amount "#,##0.00", fraction "0.00%", count
// "#,##0", number "0.0000"), Positions, Exposures, Greeks, Factors, VaR, Stress, Correlation,
// Concentration, History, Data quality, Steps; a table sheet has a column per field of its rows.
// A section that is not ok gives a sheet with its status and reason. Numbers are cells of type
// number with the format of their field (docs/reports.md lists them).
std::vector<io::XlsxSheet> report_workbook(const Report& report);

// A report.json document read back into a Report (fields missing from it keep their defaults).
// Throws keel::Error(invalid_input) naming the field path of every field of the wrong type and
// every unknown field.
Report report_from_json(const nlohmann::json& document);

// Writes the requested formats into `dir` (created with its parents when missing) and returns
// the paths written, in the order md (report.md, then the charts), json (report.json, 2-space
// indented, spec::to_json of the report), csv (positions.csv), xlsx (report.xlsx); a format given
// twice is written once. Throws keel::Error: usage for an unknown format name or an empty list
// (nothing written), internal when a folder or file cannot be written.
std::vector<std::string> write_report_files(const Report& report, const std::string& dir,
                                            const std::vector<std::string>& formats);
// The same for a report.json document (report_from_json; invalid_input when it does not read).
std::vector<std::string> write_report_files(const nlohmann::json& document, const std::string& dir,
                                            const std::vector<std::string>& formats);

}  // namespace keel::service
