// src/service/broker_files.h (private): the positions of a broker statement keel reads for
// transactions (OFX/QFX, IBKR Flex Query), for the faces that take a broker's positions: the
// positions import (read_positions_file) and the reconciliation (ledger_reconcile).
#pragma once

#include <optional>
#include <string_view>

#include "keel/io/broker_positions.h"
#include "keel/service/imports.h"

namespace keel::service {

// nullopt when `file` is a CSV (keel's columns or a broker's download: the CSV readers take it).
// An OFX or Flex statement: its position list (of the statement of `broker_account` in a file of
// several; a file without it is refused naming the accounts it holds). Throws invalid_input for a
// damaged statement (every problem with its place) or one without a position list.
// `what` names the request field in messages ("positions", "broker").
std::optional<io::BrokerPositions> read_statement_positions(const InputFile& file, const Files& files,
                                                            std::string_view broker_account, std::string_view what);

}  // namespace keel::service
