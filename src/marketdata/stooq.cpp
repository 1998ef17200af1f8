// Stooq daily CSV: GET /q/d/l/?s={symbol}.us&d1=YYYYMMDD&d2=YYYYMMDD&i=d. No key. The body is
// "Date,Open,High,Low,Close,Volume" rows ascending, or the text "No data" for an unknown symbol.
// Stooq publishes its history already adjusted (splits and dividends), so keel stores its close
// as both close and adjusted close.
#include <fmt/format.h>

#include "keel/core/error.h"
#include "keel/core/strings.h"
#include "providers.h"

namespace keel::marketdata {
namespace {

std::string compact(Date d) {
  std::string s = d.to_string();
  return s.substr(0, 4) + s.substr(5, 2) + s.substr(8, 2);
}

class Stooq final : public Provider {
 public:
  explicit Stooq(ProviderOptions o) : Provider("stooq", std::move(o), 1.0, 3.0) {}
  std::string name() const override { return "stooq"; }
  Capabilities capabilities() const override { return {.prices = true}; }

  PriceSeries prices(const std::string& symbol, Date from, Date to) override {
    std::string ticker = to_lower(symbol);
    if (ticker.find('.') == std::string::npos) ticker += ".us";  // US listings carry the .us market suffix
    const std::string url = base(default_base_url("stooq")) + "/q/d/l/?s=" + url_encode(ticker) + "&d1=" + compact(from) +
                            "&d2=" + compact(to) + "&i=d";
    std::vector<PriceSeries> parts;
    for (const auto& body : bodies(symbol, from.to_string() + "_" + to.to_string(), url)) parts.push_back(parse(symbol, body));
    PriceSeries s = merge_series(std::move(parts));
    clip(s, from, to);
    return s;
  }

 private:
  static PriceSeries parse(const std::string& symbol, const std::string& body) {
    const auto lines = body_lines(body);
    if (lines.empty() || lines[0].rfind("No data", 0) == 0) throw Error::not_found("stooq: no data for " + symbol);
    const auto header = split_csv_line(lines[0]);
    const std::vector<std::string> want = {"Date", "Open", "High", "Low", "Close"};
    if (header.size() < 5 || !std::equal(want.begin(), want.end(), header.begin())) {
      throw Error::invalid_input("stooq: malformed CSV for " + symbol,
                                 {"line 1: expected the header Date,Open,High,Low,Close[,Volume], got \"" +
                                  excerpt(lines[0]) + "\""});
    }
    const bool has_volume = header.size() >= 6 && header[5] == "Volume";
    PriceSeries s;
    s.symbol = symbol;
    s.close_split_adjusted = true;
    s.has_adj_close = true;
    std::vector<std::string> problems;
    for (std::size_t i = 1; i < lines.size(); ++i) {
      if (lines[i].empty()) continue;
      const auto f = split_csv_line(lines[i]);
      const std::string where = fmt::format("line {}", i + 1);
      if (f.size() != header.size()) {
        problems.push_back(fmt::format("{}: expected {} fields, got {}", where, header.size(), f.size()));
        continue;
      }
      const auto d = Date::parse(f[0]);
      const auto o = parse_number(f[1]), h = parse_number(f[2]), l = parse_number(f[3]), c = parse_number(f[4]);
      const auto v = has_volume ? parse_number(f[5]) : std::optional<double>(kMissing);
      if (!d || !o || !h || !l || !c || !v) {
        problems.push_back(where + ": expected a date YYYY-MM-DD and numbers, got \"" + excerpt(lines[i]) + "\"");
        continue;
      }
      s.date.push_back(*d);
      s.open.push_back(*o);
      s.high.push_back(*h);
      s.low.push_back(*l);
      s.close.push_back(*c);
      s.adj_close.push_back(*c);
      s.volume.push_back(*v);
    }
    if (!problems.empty()) throw Error::invalid_input("stooq: malformed CSV for " + symbol, problems);
    return s;
  }
};

}  // namespace

std::unique_ptr<Provider> make_stooq(ProviderOptions options) { return std::make_unique<Stooq>(std::move(options)); }

}  // namespace keel::marketdata
