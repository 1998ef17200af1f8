// python/src/options.cpp: Black-Scholes-Merton prices, Greeks and implied vols over numpy columns,
// through the vectorised batch kernels of keel/options (the same code `keel options` and the risk
// engines use).
#include <fmt/format.h>

#include <cstring>

#include "bindings.h"
#include "keel/core/error.h"
#include "keel/options/black_scholes.h"
#include "keel/options/implied_vol.h"

namespace keel::python {
namespace {

using RightArray = py::array_t<std::uint8_t, py::array::c_style | py::array::forcecast>;

// 0 = call, 1 = put (the Python layer maps "call"/"put"/"c"/"p" to these).
std::vector<OptionRight> rights_of(const RightArray& a) {
  std::vector<OptionRight> out(static_cast<std::size_t>(a.size()));
  for (std::size_t i = 0; i < out.size(); ++i) {
    const std::uint8_t v = a.data()[i];
    if (v > 1) throw Error::invalid_input(fmt::format("option {}: right must be call or put", i));
    out[i] = v == 0 ? OptionRight::kCall : OptionRight::kPut;
  }
  return out;
}

options::BsmColumns columns(const std::vector<OptionRight>& right, const DoubleArray& spot, const DoubleArray& strike,
                            const DoubleArray& years, const DoubleArray& vol, const DoubleArray& rate,
                            const DoubleArray& div) {
  return {right, span_of(spot), span_of(strike), span_of(years), span_of(vol), span_of(rate), span_of(div)};
}

}  // namespace

void bind_options(py::module_& m) {
  m.def(
      "bsm_price",
      [](const RightArray& right, const DoubleArray& spot, const DoubleArray& strike, const DoubleArray& years,
         const DoubleArray& vol, const DoubleArray& rate, const DoubleArray& div) {
        const auto rights = rights_of(right);
        py::array_t<double> price(spot.size());
        const std::span<double> out(price.mutable_data(), static_cast<std::size_t>(price.size()));
        {
          py::gil_scoped_release release;
          options::bsm_price_batch(columns(rights, spot, strike, years, vol, rate, div), out);
        }
        return price;
      },
      py::arg("right"), py::arg("spot"), py::arg("strike"), py::arg("years"), py::arg("vol"), py::arg("rate"),
      py::arg("div"));

  m.def(
      "bsm_greeks",
      [](const RightArray& right, const DoubleArray& spot, const DoubleArray& strike, const DoubleArray& years,
         const DoubleArray& vol, const DoubleArray& rate, const DoubleArray& div, py::array_t<double> out) {
        // `out` is a writable C-contiguous (k >= 6) x n block: rows price, delta, gamma, vega, theta,
        // rho. The Python layer hands pandas the same block, so the DataFrame needs no copy.
        const auto rights = rights_of(right);
        const auto n = static_cast<std::size_t>(spot.size());
        if (out.ndim() != 2 || out.shape(0) < 6 || static_cast<std::size_t>(out.shape(1)) != n ||
            !(out.flags() & py::array::c_style) || !out.writeable())
          throw Error::invalid_input("greeks: output block must be a writable C-contiguous (6+) x n float64 array");
        double* base = out.mutable_data();
        auto row = [&](std::size_t r) { return std::span<double>(base + r * n, n); };
        const options::GreekColumns cols{row(0), row(1), row(2), row(3), row(4), row(5)};
        {
          py::gil_scoped_release release;
          options::bsm_greeks_batch(columns(rights, spot, strike, years, vol, rate, div), cols);
        }
      },
      py::arg("right"), py::arg("spot"), py::arg("strike"), py::arg("years"), py::arg("vol"), py::arg("rate"),
      py::arg("div"), py::arg("out"));

  m.def(
      "implied_vol",
      [](const RightArray& right, const DoubleArray& price, const DoubleArray& spot, const DoubleArray& strike,
         const DoubleArray& years, const DoubleArray& rate, const DoubleArray& div, bool raise) {
        const auto rights = rights_of(right);
        const auto n = price.size();
        py::array_t<double> vol(n);
        py::array_t<std::uint8_t> status(n);
        const std::span<double> vol_out(vol.mutable_data(), static_cast<std::size_t>(n));
        const options::ImpliedVolColumns in{rights,         span_of(price), span_of(spot), span_of(strike),
                                            span_of(years), span_of(rate),  span_of(div)};
        {
          py::gil_scoped_release release;
          if (raise) {
            options::implied_vol_batch(in, vol_out);
            std::memset(status.mutable_data(), 0, static_cast<std::size_t>(n));
          } else {
            std::vector<options::ImpliedVolStatus> st(static_cast<std::size_t>(n));
            options::implied_vol_batch(in, vol_out, st);
            for (std::size_t i = 0; i < st.size(); ++i) status.mutable_data()[i] = static_cast<std::uint8_t>(st[i]);
          }
        }
        return py::make_tuple(vol, status);
      },
      py::arg("right"), py::arg("price"), py::arg("spot"), py::arg("strike"), py::arg("years"), py::arg("rate"),
      py::arg("div"), py::arg("raise_errors"));
}

}  // namespace keel::python
