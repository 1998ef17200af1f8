// The request/result descriptions of keel/service/spec.h: reading HTTP bodies (every problem with
// its field path), writing results, and the JSON Schema made from the same description.
#include "keel/service/spec.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <limits>
#include <map>
#include <sstream>

#include "keel/core/error.h"
#include "keel/service/spec_text.h"

namespace keel::spec {
namespace {

using nlohmann::json;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

enum class Colour { kRed, kGreen };
inline constexpr Choice<Colour> kColourNames[] = {{Colour::kRed, "red"}, {Colour::kGreen, "green"}};

struct Event {
  int year = 0;
  double amount = 0.0;
  static constexpr const char* kSchemaName = "Event";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "year", .min = 0, .max = 100, .required = true}, s.year);
    v.field({.name = "amount", .unit = "currency"}, s.amount);
  }
};

struct Request {
  std::size_t window = 252;
  double confidence = 0.99;
  std::optional<Date> as_of;
  Colour colour = Colour::kRed;
  std::vector<Colour> colours{Colour::kGreen};
  std::vector<Event> events;
  std::string path_only;  // CLI only
  bool flag = false;
  static constexpr const char* kSchemaName = "Request";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "window", .unit = "days", .min = 2, .max = 1000}, s.window);
    v.field({.name = "confidence", .min = 0, .max = 1, .min_exclusive = true, .max_exclusive = true}, s.confidence);
    v.field({.name = "as_of"}, s.as_of);
    v.choice({.name = "colour"}, s.colour, kColourNames);
    v.choice_list({.name = "colours"}, s.colours, kColourNames, "all");
    v.field({.name = "events"}, s.events);
    v.field({.name = "path_only", .faces = kCli}, s.path_only);
    v.field({.name = "flag"}, s.flag);
  }
};

std::vector<std::string> problems_of(const json& body) {
  Request r;
  try {
    read_json(body, r, "test request");
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), "invalid test request");
    return e.details();
  }
  return {};
}

TEST(SpecRead, ReadsEveryKindAndKeepsDefaultsForAbsentFields) {
  Request r;
  read_json(json::parse(R"({"window": 10, "as_of": "2017-12-06", "colour": "green", "colours": "all",
                            "events": [{"year": 3, "amount": 1.5}], "flag": true})"),
            r, "x");
  EXPECT_EQ(r.window, 10u);
  EXPECT_DOUBLE_EQ(r.confidence, 0.99);  // default kept
  ASSERT_TRUE(r.as_of);
  EXPECT_EQ(r.as_of->to_string(), "2017-12-06");
  EXPECT_EQ(r.colour, Colour::kGreen);
  EXPECT_THAT(r.colours, ElementsAre(Colour::kRed, Colour::kGreen));
  ASSERT_EQ(r.events.size(), 1u);
  EXPECT_EQ(r.events[0].year, 3);
  EXPECT_TRUE(r.flag);
}

TEST(SpecRead, CollectsEveryProblemWithItsFieldPath) {
  const auto p = problems_of(json::parse(R"({"window": 1, "confidence": 1, "as_of": "2017-02-30",
      "colour": "blue", "colours": ["red", 3], "events": [{"amount": 1}, {"year": 101, "amount": "x", "note": 1}],
      "path_only": "/etc/passwd", "flag": "yes"})"));
  EXPECT_THAT(p, ElementsAre("window: expected an integer from 2 to 1000, got 1",
                             "confidence: expected a number greater than 0 and less than 1, got 1",
                             "as_of: expected a date YYYY-MM-DD, got \"2017-02-30\"",
                             "colour: expected red or green, got \"blue\"",
                             "colours[1]: expected red, green or all",
                             "events[0].year: required",
                             "events[1].year: expected an integer from 0 to 100, got 101",
                             "events[1].amount: expected a number",
                             HasSubstr("\"events[1].note\": not a field of this request"),
                             "flag: expected true or false",
                             HasSubstr("\"path_only\": not a field of this request")));
}

TEST(SpecRead, RefusesNonObjectsAndNegativeSizes) {
  EXPECT_THAT(problems_of(json::array()), ElementsAre("(body): expected a JSON object"));
  EXPECT_THAT(problems_of(json{{"window", -5}}), ElementsAre("window: expected an integer from 2 to 1000, got -5"));
  EXPECT_THAT(problems_of(json{{"window", 2.5}}), ElementsAre("window: expected an integer from 2 to 1000"));
  EXPECT_TRUE(problems_of(json::object()).empty());
  EXPECT_TRUE(problems_of(nullptr).empty());  // no body: every default
}

struct Result {
  std::string name;
  std::size_t count = 0;
  double value = 0.0;
  std::optional<double> maybe;
  Nullable<double> nullable;
  std::vector<Event> events;
  std::map<std::string, int> counts;
  static constexpr const char* kSchemaName = "Result";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "name"}, s.name);
    v.field({.name = "count"}, s.count);
    v.field({.name = "value", .unit = "currency"}, s.value);
    v.field({.name = "maybe"}, s.maybe);
    v.field({.name = "nullable"}, s.nullable);
    v.field({.name = "events"}, s.events);
    v.field({.name = "counts"}, s.counts);
  }
};

std::vector<std::string> query_problems(const QueryTyper::Pairs& pairs, Request& r) {
  try {
    read_query(pairs, r, "test query");
  } catch (const Error& e) {
    return e.details();
  }
  return {};
}

TEST(SpecQuery, TypesEachParameterByItsFieldAndListsFromCommasOrRepeats) {
  Request r;
  EXPECT_TRUE(query_problems({{"window", "10"},
                              {"confidence", "0.975"},
                              {"as_of", "2017-12-06"},
                              {"colour", "green"},
                              {"colours", "red,green"},
                              {"flag", "1"}},
                             r)
                  .empty());
  EXPECT_EQ(r.window, 10u);
  EXPECT_DOUBLE_EQ(r.confidence, 0.975);
  EXPECT_EQ(r.as_of->to_string(), "2017-12-06");
  EXPECT_EQ(r.colour, Colour::kGreen);
  EXPECT_THAT(r.colours, ElementsAre(Colour::kRed, Colour::kGreen));
  EXPECT_TRUE(r.flag);
  Request again;
  EXPECT_TRUE(query_problems({{"colours", "green"}, {"colours", "red"}}, again).empty());
  EXPECT_THAT(again.colours, ElementsAre(Colour::kGreen, Colour::kRed));
}

TEST(SpecQuery, NamesEveryBadParameterLikeABody) {
  Request r;
  const auto problems = query_problems({{"window", "1"},
                                        {"confidence", "high"},
                                        {"flag", "yes"},
                                        {"windw", "3"},
                                        {"colour", "blue"},
                                        {"as_of", "2017-12-06"},
                                        {"as_of", "2017-12-07"},
                                        {"path_only", "x"}},
                                       r);
  ASSERT_EQ(problems.size(), 7u) << ::testing::PrintToString(problems);
  EXPECT_THAT(problems, ::testing::Contains(HasSubstr("window: expected an integer from 2 to 1000, got 1")));
  EXPECT_THAT(problems, ::testing::Contains(HasSubstr("confidence: expected a number")));
  EXPECT_THAT(problems, ::testing::Contains(HasSubstr("flag: expected true or false")));
  EXPECT_THAT(problems, ::testing::Contains(HasSubstr("colour: expected red or green")));
  EXPECT_THAT(problems, ::testing::Contains(HasSubstr("as_of: given more than once")));
  EXPECT_THAT(problems, ::testing::Contains(HasSubstr("\"windw\": not a query parameter")));
  // A field only the CLI has is not a query parameter either.
  EXPECT_THAT(problems, ::testing::Contains(HasSubstr("\"path_only\": not a query parameter")));
}

TEST(SpecWrite, OptionalIsLeftOutNullableIsNullIntegersStayIntegers) {
  Result r;
  r.name = "a";
  r.count = 3;
  r.value = 2.0;
  r.events = {Event{1, 0.5}};
  r.counts = {{"x", 1}};
  EXPECT_EQ(to_json(r).dump(),
            R"({"count":3,"counts":{"x":1},"events":[{"amount":0.5,"year":1}],"name":"a","nullable":null,"value":2.0})");
  r.maybe = 1.25;
  r.nullable = 7.0;
  EXPECT_EQ(to_json(r)["maybe"], 1.25);
  EXPECT_EQ(to_json(r)["nullable"], 7.0);
}

// Every kind of field, for the text writer: flattened parts, names only the data knows, a free-form
// document, and text that needs escaping.
struct Part {
  int zeta = 1;
  std::string alpha = "flat";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "zeta"}, s.zeta);
    v.field({.name = "alpha"}, s.alpha);
  }
};

struct Everything {
  std::string text;
  double x = 0.1;
  double nan = std::numeric_limits<double>::quiet_NaN();
  double big = 1e300;
  std::int64_t n = -42;
  bool yes = true;
  std::optional<Date> when;
  std::optional<int> absent;
  Nullable<double> none;
  Colour colour = Colour::kGreen;
  std::optional<Colour> maybe_colour;
  std::vector<Colour> colours{Colour::kRed, Colour::kGreen};
  std::vector<Event> events;
  std::vector<double> empty_list;
  std::map<std::string, std::vector<int>> by_key;
  std::map<std::string, double> betas;
  nlohmann::json free = json::object();
  Part part;
  std::vector<std::vector<Event>> nested;
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "text"}, s.text);
    v.field({.name = "x"}, s.x);
    v.field({.name = "nan"}, s.nan);
    v.field({.name = "big"}, s.big);
    v.field({.name = "n"}, s.n);
    v.field({.name = "yes"}, s.yes);
    v.field({.name = "when"}, s.when);
    v.field({.name = "absent"}, s.absent);
    v.field({.name = "none"}, s.none);
    v.choice({.name = "colour"}, s.colour, kColourNames);
    v.choice({.name = "maybe_colour"}, s.maybe_colour, kColourNames);
    v.choice_list({.name = "colours"}, s.colours, kColourNames);
    v.field({.name = "events"}, s.events);
    v.field({.name = "empty_list"}, s.empty_list);
    v.field({.name = "by_key"}, s.by_key);
    v.prefixed_map({.name = "beta_"}, s.betas);
    v.field({.name = "free"}, s.free);
    v.flatten(s.part);
    v.field({.name = "nested"}, s.nested);
  }
};

TEST(SpecWrite, TextWriterWritesTheDocumentsBytes) {
  Everything e;
  const auto same = [](const Everything& v) {
    for (int indent : {2, -1, 4}) {
      EXPECT_EQ(to_json_text(v, indent), to_json(v).dump(indent, ' ', false, json::error_handler_t::replace))
          << "indent " << indent;
    }
  };
  same(e);  // empty lists, maps and document; absent options
  e.text = "quote \" backslash \\ tab \t newline \n bell \x07 euro \xE2\x82\xAC bad \xFF\xFE end";
  e.when = Date::parse_or_throw("2024-02-29");
  e.absent = 3;
  e.none = 2.5;
  e.maybe_colour = Colour::kRed;
  e.events = {Event{1, 0.5}, Event{2, -1e-9}};
  e.empty_list = {};
  e.by_key = {{"b", {1, 2}}, {"a", {}}, {"\xC3\xA9t\xC3\xA9", {3}}};
  e.betas = {{"mkt_rf", 1.1}, {"smb", -0.2}};
  e.free = json::parse(R"({"z": [1, {"y": null, "x": [true, "s"]}], "a": {}, "m": []})");
  e.nested = {{}, {Event{5, 5.5}}};
  same(e);
  // Numbers are written without the document too: every form of dump's shortest digits, signed zero,
  // infinities (null), the largest integers.
  for (const double v : {-0.0, 0.0, 1.0, -1.5, 1e21, 1e-7, 123456789.123, 5e-324, -1.7976931348623157e308,
                         std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity(),
                         0.1 + 0.2}) {
    e.x = v;
    e.events = {Event{-7, v}};
    same(e);
  }
  for (const std::int64_t v : {std::numeric_limits<std::int64_t>::min(), std::int64_t{0}, std::int64_t{-1},
                               std::numeric_limits<std::int64_t>::max()}) {
    e.n = v;
    same(e);
  }
  // Dates are written by hand: the first and last days of the years keel reads, around the epoch
  // and a leap day.
  for (const char* d : {"0001-01-01", "0999-12-31", "1969-12-31", "1970-01-01", "2000-02-29", "9999-12-31"}) {
    e.when = Date::parse_or_throw(d);
    same(e);
  }
  // A ValueCodec value, a top-level list and a scalar.
  EXPECT_EQ(to_json_text(std::vector<Event>{Event{3, 1.0}}), to_json(std::vector<Event>{Event{3, 1.0}}).dump(2));
  EXPECT_EQ(to_json_text(std::string("x")), "\"x\"");
}

TEST(SpecWrite, TextWriterStreamsToItsSinkInPieces) {
  std::vector<Event> many(200000, Event{7, 0.25});
  std::ostringstream sink;
  JsonText out(&sink, 2);
  out.value(many);
  EXPECT_LT(out.text().size(), std::size_t{2} << 20);  // flushed on the way
  out.flush();
  EXPECT_TRUE(out.text().empty());
  EXPECT_EQ(sink.str(), to_json(many).dump(2));
}

TEST(SpecSchema, RequestSchemaCarriesDefaultsRangesAndOnlyHttpFields) {
  json components = json::object();
  const json ref = schema_of<Request>(Role::kRequest, &components);
  EXPECT_EQ(ref, json({{"$ref", "#/components/schemas/Request"}}));
  const json& s = components["Request"];
  EXPECT_EQ(s["type"], "object");
  EXPECT_EQ(s["additionalProperties"], false);
  EXPECT_EQ(s["properties"]["window"], json::parse(R"({"type":"integer","default":252,"minimum":2.0,"maximum":1000.0,
      "description":"[days]","x-unit":"days"})"));
  EXPECT_EQ(s["properties"]["confidence"]["exclusiveMinimum"], 0.0);
  EXPECT_EQ(s["properties"]["colour"], json::parse(R"({"type":"string","enum":["red","green"],"default":"red"})"));
  EXPECT_EQ(s["properties"]["colours"]["default"], json({"green"}));
  EXPECT_FALSE(s["properties"].contains("path_only"));
  EXPECT_FALSE(s.contains("required"));  // every request field has a default
  EXPECT_EQ(s["properties"]["events"]["items"]["$ref"], "#/components/schemas/Event");
  EXPECT_EQ(components["Event"]["required"], json({"year"}));
}

TEST(SpecSchema, ResultSchemaRequiresEveryFieldButOptionalOnes) {
  json components = json::object();
  schema_of<Result>(Role::kResult, &components);
  const json& s = components["Result"];
  EXPECT_EQ(s["required"], json({"name", "count", "value", "nullable", "events", "counts"}));
  EXPECT_EQ(s["properties"]["count"]["type"], "integer");
  EXPECT_EQ(s["properties"]["value"]["type"], json({"number", "null"}));
  EXPECT_EQ(s["properties"]["nullable"]["anyOf"][1], json({{"type", "null"}}));
  EXPECT_EQ(s["properties"]["counts"]["additionalProperties"]["type"], "integer");
  EXPECT_FALSE(s["properties"]["count"].contains("default"));  // results carry no defaults
}

TEST(SpecText, RangesAndFlags) {
  EXPECT_EQ(range_text({.name = "x", .min = 2, .max = 10}), "from 2 to 10");
  EXPECT_EQ(range_text({.name = "x", .min = 0, .min_exclusive = true}), "greater than 0");
  EXPECT_EQ(range_text({.name = "x"}), "");
  EXPECT_EQ(range_problem({.name = "x", .min = 0, .max = 1}, 0.5, false), "");
  EXPECT_EQ(cli_flag({.name = "vol_window"}), "--vol-window");
  EXPECT_EQ(cli_flag({.name = "as_of", .cli_name = "date"}), "--date");
}

}  // namespace
}  // namespace keel::spec
