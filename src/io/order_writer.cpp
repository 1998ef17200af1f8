#include "keel/io/order_writer.h"

#include <fmt/format.h>

#include <cctype>

#include "keel/core/csv_writer.h"
#include "keel/core/date.h"
#include "keel/core/error.h"

namespace keel::io {
namespace {

constexpr char kSoh = '\x01';

// A quantity or a price as FIX and the blotter write it: up to 8 decimals, no trailing zeros.
std::string decimal_text(double v) {
  std::string s = fmt::format("{:.8f}", v);
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s == "-0" ? "0" : s;
}

void check_field(std::string_view what, std::string_view value) {
  for (const char c : value) {
    if (c == kSoh || c == '\n' || c == '\r' || static_cast<unsigned char>(c) < 0x20) {
      throw Error::invalid_input(fmt::format("FIX order: {} holds a control character", what));
    }
  }
}

bool is_fix_time(std::string_view t) {
  // YYYYMMDD-HH:MM:SS.sss
  if (t.size() != 21) return false;
  for (std::size_t i = 0; i < t.size(); ++i) {
    const char c = t[i];
    const bool digit = std::isdigit(static_cast<unsigned char>(c)) != 0;
    if (i == 8 ? c != '-' : (i == 11 || i == 14) ? c != ':' : i == 17 ? c != '.' : !digit) return false;
  }
  return true;
}

}  // namespace

std::string orders_csv(std::span<const Order> orders) {
  CsvWriter w;
  w.row({"symbol", "side", "quantity", "order_type", "limit_price", "reference_price", "amount", "account"});
  for (const Order& o : orders) {
    w.cell(o.symbol).cell(o.buy ? "buy" : "sell").cell(decimal_text(o.quantity));
    w.cell(o.limit_price ? "limit" : "market").cell(o.limit_price ? decimal_text(*o.limit_price) : "");
    w.cell(o.reference_price ? decimal_text(*o.reference_price) : "");
    w.cell(o.amount ? fmt::format("{:.2f}", *o.amount) : "").cell(o.account).end_row();
  }
  return w.take();
}

std::string fix_checksum(std::string_view bytes) {
  unsigned sum = 0;
  for (const char c : bytes) sum += static_cast<unsigned char>(c);
  return fmt::format("{:03d}", sum % 256);
}

std::string fix_time(std::chrono::system_clock::time_point t) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
  const std::int64_t seconds = ms >= 0 ? ms / 1000 : (ms - 999) / 1000;
  const std::int64_t days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400;
  const Date day = Date::from_serial(static_cast<std::int32_t>(days));
  const std::int64_t in_day = seconds - days * 86400;
  return fmt::format("{:04d}{:02d}{:02d}-{:02d}:{:02d}:{:02d}.{:03d}", day.year(), day.month(), day.day(), in_day / 3600,
                     in_day / 60 % 60, in_day % 60, ms - seconds * 1000);
}

std::string fix_new_order_singles(std::span<const Order> orders, const FixOptions& options) {
  if (!is_fix_time(options.sending_time)) {
    throw Error::invalid_input(
        fmt::format("FIX order: sending time \"{}\" is not YYYYMMDD-HH:MM:SS.sss (UTC)", options.sending_time));
  }
  check_field("SenderCompID", options.sender);
  check_field("TargetCompID", options.target);
  check_field("ClOrdID prefix", options.order_id_prefix);
  std::string out;
  int seq = options.first_sequence;
  int number = 1;
  for (const Order& o : orders) {
    check_field("symbol", o.symbol);
    check_field("account", o.account);
    if (o.symbol.empty()) throw Error::invalid_input("FIX order: an order without a symbol");
    if (!(o.quantity > 0.0)) {
      throw Error::invalid_input(fmt::format("FIX order {}: quantity {} is not positive", o.symbol, o.quantity));
    }
    std::string body;
    auto field = [&body](int tag, std::string_view value) {
      body += fmt::format("{}={}", tag, value);
      body += kSoh;
    };
    field(35, "D");
    field(49, options.sender);
    field(56, options.target);
    field(34, std::to_string(seq++));
    field(52, options.sending_time);
    field(11, options.order_id_prefix + std::to_string(number++));
    if (!o.account.empty()) field(1, o.account);
    field(21, "1");
    field(55, o.symbol);
    field(54, o.buy ? "1" : "2");
    field(60, options.sending_time);
    field(38, decimal_text(o.quantity));
    field(40, o.limit_price ? "2" : "1");
    if (o.limit_price) field(44, decimal_text(*o.limit_price));
    field(59, "0");
    std::string message = "8=FIX.4.4";
    message += kSoh;
    message += fmt::format("9={}", body.size());
    message += kSoh;
    message += body;
    message += "10=" + fix_checksum(message);
    message += kSoh;
    out += message;
    out += '\n';
  }
  return out;
}

}  // namespace keel::io
