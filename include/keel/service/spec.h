// keel/service/spec.h: one description per request and per result, from which every face is made.
//
// A request or result struct describes its fields once, in a static member template that its
// header declares
//
//   struct RiskCorrelationRequest {
//     std::size_t window = 252;
//     risk::CovarianceMethod cov = risk::CovarianceMethod::kSample;
//     static constexpr const char* kSchemaName = "RiskCorrelationRequest";
//     template <class V, class S> static void fields(V& v, S& s);
//   };
//
// and src/service/fields/<header>.cpp defines, for every visitor (src/service/spec_define.h):
//
//   template <class V, class S> void RiskCorrelationRequest::fields(V& v, S& s) {
//     v.field({.name = "window", .help = "Returns in the estimation window", .unit = "trading days",
//              .min = 2, .max = 100000}, s.window);
//     v.choice({.name = "cov", .help = "Covariance estimator"}, s.cov, kCovarianceNames);
//   }
//   KEEL_SPEC_REQUEST_FIELDS(RiskCorrelationRequest)
//
// (KEEL_SPEC_FIELDS for a result, which is never read; a struct that is a template keeps its
// description in its header). Visitors walk it:
//   - spec::read_json (below): an HTTP body into the struct, every problem collected as
//     "<field path>: expected ..." into one Error::invalid_input; unknown fields are refused;
//   - spec::to_json (below): a result (or request) into JSON: the one codec behind `--format json`,
//     the HTTP body and the report writer;
//   - spec::schema_of (below): the JSON Schema (draft 2020-12, as OpenAPI 3.1 uses) of a request,
//     with defaults read from a default-constructed struct, or of a result;
//   - spec::cli_options (keel/service/spec_options.h): the command-line options of a request
//     (--<name with '-' for '_'>), made into CLI11 options by apps/keel/spec_cli.h;
//   - the units writer and the report's cell and section collectors (private to src/service).
// The visited struct `S` is the struct itself or a const one, so one description serves reading
// and writing. Defaults live in the member initializers and nowhere else.
//
// Field kinds: bool, integers, double, std::string, Date, std::optional<T> of those (absent when
// empty), Nullable<T> (written as null when empty), std::vector<T> and std::map<std::string, T> of
// any kind, nested structs with `fields`, enums through `choice` / `choice_list` with a name table,
// and nlohmann::json for the few parts that are free-form by nature (documented as such).
//
// Thread-safety: stateless functions; a visitor is used by one thread.
#pragma once

#include <cmath>
#include <concepts>
#include <cstdint>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "keel/core/date.h"

namespace keel::spec {

// Which faces expose a request field.
enum Faces : unsigned { kCli = 1u, kHttp = 2u, kAllFaces = 3u };

// What a field is, for every face. `name` is the JSON name; the CLI flag is --name with '-' for
// '_' unless `cli_name` says otherwise (or a positional argument: `cli_positional`). Numbers
// outside [min, max] are refused (the bounds are exclusive when min_exclusive / max_exclusive).
struct Field {
  std::string_view name;
  std::string_view help = {};
  std::string_view unit = {};
  double min = -std::numeric_limits<double>::infinity();
  double max = std::numeric_limits<double>::infinity();
  bool min_exclusive = false;
  bool max_exclusive = false;
  unsigned faces = kAllFaces;
  std::string_view cli_short = {};  // e.g. "-p"
  std::string_view cli_name = {};   // a CLI flag that differs from the JSON name, without "--"
  bool required = false;            // must be present (HTTP) / given (CLI)
  // The command line takes the field as a positional argument (named cli_name, else name), as in
  // `keel tag add NAME`, not as a --flag.
  bool cli_positional = false;
  // Command line, for std::optional<bool> and std::optional<std::vector<...>> fields: the flag (without
  // "--") that sets false or the empty list, e.g. --any-host beside --allow-host; an optional bool
  // without one gets --no-<name>. The two flags exclude each other; neither given leaves it empty.
  std::string_view cli_off = {};
  // Strings: a name must hold a character other than white space (JSON Schema minLength 1 and
  // pattern \S), and at most max_length bytes when that is not 0 (maxLength).
  bool nonblank = false;
  std::size_t max_length = 0;
};

// One name of an enum value, for choice fields.
template <class E>
struct Choice {
  E value;
  std::string_view name;
};

// A value written as null when empty (std::optional fields are left out instead).
template <class T>
struct Nullable : std::optional<T> {
  using std::optional<T>::optional;
};

// ---- type traits shared by the visitors ---------------------------------------------------------

template <class T>
concept Described = requires(T& t) { T::fields(std::declval<int&>(), t); } || requires { T::kDescribed; };

template <class T>
struct is_optional : std::false_type {};
template <class T>
struct is_optional<std::optional<T>> : std::true_type {};
template <class T>
struct is_nullable : std::false_type {};
template <class T>
struct is_nullable<Nullable<T>> : std::true_type {};
template <class T>
struct is_vector : std::false_type {};
template <class T, class A>
struct is_vector<std::vector<T, A>> : std::true_type {};
template <class T>
struct is_string_map : std::false_type {};
template <class T, class C, class A>
struct is_string_map<std::map<std::string, T, C, A>> : std::true_type {};

// A derived struct as its base, const when it is: a description that begins with its base's
// fields says v.flatten(spec::as_base<Base>(s)).
template <class Base, class S>
auto& as_base(S& s) {
  if constexpr (std::is_const_v<S>) {
    return static_cast<const Base&>(s);
  } else {
    return static_cast<Base&>(s);
  }
}

template <class T>
concept Integer = std::integral<T> && !std::same_as<T, bool>;

// A value type of another module written as one JSON value (e.g. the ledger's exact decimal):
// specialize ValueCodec<T> with `static nlohmann::json write(const T&)` and
// `static nlohmann::json schema()`; results may then hold T like any scalar.
template <class T>
struct ValueCodec {};
template <class T>
concept HasValueCodec = requires(const T& v) {
  { ValueCodec<T>::write(v) } -> std::same_as<nlohmann::json>;
  { ValueCodec<T>::schema() } -> std::same_as<nlohmann::json>;
};

// The name of `value` in `names` (an array or span of Choice<E>), or "" when it has none.
template <class Names, class E>
std::string_view choice_name(const Names& names, E value) {
  for (const auto& c : names) {
    if (c.value == value) return c.name;
  }
  return {};
}
// "a, b or c".
template <class Names>
std::string choice_list_text(const Names& names, std::string_view all = {}) {
  std::string out;
  const std::size_t n = std::size(names) + (all.empty() ? 0 : 1);
  std::size_t i = 0;
  auto add = [&](std::string_view s) {
    if (i > 0) out += (i + 1 == n) ? " or " : ", ";
    out += s;
    ++i;
  };
  for (const auto& c : names) add(c.name);
  if (!all.empty()) add(all);
  return out;
}

// "expected a number from 0 to 1 (exclusive)" and the like; empty when `x` is within the bounds.
std::string range_problem(const Field& f, double x, bool integer);
// "must not be blank" or "expected at most 200 characters, got 230" for a string field with those
// bounds (Field::nonblank, max_length); empty when `text` is within them.
std::string text_problem(const Field& f, std::string_view text);
// The same for a name given other than through a field (a deal document's name, a library call):
// not blank, at most `max_length` bytes. Every name check of the use cases goes through it.
std::string name_problem(std::string_view text, std::size_t max_length);
// The bounds as words ("from 2 to 100000", "greater than 0"), empty when unbounded.
std::string range_text(const Field& f);
// --name-with-dashes (or --cli_name).
std::string cli_flag(const Field& f);

// {"items": [...]}: a whole list, as the command line prints one (HTTP lists page theirs:
// {"items", "next_cursor"}).
template <class T>
struct ItemsOf {
  std::vector<T> items;
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "items"}, s.items);
  }
};

// ---- reading JSON into a request ---------------------------------------------------------------

// Reads JSON objects into described structs, collecting every problem with its field path.
class JsonReader {
 public:
  explicit JsonReader(const nlohmann::json& object, std::string path = {});

  template <class T>
  void field(const Field& f, T& member) {
    if (!(f.faces & kHttp)) return;
    seen_.push_back(f.name);
    const nlohmann::json* v = find(f.name);
    if (!v) {
      if (f.required) fail(f.name, "required");
      return;
    }
    read_value(f, path_of(f.name), *v, member);
  }

  template <class E, class Names>
  void choice(const Field& f, E& member, const Names& names_in) {
    const std::span<const Choice<E>> names(names_in);
    if (!(f.faces & kHttp)) return;
    seen_.push_back(f.name);
    const nlohmann::json* v = find(f.name);
    if (!v) {
      if (f.required) fail(f.name, "required");
      return;
    }
    read_choice(path_of(f.name), *v, member, names);
  }
  template <class E, class Names>
  void choice(const Field& f, std::optional<E>& member, const Names& names_in) {
    const std::span<const Choice<E>> names(names_in);
    if (!(f.faces & kHttp)) return;
    seen_.push_back(f.name);
    const nlohmann::json* v = find(f.name);
    if (!v) return;
    E e{};
    if (read_choice(path_of(f.name), *v, e, names)) member = e;
  }

  // A list of enum values: one name, an array of names, or `all` for every value in `names`.
  template <class E, class Names>
  void choice_list(const Field& f, std::vector<E>& member, const Names& names_in,
                   std::string_view all = {}) {
    const std::span<const Choice<E>> names(names_in);
    if (!(f.faces & kHttp)) return;
    seen_.push_back(f.name);
    const nlohmann::json* v = find(f.name);
    if (!v) return;
    std::vector<nlohmann::json> items;
    if (v->is_array()) items.assign(v->begin(), v->end());
    else items.push_back(*v);
    std::vector<E> out;
    for (std::size_t i = 0; i < items.size(); ++i) {
      const auto& item = items[i];
      const std::string at = v->is_array() ? item_path(path_of(f.name), i) : path_of(f.name);
      if (!item.is_string()) {
        problem(at, "expected " + choice_list_text(names, all));
        return;
      }
      const auto s = item.get<std::string>();
      if (!all.empty() && s == all) {
        out.clear();
        for (const auto& c : names) out.push_back(c.value);
        break;
      }
      E e{};
      if (!read_choice(at, item, e, names, all)) return;
      out.push_back(e);
    }
    if (out.empty()) {
      problem(path_of(f.name), "expected at least one of " + choice_list_text(names, all));
      return;
    }
    member = std::move(out);
  }

  // The fields of `part` as if they were this object's own.
  template <class S>
  void flatten(S& part) {
    S::fields(*this, part);
  }

  // Refuses fields the description does not name (a misspelt field must not be ignored).
  // `noun` names what an unknown name is not (query strings: "query parameter of this route").
  void refuse_unknown(std::string_view noun = "field of this request");
  const std::vector<std::string>& problems() const { return problems_; }
  // Throws Error::invalid_input("invalid <what>", problems) when there were any.
  void throw_if_problems(std::string_view what) const;

  void fail(std::string_view name, std::string_view message) { problem(path_of(name), std::string(message)); }
  void problem(const std::string& path, std::string message);

  // Reads a JSON null into a number as NaN, for documents keel wrote itself (JsonWriter writes a
  // NaN, an undefined figure, as null): a kept report read back. Requests never get it.
  void read_nulls_as_nan() { nulls_as_nan_ = true; }

 private:
  const nlohmann::json* find(std::string_view name) const;
  std::string path_of(std::string_view name) const;
  // The path of item `i` of the array at `at`: "trades[2]".
  static std::string item_path(std::string_view at, std::size_t i);

  // Scalars.
  bool read_scalar(const Field& f, const std::string& at, const nlohmann::json& v, bool& out);
  bool read_scalar(const Field& f, const std::string& at, const nlohmann::json& v, double& out);
  bool read_scalar(const Field& f, const std::string& at, const nlohmann::json& v, std::string& out);
  bool read_scalar(const Field& f, const std::string& at, const nlohmann::json& v, Date& out);
  bool read_integer(const Field& f, const std::string& at, const nlohmann::json& v, std::int64_t lo,
                    std::uint64_t hi, std::int64_t& out_signed, std::uint64_t& out_unsigned, bool is_signed);
  template <Integer I>
  bool read_scalar(const Field& f, const std::string& at, const nlohmann::json& v, I& out) {
    std::int64_t s = 0;
    std::uint64_t u = 0;
    const auto lo = static_cast<std::int64_t>(std::numeric_limits<I>::min());
    const auto hi = static_cast<std::uint64_t>(std::numeric_limits<I>::max());
    if (!read_integer(f, at, v, lo, hi, s, u, std::is_signed_v<I>)) return false;
    out = std::is_signed_v<I> ? static_cast<I>(s) : static_cast<I>(u);
    return true;
  }

  template <class T>
  void read_value(const Field& f, const std::string& at, const nlohmann::json& v, T& member) {
    if constexpr (is_optional<T>::value || is_nullable<T>::value) {
      if (v.is_null()) {
        member.reset();
        return;
      }
      typename T::value_type x{};
      if constexpr (is_optional<T>::value) {
        if (member) x = *member;
      }
      read_value(f, at, v, x);
      member.emplace(std::move(x));  // emplace: Nullable has no unambiguous operator=(T)
    } else if constexpr (is_vector<T>::value) {
      using E = typename T::value_type;
      if (!v.is_array()) {
        // A lone string (number) is a one-element list of strings (numbers).
        if constexpr (std::same_as<E, std::string>) {
          if (v.is_string()) {
            member = {v.get<std::string>()};
            return;
          }
        } else if constexpr (std::is_arithmetic_v<E> && !std::same_as<E, bool>) {
          // A lone number is a one-element list of numbers.
          if (v.is_number()) {
            E e{};
            read_value(f, at, v, e);
            member = {e};
            return;
          }
        }
        problem(at, "expected an array");
        return;
      }
      T out;
      out.reserve(v.size());
      for (std::size_t i = 0; i < v.size(); ++i) {
        E e{};
        read_value(f, item_path(at, i), v[i], e);
        out.push_back(std::move(e));
      }
      member = std::move(out);
    } else if constexpr (is_string_map<T>::value) {
      if (!v.is_object()) {
        problem(at, "expected an object");
        return;
      }
      T out;
      for (const auto& [k, x] : v.items()) {
        typename T::mapped_type e{};
        read_value(f, at + "." + k, x, e);
        out.emplace(k, std::move(e));
      }
      member = std::move(out);
    } else if constexpr (std::same_as<T, nlohmann::json>) {
      member = v;
    } else if constexpr (requires { T::fields(*this, member); }) {
      if (!v.is_object()) {
        problem(at, "expected an object");
        return;
      }
      JsonReader inner(v, at);
      inner.nulls_as_nan_ = nulls_as_nan_;
      T::fields(inner, member);
      inner.refuse_unknown();
      for (auto& p : inner.problems_) problems_.push_back(std::move(p));
    } else {
      T x{};
      if (read_scalar(f, at, v, x)) member = x;
    }
  }

  template <class E>
  bool read_choice(const std::string& at, const nlohmann::json& v, E& member, std::span<const Choice<E>> names,
                   std::string_view all = {}) {
    if (v.is_string()) {
      const auto s = v.get<std::string>();
      for (const auto& c : names) {
        if (c.name == s) {
          member = c.value;
          return true;
        }
      }
      problem(at, "expected " + choice_list_text(names, all) + ", got " + shown(s));
      return false;
    }
    problem(at, "expected " + choice_list_text(names, all));
    return false;
  }
  static std::string shown(const std::string& s);

  const nlohmann::json& object_;
  std::string path_;
  std::vector<std::string_view> seen_;
  std::vector<std::string> problems_;
  bool nulls_as_nan_ = false;
};

// How a reader takes a JSON null where a number is described: refused (a request), or as NaN (a
// document keel wrote itself, where a NaN was written as null: a kept report read back).
enum class NullNumbers { kRefused, kNaN };

// Reads `body` (an HTTP request body) into `out`, refusing unknown fields; throws
// Error::invalid_input("invalid <what>", every problem) when anything is wrong.
template <class R>
void read_json(const nlohmann::json& body, R& out, std::string_view what,
               NullNumbers null_numbers = NullNumbers::kRefused) {
  JsonReader reader(body);
  if (null_numbers == NullNumbers::kNaN) reader.read_nulls_as_nan();
  if (!body.is_object() && !body.is_null()) {
    reader.problem("(body)", "expected a JSON object");
  } else {
    R::fields(reader, out);
    reader.refuse_unknown();
  }
  reader.throw_if_problems(what);
}

// ---- reading query-string parameters into a request ----------------------------------------------

// Turns `?name=value` pairs into the JSON object read_json checks: each value is typed by its
// field (an integer, number or boolean when it reads as one; a list from repeated parameters or
// comma-separated values), so one set of rules and messages serves bodies and query strings.
// Names the description lacks stay in the object, to be refused as unknown.
class QueryTyper {
 public:
  using Pairs = std::vector<std::pair<std::string, std::string>>;
  QueryTyper(const Pairs& pairs, nlohmann::json& out);

  template <class T>
  void field(const Field& f, const T&) {
    if (!(f.faces & kHttp)) return;
    const auto values = take(f.name);
    if (values.empty()) return;
    if constexpr (is_vector<T>::value) {
      nlohmann::json a = nlohmann::json::array();
      for (const auto& v : values) {
        for (const auto& item : split_list(v)) a.push_back(typed<typename T::value_type>(item));
      }
      out_[std::string(f.name)] = std::move(a);
    } else {
      if (values.size() > 1) problems_.push_back(std::string(f.name) + ": given more than once");
      out_[std::string(f.name)] = typed<T>(values.front());
    }
  }
  template <class E, class Names>
  void choice(const Field& f, const E&, const Names&) {
    if (!(f.faces & kHttp)) return;
    const auto values = take(f.name);
    if (values.size() > 1) problems_.push_back(std::string(f.name) + ": given more than once");
    if (!values.empty()) out_[std::string(f.name)] = values.front();
  }
  template <class E, class Names>
  void choice_list(const Field& f, const std::vector<E>&, const Names&, std::string_view = {}) {
    if (!(f.faces & kHttp)) return;
    nlohmann::json a = nlohmann::json::array();
    for (const auto& v : take(f.name)) {
      for (const auto& item : split_list(v)) a.push_back(item);
    }
    if (!a.empty()) out_[std::string(f.name)] = std::move(a);
  }
  template <class S>
  void flatten(const S& part) {
    S::fields(*this, part);
  }
  const std::vector<std::string>& problems() const { return problems_; }

 private:
  std::vector<std::string> take(std::string_view name) const;
  static std::vector<std::string> split_list(const std::string& v);
  static nlohmann::json as_integer(const std::string& v);
  static nlohmann::json as_number(const std::string& v);
  static nlohmann::json as_boolean(const std::string& v);
  template <class T>
  static nlohmann::json typed(const std::string& v) {
    if constexpr (is_optional<T>::value || is_nullable<T>::value) {
      return typed<typename T::value_type>(v);
    } else if constexpr (std::same_as<T, bool>) {
      return as_boolean(v);
    } else if constexpr (Integer<T>) {
      return as_integer(v);
    } else if constexpr (std::floating_point<T>) {
      return as_number(v);
    } else {
      return v;  // strings, dates; anything else is refused by read_json with its expectation
    }
  }

  const Pairs& pairs_;
  nlohmann::json& out_;
  std::vector<std::string> problems_;
};

// Reads query-string `pairs` into `out` with the rules of read_json (ranges, choices, unknown
// names refused); throws Error::invalid_input("invalid <what>", every problem).
template <class R>
void read_query(const QueryTyper::Pairs& pairs, R& out, std::string_view what) {
  nlohmann::json object = nlohmann::json::object();
  QueryTyper typer(pairs, object);
  R::fields(typer, std::as_const(out));
  JsonReader reader(object);
  for (const auto& p : typer.problems()) {
    const auto colon = p.find(": ");
    reader.problem(p.substr(0, colon), p.substr(colon + 2));
  }
  R::fields(reader, out);
  reader.refuse_unknown("query parameter of this route");
  reader.throw_if_problems(what);
}

// ---- writing a described struct as JSON ----------------------------------------------------------

// Writes the fields of every face, or with `faces` = kHttp only those an HTTP body may carry (a
// request kept with a job, which spec::read_json reads back into the same struct).
class JsonWriter {
 public:
  explicit JsonWriter(nlohmann::json& out, unsigned faces = kAllFaces) : out_(out), faces_(faces) {}

  template <class T>
  void field(const Field& f, const T& member) {
    if (!(f.faces & faces_)) return;
    if constexpr (is_optional<T>::value) {
      if (member) out_[std::string(f.name)] = value(*member);
    } else {
      out_[std::string(f.name)] = value(member);
    }
  }
  template <class E, class Names>
  void choice(const Field& f, const E& member, const Names& names_in) {
    if (!(f.faces & faces_)) return;
    const std::span<const Choice<E>> names(names_in);
    out_[std::string(f.name)] = std::string(choice_name(names, member));
  }
  template <class E, class Names>
  void choice(const Field& f, const std::optional<E>& member, const Names& names_in) {
    if (!(f.faces & faces_)) return;
    const std::span<const Choice<E>> names(names_in);
    if (member) out_[std::string(f.name)] = std::string(choice_name(names, *member));
  }
  template <class E, class Names>
  void choice_list(const Field& f, const std::vector<E>& member, const Names& names_in,
                   std::string_view = {}) {
    if (!(f.faces & faces_)) return;
    const std::span<const Choice<E>> names(names_in);
    nlohmann::json a = nlohmann::json::array();
    for (const auto& e : member) a.push_back(std::string(choice_name(names, e)));
    out_[std::string(f.name)] = std::move(a);
  }
  template <class S>
  void flatten(const S& part) {
    S::fields(*this, part);
  }
  // Results only: each entry of `member` as a field "<f.name><key>" of this object (f.name is the
  // prefix, e.g. "beta_" for beta_mkt_rf), for figures keyed by names only the data knows.
  template <class T>
  void prefixed_map(const Field& f, const std::map<std::string, T>& member) {
    for (const auto& [k, e] : member) out_[std::string(f.name) + k] = value(e);
  }

  template <class T>
  static nlohmann::json value(const T& v) {
    if constexpr (is_nullable<T>::value || is_optional<T>::value) {
      return v ? value(*v) : nlohmann::json(nullptr);
    } else if constexpr (std::same_as<T, Date>) {
      return v.to_string();
    } else if constexpr (is_vector<T>::value) {
      nlohmann::json a = nlohmann::json::array();
      for (const auto& e : v) a.push_back(value(e));
      return a;
    } else if constexpr (is_string_map<T>::value) {
      nlohmann::json o = nlohmann::json::object();
      for (const auto& [k, e] : v) o[k] = value(e);
      return o;
    } else if constexpr (HasValueCodec<T>) {
      return ValueCodec<T>::write(v);
    } else if constexpr (requires(JsonWriter& w) { T::fields(w, v); }) {
      nlohmann::json o = nlohmann::json::object();
      JsonWriter w(o);
      T::fields(w, v);
      return o;
    } else {
      return nlohmann::json(v);
    }
  }

 private:
  nlohmann::json& out_;
  unsigned faces_;
};

// The JSON of a described struct (a result; a request's fields of every face).
template <class R>
nlohmann::json to_json(const R& r) {
  return JsonWriter::value(r);
}

// A request as the HTTP body that spec::read_json reads back into an equal request: its HTTP
// fields only, every one written (defaults too), so a job keeps the request it was given in full
// and its worker reads it once, by the same description.
template <class R>
nlohmann::json to_request_json(const R& r) {
  nlohmann::json o = nlohmann::json::object();
  JsonWriter w(o, kHttp);
  R::fields(w, r);
  return o;
}

// ---- JSON Schema ------------------------------------------------------------------------------

// Builds the JSON Schema of a described struct. Structs with a `kSchemaName` become
// {"$ref": "#/components/schemas/<name>"} and are defined once in `components` (an object), so
// an OpenAPI document names every type; without `components`, they are written inline.
enum class Role { kRequest, kResult };

// A default-constructed T, built once: the defaults a schema shows. Not inlined: GCC 12 at -O3
// otherwise reports its std::string members as maybe-uninitialized (a false positive).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
template <class T>
[[gnu::noinline]] const T& prototype() {
  static const T* const value = new T();  // never freed: lives as long as the program
  return *value;
}
#pragma GCC diagnostic pop

class SchemaWriter {
 public:
  // `role`: a request's fields are optional unless `required` and carry their defaults; a result's
  // fields are all present except std::optional ones. `face`: which fields to include.
  SchemaWriter(nlohmann::json& object_schema, nlohmann::json* components, Role role, unsigned face = kHttp)
      : schema_(object_schema), components_(components), role_(role), face_(face) {
    schema_["type"] = "object";
    schema_["properties"] = nlohmann::json::object();
  }

  template <class T>
  void field(const Field& f, const T& member) {
    if (!(f.faces & face_)) return;
    nlohmann::json s = schema_of_value(member);
    annotate(f, s);
    if (role_ == Role::kRequest) {
      if constexpr (is_vector<T>::value) {
        if (!member.empty()) s["default"] = JsonWriter::value(member);
      } else if constexpr (is_nullable<T>::value) {
        if (member) s["default"] = JsonWriter::value(member);
      } else if constexpr (!is_optional<T>::value && !is_string_map<T>::value &&
                           !std::same_as<T, nlohmann::json> && !Described<T>) {
        if constexpr (std::floating_point<T>) {
          if (std::isfinite(member)) s["default"] = member;
        } else {
          s["default"] = JsonWriter::value(member);
        }
      }
    }
    add(f, std::move(s), !is_optional<T>::value);
  }
  template <class E, class Names>
  void choice(const Field& f, const E& member, const Names& names_in) {
    const std::span<const Choice<E>> names(names_in);
    if (!(f.faces & face_)) return;
    nlohmann::json s = enum_schema(names);
    annotate(f, s);
    if (role_ == Role::kRequest) s["default"] = std::string(choice_name(names, member));
    add(f, std::move(s), true);
  }
  template <class E, class Names>
  void choice(const Field& f, const std::optional<E>&, const Names& names_in) {
    const std::span<const Choice<E>> names(names_in);
    if (!(f.faces & face_)) return;
    nlohmann::json s = enum_schema(names);
    annotate(f, s);
    add(f, std::move(s), false);
  }
  template <class E, class Names>
  void choice_list(const Field& f, const std::vector<E>& member, const Names& names_in,
                   std::string_view all = {}) {
    const std::span<const Choice<E>> names(names_in);
    if (!(f.faces & face_)) return;
    nlohmann::json item = enum_schema(names);
    if (!all.empty()) item["enum"].push_back(std::string(all));
    nlohmann::json s;
    if (role_ == Role::kRequest) {
      s = {{"oneOf", {item, {{"type", "array"}, {"items", item}, {"minItems", 1}}}}};
      nlohmann::json d = nlohmann::json::array();
      for (const auto& e : member) d.push_back(std::string(choice_name(names, e)));
      annotate(f, s);
      s["default"] = d;
    } else {
      s = {{"type", "array"}, {"items", enum_schema(names)}};
      annotate(f, s);
    }
    add(f, std::move(s), true);
  }
  template <class S>
  void flatten(const S& part) {
    S::fields(*this, part);
  }
  // Results only (see JsonWriter::prefixed_map): the fields "<f.name>..." as patternProperties.
  template <class T>
  void prefixed_map(const Field& f, const std::map<std::string, T>&) {
    if (!(f.faces & face_)) return;
    T e{};
    nlohmann::json s = schema_of_value(e);
    annotate(f, s);
    schema_["patternProperties"][prefix_pattern(f.name)] = std::move(s);
  }

  // The fields `visit()` visits are optional whatever their type (present only sometimes, e.g. the
  // body of a report section, written only when its status is ok).
  template <class F>
  void optional_fields(F&& visit) {
    const bool was = all_optional_;
    all_optional_ = true;
    visit();
    all_optional_ = was;
  }

  // The schema of a value of type T (a described struct through $ref or inline).
  template <class T>
  nlohmann::json schema_of_value(const T& v) {
    if constexpr (is_optional<T>::value) {
      return schema_of_value(v ? *v : typename T::value_type{});
    } else if constexpr (is_nullable<T>::value) {
      nlohmann::json inner = schema_of_value(v ? *v : typename T::value_type{});
      // anyOf, not oneOf: a number schema already admits null (NaN), and null must still validate.
      return {{"anyOf", {inner, {{"type", "null"}}}}};
    } else if constexpr (std::same_as<T, bool>) {
      return {{"type", "boolean"}};
    } else if constexpr (Integer<T>) {
      return {{"type", "integer"}};
    } else if constexpr (std::floating_point<T>) {
      // A figure undefined for this input (NaN) is written as null.
      return {{"type", {"number", "null"}}};
    } else if constexpr (std::same_as<T, std::string>) {
      return {{"type", "string"}};
    } else if constexpr (std::same_as<T, Date>) {
      return {{"type", "string"}, {"format", "date"}};
    } else if constexpr (is_vector<T>::value) {
      typename T::value_type e{};
      return {{"type", "array"}, {"items", schema_of_value(e)}};
    } else if constexpr (is_string_map<T>::value) {
      typename T::mapped_type e{};
      return {{"type", "object"}, {"additionalProperties", schema_of_value(e)}};
    } else if constexpr (std::same_as<T, nlohmann::json>) {
      return nlohmann::json::object();  // free-form by nature (documented at the field)
    } else if constexpr (HasValueCodec<T>) {
      return ValueCodec<T>::schema();
    } else {
      return struct_schema<T>();
    }
  }

  template <class T>
  nlohmann::json struct_schema() {
    if constexpr (requires { T::kSchemaName; }) {
      if (components_) {
        const std::string name = T::kSchemaName;
        if (!components_->contains(name)) {
          (*components_)[name] = nlohmann::json::object();  // placeholder against recursion
          (*components_)[name] = inline_schema<T>();
        }
        return {{"$ref", "#/components/schemas/" + name}};
      }
    }
    return inline_schema<T>();
  }

 private:
  template <class T>
  nlohmann::json inline_schema() {
    nlohmann::json s;
    SchemaWriter w(s, components_, role_, face_);
    T::fields(w, prototype<T>());
    w.close();
    // A request whose fields are alternatives (T::kOneOf: exactly one of them is given, as
    // "years or expiry"): a oneOf of the alternatives' required sets.
    if constexpr (requires { T::kOneOf; }) {
      if (role_ == Role::kRequest) {
        nlohmann::json alternatives = nlohmann::json::array();
        for (const char* name : T::kOneOf) alternatives.push_back({{"required", {name}}});
        s["oneOf"] = alternatives;
      }
    }
    return s;
  }
  template <class E>
  static nlohmann::json enum_schema(std::span<const Choice<E>> names) {
    nlohmann::json e = nlohmann::json::array();
    for (const auto& c : names) e.push_back(std::string(c.name));
    return {{"type", "string"}, {"enum", e}};
  }
  static void annotate(const Field& f, nlohmann::json& s);
  // "^<prefix>" with the regular-expression metacharacters of `prefix` escaped.
  static std::string prefix_pattern(std::string_view prefix);
  void add(const Field& f, nlohmann::json s, bool present);
  void close();

  nlohmann::json& schema_;
  nlohmann::json* components_;
  Role role_;
  unsigned face_;
  std::vector<std::string> required_;
  bool all_optional_ = false;
};

// The JSON Schema of R, as a request or as a result (see SchemaWriter). With `components`,
// described structs that have a kSchemaName are defined there and referred to by $ref.
template <class R>
nlohmann::json schema_of(Role role, nlohmann::json* components = nullptr, unsigned face = kHttp) {
  nlohmann::json unused;
  SchemaWriter w(unused, components, role, face);
  return w.template struct_schema<R>();
}

}  // namespace keel::spec
