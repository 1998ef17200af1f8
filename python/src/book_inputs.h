// python/src/book_inputs.h: in-memory book inputs (positions table, price matrix) for the risk
// use cases, shared by the VaR and stress bindings.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bindings.h"
#include "keel/portfolio/position.h"
#include "keel/risk/var.h"
#include "keel/service/book.h"
#include "keel/service/risk.h"

namespace keel::python {

// VaR options from a JSON object of the API's VaR request fields (RiskVarRequest: `horizon`, `cov`,
// `lambda`, `dist`...), read and checked by the request's description; invalid_input naming the
// field otherwise.
service::RiskVarRequest var_request(const std::string& request_json);

// The adjusted (`prices`) and raw (`closes`, default: the same) price matrices (dates x symbols)
// cut to the book's price symbols in the order service::load_book uses, and to dates <= as_of.
// Throws keel::Error(invalid_input) for a shape that does not match or dates out of order.
std::shared_ptr<const service::LoadedPrices> loaded_prices(const std::vector<Position>& positions,
                                                           const DoubleArray& prices, const py::object& closes,
                                                           const DayArray& days,
                                                           const std::vector<std::string>& symbols,
                                                           std::optional<Date> as_of);

// Positions from the CSV text of a positions table (the positions file format), reported as
// `name`; every bad cell is an error naming name:line:column.
std::vector<Position> positions_from_text(const std::string& name, const std::string& csv_text,
                                          std::vector<std::string>* warnings);

}  // namespace keel::python
