// The ECB's daily euro foreign exchange reference rates, from its SDMX REST API:
// GET /service/data/EXR/D.USD+GBP+JPY.EUR.SP00.A?format=csvdata&startPeriod=YYYY-MM-DD&endPeriod=...
// answers CSV with a header naming at least KEY, FREQ, CURRENCY, CURRENCY_DENOM, EXR_TYPE,
// EXR_SUFFIX, TIME_PERIOD and OBS_VALUE (more columns come and go; they are found by name), one row
// per currency and day; OBS_VALUE is units of CURRENCY per one CURRENCY_DENOM (EUR), so a row is
// the pair EUR/CURRENCY (docs/fx.md). A day without a value (an empty OBS_VALUE or NaN) is
// skipped; the ECB publishes none on TARGET holidays. No key.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <tuple>

#include "keel/core/error.h"
#include "providers.h"

namespace keel::marketdata {
namespace {

class Ecb final : public Provider {
 public:
  explicit Ecb(ProviderOptions o) : Provider("ecb", std::move(o), 2.0, 5.0) {}
  std::string name() const override { return "ecb"; }
  Capabilities capabilities() const override { return {.fx = true}; }
  std::vector<std::string> default_fx_currencies() const override { return {"USD", "GBP", "JPY", "CHF"}; }

  FxRows fx_rates(const std::vector<std::string>& currencies, Date from, Date to) override {
    std::string keys;
    for (const auto& c : currencies) {
      if (!is_currency_code(c) || c == "EUR") {
        throw Error::usage(fmt::format("ecb: \"{}\" is not a currency the ECB quotes against the euro", c));
      }
      keys += (keys.empty() ? "" : "+") + c;
    }
    if (keys.empty()) throw Error::usage("ecb: no currencies to fetch");
    const std::string url = base(default_base_url("ecb")) + "/service/data/EXR/D." + keys +
                            ".EUR.SP00.A?format=csvdata&startPeriod=" + from.to_string() +
                            "&endPeriod=" + to.to_string();
    // Later responses (offline: every cached one) win a date.
    std::map<std::tuple<std::string, std::string, Date>, double> rates;
    for (const auto& body : bodies("EXR_" + keys, from.to_string() + "_" + to.to_string(), url)) {
      parse(body, keys, rates);
    }
    FxRows out;
    for (const auto& [key, rate] : rates) {
      const auto& [base_ccy, quote, date] = key;
      if (date < from || date > to) continue;
      if (std::find(currencies.begin(), currencies.end(), quote) == currencies.end()) continue;
      out.add(date, base_ccy, quote, rate);
    }
    return out;
  }

 private:
  static void parse(const std::string& body, const std::string& keys,
                    std::map<std::tuple<std::string, std::string, Date>, double>& rates) {
    const std::string what = "ecb: malformed reference rates CSV for " + keys;
    const auto lines = body_lines(body);
    if (lines.empty() || lines[0].empty()) {
      return;  // the ECB answers an empty body when no day of the range has a rate
    }
    const auto header = split_csv_line(lines[0]);
    auto column = [&](const char* name) -> std::size_t {
      const auto it = std::find(header.begin(), header.end(), name);
      if (it == header.end()) {
        throw Error::invalid_input(what, {fmt::format("line 1: no column {} in \"{}\"", name, excerpt(lines[0]))});
      }
      return static_cast<std::size_t>(it - header.begin());
    };
    const std::size_t c_quote = column("CURRENCY"), c_base = column("CURRENCY_DENOM"),
                      c_date = column("TIME_PERIOD"), c_value = column("OBS_VALUE");
    std::vector<std::string> problems;
    for (std::size_t i = 1; i < lines.size() && problems.size() < 20; ++i) {
      if (lines[i].empty()) continue;
      const auto f = split_csv_line(lines[i]);
      const std::string where = fmt::format("line {}", i + 1);
      if (f.size() < header.size()) {
        problems.push_back(fmt::format("{}: {} fields for a header of {}", where, f.size(), header.size()));
        continue;
      }
      const auto d = Date::parse(f[c_date]);
      if (!d) {
        problems.push_back(fmt::format("{}, TIME_PERIOD: expected a date YYYY-MM-DD, got \"{}\"", where, excerpt(f[c_date])));
        continue;
      }
      if (!is_currency_code(f[c_base]) || !is_currency_code(f[c_quote])) {
        problems.push_back(fmt::format("{}: expected currency codes, got \"{}\" and \"{}\"", where, excerpt(f[c_base]),
                                       excerpt(f[c_quote])));
        continue;
      }
      const std::string& v = f[c_value];
      if (v.empty() || v == "NaN") continue;  // no rate that day
      const auto rate = parse_number(v);
      if (!rate || !(*rate > 0.0)) {
        problems.push_back(fmt::format("{}, OBS_VALUE: expected a positive rate, got \"{}\"", where, excerpt(v)));
        continue;
      }
      rates[{f[c_base], f[c_quote], *d}] = *rate;
    }
    if (!problems.empty()) throw Error::invalid_input(what, problems);
  }
};

}  // namespace

std::unique_ptr<Provider> make_ecb(ProviderOptions options) { return std::make_unique<Ecb>(std::move(options)); }

}  // namespace keel::marketdata
