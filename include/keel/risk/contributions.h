// keel/risk/contributions.h: where a portfolio's VaR comes from, position by position.
//
// marginal_var_i  = d VaR / d e_i, the change of VaR per unit of delta exposure e_i (a fraction);
// component_var_i = e_i x marginal_var_i (Euler allocation; VaR is homogeneous of degree one in the
//                   exposures, so the components sum to the total: Tasche 1999, "Risk contributions
//                   and performance measurement"; Jorion, "Value at Risk", 3rd ed., ch. 7);
// incremental_var_i = VaR(book) - VaR(book without position i), same method.
//
// Parametric: marginal_a = z sqrt(h) (Sigma e)_a / sigma_p - h mu_a (closed form).
// Historical: the VaR is an interpolation of two order statistics of the P&L; a position's
//   component is minus its P&L interpolated between the same two scenarios, so the components sum
//   exactly to the historical VaR (for options the component is the revalued P&L; marginal =
//   component / exposure).
// Monte Carlo: the parametric allocation scaled by VaR_mc / VaR_parametric: exact for a linear book
//   under any elliptical distribution (normal, Student-t), where the Euler contributions are
//   proportional to e_i (Sigma e)_i; incremental VaR scaled the same way.
//
// Currency risk (docs/risk.md): a foreign position's component is split into a price part and a
// currency part that sum to it, following its P&L = V r + V (1 + r) f (price part: the local move
// converted at today's rate; currency part: the FX move on the value at the horizon).
//   Historical: each part interpolated between the same two scenarios as the component.
//   Parametric (translated view, var.h): the component is e m_T + x m_f (m the marginals of the
//   translated and FX columns, e and x the exposures); its price part is e m_r, with m_r the
//   marginal of the local return r of the driver (the covariance of r with the book's P&L from the
//   matrix with the local columns added), its currency part the rest: e (m_T - m_r) + x m_f, the
//   covariance of f (1 + r) with the P&L for a stock.
//   Monte Carlo: the parametric parts scaled as the components.
// A position in the reporting currency has no currency part; cash in a foreign currency has
// no price part.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <vector>

#include "keel/risk/var.h"

namespace keel::risk {

struct PositionContribution {
  std::string id;             // position symbol
  std::string asset;          // driver symbol ("" for cash)
  double value = 0.0;         // market value, portfolio currency
  double exposure = 0.0;      // delta exposure, portfolio currency
  double marginal_var = 0.0;  // per unit of exposure (fraction)
  double component_var = 0.0; // portfolio currency; sums to total_var
  double component_var_price = 0.0;     // the price part of component_var
  double component_var_currency = 0.0;  // the currency part: price + currency = component
  double incremental_var = 0.0;  // portfolio currency
};

struct VarContributions {
  VarMethod method = VarMethod::kParametric;
  double total_var = 0.0;
  std::vector<PositionContribution> positions;  // in book order
};

// Throws as the VaR functions of the same method do.
VarContributions parametric_contributions(const RiskBook& book, const ReturnMatrix& returns,
                                          const VarOptions& options);
VarContributions historical_contributions(const RiskBook& book, const ReturnMatrix& returns,
                                          const VarOptions& options);
// Parametric allocation rescaled to `monte_carlo_var` (see above).
VarContributions monte_carlo_contributions(const RiskBook& book, const ReturnMatrix& returns,
                                           const VarOptions& options, double monte_carlo_var);

}  // namespace keel::risk
