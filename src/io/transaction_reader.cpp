#include "keel/io/transaction_reader.h"

#include "keel/core/memory.h"

#include <algorithm>
#include <cctype>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>
#include <sstream>

#include "keel/core/error.h"
#include "keel/core/parse.h"
#include "keel/io/input.h"
#include "keel/io/json_input.h"
#include "keel/io/readers.h"
#include "keel/core/csv_writer.h"
#include "keel/core/strings.h"
#include "broker_number.h"
#include "statement_common.h"

namespace keel::io {
namespace {

using ledger::Decimal;
using ledger::Transaction;
using ledger::TxType;

constexpr const char* kCanonical[] = {"date",   "type",        "symbol",   "quantity", "price",
                                      "account", "fees",       "amount",   "lot_id",   "split_ratio",
                                      "currency", "note",      "method",   "fx_rate"};

bool is_canonical(const std::string& c) {
  return std::find(std::begin(kCanonical), std::end(kCanonical), c) != std::end(kCanonical);
}

std::string lower(std::string_view s) {
  return to_lower(trim(s));
}

std::string upper(std::string_view s) {
  return to_upper(trim(s));
}

bool is_numeric_field(const std::string& f) {
  return f == "quantity" || f == "price" || f == "fees" || f == "amount";
}

int month_from_abbrev(std::string_view s) {
  static constexpr const char* kMonths[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                            "jul", "aug", "sep", "oct", "nov", "dec"};
  const std::string l = lower(s);
  for (int i = 0; i < 12; ++i) {
    if (l == kMonths[i]) return i + 1;
  }
  return 0;
}

}  // namespace

std::optional<Date> parse_date_with_format(std::string_view text, std::string_view format) {
  text = trim(text);
  int y = -1, m = -1, d = -1;
  std::size_t p = 0;
  auto digits = [&](std::size_t max_len, int& out) {
    std::size_t n = 0;
    int v = 0;
    while (p < text.size() && n < max_len && std::isdigit(static_cast<unsigned char>(text[p]))) {
      v = v * 10 + (text[p] - '0');
      ++p;
      ++n;
    }
    out = v;
    return n > 0;
  };
  for (std::size_t f = 0; f < format.size(); ++f) {
    if (format[f] != '%' || f + 1 == format.size()) {
      if (p >= text.size() || text[p] != format[f]) return std::nullopt;
      ++p;
      continue;
    }
    const char spec = format[++f];
    int ignored = 0;
    switch (spec) {
      case 'Y':
        if (!digits(4, y)) return std::nullopt;
        break;
      case 'y':
        if (!digits(2, y)) return std::nullopt;
        y += y < 70 ? 2000 : 1900;
        break;
      case 'm':
        if (!digits(2, m)) return std::nullopt;
        break;
      case 'd':
        if (!digits(2, d)) return std::nullopt;
        break;
      case 'b':
        if (p + 3 > text.size()) return std::nullopt;
        m = month_from_abbrev(text.substr(p, 3));
        if (m == 0) return std::nullopt;
        p += 3;
        break;
      case 'H':
      case 'M':
      case 'S':
        if (!digits(2, ignored)) return std::nullopt;
        break;
      default:
        return std::nullopt;
    }
  }
  if (p != text.size() || y < 0 || m < 1 || d < 1) return std::nullopt;
  if (m > 12 || d > days_in_month(y, m)) return std::nullopt;
  return Date::from_ymd(y, m, d);
}

TransactionMapping parse_mapping(const nlohmann::json& doc, const std::string& display_name) {
  std::vector<std::string> problems;
  TransactionMapping m;
  auto bad = [&](const std::string& path, const std::string& msg) {
    problems.push_back(display_name + ": " + path + ": " + msg);
  };
  if (!doc.is_object()) {
    throw Error::invalid_input(display_name + ": a mapping must be a JSON object");
  }
  for (auto it = doc.begin(); it != doc.end(); ++it) {
    static const char* kKeys[] = {"name", "delimiter", "columns", "date_format", "date_formats", "types",
                                  "type_match", "absolute", "type_by_sign", "description", "stable_ids", "footer",
                                  "header"};
    if (std::find(std::begin(kKeys), std::end(kKeys), it.key()) == std::end(kKeys)) {
      bad(shown_with(it.key(), 64, '\0'), "unknown key (expected name, delimiter, columns, date_format(s), types, type_match, "
                    "absolute, type_by_sign, description, stable_ids, footer, header)");
    }
  }
  if (doc.contains("name")) {
    if (doc["name"].is_string()) m.name = doc["name"].get<std::string>();
    else bad("name", "must be a string");
  }
  if (doc.contains("delimiter")) {
    const auto& d = doc["delimiter"];
    if (d.is_string() && d.get<std::string>().size() == 1) m.delimiter = d.get<std::string>()[0];
    else bad("delimiter", "must be a one-character string");
  }
  if (doc.contains("columns")) {
    const auto& c = doc["columns"];
    if (!c.is_object()) {
      bad("columns", "must be an object of broker column -> canonical column");
    } else {
      for (auto it = c.begin(); it != c.end(); ++it) {
        if (!it.value().is_string() || !is_canonical(it.value().get<std::string>())) {
          bad("columns." + shown_with(it.key(), 64, '\0'), "unknown canonical column " + shown_with(it.value().dump(), 64, '\0') +
                                         " (expected date, type, symbol, quantity, price, account, fees, "
                                         "amount, lot_id, split_ratio, currency, note, method)");
          continue;
        }
        m.columns.emplace_back(lower(it.key()), it.value().get<std::string>());
      }
    }
  }
  for (const char* key : {"date_format", "date_formats"}) {
    if (!doc.contains(key)) continue;
    const auto& f = doc[key];
    std::vector<std::string> list;
    if (f.is_string()) list.push_back(f.get<std::string>());
    else if (f.is_array() && std::all_of(f.begin(), f.end(), [](const auto& x) { return x.is_string(); }))
      for (const auto& x : f) list.push_back(x.get<std::string>());
    else bad(key, "must be a format string such as \"%m/%d/%Y\" or a list of them");
    for (const auto& s : list) m.date_formats.push_back(s);
  }
  if (doc.contains("types")) {
    const auto& t = doc["types"];
    if (!t.is_object()) {
      bad("types", "must be an object of broker type text -> canonical type");
    } else {
      for (auto it = t.begin(); it != t.end(); ++it) {
        const std::string v = it.value().is_string() ? upper(it.value().get<std::string>()) : "";
        if (v != "IGNORE" && v != "BY_SIGN" && !ledger::parse_tx_type(v)) {
          bad("types." + shown_with(it.key(), 64, '\0'), "unknown type " + shown_with(it.value().dump(), 64, '\0') +
                                       fmt::format(" (expected {})", ledger::tx_type_choices({"IGNORE", "BY_SIGN"})));
          continue;
        }
        m.types.emplace_back(upper(it.key()), v);
      }
    }
  }
  if (doc.contains("type_match")) {
    const auto& t = doc["type_match"];
    if (t == "prefix") m.type_prefix = true;
    else if (t != "exact") bad("type_match", "must be \"exact\" or \"prefix\"");
  }
  if (doc.contains("absolute")) {
    const auto& a = doc["absolute"];
    if (!a.is_array()) bad("absolute", "must be a list of numeric fields");
    else
      for (std::size_t i = 0; i < a.size(); ++i) {
        if (a[i].is_string() && is_numeric_field(a[i].get<std::string>())) m.absolute.push_back(a[i].get<std::string>());
        else
          bad(fmt::format("absolute[{}]", i), "must be one of quantity, price, fees, amount");
      }
  }
  if (doc.contains("type_by_sign")) {
    const auto& s = doc["type_by_sign"];
    SignRule r;
    if (!s.is_object() || !s.contains("field") || !s["field"].is_string() ||
        !is_numeric_field(s["field"].get<std::string>())) {
      bad("type_by_sign.field", "must name a numeric field (quantity, amount, ...)");
    } else {
      r.field = s["field"].get<std::string>();
      for (const char* k : {"positive", "negative"}) {
        if (!s.contains(k) || !s[k].is_string() || !ledger::parse_tx_type(s[k].get<std::string>())) {
          bad(std::string("type_by_sign.") + k, "must be a transaction type such as BUY");
        }
      }
      if (problems.empty()) {
        r.positive = s["positive"].get<std::string>();
        r.negative = s["negative"].get<std::string>();
        m.type_by_sign = r;
      }
    }
  }
  if (doc.contains("stable_ids")) {
    if (doc["stable_ids"].is_boolean()) m.stable_ids = doc["stable_ids"].get<bool>();
    else bad("stable_ids", "must be true or false");
  }
  // A list of non-empty texts (footer, header).
  auto texts = [&](const char* key, std::vector<std::string>& out, const char* expected) {
    if (!doc.contains(key)) return;
    const auto& f = doc[key];
    const bool ok = f.is_array() && !f.empty() && std::all_of(f.begin(), f.end(), [](const auto& x) {
      return x.is_string() && !trim(x.template get_ref<const std::string&>()).empty();
    });
    if (ok) {
      for (const auto& x : f) out.emplace_back(trim(x.template get_ref<const std::string&>()));
    } else {
      bad(key, expected);
    }
  };
  texts("footer", m.footer, "must be a list of the texts the broker's closing lines begin with, such as [\"Date downloaded\"]");
  texts("header", m.header, "must be a list of the column names of the transactions' header line, such as [\"Trade Date\", \"Transaction Type\"]");
  for (const auto& [broker, canonical] : m.types) {
    if (canonical == "BY_SIGN" && !m.type_by_sign && !doc.contains("type_by_sign")) {
      bad("types." + shown_with(broker, 64, '\0'), "BY_SIGN needs a type_by_sign rule");
    }
  }
  if (!problems.empty()) throw Error::invalid_input(display_name + ": invalid transaction mapping", problems);
  return m;
}

TransactionMapping read_mapping_file(const Files& files, const std::string& path) {
  return parse_mapping(read_json_file(files, path, "mapping", "transaction mapping"), path);
}

std::vector<Transaction> read_transactions(CsvReader& csv, const TransactionReadOptions& options,
                                           Diagnostics& diags) {
  const TransactionMapping* map = options.mapping ? &*options.mapping : nullptr;
  std::vector<Transaction> out;
  // Column indexes of every canonical field (several for fees in mapping mode).
  std::map<std::string, std::vector<int>> cols;
  if (map == nullptr) {
    CsvColumns columns(csv, {"date", "type", "symbol", "quantity", "price"},
                       {"account", "fees", "amount", "lot_id", "split_ratio", "currency", "note", "method",
                        "fx_rate"},
                       diags);
    for (const char* c : kCanonical) {
      if (columns.index(c) >= 0) cols[c].push_back(columns.index(c));
    }
  } else {
    if (!map->header.empty() && !csv.header().empty() && !csv.seek_header(map->header)) {
      diags.error({csv.name(), 0, 0, "",
                   fmt::format("no line is the transactions' header: expected one with the columns {} (mapping '{}')",
                               fmt::join(map->header, ", "), map->name)});
      return out;
    }
    CsvColumns columns(csv, {}, {}, diags, false);
    for (const auto& [broker, canonical] : map->columns) {
      if (columns.index(broker) >= 0) cols[canonical].push_back(columns.index(broker));
    }
    for (const char* c : kCanonical) {
      if (!cols.count(c) && columns.index(c) >= 0) cols[c].push_back(columns.index(c));
    }
    for (const char* req : {"date", "symbol"}) {
      if (!cols.count(req) && !csv.header().empty()) {
        diags.error({csv.name(), csv.header_line(), 0, "",
                     std::string("no column for \"") + req + "\" (mapping '" + map->name + "')"});
      }
    }
    if (!cols.count("type") && !map->type_by_sign && !csv.header().empty()) {
      diags.error({csv.name(), csv.header_line(), 0, "", "no column for \"type\" and no type_by_sign rule"});
    }
  }
  if (diags.has_errors()) return out;
  // Each field's columns, looked up once rather than by name in every row.
  static const std::vector<int> kNoColumns;
  auto columns_of = [&](const char* name) -> const std::vector<int>& {
    const auto it = cols.find(name);
    return it == cols.end() ? kNoColumns : it->second;
  };
  auto col = [&](const char* name) { return cols.count(name) ? cols[name].front() : -1; };
  const int c_date = col("date"), c_type = col("type"), c_symbol = col("symbol"), c_quantity = col("quantity"),
            c_price = col("price"), c_account = col("account"), c_fees = col("fees"), c_amount = col("amount"),
            c_lot_id = col("lot_id"), c_split_ratio = col("split_ratio"), c_currency = col("currency"),
            c_note = col("note"), c_method = col("method"), c_fx_rate = col("fx_rate");
  struct NumberField {
    const char* name;
    const std::vector<int>& columns;
    int first;  // the first column, -1 when there is none
    bool absolute;
  };
  auto number_field = [&](const char* name, int first) {
    const bool absolute =
        map != nullptr && std::find(map->absolute.begin(), map->absolute.end(), name) != map->absolute.end();
    return NumberField{name, columns_of(name), first, absolute};
  };
  const NumberField f_quantity = number_field("quantity", c_quantity), f_price = number_field("price", c_price),
                    f_fees = number_field("fees", c_fees), f_amount = number_field("amount", c_amount),
                    f_fx_rate = number_field("fx_rate", c_fx_rate);
  CsvCells cells(csv, diags);
  // A canonical row takes at least about 40 bytes: room for every row at once, so the rows are
  // not moved as the vector grows (only address space: pages are touched as rows are written, on
  // huge pages where Linux allows: a million rows take 300 MB).
  out.reserve(csv.estimated_bytes() / 40);
  advise_huge_pages(out.data(), out.capacity() * sizeof(Transaction));

  CsvRecord rec;
  const ledger::SourceName source(csv.name());  // shared by every row
  DateParser parse_date;
  std::map<std::string, std::size_t> seen_rows;  // stable ids: how often each row was read
  while (csv.next(rec)) {
    if (map != nullptr) {
      // A broker's row of empty cells ("","","") is a blank line; its closing text ends the rows.
      const auto first = std::find_if(rec.fields.begin(), rec.fields.end(),
                                      [](std::string_view f) { return !trim(f).empty(); });
      if (first == rec.fields.end()) continue;
      if (!map->footer.empty()) {
        const std::string_view head = trim(*first);
        if (std::any_of(map->footer.begin(), map->footer.end(), [&](const std::string& f) {
              return head.size() >= f.size() && iequals(head.substr(0, f.size()), f);
            })) {
          diags.warning({csv.name(), rec.line, 0, "",
                         "the broker's closing lines (" + shown_with(*first, 40, '\'') + ") from here on are not read"});
          break;
        }
      }
    }
    const std::size_t errors_before = diags.error_count();
    // Built in place (a row is 300-odd bytes: no move and destruction of a temporary per row), and
    // taken back when the row is ignored or has an error.
    Transaction& t = out.emplace_back();
    t.line = rec.line;
    t.source = source;
    // Numbers: exact decimals.
    // Fields whose cell was present but not a number: already reported, so rules that need the
    // value (e.g. "a BUY needs a positive quantity") must not report them a second time.
    std::vector<std::string> unparsable;
    auto unreadable = [&](const char* field) {
      return std::find(unparsable.begin(), unparsable.end(), field) != unparsable.end();
    };
    auto number = [&](const NumberField& f, bool required) -> std::optional<Decimal> {
      const char* field = f.name;
      if (f.columns.empty()) {
        if (required) cells.error(rec, -1, std::string("missing ") + field);
        return std::nullopt;
      }
      std::optional<Decimal> sum;
      for (int c : f.columns) {
        std::string_view raw = cells.text(rec, c);
        if (raw.empty()) continue;
        // A canonical file's cell is parsed where it lies; a broker's is cleaned first.
        auto d = map ? Decimal::parse(detail::clean_broker_number(raw)) : Decimal::parse(raw);
        if (!d) {
          cells.error(rec, c, shown_with(raw, 64, '\'') + " is not a decimal number (at most 8 decimal places)");
          unparsable.emplace_back(field);
          return std::nullopt;
        }
        sum = sum ? *sum + *d : *d;
      }
      if (!sum && required) cells.error(rec, f.first, "is empty; a number is required");
      if (sum && f.absolute) sum = sum->abs();
      return sum;
    };

    // Date.
    const int dcol = c_date;
    const std::string_view dtext = cells.text(rec, dcol);
    if (dtext.empty()) {
      cells.error(rec, dcol, "is empty; a date is required");
    } else if (map == nullptr || map->date_formats.empty()) {
      if (auto d = parse_date(dtext)) t.date = *d;
      else cells.error(rec, dcol, shown_with(dtext, 64, '\'') + " is not a date (expected YYYY-MM-DD)");
    } else {
      std::optional<Date> d;
      for (const auto& f : map->date_formats) {
        if ((d = parse_date_with_format(dtext, f))) break;
      }
      if (d) t.date = *d;
      else {
        std::string fmts;
        for (const auto& f : map->date_formats) fmts += (fmts.empty() ? "" : " or ") + f;
        cells.error(rec, dcol, shown_with(dtext, 64, '\'') + " is not a date in the format " + fmts);
      }
    }

    const auto quantity = number(f_quantity, false);
    const auto price = number(f_price, false);
    const auto fees = number(f_fees, false);
    const auto amount = number(f_amount, false);
    const auto fx_rate = number(f_fx_rate, false);

    // Type.
    const int tcol = c_type;
    std::string type_text(cells.text(rec, tcol));
    if (map != nullptr && !type_text.empty() && !map->types.empty()) {
      const std::string key = upper(type_text);
      std::string found;
      std::size_t best = 0;
      for (const auto& [broker, canonical] : map->types) {
        const bool hit = map->type_prefix ? key.rfind(broker, 0) == 0 : key == broker;
        if (hit && broker.size() >= best) {
          best = broker.size();
          found = canonical;
        }
      }
      if (found == "BY_SIGN") type_text.clear();
      else if (!found.empty()) type_text = found;
    }
    if (type_text.empty() && map != nullptr && map->type_by_sign) {
      const auto& rule = *map->type_by_sign;
      std::optional<Decimal> v;
      for (int c : cols.count(rule.field) ? cols[rule.field] : std::vector<int>{}) {
        v = Decimal::parse(detail::clean_broker_number(cells.text(rec, c)));
        if (v) break;
      }
      if (v && v->is_positive()) type_text = rule.positive;
      else if (v && v->is_negative()) type_text = rule.negative;
    }
    if (iequals(type_text, "IGNORE")) {
      out.pop_back();
      continue;
    }
    const auto type = ledger::parse_tx_type(type_text);
    if (!type) {
      cells.error(rec, tcol, type_text.empty()
                                 ? std::string("is empty; a type is required")
                                 : "unknown type " + shown_with(type_text, 64, '\'') +
                                       fmt::format(" (expected {})", ledger::tx_type_choices()));
    } else {
      t.type = *type;
    }

    t.symbol = upper(cells.text(rec, c_symbol));
    // The one symbol rule of keel's readers (keel/io/readers.h); an empty cell is a cash row's.
    if (!t.symbol.empty()) {
      if (auto problem = symbol_problem(t.symbol)) cells.error(rec, c_symbol, std::move(*problem));
    }
    t.account = std::string(cells.text(rec, c_account));
    if (t.account.empty()) t.account = options.default_account;
    t.lot_id = std::string(cells.text(rec, c_lot_id));
    t.currency = upper(cells.text(rec, c_currency));
    t.note = std::string(cells.text(rec, c_note));
    if (const auto mtext = cells.text(rec, c_method); !mtext.empty()) {
      if (auto m = ledger::parse_lot_method(mtext)) t.method = *m;
      else cells.error(rec, c_method, "unknown lot method " + shown_with(mtext, 64, '\'') +
                                               " (expected fifo, lifo, hifo, average or specific)");
    }
    if (const auto stext = cells.text(rec, c_split_ratio); !stext.empty()) {
      if (auto r = ledger::parse_split_ratio(stext)) t.split_ratio = *r;
      else cells.error(rec, c_split_ratio, shown_with(stext, 64, '\'') +
                                                    " is not a split ratio: expected two positive integers "
                                                    "new:old such as 3:2 or 1:10");
    }

    // Signs: canonical files carry magnitudes; a broker mapping may have folded signs already.
    auto non_negative = [&](const char* field, int column, const std::optional<Decimal>& v) {
      if (v && v->is_negative()) {
        cells.error(rec, column, std::string(field) + " is negative (" + v->to_string() +
                                         "); give magnitudes, the type gives the direction" +
                                         (std::string(field) == "price" ? "" : " (or map it as absolute)"));
      }
    };
    non_negative("quantity", c_quantity, quantity);
    non_negative("price", c_price, price);
    non_negative("fees", c_fees, fees);
    t.quantity = quantity.value_or(Decimal());
    t.price = price.value_or(Decimal());
    t.fees = fees.value_or(Decimal());
    if (amount) t.amount = amount->abs();
    if (fx_rate) {
      if (!fx_rate->is_positive()) {
        cells.error(rec, c_fx_rate, fmt::format("{} is not a rate: expected a positive number of the account "
                                                     "currency per unit of the row's currency",
                                                     fx_rate->to_string()));
      } else if (t.currency.empty()) {
        cells.error(rec, c_fx_rate, "an fx_rate needs the row's currency (the currency column)");
      } else {
        t.fx_rate = *fx_rate;
      }
    }

    if (type) {
      switch (*type) {
        case TxType::kBuy:
        case TxType::kSell:
          if (t.symbol.empty()) cells.error(rec, c_symbol, "is empty; a BUY or SELL needs a symbol");
          if (quantity ? !quantity->is_positive() : !unreadable("quantity")) {
            cells.error(rec, c_quantity, "a BUY or SELL needs a positive quantity");
          }
          if (!price && !amount && cells.empty(rec, c_price)) {
            cells.error(rec, c_price, "a BUY or SELL needs a price (or an amount)");
          }
          break;
        case TxType::kSplit:
          if (t.symbol.empty()) cells.error(rec, c_symbol, "is empty; a SPLIT needs a symbol");
          if (!t.split_ratio && cells.text(rec, c_split_ratio).empty()) {
            cells.error(rec, c_split_ratio, "a SPLIT needs a split_ratio such as 3:2");
          }
          break;
        case TxType::kDividend:
        case TxType::kDistribution:
          if (!amount && !(quantity && price)) {
            cells.error(rec, c_amount, std::string("a ") + std::string(ledger::tx_type_name(*type)) +
                                                " needs an amount (or quantity and price per share)");
          }
          break;
        case TxType::kInterest:
        case TxType::kWithholding:
        case TxType::kDeposit:
        case TxType::kWithdrawal:
          if (!amount) cells.error(rec, c_amount, std::string("a ") + std::string(ledger::tx_type_name(*type)) +
                                                           " needs an amount");
          break;
        case TxType::kFee:
          if (!amount && !fees) cells.error(rec, c_amount, "a FEE needs an amount (or fees)");
          break;
        case TxType::kTransferIn:
        case TxType::kTransferOut:
          if (t.symbol.empty() && !amount) {
            cells.error(rec, c_amount, "a cash transfer needs an amount (or give a symbol and quantity)");
          }
          if (!t.symbol.empty() && (quantity ? !quantity->is_positive() : !unreadable("quantity"))) {
            cells.error(rec, c_quantity, "a share transfer needs a positive quantity");
          }
          break;
      }
    }
    if (map != nullptr && map->stable_ids) {
      std::string cells_text;
      for (std::size_t i = 0; i < rec.fields.size(); ++i) {
        cells_text += cells.text(rec, static_cast<int>(i));
        cells_text += '\x1f';
      }
      const std::string hash = detail::stable_hash(cells_text);
      const std::size_t n = ++seen_rows[hash];
      t.external_id = "csv:" + hash + (n > 1 ? fmt::format("#{}", n) : std::string());
    }
    if (diags.error_count() != errors_before) out.pop_back();
  }
  return out;
}

std::string write_transactions_csv(std::span<const Transaction> txs) {
  CsvWriter w;
  w.reserve(64 + 96 * txs.size());
  w.row({"date", "type", "symbol", "quantity", "price", "account", "fees", "amount", "lot_id", "split_ratio", "currency",
         "note", "method", "fx_rate"});
  for (const Transaction& t : txs) {
    w.cell(t.date.to_string()).cell(ledger::tx_type_name(t.type)).cell(t.symbol);
    w.cell(t.quantity.to_string()).cell(t.price.to_string()).cell(t.account).cell(t.fees.to_string());
    w.cell(t.amount ? t.amount->to_string() : std::string()).cell(t.lot_id);
    w.cell(t.split_ratio ? fmt::format("{}:{}", t.split_ratio->numerator, t.split_ratio->denominator) : std::string());
    w.cell(t.currency).cell(t.note).cell(t.method ? ledger::lot_method_name(*t.method) : std::string_view());
    w.cell(t.fx_rate ? t.fx_rate->to_string() : std::string()).end_row();
  }
  return w.take();
}

}  // namespace keel::io
