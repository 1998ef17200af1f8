#include "keel/service/option_ivs.h"

#include <chrono>
#include <string>
#include <vector>

#include "keel/core/diagnostics.h"
#include "keel/core/error.h"
#include "keel/io/csv.h"
#include "keel/io/option_quotes_reader.h"
#include "keel/options/implied_vol.h"

namespace keel::service {
namespace {

Date utc_today(const Clock& clock) {
  const auto days = std::chrono::floor<std::chrono::days>(clock.now()).time_since_epoch().count();
  return Date::from_serial(static_cast<std::int32_t>(days));
}

const char* status_name(options::ImpliedVolStatus s) {
  switch (s) {
    case options::ImpliedVolStatus::kOk:
      return "ok";
    case options::ImpliedVolStatus::kInvalidInput:
      return "invalid_input";
    case options::ImpliedVolStatus::kBelowLowerBound:
      return "below_lower_bound";
    case options::ImpliedVolStatus::kAboveUpperBound:
      return "above_upper_bound";
    case options::ImpliedVolStatus::kOutsideVolRange:
      return "outside_vol_range";
  }
  return "invalid_input";
}

// The rows of one exercise style as solver columns.
struct Columns {
  std::vector<std::size_t> row;  // index into the result's rows
  std::vector<OptionRight> right;
  std::vector<double> price, spot, strike, years, rate, div;

  void add(std::size_t i, const OptionIvRow& r, OptionRight rt) {
    row.push_back(i);
    right.push_back(rt);
    price.push_back(r.price);
    spot.push_back(r.spot);
    strike.push_back(r.strike);
    years.push_back(r.years);
    rate.push_back(r.rate);
    div.push_back(r.div);
  }
  options::ImpliedVolColumns view() const { return {right, price, spot, strike, years, rate, div}; }
};

}  // namespace

OptionIvsResult implied_vols(const Context& cx, const OptionIvsRequest& req) {
  Diagnostics diags;
  io::CsvReader csv = io::CsvReader::open(cx.env.files.open(req.file, "file"), diags);
  const std::vector<io::OptionQuote> quotes = io::read_option_quotes(csv, diags);
  const Date as_of = req.as_of.value_or(utc_today(cx.env.clock));
  // Expiries before the as-of date are errors of their rows, reported with the others.
  for (const auto& q : quotes) {
    if (q.expiry && *q.expiry < as_of) {
      diags.error({csv.name(), q.line, q.expiry_column, "",
                   "the option expired on " + q.expiry->to_string() + ", before the as-of date " + as_of.to_string()});
    }
  }
  diags.throw_if_errors("option quotes " + req.file + " have problems");

  OptionIvsResult out;
  for (const auto& w : diags.warnings()) out.warnings.push_back(w.to_string());
  out.file = req.file;
  out.as_of = as_of.to_string();
  out.rows.reserve(quotes.size());
  Columns european, american;
  for (const auto& q : quotes) {
    OptionIvRow r;
    r.line = q.line;
    r.symbol = q.symbol;
    r.option_type = q.right == OptionRight::kCall ? "call" : "put";
    const ExerciseStyle ex = q.exercise.value_or(req.exercise);
    r.exercise = std::string(exercise_style_name(ex));
    r.spot = q.spot;
    r.strike = q.strike;
    r.years = q.years ? *q.years : year_fraction_act365(as_of, *q.expiry);
    r.price = q.price;
    r.rate = q.rate.value_or(req.rate);
    r.div = q.div.value_or(req.div);
    (ex == ExerciseStyle::kAmerican ? american : european).add(out.rows.size(), r, q.right);
    out.rows.push_back(std::move(r));
  }
  auto finish = [&](const Columns& c, const std::vector<double>& vol,
                    const std::vector<options::ImpliedVolStatus>& status, bool is_american) {
    for (std::size_t j = 0; j < c.row.size(); ++j) {
      OptionIvRow& r = out.rows[c.row[j]];
      r.status = status_name(status[j]);
      if (status[j] == options::ImpliedVolStatus::kOk) {
        r.implied_vol.emplace(vol[j]);
        ++out.solved;
        continue;
      }
      ++out.without_vol;
      const options::ImpliedVolInputs in{c.right[j], c.price[j], c.spot[j], c.strike[j],
                                         c.years[j], c.rate[j],  c.div[j]};
      r.problem = is_american ? options::american_implied_vol_problem(in, req.american_engine)
                              : options::implied_vol_problem(in);
    }
  };
  if (!european.row.empty()) {
    std::vector<double> vol(european.row.size());
    std::vector<options::ImpliedVolStatus> status(european.row.size());
    options::implied_vol_batch(european.view(), vol, status);
    finish(european, vol, status, false);
  }
  if (!american.row.empty()) {
    std::vector<double> vol(american.row.size());
    std::vector<options::ImpliedVolStatus> status(american.row.size());
    options::american_implied_vol_batch(american.view(), vol, status, req.american_engine);
    finish(american, vol, status, true);
  }
  return out;
}

}  // namespace keel::service
