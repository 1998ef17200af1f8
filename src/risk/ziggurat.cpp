#include "ziggurat.h"

#include <cmath>

namespace keel::risk::detail {
namespace {

constexpr double kR = 3.442619855899;  // start of the tail (128 layers)

ZigguratTables make_tables() {
  ZigguratTables t{};
  const double m1 = 2147483648.0;
  const double vn = 9.91256303526217e-3;
  double dn = kR;
  double tn = dn;
  const double q = vn / std::exp(-0.5 * dn * dn);
  t.kn[0] = static_cast<std::uint32_t>((dn / q) * m1);
  t.kn[1] = 0;
  t.wn[0] = q / m1;
  t.wn[127] = dn / m1;
  t.fn[0] = 1.0;
  t.fn[127] = std::exp(-0.5 * dn * dn);
  for (int i = 126; i >= 1; --i) {
    dn = std::sqrt(-2.0 * std::log(vn / dn + std::exp(-0.5 * dn * dn)));
    t.kn[i + 1] = static_cast<std::uint32_t>((dn / tn) * m1);
    tn = dn;
    t.fn[i] = std::exp(-0.5 * dn * dn);
    t.wn[i] = dn / m1;
  }
  return t;
}

}  // namespace

const ZigguratTables& ziggurat_tables() {
  static const ZigguratTables tables = make_tables();
  return tables;
}

double ziggurat_tail(PhiloxWords& g, std::int32_t hz, std::uint32_t iz, const ZigguratTables& t) {
  for (;;) {
    const double x = hz * t.wn[iz];
    if (iz == 0) {
      // Base strip: sample the normal tail beyond kR (Marsaglia 1964).
      double xt = 0.0;
      double y = 0.0;
      do {
        xt = -std::log(g.uniform()) / kR;
        y = -std::log(g.uniform());
      } while (y + y < xt * xt);
      return hz > 0 ? kR + xt : -kR - xt;
    }
    if (t.fn[iz] + g.uniform() * (t.fn[iz - 1] - t.fn[iz]) < std::exp(-0.5 * x * x)) return x;
    hz = static_cast<std::int32_t>(g.next());
    iz = static_cast<std::uint32_t>(hz) & 127u;
    const std::int64_t a = hz < 0 ? -static_cast<std::int64_t>(hz) : hz;
    if (a < static_cast<std::int64_t>(t.kn[iz])) return hz * t.wn[iz];
  }
}

}  // namespace keel::risk::detail
