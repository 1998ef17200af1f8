// Life events of a retirement plan (keel plan retire --events FILE).
#include "keel/io/plan_events_reader.h"

#include <cmath>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <sstream>

#include "keel/core/error.h"
#include "keel/core/parse.h"
#include "keel/io/input.h"
#include "keel/io/json_input.h"

namespace keel::io {

namespace {

constexpr const char* kTypes = "expense, income_change, windfall, savings_rate_change";

// Checks shared by both formats; `report` records a problem for a field ("year", "amount").
template <class Report>
void check_event(const plan::LifeEvent& e, std::optional<int> horizon, Report report) {
  if (e.year < 0) report("year", fmt::format("must be >= 0 (years from the start), got {}", e.year));
  if (horizon && e.year >= *horizon)
    report("year", fmt::format("{} is after the horizon of {} years (last year is {})", e.year, *horizon,
                               *horizon - 1));
  if (std::abs(e.amount) > kMaxInputMagnitude) {
    report("amount", "amount out of range (input numbers are bounded by 1e15 in magnitude)");
  }
  if ((e.type == plan::EventType::kExpense || e.type == plan::EventType::kWindfall) && e.amount < 0)
    report("amount", std::string(plan::event_type_name(e.type)) + " amount must be >= 0");
  if (e.type == plan::EventType::kSavingsRateChange && !(e.amount >= 0 && e.amount <= 1))
    report("amount", "a savings rate must be a decimal in [0, 1]");
}

}  // namespace

std::vector<plan::LifeEvent> read_plan_events_csv(CsvReader& csv, Diagnostics& diags,
                                                  std::optional<int> horizon) {
  std::vector<plan::LifeEvent> out;
  CsvColumns cols(csv, {"year", "type", "amount"}, {"label"}, diags);
  if (diags.has_errors()) return out;
  const int c_year = cols.index("year"), c_type = cols.index("type"),
            c_amount = cols.index("amount"), c_label = cols.index("label");
  CsvCells cells(csv, diags);
  CsvRecord r;
  while (csv.next(r)) {
    const std::size_t before = diags.error_count();
    plan::LifeEvent e;
    const auto year_text = cells.text(r, c_year);
    const auto year = parse_int(year_text);
    if (!year || *year < -1'000'000 || *year > 1'000'000)
      cells.error(r, c_year, "expected a whole number of years from the start, got " + shown(year_text));
    else
      e.year = static_cast<int>(*year);
    const auto type_text = cells.text(r, c_type);
    const auto type = plan::parse_event_type(type_text);
    if (!type)
      cells.error(r, c_type, "unknown event type " + shown(type_text) + ": expected " + kTypes);
    else
      e.type = *type;
    const auto amount = cells.number(r, c_amount, true);
    if (amount) e.amount = *amount;
    e.label = std::string(cells.text(r, c_label));
    if (diags.error_count() != before) continue;
    check_event(e, horizon, [&](const char* field, const std::string& msg) {
      cells.error(r, std::string(field) == "year" ? c_year : c_amount, msg);
    });
    if (diags.error_count() == before) out.push_back(std::move(e));
  }
  return out;
}

std::vector<plan::LifeEvent> read_plan_events_json(const std::string& name, const std::string& text,
                                                   Diagnostics& diags, std::optional<int> horizon) {
  std::vector<plan::LifeEvent> out;
  auto report = [&](const std::string& field, std::string msg) {
    Diagnostic d;
    d.file = name;
    d.field = field;
    d.message = std::move(msg);
    diags.error(std::move(d));
  };
  if (auto problem = check_json_text(text, name)) {
    diags.error(std::move(*problem));
    return out;
  }
  const nlohmann::json doc = nlohmann::json::parse(text);
  const nlohmann::json* list = &doc;
  std::string prefix = "";
  if (doc.is_object()) {
    if (!doc.contains("events")) {
      report("events", "missing: expected {\"events\": [...]} or a top-level array");
      return out;
    }
    list = &doc["events"];
    prefix = "events";
  }
  if (!list->is_array()) {
    report(prefix.empty() ? "(top level)" : prefix, "expected an array of events");
    return out;
  }
  for (std::size_t i = 0; i < list->size(); ++i) {
    const auto& item = (*list)[i];
    const std::string path = fmt::format("{}[{}]", prefix, i);
    if (!item.is_object()) {
      report(path, "expected an object {\"year\",\"type\",\"amount\"}");
      continue;
    }
    const std::size_t before = diags.error_count();
    plan::LifeEvent e;
    if (!item.contains("year") || !item["year"].is_number_integer())
      report(path + ".year", "expected a whole number of years from the start");
    else
      e.year = item["year"].get<int>();
    if (!item.contains("type") || !item["type"].is_string()) {
      report(path + ".type", std::string("expected one of ") + kTypes);
    } else {
      const auto type = plan::parse_event_type(item["type"].get<std::string>());
      if (!type)
        report(path + ".type", "unknown event type \"" + item["type"].get<std::string>() +
                                   "\": expected " + kTypes);
      else
        e.type = *type;
    }
    if (!item.contains("amount") || !item["amount"].is_number() ||
        !std::isfinite(item["amount"].get<double>()))
      report(path + ".amount", "expected a number");
    else
      e.amount = item["amount"].get<double>();
    if (item.contains("label")) {
      if (item["label"].is_string())
        e.label = item["label"].get<std::string>();
      else
        report(path + ".label", "expected a string");
    }
    for (const auto& [key, value] : item.items()) {
      if (key != "year" && key != "type" && key != "amount" && key != "label") {
        Diagnostic w;
        w.file = name;
        w.field = path + "." + key;
        w.message = "unknown field, ignored";
        diags.warning(std::move(w));
      }
    }
    if (diags.error_count() != before) continue;
    check_event(e, horizon, [&](const char* field, const std::string& msg) {
      report(path + "." + field, msg);
    });
    if (diags.error_count() == before) out.push_back(std::move(e));
  }
  return out;
}

std::vector<plan::LifeEvent> read_plan_events_file(const Files& files, const std::string& path,
                                                   std::optional<int> horizon, std::vector<std::string>* warnings) {
  std::string text = read_text_file(files, path, "events_file", "events file", kMaxJsonInputBytes);
  const auto first = text.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
  const bool json = (path.size() >= 5 && path.substr(path.size() - 5) == ".json") ||
                    (first != std::string::npos && (text[first] == '[' || text[first] == '{'));
  Diagnostics diags;
  std::vector<plan::LifeEvent> events;
  if (json) {
    events = read_plan_events_json(path, text, diags, horizon);
  } else {
    auto csv = CsvReader::from_text(path, std::move(text), diags);
    events = read_plan_events_csv(csv, diags, horizon);
  }
  diags.throw_if_errors("invalid life events in " + path);
  if (warnings != nullptr) {
    for (const auto& w : diags.warnings()) warnings->push_back(w.to_string());
  }
  return events;
}

}  // namespace keel::io
