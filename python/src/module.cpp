// python/src/module.cpp: the keel._keel extension module and keel::Error -> Python exceptions.
#include <exception>

#include "bindings.h"
#include "keel/core/error.h"

namespace keel::python {

void bind_errors(py::module_& m) {
  // Exceptions are classes of the pure-Python module keel.errors (so they can subclass ValueError,
  // LookupError, ... as a Python user expects); keel.errors.from_keel picks one by category.
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const keel::Error& e) {
      std::string message = e.what();
      for (const auto& d : e.details()) message += "\n  " + d;
      const py::object errors = py::module_::import("keel.errors");
      const py::object exc = errors.attr("from_keel")(std::string(error_code_name(e.code())), message,
                                                      py::cast(e.details()));
      PyErr_SetObject(reinterpret_cast<PyObject*>(Py_TYPE(exc.ptr())), exc.ptr());
    }
  });
  m.def("_raise_for_test", [](const std::string& code) {
    // Lets the test suite check the mapping of every category without building bad inputs for each.
    if (code == "not_found") throw Error::not_found("no such thing");
    if (code == "usage") throw Error::usage("bad usage");
    throw Error::invalid_input("bad input", {"file.csv:3:2: expected a number"});
  });
}

}  // namespace keel::python

PYBIND11_MODULE(_keel, m) {
  m.doc() = "keel's engines (C++): the extension module behind the keel package";
  keel::python::bind_errors(m);
  keel::python::bind_options(m);
  keel::python::bind_risk(m);
  keel::python::bind_factors(m);
  keel::python::bind_services(m);
  keel::python::bind_construct(m);
}
