// Projection properties on a realistic deal: conservation to the cent in every period under
// several scenarios, reinvestment during the reinvestment period only, par bookkeeping, and
// monotone losses in the default rate.
#include <gtest/gtest.h>

#include <cmath>

#include "keel/clo/projection.h"
#include "keel/core/error.h"
#include "test_deal.h"

namespace keel::clo {
namespace {

TEST(CloProjection, ConservationEveryPeriodToTheCent) {
  const CloModel model(testing::realistic_deal());
  for (const Scenario& s : {Scenario{0.0, 0.0, 0.7, 6}, Scenario{0.02, 0.15, 0.7, 6}, Scenario{0.10, 0.05, 0.4, 12},
                            Scenario{0.30, 0.0, 0.2, 0}}) {
    const ProjectionResult r = model.project(s);
    ASSERT_FALSE(r.periods.empty());
    for (const PeriodResult& p : r.periods) {
      EXPECT_NEAR(p.unallocated(), 0.0, 0.005) << "cdr " << s.cdr << " " << p.date.to_string();
    }
  }
}

TEST(CloProjection, ParRollForwardAndReinvestmentWindow) {
  const CloModel model(testing::realistic_deal());
  const Scenario s{0.03, 0.20, 0.6, 6};
  const ProjectionResult r = model.project(s);
  const Date rp_end = model.deal().dates.reinvestment_end;
  for (const PeriodResult& p : r.periods) {
    // Performing par: start - defaults - scheduled - prepaid - sold + bought.
    const double bought = p.reinvested / model.deal().reinvestment.price;
    if (p.sale_proceeds == 0.0) {
      EXPECT_NEAR(p.ending_par, p.beginning_par - p.defaults - p.scheduled_principal - p.prepayments + bought, 0.01);
    }
    if (p.date > rp_end) {
      EXPECT_EQ(p.reinvested, 0.0) << p.date.to_string();
    } else {
      // In the reinvestment period all principal (and any diverted interest) is reinvested:
      // the notes are not paid down except by coverage cures.
      EXPECT_GT(p.reinvested, 0.0) << p.date.to_string();
    }
  }
}

TEST(CloProjection, LossesRiseWithDefaults) {
  const CloModel model(testing::realistic_deal());
  double prev_sub = 1e300;
  std::vector<double> prev(4, -1.0);
  for (double cdr : {0.0, 0.05, 0.10, 0.20, 0.40}) {
    const ProjectionResult r = model.project(Scenario{cdr, 0.10, 0.5, 6});
    for (int j = 0; j < 4; ++j) {
      EXPECT_GE(r.tranches[static_cast<std::size_t>(j)].loss, prev[static_cast<std::size_t>(j)] - 0.01) << cdr;
      prev[static_cast<std::size_t>(j)] = r.tranches[static_cast<std::size_t>(j)].loss;
    }
    EXPECT_LE(r.tranches[4].irr, prev_sub + 1e-12);
    prev_sub = r.tranches[4].irr;
  }
  // No defaults: every note is repaid in full and earns about its coupon.
  const ProjectionResult base = model.project(Scenario{0.0, 0.10, 0.5, 6});
  EXPECT_EQ(base.tranches[0].loss, 0.0);
  EXPECT_GT(base.tranches[0].irr, 0.045);
  EXPECT_LT(base.tranches[0].irr, 0.075);
}

TEST(CloProjection, PrincipalLossNeverExceedsTheOriginalBalance) {
  // Heavy defaults: the deferrable C and D capitalise interest for years. Their balance left at the
  // end splits into principal not repaid (at most the original balance) and capitalised interest
  // not repaid; cash paid to a class repays its capitalised interest first.
  const CloModel model(testing::realistic_deal());
  for (const Scenario& s :
       {Scenario{0.15, 0.05, 0.3, 6}, Scenario{0.30, 0.0, 0.2, 0}, Scenario{0.60, 0.0, 0.0, 0}}) {
    const ProjectionResult r = model.project(s);
    const PeriodResult& last = r.periods.back();
    bool deferred = false;
    for (std::size_t j = 0; j + 1 < r.tranches.size(); ++j) {
      const TrancheSummary& t = r.tranches[j];
      const Tranche& tr = model.deal().tranches[j];
      EXPECT_GE(t.loss_fraction, 0.0);
      EXPECT_LE(t.loss_fraction, 1.0) << tr.name << " at CDR " << s.cdr;
      EXPECT_LE(t.pv_loss_fraction, 1.0 + 1e-12) << tr.name;
      EXPECT_GE(t.pv_loss_fraction, -1e-12) << tr.name;
      // balance = principal left + capitalised interest left; unpaid = capitalised + shortfall.
      EXPECT_NEAR(last.tranches[j].balance, t.loss + last.tranches[j].deferred_balance, 0.01) << tr.name;
      EXPECT_NEAR(t.unpaid_interest, last.tranches[j].deferred_balance + last.tranches[j].interest_shortfall,
                  0.01)
          << tr.name;
      // Capitalised interest repaid = capitalised over the life - capitalised left.
      double capitalised = 0.0;
      for (const PeriodResult& p : r.periods) capitalised += p.tranches[j].interest_deferred;
      EXPECT_NEAR(t.deferred_interest, capitalised, 0.01) << tr.name;
      if (tr.deferrable && t.deferred_interest > 0.0) deferred = true;
    }
    EXPECT_TRUE(deferred) << "no PIK at CDR " << s.cdr;
    // At 60% CDR with nothing recovered the junior notes lose all their principal, and no more.
    if (s.cdr == 0.60) {
      EXPECT_NEAR(r.tranches[3].loss_fraction, 1.0, 1e-9);
      EXPECT_GT(r.tranches[3].unpaid_interest, 0.0);
    }
  }
}

TEST(CloProjection, RejectsOutOfRangeScenario) {
  const CloModel model(testing::realistic_deal());
  EXPECT_THROW(model.project(Scenario{1.5, 0.1, 0.5, 6}), Error);
  EXPECT_THROW(model.project(Scenario{0.02, 0.1, 1.5, 6}), Error);
  const std::vector<int> wrong(3, kNeverDefaults);
  EXPECT_THROW(model.project(Scenario{}, {}, wrong), Error);
}

TEST(CloProjection, ValidationNamesFields) {
  Deal d = testing::realistic_deal();
  d.tranches[2].balance = 0;
  d.collateral[7].par = -5;
  d.dates.payment_dates = {Date::from_ymd(2024, 4, 20), Date::from_ymd(2024, 3, 20)};
  try {
    const CloModel model(d);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    std::string all;
    for (const auto& s : e.details()) all += s + "\n";
    EXPECT_NE(all.find("tranches[2].balance"), std::string::npos) << all;
    EXPECT_NE(all.find("collateral[7].par"), std::string::npos) << all;
    EXPECT_NE(all.find("dates.payment_dates[1]"), std::string::npos) << all;
    EXPECT_NE(all.find("target_par"), std::string::npos) << all;
  }
}

}  // namespace
}  // namespace keel::clo
