// Deal schedule, the standard US BSL waterfalls and semantic validation (keel/clo/deal.h).
#include "keel/clo/deal.h"

#include <fmt/format.h>

#include <cmath>
#include <cstddef>
#include <cstdio>
#include <set>
#include <string>

#include "keel/core/strings.h"

namespace keel::clo {

std::vector<Date> payment_schedule(const Deal& deal) {
  if (!deal.dates.payment_dates.empty()) return deal.dates.payment_dates;
  std::vector<Date> out;
  const int step = deal.dates.payment_frequency_months;
  if (step <= 0) return out;
  const Date first = deal.dates.first_payment;
  for (int k = 0; k < 2400; ++k) {
    const Date d = first.add_months(k * step);
    if (d > deal.dates.legal_maturity) break;
    out.push_back(d);
  }
  if (!out.empty() && out.back() < deal.dates.legal_maturity) out.push_back(deal.dates.legal_maturity);
  return out;
}

std::vector<WaterfallAction> standard_interest_waterfall(const Deal& deal) {
  std::vector<WaterfallAction> w;
  w.push_back({ActionType::kTaxesAdmin, -1});
  w.push_back({ActionType::kSeniorFee, -1});
  for (std::size_t i = 0; i < deal.tranches.size(); ++i) {
    const Tranche& t = deal.tranches[i];
    if (t.is_equity) continue;
    w.push_back({ActionType::kInterest, static_cast<int>(i)});
    if (t.oc_trigger || t.ic_trigger) w.push_back({ActionType::kCoverageTests, static_cast<int>(i)});
  }
  if (deal.reinvestment.diversion_threshold) w.push_back({ActionType::kInterestDiversion, -1});
  w.push_back({ActionType::kSubFee, -1});
  w.push_back({ActionType::kIncentiveFee, -1});
  w.push_back({ActionType::kResidual, -1});
  return w;
}

std::vector<WaterfallAction> standard_principal_waterfall(const Deal& deal) {
  std::vector<WaterfallAction> w;
  w.push_back({ActionType::kShortfalls, -1});
  for (std::size_t i = 0; i < deal.tranches.size(); ++i) {
    const Tranche& t = deal.tranches[i];
    if (!t.is_equity && (t.oc_trigger || t.ic_trigger)) {
      w.push_back({ActionType::kCoverageCure, static_cast<int>(i)});
    }
  }
  w.push_back({ActionType::kReinvest, -1});
  w.push_back({ActionType::kSequentialPaydown, -1});
  w.push_back({ActionType::kSubFee, -1});
  w.push_back({ActionType::kIncentiveFee, -1});
  w.push_back({ActionType::kResidual, -1});
  return w;
}

namespace {

std::string idx(const char* array, std::size_t i, const char* field) {
  std::string s = fmt::format("{}[{}]", array, i);
  if (field[0] != '\0') s += std::string(".") + field;
  return s;
}

std::string money(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

}  // namespace

std::optional<MoodysRating> derived_rating(std::optional<MoodysRating> moodys, std::optional<MoodysRating> sp,
                                           RatingRule rule) {
  constexpr int kLowest = static_cast<int>(MoodysRating::kC);
  if (!moodys && !sp) return std::nullopt;
  if (!moodys) {
    if (rule != RatingRule::kMoodys) return sp;
    return static_cast<MoodysRating>(std::min(kLowest, static_cast<int>(*sp) + 1));
  }
  if (!sp || rule == RatingRule::kMoodys) return moodys;
  const int a = static_cast<int>(*moodys), b = static_cast<int>(*sp);
  if (rule == RatingRule::kLower) return static_cast<MoodysRating>(std::max(a, b));
  // The mean rank; a half (one notch apart) goes to the lower rating, i.e. the higher index.
  return static_cast<MoodysRating>((a + b + 1) / 2);
}

void validate_deal(const Deal& deal, const std::string& file, Diagnostics& diags) {
  auto err = [&](std::string field, std::string message) {
    diags.error({file, 0, 0, std::move(field), std::move(message)});
  };
  const DealDates& d = deal.dates;
  const int f = d.payment_frequency_months;
  if (f != 1 && f != 3 && f != 6 && f != 12) {
    err("dates.payment_frequency_months", fmt::format("must be 1, 3, 6 or 12, got {}", f));
  }
  if (d.first_payment <= d.closing) {
    err("dates.first_payment", "must be after dates.closing (" + d.closing.to_string() + ")");
  }
  if (d.legal_maturity <= d.first_payment) {
    err("dates.legal_maturity", "must be after dates.first_payment (" + d.first_payment.to_string() + ")");
  }
  if (d.reinvestment_end < d.closing) {
    err("dates.reinvestment_end", "must not be before dates.closing");
  }
  for (std::size_t i = 0; i < d.payment_dates.size(); ++i) {
    const Date prev = i == 0 ? d.closing : d.payment_dates[i - 1];
    if (d.payment_dates[i] <= prev) {
      err(idx("dates.payment_dates", i, ""),
          d.payment_dates[i].to_string() + " is not after " + (i == 0 ? "dates.closing " : "the previous date ") +
              prev.to_string() + ": payment dates must be strictly increasing");
    }
  }
  if (deal.reference_rates.empty() || deal.reference_rates.size() != deal.reference_dates.size()) {
    err("reference_rate", "needs a flat rate or at least one curve point");
  }
  for (std::size_t i = 1; i < deal.reference_dates.size(); ++i) {
    if (deal.reference_dates[i] <= deal.reference_dates[i - 1]) {
      err(idx("reference_rate.curve", i, "date"), "curve dates must be strictly increasing");
    }
  }
  for (std::size_t i = 0; i < deal.reference_rates.size(); ++i) {
    if (!(std::fabs(deal.reference_rates[i]) < 1.0)) {
      err(idx("reference_rate.curve", i, "rate"), "must be a decimal rate between -1 and 1");
    }
  }

  if (deal.collateral.empty()) err("collateral", "the pool has no loans");
  for (std::size_t i = 0; i < deal.collateral.size(); ++i) {
    const Loan& l = deal.collateral[i];
    if (!(l.par > 0.0)) err(idx("collateral", i, "par"), "must be positive, got " + money(l.par));
    if (!(l.price > 0.0 && l.price <= 2.0)) {
      err(idx("collateral", i, "price"), "must be a price in percent of par between 0 and 200");
    }
    if (!(l.spread >= -0.05 && l.spread < 1.0)) err(idx("collateral", i, "spread"), "must be a decimal spread (0.035 = 350 bp)");
    if (!(l.floor >= 0.0 && l.floor < 1.0)) err(idx("collateral", i, "floor"), "must be a decimal rate >= 0");
    if (!(l.coupon >= 0.0 && l.coupon < 1.0)) err(idx("collateral", i, "coupon"), "must be a decimal rate >= 0");
    if (!l.defaulted && l.maturity <= d.closing) {
      err(idx("collateral", i, "maturity"), "must be after dates.closing for a performing loan");
    }
    if (l.obligor.empty()) err(idx("collateral", i, "obligor"), "must not be empty");
    if (!(l.unfunded >= 0.0)) err(idx("collateral", i, "unfunded"), "must be an amount >= 0, got " + money(l.unfunded));
  }
  if (!(deal.principal_cash >= 0.0)) err("principal_cash", "must be an amount >= 0, got " + money(deal.principal_cash));
  const QualityLimits& q = deal.limits;
  auto share = [&](const std::optional<double>& v, const char* field) {
    if (v && !(*v >= 0.0 && *v <= 1.0)) err(std::string("tests.") + field, "must be a fraction between 0 and 1");
  };
  for (std::size_t i = 0; i < q.obligor_limits.size(); ++i) {
    if (!(q.obligor_limits[i] >= 0.0 && q.obligor_limits[i] <= 1.0)) err(idx("tests.obligor_limits", i, ""), "must be a fraction between 0 and 1");
  }
  for (std::size_t i = 0; i < q.industry_limits.size(); ++i) {
    if (!(q.industry_limits[i] >= 0.0 && q.industry_limits[i] <= 1.0)) err(idx("tests.industry_limits", i, ""), "must be a fraction between 0 and 1");
  }
  if (q.top_obligors_count < 1 || q.top_obligors_count > 1000) err("tests.top_obligors.count", "must be between 1 and 1000");
  share(q.max_top_obligors_share, "top_obligors.max_share");
  share(q.max_second_lien_share, "buckets.second_lien");
  share(q.max_cov_lite_share, "buckets.cov_lite");
  share(q.max_fixed_rate_share, "buckets.fixed_rate");
  share(q.max_non_domestic_share, "buckets.non_domestic");
  share(q.max_revolver_share, "buckets.revolver");
  share(q.max_dip_share, "buckets.dip");

  int equity = 0;
  double total = 0.0;
  std::set<std::string> names;
  if (deal.tranches.size() < 2) err("tranches", "needs at least one note and the equity (subordinated notes)");
  for (std::size_t i = 0; i < deal.tranches.size(); ++i) {
    const Tranche& t = deal.tranches[i];
    total += t.balance;
    if (t.name.empty()) err(idx("tranches", i, "class"), "must not be empty");
    if (!names.insert(t.name).second) err(idx("tranches", i, "class"), "duplicate class '" + t.name + "'");
    if (!(t.balance > 0.0)) err(idx("tranches", i, "balance"), "must be positive, got " + money(t.balance));
    if (t.is_equity) {
      ++equity;
      if (i + 1 != deal.tranches.size()) err(idx("tranches", i, "type"), "the equity must be the last (most junior) tranche");
    }
    if (t.oc_trigger && !(*t.oc_trigger > 0.0 && *t.oc_trigger < 10.0)) {
      err(idx("tranches", i, "oc_trigger"), "must be a ratio such as 1.20 (not a percent)");
    }
    if (t.ic_trigger && !(*t.ic_trigger > 0.0 && *t.ic_trigger < 10.0)) {
      err(idx("tranches", i, "ic_trigger"), "must be a ratio such as 1.20 (not a percent)");
    }
    if (!(t.price > 0.0 && t.price <= 2.0)) err(idx("tranches", i, "price"), "must be in percent of par between 0 and 200");
    if (!t.is_equity && !(t.spread > -0.05 && t.spread < 1.0)) err(idx("tranches", i, "spread"), "must be a decimal spread");
  }
  if (!deal.tranches.empty() && equity != 1) {
    err("tranches", fmt::format("needs exactly one equity tranche (\"type\": \"equity\"), found {}", equity));
  }
  if (deal.target_par && std::fabs(total - *deal.target_par) > 0.005) {
    err("tranches", "tranche balances sum to " + money(total) + " but the capital structure (target_par) is " +
                        money(*deal.target_par));
  }

  const Fees& fe = deal.fees;
  if (fe.taxes_admin.fixed_per_year < 0) err("fees.taxes_admin.fixed_per_year", "must be >= 0");
  if (fe.taxes_admin.bps < 0) err("fees.taxes_admin.bps", "must be >= 0");
  if (fe.taxes_admin.cap_per_year < 0) err("fees.taxes_admin.cap_per_year", "must be >= 0");
  if (fe.senior_bps < 0) err("fees.senior_bps", "must be >= 0");
  if (fe.sub_bps < 0) err("fees.sub_bps", "must be >= 0");
  if (fe.incentive.share < 0 || fe.incentive.share > 1) err("fees.incentive.share", "must be between 0 and 1");
  if (fe.incentive.hurdle_irr <= -1) err("fees.incentive.hurdle_irr", "must be > -1");

  const Reinvestment& r = deal.reinvestment;
  if (!(r.price > 0.0 && r.price <= 2.0)) err("reinvestment.price", "must be in percent of par between 0 and 200");
  if (r.term_months <= 0) err("reinvestment.term_months", "must be positive");
  if (r.diversion_share < 0 || r.diversion_share > 1) err("reinvestment.diversion.share", "must be between 0 and 1");
  if (r.diversion_threshold) {
    bool found = false;
    for (const Tranche& t : deal.tranches) found = found || (!t.is_equity && t.name == r.diversion_class);
    if (!found) err("reinvestment.diversion.class", shown_with(r.diversion_class, 64, '\'') + " is not a note class of the deal");
  }
  if (deal.limits.ccc_excess_threshold < 0 || deal.limits.ccc_excess_threshold > 1) {
    err("tests.ccc_excess_threshold", "must be a fraction between 0 and 1");
  }
  auto check_wf = [&](const std::vector<WaterfallAction>& w, const char* name) {
    for (std::size_t i = 0; i < w.size(); ++i) {
      const bool needs = w[i].type == ActionType::kInterest || w[i].type == ActionType::kCoverageTests ||
                         w[i].type == ActionType::kCoverageCure;
      if (needs && (w[i].tranche < 0 || w[i].tranche >= static_cast<int>(deal.tranches.size()) ||
                    deal.tranches[static_cast<std::size_t>(w[i].tranche)].is_equity)) {
        err(idx(name, i, "class"), "must name a note class of the deal");
      }
    }
  };
  check_wf(deal.interest_waterfall, "waterfall.interest");
  check_wf(deal.principal_waterfall, "waterfall.principal");
}

}  // namespace keel::clo
