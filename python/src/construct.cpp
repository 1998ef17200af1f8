// keel.optimize, keel.optimize_frontier and keel.rebalance: the construction use cases of the CLI
// and HTTP API on the caller's positions table and price matrix (no store). Options arrive as the
// HTTP request's JSON, so every field, default and check is the one keel/service/construct.h and
// keel/service/rebalance.h describe; the result goes back as JSON text.
#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

#include "bindings.h"
#include "book_inputs.h"
#include "keel/core/env.h"
#include "keel/service/construct.h"
#include "keel/service/rebalance.h"

namespace keel::python {
namespace {

std::optional<Date> day_of(std::optional<std::int32_t> days) {
  return days ? std::optional<Date>(Date::from_serial(*days)) : std::nullopt;
}

// The book of a request: the caller's positions, priced from the arrays (also the `more` symbols).
void set_book(service::BookSource& src, const std::string& name, const std::string& csv, const DoubleArray& prices,
              const py::object& closes, const DayArray& days, const std::vector<std::string>& symbols,
              std::optional<std::int32_t> as_of, const std::vector<std::string>& more,
              std::vector<std::string>* warnings) {
  auto positions = positions_from_text(name, csv, warnings);
  std::vector<Position> priced = positions;
  for (const auto& s : more) {
    Position p;
    p.symbol = s;
    priced.push_back(std::move(p));
  }
  src.loaded_prices = loaded_prices(priced, prices, closes, days, symbols, day_of(as_of));
  src.positions = std::move(positions);
  src.positions_name = name;
  if (as_of) src.as_of = day_of(as_of);
}

}  // namespace

void bind_construct(py::module_& m) {
  m.def(
      "optimize",
      [](const std::string& what, const std::string& positions_name, const std::string& positions_csv,
         const DoubleArray& prices, const py::object& closes, const DayArray& days,
         const std::vector<std::string>& symbols, const std::string& body_json, std::optional<std::int32_t> as_of) {
        std::vector<std::string> warnings;
        const auto body = nlohmann::json::parse(body_json);
        nlohmann::json out;
        if (what == "frontier") {
          service::OptimizeFrontierRequest q;
          spec::read_json(body, q, "optimize/frontier request");
          set_book(q.inputs.inputs.source, positions_name, positions_csv, prices, closes, days, symbols, as_of, {},
                   &warnings);
          py::gil_scoped_release release;
          out = spec::to_json(service::optimize_frontier(service::Context{nullptr, system_env()}, q));
        } else {
          service::OptimizeRequest q;
          spec::read_json(body, q, "optimize request");
          set_book(q.inputs.inputs.source, positions_name, positions_csv, prices, closes, days, symbols, as_of, {},
                   &warnings);
          py::gil_scoped_release release;
          out = spec::to_json(service::optimize(service::Context{nullptr, system_env()}, q));
        }
        for (const auto& w : warnings) out["warnings"].push_back(w);
        return out.dump();
      },
      py::arg("what"), py::arg("positions_name"), py::arg("positions_csv"), py::arg("prices"), py::arg("closes"),
      py::arg("dates"), py::arg("symbols"), py::arg("body_json"), py::arg("as_of"));

  m.def(
      "rebalance",
      [](const std::string& positions_name, const std::string& positions_csv, const DoubleArray& prices,
         const py::object& closes, const DayArray& days, const std::vector<std::string>& symbols,
         const std::string& body_json, const std::optional<std::string>& transactions_name,
         const std::optional<std::string>& transactions_csv, std::optional<std::int32_t> as_of) {
        std::vector<std::string> warnings;
        service::RebalanceRequest q;
        spec::read_json(nlohmann::json::parse(body_json), q, "rebalance request");
        std::vector<std::string> targets;
        for (const auto& [sym, w] : q.target_weights) targets.push_back(sym);
        set_book(q.source, positions_name, positions_csv, prices, closes, days, symbols, as_of, targets, &warnings);
        q.transactions_file = transactions_name;
        q.transactions_text = transactions_csv;
        nlohmann::json out;
        {
          py::gil_scoped_release release;
          // No store and no file: the book, its prices and the transactions are the caller's.
          out = spec::to_json(service::rebalance(service::Context{nullptr, system_env()}, q));
        }
        for (const auto& w : warnings) out["warnings"].push_back(w);
        return out.dump();
      },
      py::arg("positions_name"), py::arg("positions_csv"), py::arg("prices"), py::arg("closes"), py::arg("dates"),
      py::arg("symbols"), py::arg("body_json"), py::arg("transactions_name"), py::arg("transactions_csv"),
      py::arg("as_of"));
}

}  // namespace keel::python
