// Kenneth French's data library: GET /pub/faculty/ken.french/ftp/{dataset}_CSV.zip, a zip holding
// one CSV: a few lines of description, then a header ",Mkt-RF,SMB,HML,..." and rows
// "YYYYMMDD,v,v,..." in percent per day, then (for monthly files) further sections. keel reads
// the first section. Datasets: ff5 (5 factors 2x3, daily), ff3 (3 factors, daily), mom (momentum).
#include <fmt/format.h>

#include <algorithm>

#include "keel/core/error.h"
#include "keel/marketdata/zip.h"
#include "keel/core/strings.h"
#include "providers.h"

namespace keel::marketdata {
namespace {

struct Dataset {
  const char* key;
  const char* file;
};
constexpr Dataset kDatasets[] = {{"ff5", "F-F_Research_Data_5_Factors_2x3_daily"},
                                 {"ff3", "F-F_Research_Data_Factors_daily"},
                                 {"mom", "F-F_Momentum_Factor_daily"}};

// "Mkt-RF" -> "mkt_rf", "SMB" -> "smb", "Mom   " -> "mom".
std::string factor_name(const std::string& h) {
  std::string out;
  for (char c : h) {
    if (c == '-' || c == ' ') {
      if (!out.empty() && out.back() != '_') out += '_';
    } else {
      out += keel::to_lower(c);
    }
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  return out;
}

class French final : public Provider {
 public:
  explicit French(ProviderOptions o) : Provider("french", std::move(o), 1.0, 2.0) {}
  std::string name() const override { return "french"; }
  Capabilities capabilities() const override { return {.factors = true}; }

  FactorTable factors(const std::string& dataset, Date from, Date to) override {
    const auto it = std::find_if(std::begin(kDatasets), std::end(kDatasets), [&](const Dataset& d) { return dataset == d.key; });
    if (it == std::end(kDatasets)) throw Error::usage("french: unknown dataset \"" + dataset + "\" (expected ff5, ff3 or mom)");
    const std::string file = it->file;
    const std::string url = base(default_base_url("french")) + "/pub/faculty/ken.french/ftp/" + file + "_CSV.zip";
    const auto got = bodies(file, "latest", url);
    // Offline, the newest cached archive is the whole history.
    const ZipEntry entry = zip_find_entry(got.back(), ".csv", "french: " + file + "_CSV.zip");
    return parse(entry, from, to);
  }

 private:
  static FactorTable parse(const ZipEntry& entry, Date from, Date to) {
    const auto lines = body_lines(entry.data);
    const std::string what = "french: malformed " + entry.name;
    std::size_t i = 0;
    for (; i < lines.size(); ++i) {
      const auto f = split_csv_line(lines[i]);
      if (f.size() >= 2 && f[0].empty() && !f[1].empty()) break;  // the header ",Mkt-RF,SMB,..."
    }
    if (i == lines.size()) throw Error::invalid_input(what, {"expected a header line starting with a comma (\",Mkt-RF,SMB,...\")"});
    FactorTable t;
    for (const auto& h : split_csv_line(lines[i])) {
      if (!h.empty()) t.names.push_back(factor_name(h));
    }
    std::vector<std::string> problems;
    for (++i; i < lines.size(); ++i) {
      const auto f = split_csv_line(lines[i]);
      if (f.empty() || f[0].empty() || f[0].size() != 8 || !std::all_of(f[0].begin(), f[0].end(), ::isdigit)) break;  // end of section
      const std::string where = fmt::format("{}:{}", entry.name, i + 1);
      const auto d = Date::parse(f[0].substr(0, 4) + "-" + f[0].substr(4, 2) + "-" + f[0].substr(6, 2));
      if (!d || f.size() != t.names.size() + 1) {
        problems.push_back(fmt::format("{}: expected YYYYMMDD and {} values", where, t.names.size()));
        continue;
      }
      if (*d < from || *d > to) continue;
      std::vector<double> row;
      for (std::size_t k = 1; k < f.size(); ++k) {
        const auto v = parse_number(f[k]);
        // -99.99 and -999 are the library's missing-value codes.
        if (!v || *v <= -99.99) {
          problems.push_back(
              fmt::format("{}:{}: expected a return in percent, got \"{}\"", where, k + 1, excerpt(f[k])));
          break;
        }
        row.push_back(*v / 100.0);
      }
      if (row.size() != t.names.size()) continue;
      if (!t.dates.empty() && *d <= t.dates.back()) {
        problems.push_back(where + ": date " + d->to_string() + " is not after the previous row");
        continue;
      }
      t.dates.push_back(*d);
      t.values.insert(t.values.end(), row.begin(), row.end());
    }
    if (!problems.empty()) throw Error::invalid_input(what, problems);
    return t;
  }
};

}  // namespace

std::unique_ptr<Provider> make_french(ProviderOptions options) { return std::make_unique<French>(std::move(options)); }

}  // namespace keel::marketdata
