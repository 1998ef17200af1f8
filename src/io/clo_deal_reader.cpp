// CLO deal file reader: JSON (nlohmann_json) with an inline or CSV collateral pool
// (keel/io/clo_deal_reader.h, docs/clo.md).
#include "keel/io/clo_deal_reader.h"

#include <cmath>
#include <filesystem>
#include <fmt/format.h>
#include <initializer_list>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <utility>

#include "keel/core/error.h"
#include "keel/core/parse.h"
#include "keel/core/strings.h"
#include "keel/io/csv.h"
#include "keel/io/input.h"
#include "keel/io/json_input.h"
#include "clo_tape.h"

namespace keel::io {
namespace {

using clo_tape::coupon_type;
using clo_tape::read_collateral_csv;
using clo_tape::valid_country;
using nlohmann::json;
using clo::ActionType;

std::string join(const std::string& path, const std::string& key) { return path.empty() ? key : path + "." + key; }
std::string at(const std::string& path, std::size_t i) {
  return fmt::format("{}[{}]", path, i);
}

class Fields {
 public:
  Fields(std::string file, Diagnostics& diags, std::vector<std::string>& warnings)
      : file_(std::move(file)), diags_(diags), warnings_(warnings) {}

  void error(const std::string& field, std::string message) { diags_.error({file_, 0, 0, field, std::move(message)}); }

  // The member `key` of `obj`, or nullptr (an error when required).
  const json* get(const json& obj, const char* key, const std::string& path, bool required) {
    const auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) {
      if (required) error(join(path, key), "is required");
      return nullptr;
    }
    return &*it;
  }

  std::optional<double> number(const json& obj, const char* key, const std::string& path, bool required) {
    const json* v = get(obj, key, path, required);
    if (!v) return std::nullopt;
    if (!v->is_number()) {
      error(join(path, key), "must be a number, got " + shown_with(v->dump(), 64, '\0'));
      return std::nullopt;
    }
    const double x = v->get<double>();
    if (!std::isfinite(x) || std::abs(x) > kMaxInputMagnitude) {
      error(join(path, key), "number " + shown_with(v->dump(), 64, '\0') + " is out of range (at most 1e15 in magnitude)");
      return std::nullopt;
    }
    return x;
  }

  double number_or(const json& obj, const char* key, const std::string& path, double fallback) {
    return number(obj, key, path, false).value_or(fallback);
  }

  std::optional<std::string> text(const json& obj, const char* key, const std::string& path, bool required) {
    const json* v = get(obj, key, path, required);
    if (!v) return std::nullopt;
    if (!v->is_string()) {
      error(join(path, key), "must be a string, got " + shown_with(v->dump(), 64, '\0'));
      return std::nullopt;
    }
    return v->get<std::string>();
  }

  std::optional<bool> boolean(const json& obj, const char* key, const std::string& path) {
    const json* v = get(obj, key, path, false);
    if (!v) return std::nullopt;
    if (!v->is_boolean()) {
      error(join(path, key), "must be true or false, got " + shown_with(v->dump(), 64, '\0'));
      return std::nullopt;
    }
    return v->get<bool>();
  }

  std::optional<Date> date(const json& obj, const char* key, const std::string& path, bool required) {
    const auto s = text(obj, key, path, required);
    if (!s) return std::nullopt;
    const auto d = Date::parse(*s);
    if (!d) error(join(path, key), shown_with(*s, 64, '\'') + " is not a date YYYY-MM-DD");
    return d;
  }

  std::optional<int> integer(const json& obj, const char* key, const std::string& path, bool required) {
    const json* v = get(obj, key, path, required);
    if (!v) return std::nullopt;
    if (!v->is_number_integer()) {
      error(join(path, key), "must be a whole number, got " + shown_with(v->dump(), 64, '\0'));
      return std::nullopt;
    }
    return v->get<int>();
  }

  std::optional<clo::MoodysRating> rating(const json& obj, const char* key, const std::string& path, bool required) {
    const auto s = text(obj, key, path, required);
    if (!s) return std::nullopt;
    const auto r = clo::parse_moodys_rating(*s);
    if (!r) error(join(path, key), "unknown Moody's rating '" + *s + "' (expected Aaa, Aa1..Aa3, A1..A3, Baa1..Baa3, Ba1..Ba3, B1..B3, Caa1..Caa3, Ca or C)");
    return r;
  }

  bool object(const json& v, const std::string& path) {
    if (v.is_object()) return true;
    error(path, "must be a JSON object");
    return false;
  }

  void known(const json& obj, std::initializer_list<const char*> keys, const std::string& path) {
    for (auto it = obj.begin(); it != obj.end(); ++it) {
      bool ok = false;
      for (const char* k : keys) ok = ok || it.key() == k;
      if (!ok) warnings_.push_back(file_ + ": " + join(path, shown_with(it.key(), 64, '\0')) + ": unknown field, ignored");
    }
  }

  const std::string& file() const { return file_; }
  Diagnostics& diags() { return diags_; }

 private:
  std::string file_;
  Diagnostics& diags_;
  std::vector<std::string>& warnings_;
};

void read_dates(Fields& f, const json& root, clo::DealDates& d) {
  const json* v = f.get(root, "dates", "", true);
  if (!v || !f.object(*v, "dates")) return;
  f.known(*v, {"closing", "first_payment", "payment_frequency_months", "reinvestment_end", "non_call_end",
               "legal_maturity", "payment_dates"},
          "dates");
  d.closing = f.date(*v, "closing", "dates", true).value_or(Date());
  d.first_payment = f.date(*v, "first_payment", "dates", true).value_or(Date());
  d.payment_frequency_months = f.integer(*v, "payment_frequency_months", "dates", false).value_or(3);
  d.reinvestment_end = f.date(*v, "reinvestment_end", "dates", true).value_or(Date());
  d.non_call_end = f.date(*v, "non_call_end", "dates", false).value_or(d.closing);
  d.legal_maturity = f.date(*v, "legal_maturity", "dates", true).value_or(Date());
  if (const json* pd = f.get(*v, "payment_dates", "dates", false)) {
    if (!pd->is_array()) {
      f.error("dates.payment_dates", "must be an array of dates");
      return;
    }
    for (std::size_t i = 0; i < pd->size(); ++i) {
      const json& e = (*pd)[i];
      const std::string p = at("dates.payment_dates", i);
      const auto dd = e.is_string() ? Date::parse(e.get<std::string>()) : std::nullopt;
      if (!dd) {
        f.error(p, shown_with(e.dump(), 64, '\0') + " is not a date YYYY-MM-DD");
      } else {
        d.payment_dates.push_back(*dd);
      }
    }
  }
}

void read_reference_csv(Fields& f, const Files& files, const std::string& path, clo::Deal& deal) {
  Diagnostics& diags = f.diags();
  CsvReader csv = CsvReader::open(files.open(path, "reference_rate.curve"), diags);
  CsvColumns cols(csv, {"date", "rate"}, {}, diags);
  CsvCells cells(csv, diags);
  CsvRecord r;
  while (csv.next(r)) {
    const auto d = cells.date(r, cols.index("date"), true);
    const auto v = cells.number(r, cols.index("rate"), true);
    if (d && v) {
      deal.reference_dates.push_back(*d);
      deal.reference_rates.push_back(*v);
    }
  }
}

void read_reference(Fields& f, const json& root, clo::Deal& deal, const std::string& base_dir, const Files& files) {
  const json* v = f.get(root, "reference_rate", "", true);
  if (!v || !f.object(*v, "reference_rate")) return;
  f.known(*v, {"flat", "curve", "index"}, "reference_rate");
  if (const json* flat = f.get(*v, "flat", "reference_rate", false)) {
    if (!flat->is_number()) {
      f.error("reference_rate.flat", "must be a decimal rate");
      return;
    }
    deal.reference_dates = {deal.dates.closing};
    deal.reference_rates = {flat->get<double>()};
    return;
  }
  const json* curve = f.get(*v, "curve", "reference_rate", false);
  if (!curve) {
    f.error("reference_rate", "needs \"flat\": rate or \"curve\": [{\"date\", \"rate\"}] or a CSV path");
    return;
  }
  if (curve->is_string()) {
    std::filesystem::path p(curve->get<std::string>());
    if (p.is_relative()) p = std::filesystem::path(base_dir) / p;
    read_reference_csv(f, files, p.string(), deal);
    return;
  }
  if (!curve->is_array()) {
    f.error("reference_rate.curve", "must be an array of {\"date\", \"rate\"} or a CSV path");
    return;
  }
  for (std::size_t i = 0; i < curve->size(); ++i) {
    const std::string p = at("reference_rate.curve", i);
    if (!f.object((*curve)[i], p)) continue;
    const auto d = f.date((*curve)[i], "date", p, true);
    const auto r = f.number((*curve)[i], "rate", p, true);
    if (d && r) {
      deal.reference_dates.push_back(*d);
      deal.reference_rates.push_back(*r);
    }
  }
}

void read_loan(Fields& f, const json& e, const std::string& p, clo::Loan& l) {
  f.known(e, {"obligor", "industry", "par", "price", "spread", "floor", "coupon_type", "coupon", "maturity", "rating",
              "lien", "defaulted", "id", "name", "moodys_rating", "sp_rating", "asset_id", "facility_id", "unfunded",
              "country", "cov_lite", "dip"},
          p);
  l.obligor = f.text(e, "obligor", p, true).value_or("");
  l.industry = f.text(e, "industry", p, false).value_or("Unknown");
  l.par = f.number(e, "par", p, true).value_or(0.0);
  l.price = f.number_or(e, "price", p, 100.0) / 100.0;
  if (const auto ct = f.text(e, "coupon_type", p, false)) {
    const auto t = coupon_type(*ct);
    if (!t) {
      f.error(join(p, "coupon_type"), "must be \"floating\" or \"fixed\", got '" + *ct + "'");
    } else {
      l.coupon_type = *t;
    }
  }
  l.spread = f.number(e, "spread", p, l.coupon_type == clo::CouponType::kFloating).value_or(0.0);
  l.floor = f.number_or(e, "floor", p, 0.0);
  l.coupon = f.number(e, "coupon", p, l.coupon_type == clo::CouponType::kFixed).value_or(0.0);
  l.maturity = f.date(e, "maturity", p, true).value_or(Date());
  const bool by_agency = e.contains("moodys_rating") || e.contains("sp_rating");
  l.moodys = f.rating(e, e.contains("moodys_rating") ? "moodys_rating" : "rating", p, !by_agency);
  if (const auto sp = f.text(e, "sp_rating", p, false)) {
    l.sp = clo::parse_sp_rating(*sp);
    if (!l.sp) f.error(join(p, "sp_rating"), "unknown S&P rating " + shown_with(*sp, 64, '\'') + " (expected AAA .. C)");
  }
  l.rating = l.moodys ? *l.moodys : l.sp.value_or(clo::MoodysRating::kB2);  // the deal's rule applies later
  l.lien = f.text(e, "lien", p, false).value_or("first");
  l.defaulted = f.boolean(e, "defaulted", p).value_or(false);
  l.cov_lite = f.boolean(e, "cov_lite", p).value_or(false);
  l.dip = f.boolean(e, "dip", p).value_or(false);
  if (e.contains("asset_id")) {
    l.asset_id = f.text(e, "asset_id", p, false).value_or("");
  } else if (e.contains("id") && e["id"].is_string()) {
    l.asset_id = e["id"].get<std::string>();
  }
  l.facility_id = f.text(e, "facility_id", p, false).value_or("");
  l.country = f.text(e, "country", p, false).value_or("");
  if (!l.country.empty() && !valid_country(l.country)) {
    f.error(join(p, "country"), "must be an ISO 3166 alpha-2 country code such as US or GB");
  }
  l.unfunded = f.number_or(e, "unfunded", p, 0.0);
}

void read_collateral(Fields& f, const json& root, clo::Deal& deal, const std::string& base_dir, const Files& files) {
  const json* v = f.get(root, "collateral", "", true);
  if (!v) return;
  if (v->is_string()) {
    std::filesystem::path p(v->get<std::string>());
    if (p.is_relative()) p = std::filesystem::path(base_dir) / p;
    read_collateral_csv(f.diags(), CsvReader::open(files.open(p.string(), "collateral"), f.diags()), deal.collateral);
    return;
  }
  if (!v->is_array()) {
    f.error("collateral", "must be an array of loans or the path of a CSV file");
    return;
  }
  for (std::size_t i = 0; i < v->size(); ++i) {
    const std::string p = at("collateral", i);
    if (!f.object((*v)[i], p)) continue;
    clo::Loan l;
    read_loan(f, (*v)[i], p, l);
    deal.collateral.push_back(std::move(l));
  }
}

void read_tranches(Fields& f, const json& root, clo::Deal& deal) {
  const json* v = f.get(root, "tranches", "", true);
  if (!v) return;
  if (!v->is_array()) {
    f.error("tranches", "must be an array, most senior first");
    return;
  }
  for (std::size_t i = 0; i < v->size(); ++i) {
    const std::string p = at("tranches", i);
    const json& e = (*v)[i];
    if (!f.object(e, p)) continue;
    f.known(e, {"class", "name", "type", "balance", "spread", "coupon", "deferrable", "oc_trigger", "ic_trigger",
                "price", "rating"},
            p);
    clo::Tranche t;
    t.name = f.text(e, "class", p, true).value_or("");
    if (const auto type = f.text(e, "type", p, false)) {
      if (*type == "equity" || *type == "sub" || *type == "subordinated") {
        t.is_equity = true;
      } else if (*type != "note") {
        f.error(join(p, "type"), "must be \"note\" or \"equity\", got '" + *type + "'");
      }
    }
    t.balance = f.number(e, "balance", p, true).value_or(0.0);
    if (!t.is_equity) {
      const auto spread = f.number(e, "spread", p, false);
      const auto coupon = f.number(e, "coupon", p, false);
      if (spread && coupon) f.error(p, "give either spread (floating) or coupon (fixed), not both");
      if (!spread && !coupon) f.error(join(p, "spread"), "is required (or coupon for a fixed-rate note)");
      t.spread = spread.value_or(0.0);
      t.fixed = coupon.has_value() && !spread;
      t.coupon = coupon.value_or(0.0);
    }
    t.deferrable = f.boolean(e, "deferrable", p).value_or(false);
    t.oc_trigger = f.number(e, "oc_trigger", p, false);
    t.ic_trigger = f.number(e, "ic_trigger", p, false);
    t.price = f.number_or(e, "price", p, 100.0) / 100.0;
    deal.tranches.push_back(std::move(t));
  }
}

void read_fees(Fields& f, const json& root, clo::Fees& fees) {
  const json* v = f.get(root, "fees", "", false);
  if (!v || !f.object(*v, "fees")) return;
  f.known(*v, {"taxes_admin", "senior_bps", "sub_bps", "incentive"}, "fees");
  if (const json* a = f.get(*v, "taxes_admin", "fees", false); a && f.object(*a, "fees.taxes_admin")) {
    f.known(*a, {"fixed_per_year", "bps", "cap_per_year"}, "fees.taxes_admin");
    fees.taxes_admin.fixed_per_year = f.number_or(*a, "fixed_per_year", "fees.taxes_admin", 0.0);
    fees.taxes_admin.bps = f.number_or(*a, "bps", "fees.taxes_admin", 0.0);
    fees.taxes_admin.cap_per_year = f.number_or(*a, "cap_per_year", "fees.taxes_admin", 0.0);
  }
  fees.senior_bps = f.number_or(*v, "senior_bps", "fees", 0.0);
  fees.sub_bps = f.number_or(*v, "sub_bps", "fees", 0.0);
  if (const json* inc = f.get(*v, "incentive", "fees", false); inc && f.object(*inc, "fees.incentive")) {
    f.known(*inc, {"share", "hurdle_irr"}, "fees.incentive");
    fees.incentive.share = f.number_or(*inc, "share", "fees.incentive", 0.0);
    fees.incentive.hurdle_irr = f.number_or(*inc, "hurdle_irr", "fees.incentive", 0.0);
  }
}

void read_reinvestment(Fields& f, const json& root, clo::Reinvestment& r) {
  const json* v = f.get(root, "reinvestment", "", false);
  if (!v || !f.object(*v, "reinvestment")) return;
  f.known(*v, {"price", "spread", "floor", "rating", "term_months", "diversion"}, "reinvestment");
  r.price = f.number_or(*v, "price", "reinvestment", 100.0) / 100.0;
  r.spread = f.number_or(*v, "spread", "reinvestment", r.spread);
  r.floor = f.number_or(*v, "floor", "reinvestment", 0.0);
  r.rating = f.rating(*v, "rating", "reinvestment", false).value_or(clo::MoodysRating::kB2);
  r.term_months = f.integer(*v, "term_months", "reinvestment", false).value_or(r.term_months);
  if (const json* dv = f.get(*v, "diversion", "reinvestment", false); dv && f.object(*dv, "reinvestment.diversion")) {
    f.known(*dv, {"class", "threshold", "share"}, "reinvestment.diversion");
    r.diversion_class = f.text(*dv, "class", "reinvestment.diversion", true).value_or("");
    r.diversion_threshold = f.number(*dv, "threshold", "reinvestment.diversion", true);
    r.diversion_share = f.number_or(*dv, "share", "reinvestment.diversion", 0.5);
  }
}

void read_tests(Fields& f, const json& root, clo::QualityLimits& q) {
  const json* v = f.get(root, "tests", "", false);
  if (!v || !f.object(*v, "tests")) return;
  f.known(*v, {"max_warf", "min_was", "max_wal_years", "min_diversity", "max_ccc_share", "max_obligor_share",
               "max_industry_share", "ccc_excess_threshold", "obligor_limits", "industry_limits", "top_obligors",
               "buckets", "domestic_countries"},
          "tests");
  auto fractions = [&](const char* key, std::vector<double>& to) {
    const json* a = f.get(*v, key, "tests", false);
    if (!a) return;
    if (!a->is_array()) {
      f.error(join("tests", key), "must be an array of fractions, largest rank first ([0.025, 0.02])");
      return;
    }
    for (std::size_t i = 0; i < a->size(); ++i) {
      if (!(*a)[i].is_number()) {
        f.error(at(join("tests", key), i), "must be a number");
      } else {
        to.push_back((*a)[i].get<double>());
      }
    }
  };
  fractions("obligor_limits", q.obligor_limits);
  fractions("industry_limits", q.industry_limits);
  if (const json* t = f.get(*v, "top_obligors", "tests", false); t && f.object(*t, "tests.top_obligors")) {
    f.known(*t, {"count", "max_share"}, "tests.top_obligors");
    q.top_obligors_count = f.integer(*t, "count", "tests.top_obligors", false).value_or(q.top_obligors_count);
    q.max_top_obligors_share = f.number(*t, "max_share", "tests.top_obligors", true);
  }
  if (const json* b = f.get(*v, "buckets", "tests", false); b && f.object(*b, "tests.buckets")) {
    f.known(*b, {"second_lien", "cov_lite", "fixed_rate", "non_domestic", "revolver", "dip"}, "tests.buckets");
    q.max_second_lien_share = f.number(*b, "second_lien", "tests.buckets", false);
    q.max_cov_lite_share = f.number(*b, "cov_lite", "tests.buckets", false);
    q.max_fixed_rate_share = f.number(*b, "fixed_rate", "tests.buckets", false);
    q.max_non_domestic_share = f.number(*b, "non_domestic", "tests.buckets", false);
    q.max_revolver_share = f.number(*b, "revolver", "tests.buckets", false);
    q.max_dip_share = f.number(*b, "dip", "tests.buckets", false);
  }
  if (const json* c = f.get(*v, "domestic_countries", "tests", false)) {
    q.domestic_countries.clear();
    if (!c->is_array()) f.error("tests.domestic_countries", "must be an array of country codes ([\"US\"])");
    for (std::size_t i = 0; c->is_array() && i < c->size(); ++i) {
      const json& e = (*c)[i];
      if (!e.is_string() || !valid_country(e.get<std::string>())) {
        f.error(at("tests.domestic_countries", i), "must be an ISO 3166 alpha-2 country code such as US");
      } else {
        q.domestic_countries.push_back(e.get<std::string>());
      }
    }
  }
  q.max_warf = f.number(*v, "max_warf", "tests", false);
  q.min_was = f.number(*v, "min_was", "tests", false);
  q.max_wal_years = f.number(*v, "max_wal_years", "tests", false);
  q.min_diversity = f.number(*v, "min_diversity", "tests", false);
  q.max_ccc_share = f.number(*v, "max_ccc_share", "tests", false);
  q.max_obligor_share = f.number(*v, "max_obligor_share", "tests", false);
  q.max_industry_share = f.number(*v, "max_industry_share", "tests", false);
  q.ccc_excess_threshold = f.number_or(*v, "ccc_excess_threshold", "tests", 0.075);
}

const std::map<std::string, ActionType>& action_names() {
  static const std::map<std::string, ActionType> names{
      {"taxes_admin", ActionType::kTaxesAdmin},
      {"senior_fee", ActionType::kSeniorFee},
      {"interest", ActionType::kInterest},
      {"coverage_tests", ActionType::kCoverageTests},
      {"interest_diversion", ActionType::kInterestDiversion},
      {"sub_fee", ActionType::kSubFee},
      {"incentive_fee", ActionType::kIncentiveFee},
      {"shortfalls", ActionType::kShortfalls},
      {"coverage_cure", ActionType::kCoverageCure},
      {"reinvest", ActionType::kReinvest},
      {"sequential_paydown", ActionType::kSequentialPaydown},
      {"residual", ActionType::kResidual},
  };
  return names;
}

void read_waterfall(Fields& f, const json& root, clo::Deal& deal) {
  const json* v = f.get(root, "waterfall", "", false);
  if (!v || !f.object(*v, "waterfall")) return;
  f.known(*v, {"interest", "principal"}, "waterfall");
  for (const char* which : {"interest", "principal"}) {
    const std::string path = std::string("waterfall.") + which;
    const json* list = f.get(*v, which, "waterfall", false);
    if (!list) continue;
    if (!list->is_array()) {
      f.error(path, "must be an array of {\"action\": ...}");
      continue;
    }
    auto& out = std::string(which) == "interest" ? deal.interest_waterfall : deal.principal_waterfall;
    for (std::size_t i = 0; i < list->size(); ++i) {
      const std::string p = at(path, i);
      const json& e = (*list)[i];
      if (!f.object(e, p)) continue;
      f.known(e, {"action", "class"}, p);
      const auto name = f.text(e, "action", p, true);
      if (!name) continue;
      const auto it = action_names().find(*name);
      if (it == action_names().end()) {
        f.error(join(p, "action"), "unknown action '" + *name +
                                       "' (taxes_admin, senior_fee, interest, coverage_tests, interest_diversion, "
                                       "sub_fee, incentive_fee, shortfalls, coverage_cure, reinvest, "
                                       "sequential_paydown, residual)");
        continue;
      }
      clo::WaterfallAction a{it->second, -1};
      const bool needs_class = a.type == ActionType::kInterest || a.type == ActionType::kCoverageTests ||
                               a.type == ActionType::kCoverageCure;
      if (needs_class) {
        const auto cls = f.text(e, "class", p, true);
        if (cls) {
          for (std::size_t j = 0; j < deal.tranches.size(); ++j) {
            if (deal.tranches[j].name == *cls) a.tranche = static_cast<int>(j);
          }
          if (a.tranche < 0) {
            f.error(join(p, "class"), shown_with(*cls, 64, '\'') + " is not a class of tranches[]");
            continue;
          }
        } else {
          continue;
        }
      }
      out.push_back(a);
    }
  }
}

// A scenario object at `path`: cdr, cpr, recovery (numbers; in the library, also arrays by payment
// period) and recovery_lag_months, each range-checked under its path.
clo::Scenario read_scenario_object(Fields& f, const json& v, const std::string& path, bool vectors) {
  f.known(v, {"cdr", "cpr", "recovery", "recovery_lag_months", "description"}, path);
  clo::Scenario s;
  auto rate = [&](const char* key, double& constant, std::vector<double>& vec, double top, bool closed) {
    const json* x = f.get(v, key, path, false);
    if (!x) return;
    const std::string where = join(path, key);
    const char* range = closed ? "a fraction between 0 and 1" : "an annual rate from 0 up to (not including) 1";
    auto check = [&](double d, const std::string& at_path) {
      if (!(d >= 0.0 && (closed ? d <= top : d < top))) f.error(at_path, std::string("must be ") + range);
    };
    if (x->is_array() && vectors) {
      if (x->empty() || x->size() > kMaxScenarioPeriods) {
        f.error(where, fmt::format("must have 1 to {} values, one per payment period", kMaxScenarioPeriods));
        return;
      }
      for (std::size_t i = 0; i < x->size(); ++i) {
        if (!(*x)[i].is_number()) {
          f.error(at(where, i), "must be a number");
          continue;
        }
        vec.push_back((*x)[i].get<double>());
        check(vec.back(), at(where, i));
      }
      constant = vec.front();
      return;
    }
    if (!x->is_number()) {
      f.error(where, vectors ? "must be a number or an array of numbers by payment period" : "must be a number");
      return;
    }
    constant = x->get<double>();
    check(constant, where);
  };
  rate("cdr", s.cdr, s.cdr_path, 1.0, false);
  rate("cpr", s.cpr, s.cpr_path, 1.0, false);
  rate("recovery", s.recovery, s.recovery_path, 1.0, true);
  s.recovery_lag_months = f.integer(v, "recovery_lag_months", path, false).value_or(s.recovery_lag_months);
  if (s.recovery_lag_months < 0 || s.recovery_lag_months > 600) {
    f.error(join(path, "recovery_lag_months"), "must be between 0 and 600 months");
  }
  return s;
}

std::optional<clo::Scenario> read_scenario(Fields& f, const json& root) {
  const json* v = f.get(root, "scenario", "", false);
  if (!v || !f.object(*v, "scenario")) return std::nullopt;
  return read_scenario_object(f, *v, "scenario", false);
}

// The deal's correlations: {"industries": [names], "industry_matrix": [[...], ...], "pairs":
// [{"obligor_a", "obligor_b", "correlation"}]}: a square matrix in the names' order with a unit
// diagonal's place in [0, 1), symmetric, every number in [-1, 1]; each unordered pair once.
void read_correlation(Fields& f, const json& root, CloDealFile& out) {
  const json* v = f.get(root, "correlation", "", false);
  if (!v || !f.object(*v, "correlation")) return;
  f.known(*v, {"industries", "industry_matrix", "pairs"}, "correlation");
  const json* names = f.get(*v, "industries", "correlation", false);
  const json* matrix = f.get(*v, "industry_matrix", "correlation", false);
  if ((names == nullptr) != (matrix == nullptr)) {
    f.error(names ? "correlation.industry_matrix" : "correlation.industries",
            "required with correlation.industries and correlation.industry_matrix together");
  } else if (names) {
    IndustryCorrelation c;
    bool ok = names->is_array() && matrix->is_array() && names->size() == matrix->size() && !names->empty();
    if (!ok) f.error("correlation.industry_matrix", "must be one row per name of correlation.industries");
    for (std::size_t i = 0; ok && i < names->size(); ++i) {
      const json& n = (*names)[i];
      const json& row = (*matrix)[i];
      if (!n.is_string() || n.get<std::string>().empty()) f.error(at("correlation.industries", i), "must be a name");
      if (!row.is_array() || row.size() != names->size()) {
        f.error(at("correlation.industry_matrix", i), fmt::format("must have {} numbers", names->size()));
        ok = false;
        continue;
      }
      c.industries.push_back(n.is_string() ? n.get<std::string>() : std::string());
      std::vector<double> r;
      for (std::size_t j = 0; j < row.size(); ++j) {
        const std::string p = at(at("correlation.industry_matrix", i), j);
        if (!row[j].is_number() || !(row[j].get<double>() >= -1.0 && row[j].get<double>() <= 1.0)) {
          f.error(p, "must be a correlation between -1 and 1");
          ok = false;
          continue;
        }
        r.push_back(row[j].get<double>());
      }
      c.matrix.push_back(std::move(r));
    }
    for (std::size_t i = 0; ok && i < c.matrix.size(); ++i) {
      if (!(c.matrix[i][i] >= 0.0 && c.matrix[i][i] < 1.0)) {
        f.error(at(at("correlation.industry_matrix", i), i), "a within-industry correlation must be in [0, 1)");
      }
      for (std::size_t j = 0; j < i; ++j) {
        if (std::fabs(c.matrix[i][j] - c.matrix[j][i]) > 1e-12) {
          f.error(at(at("correlation.industry_matrix", i), j), "the matrix must be symmetric");
        }
      }
    }
    if (ok) out.industry_correlation = std::move(c);
  }
  if (const json* pairs = f.get(*v, "pairs", "correlation", false)) {
    if (!pairs->is_array()) f.error("correlation.pairs", "must be an array of {obligor_a, obligor_b, correlation}");
    std::set<std::pair<std::string, std::string>> seen;
    for (std::size_t i = 0; pairs->is_array() && i < pairs->size(); ++i) {
      const std::string p = at("correlation.pairs", i);
      const json& e = (*pairs)[i];
      if (!f.object(e, p)) continue;
      f.known(e, {"obligor_a", "obligor_b", "correlation"}, p);
      const auto a = f.text(e, "obligor_a", p, true), b = f.text(e, "obligor_b", p, true);
      const auto c = f.number(e, "correlation", p, true);
      if (!a || !b || !c) continue;
      if (!(*c >= -1.0 && *c <= 1.0)) f.error(join(p, "correlation"), "must be between -1 and 1");
      if (*a == *b) f.error(p, "a pair needs two different obligors");
      if (!seen.insert(std::minmax(*a, *b)).second) f.error(p, "the pair " + *a + ", " + *b + " is given twice");
      out.pair_correlation.push_back({*a, *b, *c});
    }
  }
}

// The deal's named scenario library: {"name": {scenario}, ...}, in name order.
std::vector<std::pair<std::string, clo::Scenario>> read_scenarios(Fields& f, const json& root) {
  std::vector<std::pair<std::string, clo::Scenario>> out;
  const json* v = f.get(root, "scenarios", "", false);
  if (!v || !f.object(*v, "scenarios")) return out;
  for (auto it = v->begin(); it != v->end(); ++it) {
    const std::string path = "scenarios." + shown_with(it.key(), 64, '\0');
    if (it.key().find_first_not_of(" \t\r\n") == std::string::npos || it.key().size() > 64) {
      f.error(path, "a scenario's name must have a visible character and at most 64 bytes");
      continue;
    }
    if (!f.object(it.value(), path)) continue;
    out.emplace_back(it.key(), read_scenario_object(f, it.value(), path, true));
  }
  return out;
}

// The deal of `text`; its collateral from the document, or `collateral` when given.
CloDealFile parse_deal(const std::string& text, const std::string& display_name, const std::string& base_dir,
                       const std::vector<clo::Loan>* collateral, const Files& files) {
  if (const auto problem = check_json_text(text, display_name)) {
    throw Error::invalid_input("invalid CLO deal " + display_name, {problem->to_string()});
  }
  const json root = json::parse(text);
  CloDealFile out;
  Diagnostics diags;
  Fields f(display_name, diags, out.warnings);
  if (!root.is_object()) {
    f.error("", "the deal must be a JSON object");
    diags.throw_if_errors("invalid CLO deal " + display_name);
  }
  f.known(root, {"name", "currency", "dates", "reference_rate", "target_par", "collateral", "tranches", "fees",
                 "reinvestment", "tests", "scenario", "waterfall", "source", "description", "rating_rule",
                 "principal_cash", "scenarios", "correlation"},
          "");
  clo::Deal& d = out.deal;
  d.name = f.text(root, "name", "", false).value_or(display_name);
  d.currency = f.text(root, "currency", "", false).value_or("USD");
  read_dates(f, root, d.dates);
  read_reference(f, root, d, base_dir, files);
  d.target_par = f.number(root, "target_par", "", false);
  if (collateral) {
    d.collateral = *collateral;
  } else {
    read_collateral(f, root, d, base_dir, files);
  }
  read_tranches(f, root, d);
  read_fees(f, root, d.fees);
  read_reinvestment(f, root, d.reinvestment);
  read_tests(f, root, d.limits);
  if (const auto rule = f.text(root, "rating_rule", "", false)) {
    if (*rule == "moodys") {
      d.rating_rule = clo::RatingRule::kMoodys;
    } else if (*rule == "lower") {
      d.rating_rule = clo::RatingRule::kLower;
    } else if (*rule == "average") {
      d.rating_rule = clo::RatingRule::kAverage;
    } else {
      f.error("rating_rule", "must be \"moodys\", \"lower\" or \"average\", got " + shown_with(*rule, 64, '\''));
    }
  }
  // Each loan's tested rating from its agencies' ratings under the deal's rule (a loan read from
  // the older single-rating form, or stored before the agencies were kept, has only `rating`).
  for (clo::Loan& l : d.collateral) {
    if (const auto r = clo::derived_rating(l.moodys, l.sp, d.rating_rule)) l.rating = *r;
  }
  d.principal_cash = f.number_or(root, "principal_cash", "", 0.0);
  read_waterfall(f, root, d);
  out.scenario = read_scenario(f, root);
  out.scenarios = read_scenarios(f, root);
  read_correlation(f, root, out);
  // Semantic checks (capital structure, date order, ranges) in the same pass; a field already
  // reported by the parser (e.g. a missing balance) is not reported twice.
  Diagnostics semantic;
  clo::validate_deal(d, display_name, semantic);
  std::set<std::string> reported;
  for (const auto& e : diags.errors()) reported.insert(e.field);
  for (const auto& e : semantic.errors()) {
    if (!reported.count(e.field)) diags.error(e);
  }
  diags.throw_if_errors("invalid CLO deal " + display_name);
  return out;
}

}  // namespace

CloDealFile parse_clo_deal(const std::string& text, const std::string& display_name, const std::string& base_dir,
                           const Files& files) {
  return parse_deal(text, display_name, base_dir, nullptr, files);
}

CloDealFile parse_clo_deal(const std::string& text, const std::string& display_name,
                           const std::vector<clo::Loan>& collateral, const Files& files) {
  return parse_deal(text, display_name, "/nonexistent", &collateral, files);
}

CloDealFile read_clo_deal(const Files& files, const std::string& path) {
  const std::string text = read_text_file(files, path, "deal", "CLO deal file", kMaxJsonInputBytes);
  const std::filesystem::path p(path);
  return parse_clo_deal(text, path, p.has_parent_path() ? p.parent_path().string() : std::string("."), files);
}

}  // namespace keel::io

namespace keel::io {

IndustryCorrelation read_industry_correlation(std::unique_ptr<ByteSource> file, std::vector<std::string>* warnings) {
  const std::string path = file->name();
  Diagnostics diags;
  CsvReader csv = CsvReader::open(std::move(file), diags);
  IndustryCorrelation out;
  const auto& header = csv.header();
  if (header.size() < 2) {
    diags.error({path, csv.header_line(), 0, "", "expected a header industry,<name 1>,...,<name n>"});
    diags.throw_if_errors("invalid industry correlation matrix " + path);
  }
  for (std::size_t k = 1; k < header.size(); ++k) out.industries.push_back(header[k]);
  CsvCells cells(csv, diags);
  CsvRecord r;
  std::size_t row = 0;
  while (csv.next(r)) {
    const std::string name(cells.text(r, 0));
    if (row >= out.industries.size()) {
      cells.error(r, -1, "more rows than industries in the header");
      ++row;
      continue;
    }
    if (name != out.industries[row]) {
      cells.error(r, 0, fmt::format("row {} must be '{}' (the header order)", row + 1, out.industries[row]));
    }
    std::vector<double> values;
    for (std::size_t k = 1; k < header.size(); ++k) {
      const auto v = cells.number(r, static_cast<int>(k), true);
      if (v && (*v < -1.0 || *v > 1.0)) cells.error(r, static_cast<int>(k), "a correlation must lie in [-1, 1]");
      values.push_back(v.value_or(0.0));
    }
    out.matrix.push_back(std::move(values));
    ++row;
  }
  if (row < out.industries.size()) {
    diags.error({path, 0, 0, "", fmt::format("expected {} rows, found {}", out.industries.size(), row)});
  }
  diags.throw_if_errors("invalid industry correlation matrix " + path);
  if (warnings) {
    for (const auto& w : diags.warnings()) warnings->push_back(w.to_string());
  }
  return out;
}

}  // namespace keel::io
