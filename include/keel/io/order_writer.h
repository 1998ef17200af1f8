// keel/io/order_writer.h: trades as orders a desk or a broker takes — a CSV blotter and FIX 4.4
// NewOrderSingle messages (docs/construction.md, "Orders").
//
// CSV: `symbol,side,quantity,order_type,limit_price,reference_price,amount,account`, one order a
// row, written through keel's one CSV writer (keel/core/csv_writer.h: RFC 4180, formula guard).
//
// FIX 4.4 (FIX Trading Community, "FIX 4.4 Specification", Volume 4, New Order - Single <D>): one
// message per order, fields separated by SOH (0x01), each message ending with its checksum field
// and a line feed (the usual layout of a FIX log file):
//   8=FIX.4.4 | 9=<BodyLength> | 35=D | 49=<SenderCompID> | 56=<TargetCompID> | 34=<MsgSeqNum> |
//   52=<SendingTime> | 11=<ClOrdID> | 1=<Account> (when given) | 21=1 (automated, no intervention) |
//   55=<Symbol> | 54=<Side: 1 buy, 2 sell> | 60=<TransactTime> | 38=<OrderQty> |
//   40=<OrdType: 1 market, 2 limit> | 44=<Price> (limit only) | 59=0 (day) | 10=<CheckSum>
// BodyLength counts the bytes after "9=...<SOH>" up to and including the SOH before "10="; the
// checksum is the sum of every byte before "10=" modulo 256, three digits (the specification's
// Volume 2, "Message Format"). Times are UTC "YYYYMMDD-HH:MM:SS.sss".
//
// Thread-safety: pure functions.
#pragma once

#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace keel::io {

struct Order {
  std::string symbol;
  bool buy = true;
  double quantity = 0.0;                // shares, > 0
  std::optional<double> limit_price;    // a limit order; none: market
  std::optional<double> reference_price;  // the price the trade was sized at (none: not known)
  std::optional<double> amount;           // quantity x reference price
  std::string account;                  // the broker account, or ""
};

struct FixOptions {
  std::string sender = "KEEL";   // SenderCompID (49)
  std::string target = "BROKER"; // TargetCompID (56)
  int first_sequence = 1;        // MsgSeqNum (34) of the first message
  std::string sending_time;      // SendingTime (52) and TransactTime (60): YYYYMMDD-HH:MM:SS.sss
  std::string order_id_prefix = "keel-";  // ClOrdID (11) = prefix + the order's number from 1
};

// The CSV blotter (header and one row per order).
std::string orders_csv(std::span<const Order> orders);

// One NewOrderSingle per order (see above). Throws keel::Error(invalid_input) for a field that
// holds a control character (SOH among them), an order without a symbol, a non-positive quantity,
// or a sending time that is not one.
std::string fix_new_order_singles(std::span<const Order> orders, const FixOptions& options);

// The FIX checksum of `bytes`: their sum modulo 256, as three digits.
std::string fix_checksum(std::string_view bytes);

// A UTC time as FIX writes it: YYYYMMDD-HH:MM:SS.sss.
std::string fix_time(std::chrono::system_clock::time_point t);

}  // namespace keel::io
