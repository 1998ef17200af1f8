// python/src/bindings.h: shared pieces of the keel._keel extension module (pybind11).
//
// The extension is a thin layer: numpy arrays in, the engines' batch kernels or the service use
// cases (the same code the CLI and HTTP API run), numpy arrays or JSON text out. The pure-Python
// package python/keel turns those into pandas objects. Conventions of every binding:
//  - numeric inputs are float64 arrays taken without a copy when already float64 and C-contiguous
//    (pybind11 converts anything else once);
//  - the GIL is released while an engine or use case runs;
//  - keel::Error becomes a Python exception of keel.errors (see module.cpp) whose message carries
//    every detail line (file:line:column, JSON field).
#pragma once

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "keel/core/date.h"

namespace keel::python {

namespace py = pybind11;

// A float64 C-contiguous array; no copy when the caller's array already is one.
using DoubleArray = py::array_t<double, py::array::c_style | py::array::forcecast>;
// Dates as int32 days since 1970-01-01 (numpy datetime64[D] viewed as integers).
using DayArray = py::array_t<std::int32_t, py::array::c_style | py::array::forcecast>;

inline std::span<const double> span_of(const DoubleArray& a) {
  return {a.data(), static_cast<std::size_t>(a.size())};
}

inline std::vector<Date> dates_of(const DayArray& a) {
  std::vector<Date> out(static_cast<std::size_t>(a.size()));
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = Date::from_serial(a.data()[i]);
  return out;
}

void bind_errors(py::module_& m);
void bind_options(py::module_& m);
void bind_risk(py::module_& m);
void bind_factors(py::module_& m);
void bind_services(py::module_& m);
void bind_construct(py::module_& m);

}  // namespace keel::python
