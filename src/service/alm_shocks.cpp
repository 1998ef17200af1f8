// The supervisory shocks of a currency at the 19 bucket midpoints (keel/service/alm_shocks.h).
#include "keel/service/alm_shocks.h"

#include <map>
#include <string>

#include "alm_internal.h"
#include "keel/alm/shocks.h"
#include "keel/core/error.h"
#include "keel/io/balance_sheet_reader.h"
#include "keel/portfolio/curve.h"

namespace keel::service {

AlmShocksResult alm_shocks(const Context& cx, const AlmShocksRequest& request) {
  std::vector<std::string> warnings;
  const auto table_src = detail::source_of(request.shock_table, request.shock_table_file, "shock_table");
  const alm::ShockTable table =
      request.table ? *request.table
      : table_src   ? detail::read_input(
                          cx, *table_src, "shock table",
                          [](io::CsvReader& csv, Diagnostics& d) { return io::read_shock_table(csv, d); }, &warnings)
                    : io::default_shock_table();
  const alm::ShockSizes* sizes = table.find(request.currency);
  if (sizes == nullptr) {
    throw Error::invalid_input("currency " + request.currency + " is not in " + table.source +
                               ": give a shock table with its parallel, short and long sizes");
  }
  std::optional<ZeroCurve> curve;
  if (request.curve) {
    curve = to_zero_curve(*request.curve);
  } else if (request.curve_file) {
    AlmCurveInput in;
    in.file = request.curve_file;
    in.kind = request.curve_type;
    in.units = request.rate_units;
    in.date = request.curve_date;
    curve = to_zero_curve(detail::load_curve(cx, in, request.currency, &warnings));
  }
  AlmShocksResult out;
  out.currency = request.currency;
  out.sizes = {sizes->parallel_bp, sizes->short_bp, sizes->long_bp};
  out.source = table.source;
  out.floor = request.floor;
  for (const alm::TimeBucket& b : alm::time_buckets()) {
    AlmShockBucket row;
    row.name = std::string(b.name);
    const double t = b.midpoint_years;
    row.midpoint_years = t;
    std::map<std::string, double> rates;
    if (curve) rates["base"] = curve->zero(t);
    for (alm::ShockKind k : alm::kSupervisoryShocks) {
      alm::Scenario s = alm::supervisory_scenario(k, *sizes);
      s.apply_floor = request.floor;
      row.shift_bp[std::string(alm::shock_name(k))] = alm::shock_bp(s, t);
      if (curve) rates[std::string(alm::shock_name(k))] = alm::shocked_zero(s, curve->zero(t), t);
    }
    if (curve) {
      row.rates = std::move(rates);
      row.floor = alm::post_shock_floor(t);
    }
    out.buckets.push_back(std::move(row));
  }
  return out;
}

}  // namespace keel::service
