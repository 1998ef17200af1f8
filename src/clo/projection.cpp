// One deterministic projection of a CLO: collateral cash flows, the interest and principal
// waterfalls, coverage tests and tranche summaries (keel/clo/projection.h, docs/clo.md).
#include "keel/clo/projection.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <string>

#include "keel/clo/metrics.h"
#include "keel/core/error.h"

namespace keel::clo {

double PeriodResult::unallocated() const {
  double uses = taxes_admin_paid + senior_fee_paid + sub_fee_paid + incentive_fee_paid + reinvested +
                cash_retained;
  for (const TranchePeriod& tp : tranches) uses += tp.interest_paid + tp.principal_paid;
  return interest_collections + principal_collections + cash_brought_forward - uses;
}

// The state of one projection; lives for one call of CloModel::project.
struct ProjectionRun {
  const CloModel& m;
  const Deal& deal;
  const Scenario& sc;
  const ProjectionOptions& opt;
  std::span<const int> default_period;
  const RatingPath* ratings = nullptr;

  std::size_t n_orig = 0, n_all = 0, n_tr = 0;
  int n_periods = 0;
  std::vector<double> bal;            // performing balance per loan (incl. reinvestment slots)
  std::vector<double> pending_cash;   // recoveries due per period
  std::vector<double> pending_value;  // OC value of those defaults per period
  std::vector<double> pending_par;    // defaulted par recovering per period
  double pending_value_total = 0.0;
  double pending_par_total = 0.0;
  // Tranches.
  std::vector<double> tb;             // balance (incl. PIK)
  std::vector<double> shortfall;      // unpaid interest of non-deferrable notes
  std::vector<double> deferred_out;   // capitalised interest not yet repaid (part of tb)
  std::vector<double> deferred_total;  // capitalised over the life
  std::vector<double> discount;        // prod 1 / (1 + unit) up to this period (note's own rate)
  std::vector<double> pv;              // cash flows discounted with `discount`
  std::vector<double> due;            // current interest due this period
  std::vector<double> unit;           // interest per unit of balance this period
  std::vector<double> owed;           // still owed this period (for the shortfall step)
  std::vector<std::vector<double>> cf, principal_cf;  // per tranche per period
  std::vector<int> first_impaired;
  double senior_unpaid = 0.0, sub_unpaid = 0.0;
  double carry_interest = 0.0, carry_principal = 0.0;
  double equity_npv = 0.0;  // NPV at the hurdle of equity flows so far (investment negative)
  // Per-period working values.
  int t = 0;
  double dcf = 0.0;
  double begin_par = 0.0, perf_par = 0.0, haircut = 0.0;
  double ia = 0.0, pa = 0.0;          // interest and principal accounts
  double interest_available_start = 0.0;
  double admin_payable = 0.0;         // within the cap, still payable this period
  PeriodResult pr;

  ProjectionRun(const CloModel& model, const Scenario& s, const ProjectionOptions& o, std::span<const int> dp,
                const RatingPath* r)
      : m(model), deal(model.deal_), sc(s), opt(o), default_period(dp), ratings(r) {}

  // Caa1-and-below share of slot i at the current period's determination date.
  double caa_weight(std::size_t i) const {
    if (ratings != nullptr && i < n_orig) return ratings->caa[static_cast<std::size_t>(t) * n_orig + i];
    return m.caa_[i] ? 1.0 : 0.0;
  }

  double factor_of(std::size_t i) const {
    if (ratings != nullptr && i < n_orig && !ratings->factor.empty()) {
      return ratings->factor[static_cast<std::size_t>(t) * n_orig + i];
    }
    return m.factor_[i];
  }

  double note_rate(std::size_t j) const {
    const Tranche& tr = deal.tranches[j];
    return tr.fixed ? tr.coupon : std::max(0.0, m.ref_[static_cast<std::size_t>(t)] + tr.spread);
  }

  double acpa() const { return perf_par - haircut + pa + pending_value_total; }

  double senior_balance(int j) const {
    double s = 0.0;
    for (int k = 0; k <= j; ++k) {
      if (!deal.tranches[static_cast<std::size_t>(k)].is_equity) s += tb[static_cast<std::size_t>(k)];
    }
    return s;
  }

  // Pays notes most senior first with up to `cash`; returns what was used.
  double pay_sequential(double cash) {
    double used = 0.0;
    for (std::size_t k = 0; k < n_tr && cash - used > 0.0; ++k) {
      if (deal.tranches[k].is_equity) continue;
      const double p = std::min(tb[k], cash - used);
      if (p <= 0.0) continue;
      tb[k] -= p;
      // Cash paid to the balance repays capitalised interest first, then original principal.
      deferred_out[k] = std::max(0.0, deferred_out[k] - p);
      used += p;
      pr.tranches[k].principal_paid += p;
      principal_cf[k][static_cast<std::size_t>(t)] += p;
      cf[k][static_cast<std::size_t>(t)] += p;
    }
    return used;
  }

  // Principal of the senior notes (through j) to repay so that the pro forma IC ratio reaches th.
  double ic_cure(int j, double numerator, double th) const {
    double excess = -numerator / th;
    for (int k = 0; k <= j; ++k) excess += tb[static_cast<std::size_t>(k)] * unit[static_cast<std::size_t>(k)];
    if (excess <= 0.0) return 0.0;
    double x = 0.0;
    for (int k = 0; k <= j; ++k) {
      const std::size_t kk = static_cast<std::size_t>(k);
      const double part = tb[kk] * unit[kk];
      if (unit[kk] > 0.0 && part >= excess) return x + excess / unit[kk];
      x += tb[kk];
      excess -= part;
    }
    return x;
  }

  double ic_numerator() const { return interest_available_start - pr.taxes_admin_paid - pr.senior_fee_paid; }

  static bool passes(double value, double threshold) { return value >= threshold * (1.0 - 1e-12); }

  void record_test(std::string name, double value, double threshold) {
    if (opt.record_periods) pr.tests.push_back({std::move(name), value, threshold, passes(value, threshold), false, {}});
  }

  void capitalise(std::size_t j) {
    tb[j] += owed[j];
    deferred_out[j] += owed[j];
    deferred_total[j] += owed[j];
    pr.tranches[j].interest_deferred += owed[j];
    owed[j] = 0.0;
  }

  void pay_equity(double amount, bool from_interest) {
    const std::size_t e = static_cast<std::size_t>(m.equity_);
    if (from_interest) {
      pr.tranches[e].interest_paid += amount;
    } else {
      pr.tranches[e].principal_paid += amount;
    }
    cf[e][static_cast<std::size_t>(t)] += amount;
    equity_npv += amount * std::pow(1.0 + deal.fees.incentive.hurdle_irr, -m.times_[static_cast<std::size_t>(t)]);
  }

  void run_action(const WaterfallAction& a, double& avail, bool interest) {
    const Fees& fees = deal.fees;
    switch (a.type) {
      case ActionType::kTaxesAdmin: {
        const double p = std::min(avail, admin_payable);
        admin_payable -= p;
        avail -= p;
        pr.taxes_admin_paid += p;
        break;
      }
      case ActionType::kSeniorFee: {
        const double p = std::min(avail, senior_unpaid);
        senior_unpaid -= p;
        avail -= p;
        pr.senior_fee_paid += p;
        break;
      }
      case ActionType::kSubFee: {
        const double p = std::min(avail, sub_unpaid);
        sub_unpaid -= p;
        avail -= p;
        pr.sub_fee_paid += p;
        break;
      }
      case ActionType::kInterest: {
        const std::size_t j = static_cast<std::size_t>(a.tranche);
        const double p = std::min(avail, owed[j]);
        avail -= p;
        owed[j] -= p;
        pr.tranches[j].interest_paid += p;
        cf[j][static_cast<std::size_t>(t)] += p;
        if (deal.tranches[j].deferrable && owed[j] > 0.0) {
          // Deferred interest is capitalised (PIK) and bears interest from then on.
          capitalise(j);
        }
        break;
      }
      case ActionType::kCoverageTests:
      case ActionType::kCoverageCure: {
        const int j = a.tranche;
        const Tranche& tr = deal.tranches[static_cast<std::size_t>(j)];
        const double den = senior_balance(j);
        if (den <= 0.0) break;
        double cure = 0.0;
        const bool is_test = a.type == ActionType::kCoverageTests;
        if (tr.oc_trigger) {
          const double th = *tr.oc_trigger;
          const double ratio = acpa() / den;
          if (is_test) record_test(tr.name + " OC", ratio, th);
          if (!passes(ratio, th)) {
            // Interest paid to the notes leaves the numerator unchanged; principal cash paid
            // leaves it too, so the cure solves (A - X) / (D - X) = th.
            cure = is_test ? den - acpa() / th : (th > 1.0 ? (th * den - acpa()) / (th - 1.0) : den);
          }
        }
        if (tr.ic_trigger) {
          const double th = *tr.ic_trigger;
          double due_sum = 0.0;
          for (int k = 0; k <= j; ++k) due_sum += due[static_cast<std::size_t>(k)];
          if (due_sum > 0.0) {
            const double ratio = ic_numerator() / due_sum;
            if (is_test) record_test(tr.name + " IC", ratio, th);
            if (!passes(ratio, th)) cure = std::max(cure, ic_cure(j, ic_numerator(), th));
          }
        }
        if (cure > 0.0) {
          const double used = pay_sequential(std::min(avail, std::min(cure, den)));
          avail -= used;
          if (interest) pr.interest_diverted += used;
        }
        break;
      }
      case ActionType::kInterestDiversion: {
        const Reinvestment& r = deal.reinvestment;
        if (!r.diversion_threshold || t > m.last_reinvest_period_) break;
        int c = -1;
        for (std::size_t k = 0; k < n_tr; ++k) {
          if (deal.tranches[k].name == r.diversion_class) c = static_cast<int>(k);
        }
        const double den = senior_balance(c);
        if (den <= 0.0) break;
        const double ratio = acpa() / den;
        record_test(r.diversion_class + " Interest Diversion", ratio, *r.diversion_threshold);
        if (!passes(ratio, *r.diversion_threshold)) {
          const double need = *r.diversion_threshold * den - acpa();
          const double amount = std::min(need, r.diversion_share * avail);
          if (amount > 0.0) {
            avail -= amount;
            pa += amount;  // bought in the principal waterfall's reinvest step
            pr.interest_diverted += amount;
          }
        }
        break;
      }
      case ActionType::kIncentiveFee: {
        const IncentiveFee& inc = fees.incentive;
        if (inc.share <= 0.0 || avail <= 0.0) break;
        const double growth = std::pow(1.0 + inc.hurdle_irr, m.times_[static_cast<std::size_t>(t)]);
        const double needed = std::max(0.0, -equity_npv * growth);
        if (avail > needed) {
          const double fee = inc.share * (avail - needed);
          avail -= fee;
          pr.incentive_fee_paid += fee;
        }
        break;
      }
      case ActionType::kShortfalls: {
        double p = std::min(avail, admin_payable);
        admin_payable -= p;
        avail -= p;
        pr.taxes_admin_paid += p;
        p = std::min(avail, senior_unpaid);
        senior_unpaid -= p;
        avail -= p;
        pr.senior_fee_paid += p;
        for (std::size_t j = 0; j < n_tr; ++j) {
          if (deal.tranches[j].is_equity || deal.tranches[j].deferrable) continue;
          p = std::min(avail, owed[j]);
          owed[j] -= p;
          avail -= p;
          pr.tranches[j].interest_paid += p;
          cf[j][static_cast<std::size_t>(t)] += p;
        }
        break;
      }
      case ActionType::kReinvest: {
        if (t > m.last_reinvest_period_ || avail <= 0.0) break;
        const std::size_t slot = n_orig + static_cast<std::size_t>(t);
        bal[slot] += avail / m.price_[slot];
        pr.reinvested += avail;
        avail = 0.0;
        break;
      }
      case ActionType::kSequentialPaydown: {
        avail -= pay_sequential(avail);
        break;
      }
      case ActionType::kResidual: {
        if (avail > 0.0) pay_equity(avail, interest);
        avail = 0.0;
        break;
      }
    }
  }

  void collateral_period(double d_rate, double s_rate, int lag_periods) {
    const double recovery = sc.recovery_at(t);
    const std::size_t tt = static_cast<std::size_t>(t);
    const bool last = t == n_periods - 1;
    const double ref = m.ref_[tt];
    const bool by_loan = !default_period.empty();
    const std::size_t due_at = static_cast<std::size_t>(std::min(n_periods - 1, t + lag_periods));
    double interest = 0.0, defaults = 0.0, sched = 0.0, prepay = 0.0, sale = 0.0, end_par = 0.0;
    double orig_start = 0.0, orig_defaults = 0.0;
    double rec_cash = 0.0, rec_value = 0.0, rec_par = 0.0;
    for (std::size_t i = 0; i < n_all; ++i) {
      const double b = bal[i];
      if (b <= 0.0) continue;
      double d;
      if (i < n_orig) {
        d = by_loan ? (default_period[i] == t ? 1.0 : 0.0) : d_rate;
        orig_start += b;
      } else {
        d = by_loan ? (orig_start > 0.0 ? orig_defaults / orig_start : 0.0) : d_rate;
      }
      const double dflt = b * d;
      const double perf = b - dflt;
      const double rate = m.fixed_[i] ? m.coupon_[i] : std::max(ref, m.floor_[i]) + m.spread_[i];
      interest += perf * rate * (m.fixed_[i] ? m.frac_30_360_[tt] : dcf);
      const double sp = m.maturity_period_[i] == t ? perf : 0.0;
      const double pp = (perf - sp) * s_rate;
      double nb = perf - sp - pp;
      if (last && nb > 0.0) {
        sale += nb * m.price_[i];
        nb = 0.0;
      }
      bal[i] = nb;
      end_par += nb;
      defaults += dflt;
      if (i < n_orig) orig_defaults += dflt;
      sched += sp;
      prepay += pp;
      rec_cash += dflt * recovery;
      rec_par += dflt;
      rec_value += dflt * std::min(recovery, m.price_[i]);
    }
    pending_cash[due_at] += rec_cash;
    pending_value[due_at] += rec_value;
    pending_value_total += rec_value;
    pending_par[due_at] += rec_par;
    pending_par_total += rec_par;
    const double recoveries = pending_cash[tt];
    pending_value_total -= pending_value[tt];
    pending_par_total -= pending_par[tt];
    if (pending_value_total < 1e-9) pending_value_total = 0.0;
    if (pending_par_total < 1e-9) pending_par_total = 0.0;
    pr.defaults = defaults;
    pr.interest_collections = interest;
    pr.scheduled_principal = sched;
    pr.prepayments = prepay;
    pr.recoveries = recoveries;
    pr.sale_proceeds = sale;
    pr.principal_collections = sched + prepay + recoveries + sale;
    perf_par = end_par;
  }

  // The CCC excess haircut when ratings migrate: each loan's Caa part (bal x its Caa share) in
  // ascending order of price, as ccc_haircut_now below.
  double ccc_haircut_migrated() const {
    double caa = 0.0;
    for (std::size_t i = 0; i < n_all; ++i) caa += bal[i] * caa_weight(i);
    double excess = caa - deal.limits.ccc_excess_threshold * perf_par;
    if (excess <= 0.0) return 0.0;
    double h = 0.0;
    for (int k : m.by_price_) {
      if (excess <= 0.0) break;
      const std::size_t ii = static_cast<std::size_t>(k);
      const double part = bal[ii] * caa_weight(ii);
      if (part <= 0.0) continue;
      const double take = std::min(excess, part);
      h += take * std::max(0.0, 1.0 - m.price_[ii]);
      excess -= take;
    }
    return h;
  }

  void record_quality() {
    double rf = 0.0, caa = 0.0, par = 0.0;
    for (std::size_t i = 0; i < n_all; ++i) {
      if (bal[i] <= 0.0) continue;
      par += bal[i];
      rf += bal[i] * factor_of(i);
      caa += bal[i] * caa_weight(i);
    }
    pr.warf = par > 0.0 ? rf / par : 0.0;
    pr.ccc_share = par > 0.0 ? caa / par : 0.0;
  }

  double ccc_haircut_now() const {
    if (ratings != nullptr) return ccc_haircut_migrated();
    double caa = 0.0;
    for (int i : m.caa_by_price_) caa += bal[static_cast<std::size_t>(i)];
    double excess = caa - deal.limits.ccc_excess_threshold * perf_par;
    if (excess <= 0.0) return 0.0;
    double h = 0.0;
    for (int i : m.caa_by_price_) {
      if (excess <= 0.0) break;
      const std::size_t ii = static_cast<std::size_t>(i);
      const double take = std::min(excess, bal[ii]);
      h += take * std::max(0.0, 1.0 - m.price_[ii]);
      excess -= take;
    }
    return h;
  }

  ProjectionResult run() {
    n_orig = deal.collateral.size();
    n_all = m.par_.size();
    n_tr = deal.tranches.size();
    n_periods = m.periods();
    if (!sc.valid()) {
      throw Error::invalid_input("CLO scenario out of range: cdr and cpr must be in [0, 1), recovery in [0, 1], lag >= 0");
    }
    if (!default_period.empty() && default_period.size() != n_orig) {
      throw Error::invalid_input("default_period needs one entry per collateral loan");
    }
    const std::size_t path_size = static_cast<std::size_t>(n_periods) * n_orig;
    if (ratings != nullptr &&
        (ratings->caa.size() != path_size || (!ratings->factor.empty() && ratings->factor.size() != path_size))) {
      throw Error::invalid_input("the rating path needs one entry per payment date and collateral loan");
    }
    bal = m.par_;
    carry_principal = deal.principal_cash;  // a sale's proceeds waiting in the principal account
    pending_cash.assign(static_cast<std::size_t>(n_periods), 0.0);
    pending_value.assign(static_cast<std::size_t>(n_periods), 0.0);
    pending_par.assign(static_cast<std::size_t>(n_periods), 0.0);
    const int lag_periods = (sc.recovery_lag_months + m.months_per_period_ - 1) / m.months_per_period_;
    // Loans in default at closing are Defaulted Obligations from the start (trustee-report and
    // indenture practice): outside the performing par, so no interest and no fee basis, and not a
    // default of any period; in the OC numerator at the lesser of the recovery rate and their
    // price; recovered `lag_periods` payment dates after closing, as if defaulting at the start
    // of the first period.
    double defaulted_at_closing = 0.0;
    for (std::size_t i = 0; i < n_orig; ++i) {
      if (!m.defaulted_[i]) continue;
      const std::size_t due_at = static_cast<std::size_t>(std::min(n_periods - 1, lag_periods));
      pending_cash[due_at] += bal[i] * sc.recovery_at(0);
      pending_value[due_at] += bal[i] * std::min(sc.recovery_at(0), m.price_[i]);
      pending_par[due_at] += bal[i];
      pending_value_total += bal[i] * std::min(sc.recovery_at(0), m.price_[i]);
      pending_par_total += bal[i];
      defaulted_at_closing += bal[i];
      bal[i] = 0.0;
    }
    tb.resize(n_tr);
    for (std::size_t j = 0; j < n_tr; ++j) tb[j] = deal.tranches[j].balance;
    shortfall.assign(n_tr, 0.0);
    deferred_out.assign(n_tr, 0.0);
    deferred_total.assign(n_tr, 0.0);
    discount.assign(n_tr, 1.0);
    pv.assign(n_tr, 0.0);
    due.assign(n_tr, 0.0);
    unit.assign(n_tr, 0.0);
    owed.assign(n_tr, 0.0);
    cf.assign(n_tr, std::vector<double>(static_cast<std::size_t>(n_periods), 0.0));
    principal_cf = cf;
    first_impaired.assign(n_tr, -1);
    const Tranche& eq = deal.tranches[static_cast<std::size_t>(m.equity_)];
    equity_npv = -eq.balance * eq.price;

    double par_carry = 0.0;
    for (std::size_t i = 0; i < n_all; ++i) par_carry += bal[i];
    ProjectionResult out;
    double total_defaults = 0.0, total_recoveries = 0.0;
    int periods_run = 0;
    for (t = 0; t < n_periods; ++t) {
      const std::size_t tt = static_cast<std::size_t>(t);
      pr = PeriodResult{};
      pr.tranches.assign(n_tr, TranchePeriod{});
      pr.date = m.dates_[tt];
      pr.accrual_days = m.days_[tt];
      pr.reference_rate = m.ref_[tt];
      dcf = m.day_frac_[tt];
      begin_par = par_carry;  // performing par at the end of the previous period
      pr.beginning_par = begin_par;
      collateral_period(period_rate_from_annual(sc.cdr_at(t), m.months_[tt]),
                        period_rate_from_annual(sc.cpr_at(t), m.months_[tt]), lag_periods);
      total_defaults += pr.defaults;
      total_recoveries += pr.recoveries;
      haircut = ccc_haircut_now();
      pr.ccc_haircut = haircut;
      if (opt.record_periods) record_quality();
      pr.cash_brought_forward = carry_interest + carry_principal;
      ia = pr.interest_collections + carry_interest;
      pa = pr.principal_collections + carry_principal;
      interest_available_start = ia;
      // Amounts due this period.
      const AdminFees& ad = deal.fees.taxes_admin;
      const double admin_due = (ad.fixed_per_year + ad.bps * 1e-4 * begin_par) * dcf;
      admin_payable = ad.cap_per_year > 0.0 ? std::min(admin_due, ad.cap_per_year * dcf) : admin_due;
      senior_unpaid += deal.fees.senior_bps * 1e-4 * begin_par * dcf;
      sub_unpaid += deal.fees.sub_bps * 1e-4 * begin_par * dcf;
      for (std::size_t j = 0; j < n_tr; ++j) {
        if (deal.tranches[j].is_equity) continue;
        unit[j] = note_rate(j) * (deal.tranches[j].fixed ? m.frac_30_360_[tt] : dcf);
        due[j] = tb[j] * unit[j];
        discount[j] /= 1.0 + unit[j];
        owed[j] = due[j] + shortfall[j];
        pr.tranches[j].interest_due = due[j];
      }
      pr.adjusted_collateral_par = acpa();
      pr.defaulted_par = pending_par_total;
      pr.defaulted_oc_value = pending_value_total;
      const double bought_before = n_orig + tt < n_all ? bal[n_orig + tt] : 0.0;
      for (const WaterfallAction& a : m.interest_wf_) run_action(a, ia, true);
      for (const WaterfallAction& a : m.principal_wf_) run_action(a, pa, false);
      for (std::size_t j = 0; j < n_tr; ++j) {
        if (deal.tranches[j].is_equity) continue;
        if (deal.tranches[j].deferrable && owed[j] > 0.0) {
          // Interest steps missing from a custom waterfall still capitalise for PIK classes.
          capitalise(j);
        }
        shortfall[j] = owed[j];
        pr.tranches[j].interest_shortfall = owed[j];
      }
      carry_interest = ia;
      carry_principal = pa;
      pr.cash_retained = ia + pa;
      // Purchases made this period join the performing pool.
      perf_par += pr.reinvested > 0.0 ? bal[n_orig + tt] - bought_before : 0.0;
      par_carry = perf_par;
      pr.ending_par = perf_par;
      double pending_future = 0.0;
      for (std::size_t k = tt + 1; k < pending_cash.size(); ++k) pending_future += pending_cash[k];
      const double cover = perf_par + pending_future + carry_interest + carry_principal;
      double senior = 0.0;
      for (std::size_t j = 0; j < n_tr; ++j) {
        pv[j] += cf[j][tt] * discount[j];
        pr.tranches[j].deferred_balance = deferred_out[j];
        pr.tranches[j].balance = deal.tranches[j].is_equity ? deal.tranches[j].balance : tb[j];
        if (deal.tranches[j].is_equity) continue;
        senior += tb[j];
        if (first_impaired[j] < 0 && senior > cover + 0.005) first_impaired[j] = t;
      }
      ++periods_run;
      if (opt.record_periods) out.periods.push_back(std::move(pr));
      if (perf_par <= 0.0 && pending_future <= 0.0 && carry_interest + carry_principal <= 0.0) break;
    }
    out.defaulted_at_closing = defaulted_at_closing;
    out.total_defaults = total_defaults;
    out.total_recoveries = total_recoveries;
    summarise(out, periods_run);
    return out;
  }

  void summarise(ProjectionResult& out, int periods_run) const {
    const std::span<const double> times(m.times_.data(), static_cast<std::size_t>(periods_run));
    for (std::size_t j = 0; j < n_tr; ++j) {
      const Tranche& tr = deal.tranches[j];
      TrancheSummary s;
      s.name = tr.name;
      s.original_balance = tr.balance;
      const std::span<const double> flows(cf[j].data(), static_cast<std::size_t>(periods_run));
      const std::span<const double> principal(principal_cf[j].data(), static_cast<std::size_t>(periods_run));
      double total = 0.0, princ = 0.0;
      for (int k = 0; k < periods_run; ++k) {
        total += flows[static_cast<std::size_t>(k)];
        princ += principal[static_cast<std::size_t>(k)];
      }
      s.principal_received = princ;
      s.interest_received = total - princ;
      if (tr.is_equity) {
        s.loss = 0.0;
        s.principal_received = 0.0;
        s.interest_received = total;
        s.wal_years = std::numeric_limits<double>::quiet_NaN();
        s.pv_loss_fraction = std::numeric_limits<double>::quiet_NaN();
      } else {
        // Balances below half a cent are rounding, not losses.
        const double principal_left = std::clamp(tb[j] - deferred_out[j], 0.0, tr.balance);
        const double interest_left = deferred_out[j] + shortfall[j];
        s.loss = principal_left > 0.005 ? principal_left : 0.0;
        s.loss_fraction = s.loss / tr.balance;
        s.unpaid_interest = interest_left > 0.005 ? interest_left : 0.0;
        s.unpaid_interest_fraction = s.unpaid_interest / tr.balance;
        s.deferred_interest = deferred_total[j];
        const double pv_loss = 1.0 - pv[j] / tr.balance;
        s.pv_loss_fraction = std::abs(pv_loss) < 1e-12 ? 0.0 : pv_loss;
        s.first_loss_period = s.loss + s.unpaid_interest > 0.0 ? first_impaired[j] : -1;
      }
      const bool want_irr = opt.compute_irr && (!opt.equity_irr_only || tr.is_equity);
      s.irr = want_irr ? irr(flows, times, tr.balance * tr.price) : std::numeric_limits<double>::quiet_NaN();
      if (!tr.is_equity) {
        s.wal_years = opt.compute_irr ? weighted_average_life(principal, times) : std::numeric_limits<double>::quiet_NaN();
      }
      out.tranches.push_back(std::move(s));
    }
  }
};

bool Scenario::valid() const {
  const auto rate = [](double x) { return x >= 0 && x < 1; };
  const auto share = [](double x) { return x >= 0 && x <= 1; };
  return rate(cdr) && rate(cpr) && share(recovery) && recovery_lag_months >= 0 &&
         std::all_of(cdr_path.begin(), cdr_path.end(), rate) && std::all_of(cpr_path.begin(), cpr_path.end(), rate) &&
         std::all_of(recovery_path.begin(), recovery_path.end(), share);
}

ProjectionResult CloModel::project(const Scenario& scenario, const ProjectionOptions& options,
                                   std::span<const int> default_period, const RatingPath* ratings) const {
  ProjectionRun run(*this, scenario, options, default_period, ratings);
  return run.run();
}

}  // namespace keel::clo
