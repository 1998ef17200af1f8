#include "keel/options/american.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "alo.h"
#include "binomial.h"
#include "bsm_batch.h"
#include "bsm_kernel.h"
#include "format_number.h"
#include "keel/core/error.h"
#include "keel/options/implied_vol.h"

namespace keel::options {
namespace {

constexpr double kCriticalTolerance = 1e-10;  // |LHS - RHS| / K at the critical price
constexpr int kMaxIterations = 200;

struct Params {
  double w;       // +1 call, -1 put
  double k;       // strike
  double t;       // years
  double v;       // vol
  double r;       // rate
  double q;       // dividend yield
  double dq;      // e^{-qT} = e^{(b-r)T}
  double sd;      // v sqrt(T)
  double exponent;  // q2 (call) or q1 (put) of BAW
};

double european(const Params& p, double s) {
  return detail::bsm_price_row(p.w, s, p.k, p.t, p.v, p.r, p.q);
}

double d1_of(const Params& p, double s) {
  return (std::log(s / p.k) + (p.r - p.q + 0.5 * p.v * p.v) * p.t) / p.sd;
}

// Critical price S* (call) or S** (put): Newton's method on Haug (2007) eq. 3.1.1's conditions
//   call: S - K = c(S) + (1 - e^{(b-r)T} N(d1(S))) S / q2
//   put : K - S = p(S) - (1 - e^{(b-r)T} N(-d1(S))) S / q1
// with the seed of Barone-Adesi & Whaley (1987).
double critical_price(const Params& p, double big_m, double big_n) {
  const double w = p.w;
  const double bt = (p.r - p.q) * p.t;
  const double qu = (-(big_n - 1.0) + w * std::sqrt((big_n - 1.0) * (big_n - 1.0) + 4.0 * big_m)) / 2.0;
  const double su = p.k / (1.0 - 1.0 / qu);
  double s;
  if (w > 0) {
    const double h = -(bt + 2.0 * p.sd) * p.k / (su - p.k);
    s = p.k + (su - p.k) * (1.0 - std::exp(h));
  } else {
    const double h = (bt - 2.0 * p.sd) * p.k / (p.k - su);
    s = su + (p.k - su) * std::exp(h);
  }
  const double qx = p.exponent;
  for (int i = 0; i < kMaxIterations; ++i) {
    const double d1 = d1_of(p, s);
    const double nd1 = detail::norm_cdf(w * d1);
    const double lhs = w * (s - p.k);
    const double rhs = european(p, s) + w * (1.0 - p.dq * nd1) * s / qx;
    if (std::abs(lhs - rhs) / p.k <= kCriticalTolerance) break;
    // Slope of the right-hand side in S (Haug's b_i); Newton step on LHS - RHS.
    const double pdf = detail::norm_pdf(d1);
    double next;
    if (w > 0) {
      const double bi = p.dq * nd1 * (1.0 - 1.0 / qx) + (1.0 - p.dq * pdf / p.sd) / qx;
      next = (p.k + rhs - bi * s) / (1.0 - bi);
    } else {
      const double bi = -p.dq * nd1 * (1.0 - 1.0 / qx) - (1.0 + p.dq * pdf / p.sd) / qx;
      next = (p.k - rhs + bi * s) / (1.0 + bi);
    }
    if (!(next > 0.0) || !std::isfinite(next)) break;
    s = next;
  }
  return s;
}

void check(const BsmInputs& in) {
  const std::string problem = bsm_input_problem(in);
  if (!problem.empty()) throw Error::invalid_input("invalid option input: " + problem);
  if (in.rate < 0.0) {
    throw Error::invalid_input(
        fmt::format("the Barone-Adesi-Whaley American approximation is not defined for a negative risk-free "
                    "rate (got {:f})",
                    in.rate));
  }
}

double baw_unchecked(const BsmInputs& in) {
  const double w = detail::sign_of(in.right);
  const double s = in.spot;
  const double k = in.strike;
  const double t = in.years;
  const double intrinsic = std::max(w * (s - k), 0.0);
  const double sd = in.vol * std::sqrt(t);
  const double euro = detail::bsm_price_row(w, s, k, t, in.vol, in.rate, in.div);
  // A call without dividend yield is never exercised early.
  if (w > 0 && in.div <= 0.0) return euro;
  // At expiry, zero vol, zero spot or zero strike the approximation degenerates: exercise now or
  // hold the European (zero-vol) payoff, whichever is worth more.
  if (!(sd >= kMinStdDev) || !(s > 0.0) || !(k > 0.0)) return std::max(euro, intrinsic);
  const double v2 = in.vol * in.vol;
  const double big_m = 2.0 * in.rate / v2;
  const double big_n = 2.0 * (in.rate - in.div) / v2;
  const double one_minus_dr = -std::expm1(-in.rate * t);
  // M / K(T) with K(T) = 1 - e^{-rT}; tends to 2 / (vol^2 T) as r -> 0.
  const double m_over_k = one_minus_dr > 0.0 ? big_m / one_minus_dr : 2.0 / (v2 * t);
  const double disc = std::sqrt((big_n - 1.0) * (big_n - 1.0) + 4.0 * m_over_k);
  Params p{w, k, t, in.vol, in.rate, in.div, std::exp(-in.div * t), sd,
           (-(big_n - 1.0) + w * disc) / 2.0};
  const double s_crit = critical_price(p, big_m, big_n);
  const double nd1 = detail::norm_cdf(w * d1_of(p, s_crit));
  const double a = w * (s_crit / p.exponent) * (1.0 - p.dq * nd1);
  const bool hold = w > 0 ? s < s_crit : s > s_crit;
  const double value = hold ? euro + a * std::pow(s / s_crit, p.exponent) : intrinsic;
  return std::max(value, std::max(euro, intrinsic));
}

}  // namespace

namespace {

// The last kCacheSize boundaries solved on this thread, replaced round-robin; see american.h. A
// slot's key is its boundary's (r, q, vol, years) with the preset and class that solved it.
struct CachedBoundary {
  bool used = false;
  AloAccuracy accuracy = AloAccuracy::kStandard;
  int cls = 0;
  detail::PutBoundary boundary;
  detail::PreparedPrice prepared;

  bool holds(double r, double q, double vol, double years, AloAccuracy a, int c) const {
    return used && boundary.r == r && boundary.q == q && boundary.vol == vol && boundary.years == years &&
           accuracy == a && cls == c;
  }
};
constexpr int kCacheSize = 8;

struct BoundaryCache {
  std::array<CachedBoundary, kCacheSize> slots;
  int next = 0;

  const CachedBoundary* find(double r, double q, double vol, double years, AloAccuracy accuracy, int cls) const {
    for (const auto& c : slots) {
      if (c.holds(r, q, vol, years, accuracy, cls)) return &c;
    }
    return nullptr;
  }
  // Replaces the oldest slot not in `keep`.
  const CachedBoundary& put(const detail::PutBoundary& b, AloAccuracy accuracy, int cls,
                            std::span<const CachedBoundary* const> keep = {}) {
    while (std::find(keep.begin(), keep.end(), &slots[next]) != keep.end()) next = (next + 1) % kCacheSize;
    CachedBoundary& slot = slots[next];
    next = (next + 1) % kCacheSize;
    slot = {true, accuracy, cls, b, detail::prepare_price(b, b.price_points)};
    return slot;
  }
};
BoundaryCache& boundary_cache() {
  thread_local BoundaryCache cache;
  return cache;
}

const CachedBoundary& boundary_for(double r, double q, double vol, double years, AloAccuracy accuracy, int cls) {
  BoundaryCache& cache = boundary_cache();
  if (const CachedBoundary* c = cache.find(r, q, vol, years, accuracy, cls)) return *c;
  const detail::SchemeTables& tables = detail::scheme_tables(cls, accuracy == AloAccuracy::kHigh);
  return cache.put(detail::solve_put_boundary(tables, r, q, vol, years), accuracy, cls);
}

constexpr int kBinomialSteps = 2000;

// The put-space form of an option (a call is the put with spot and strike, rate and dividend
// yield exchanged) and how ALO values it.
struct PutForm {
  double spot, strike, rate, div;
  enum Kind { kDegenerate, kEuropean, kBinomial, kFixedPoint } kind;
};

PutForm put_form(const BsmInputs& in) {
  const double w = detail::sign_of(in.right);
  PutForm f{w > 0 ? in.strike : in.spot, w > 0 ? in.spot : in.strike, w > 0 ? in.div : in.rate,
            w > 0 ? in.rate : in.div, PutForm::kFixedPoint};
  if (!(in.vol * std::sqrt(in.years) >= kMinStdDev) || !(in.spot > 0.0) || !(in.strike > 0.0)) {
    f.kind = PutForm::kDegenerate;
  } else if (f.rate <= 0.0 && f.div >= f.rate) {
    // Early exercise of the put never pays when r <= 0 and q >= r: K e^{-rT} >= K, S e^{-qT} <= S.
    f.kind = PutForm::kEuropean;
  } else if (f.rate <= 0.0) {
    f.kind = PutForm::kBinomial;
  }
  return f;
}

// The ALO price; `pinned_class` >= 0 fixes the discretisation class (finite-difference Greeks
// keep the class of the unbumped option, so a bump never crosses a change of scheme).
double alo_unchecked(const BsmInputs& in, AloAccuracy accuracy, int pinned_class = -1) {
  const double w = detail::sign_of(in.right);
  const double s = in.spot;
  const double k = in.strike;
  const double t = in.years;
  const double intrinsic = std::max(w * (s - k), 0.0);
  const double euro = detail::bsm_price_row(w, s, k, t, in.vol, in.rate, in.div);
  const PutForm f = put_form(in);
  switch (f.kind) {
    case PutForm::kDegenerate:
    case PutForm::kEuropean:
      return std::max(euro, intrinsic);
    case PutForm::kBinomial:
      // The tree's error may put it a hair below the European value, which bounds it.
      return std::max(
          {f.strike * detail::put_binomial(f.spot / f.strike, f.rate, f.div, in.vol, t, kBinomialSteps), euro,
           intrinsic});
    case PutForm::kFixedPoint:
      break;
  }
  const int cls = pinned_class >= 0 ? pinned_class : detail::scheme_class(f.rate, f.div, in.vol, t);
  const CachedBoundary& c = boundary_for(f.rate, f.div, in.vol, t, accuracy, cls);
  return std::max(f.strike * detail::put_price(c.boundary, c.prepared, f.spot / f.strike), intrinsic);
}

int class_of(const BsmInputs& in) {
  const PutForm f = put_form(in);
  return f.kind == PutForm::kFixedPoint ? detail::scheme_class(f.rate, f.div, in.vol, in.years) : -1;
}

// Central finite differences of `price` (see american.h for the bumps). `prepare` sees every
// input to be priced first (the fixed-point engine solves their boundaries together).
template <class Prepare, class Price>
Greeks fd_greeks(const BsmInputs& in, Prepare prepare, Price price) {
  enum { kBase, kSpotUp, kSpotDown, kVolUp, kVolDown, kRateUp, kRateDown, kLater, kEarlier, kCount };
  const double hs = std::max(1e-4 * in.spot, 1e-8);
  const double hv = std::min(1e-4, 0.5 * in.vol);
  const double hr = 1e-5;
  const double ht = std::min(1e-5, 0.5 * in.years);
  const bool rate_down = in.rate >= hr;  // else a forward difference
  std::array<BsmInputs, kCount> x;
  x.fill(in);
  x[kSpotUp].spot += hs;
  x[kSpotDown].spot -= hs;
  x[kVolUp].vol += hv;
  x[kVolDown].vol -= hv;
  x[kRateUp].rate += hr;
  x[kRateDown].rate -= hr;
  x[kLater].years += -ht;
  x[kEarlier].years -= -ht;
  std::array<bool, kCount> used;
  used.fill(true);
  used[kVolUp] = used[kVolDown] = hv > 0.0;
  used[kRateDown] = rate_down;
  used[kLater] = used[kEarlier] = ht > 0.0;
  std::array<BsmInputs, kCount> wanted;
  std::size_t m = 0;
  for (int i = 0; i < kCount; ++i) {
    if (used[i]) wanted[m++] = x[i];
  }
  prepare(std::span<const BsmInputs>(wanted.data(), m));
  std::array<double, kCount> p{};
  for (int i = 0; i < kCount; ++i) {
    if (used[i]) p[i] = price(x[i]);
  }
  Greeks g;
  g.price = p[kBase];
  g.delta = (p[kSpotUp] - p[kSpotDown]) / (2.0 * hs);
  g.gamma = (p[kSpotUp] - 2.0 * g.price + p[kSpotDown]) / (hs * hs);
  if (hv > 0.0) g.vega = (p[kVolUp] - p[kVolDown]) / (2.0 * hv);
  g.rho = rate_down ? (p[kRateUp] - p[kRateDown]) / (2.0 * hr) : (p[kRateUp] - g.price) / hr;
  if (ht > 0.0) g.theta = (p[kLater] - p[kEarlier]) / (2.0 * ht);
  return g;
}

// Solves the boundaries of `inputs` that this thread's cache lacks in one kernel block, with the
// discretisation of class `cls`, and caches them: finite-difference Greeks need up to seven (the
// option, and vol, rate and time bumped both ways), which then cost about one solve.
void warm_boundaries(std::span<const BsmInputs> inputs, AloAccuracy accuracy, int cls) {
  if (cls < 0) return;
  BoundaryCache& cache = boundary_cache();
  // The boundaries already cached stay (kept); the missing ones, each once, fill other slots.
  std::array<const CachedBoundary*, kCacheSize> keep{};
  std::array<double, detail::kLanes> r{}, q{}, vol{}, years{};
  int kept = 0, m = 0;
  for (const BsmInputs& in : inputs) {
    const PutForm f = put_form(in);
    if (f.kind != PutForm::kFixedPoint) continue;
    const CachedBoundary* c = cache.find(f.rate, f.div, in.vol, in.years, accuracy, cls);
    if (c && std::find(keep.begin(), keep.begin() + kept, c) == keep.begin() + kept) keep[kept++] = c;
  }
  for (const BsmInputs& in : inputs) {
    const PutForm f = put_form(in);
    if (f.kind != PutForm::kFixedPoint || cache.find(f.rate, f.div, in.vol, in.years, accuracy, cls)) continue;
    bool seen = false;
    for (int j = 0; j < m; ++j) {
      seen = seen || (r[j] == f.rate && q[j] == f.div && vol[j] == in.vol && years[j] == in.years);
    }
    if (seen) continue;
    if (m == detail::kLanes || kept + m == kCacheSize) break;  // the rest are solved when priced
    r[m] = f.rate;
    q[m] = f.div;
    vol[m] = in.vol;
    years[m] = in.years;
    ++m;
  }
  if (m < 2) return;  // a single boundary is solved when priced
  std::array<detail::PutBoundary, detail::kLanes> solved;
  detail::solve_put_boundaries(detail::scheme_tables(cls, accuracy == AloAccuracy::kHigh), m, r.data(), q.data(),
                               vol.data(), years.data(), solved.data());
  for (int j = 0; j < m; ++j) cache.put(solved[j], accuracy, cls, {keep.data(), static_cast<std::size_t>(kept)});
}

void check_input(const BsmInputs& in) {
  const std::string problem = bsm_input_problem(in);
  if (!problem.empty()) throw Error::invalid_input("invalid option input: " + problem);
}

}  // namespace

double baw_price(const BsmInputs& in) {
  check(in);
  return baw_unchecked(in);
}

Greeks baw_greeks(const BsmInputs& in) {
  check(in);
  return fd_greeks(
      in, [](std::span<const BsmInputs>) {}, [](const BsmInputs& x) { return baw_unchecked(x); });
}

double alo_price(const BsmInputs& in, AloAccuracy accuracy) {
  check_input(in);
  return alo_unchecked(in, accuracy);
}

Greeks alo_greeks(const BsmInputs& in, AloAccuracy accuracy) {
  check_input(in);
  const int cls = class_of(in);
  return fd_greeks(
      in, [accuracy, cls](std::span<const BsmInputs> all) { warm_boundaries(all, accuracy, cls); },
      [accuracy, cls](const BsmInputs& x) { return alo_unchecked(x, accuracy, cls); });
}

void alo_price_batch(const BsmColumns& in, std::span<double> price, AloAccuracy accuracy) {
  detail::check_columns(in, price.size());
  const std::size_t n = in.size();
  const bool high = accuracy == AloAccuracy::kHigh;
  // Options on the fixed-point path, grouped by class (a counting sort), in put form.
  std::vector<std::uint32_t> count(detail::kSchemeClasses + 1, 0);
  std::vector<std::int8_t> cls_of(n, -1);
  for (std::size_t i = 0; i < n; ++i) {
    const BsmInputs row{in.right[i], in.spot[i], in.strike[i], in.years[i], in.vol[i], in.rate[i], in.div[i]};
    const PutForm f = put_form(row);
    if (f.kind != PutForm::kFixedPoint) {
      price[i] = alo_unchecked(row, accuracy);
      continue;
    }
    const int cls = detail::scheme_class(f.rate, f.div, row.vol, row.years);
    cls_of[i] = static_cast<std::int8_t>(cls);
    ++count[cls + 1];
  }
  for (int c = 0; c < detail::kSchemeClasses; ++c) count[c + 1] += count[c];
  const std::size_t m = count[detail::kSchemeClasses];
  std::vector<double> r(m), q(m), vol(m), years(m), spot(m), out(m);
  std::vector<std::uint32_t> where(m);
  std::vector<std::uint32_t> fill(count.begin(), count.end() - 1);
  for (std::size_t i = 0; i < n; ++i) {
    if (cls_of[i] < 0) continue;
    const std::size_t j = fill[cls_of[i]]++;
    const BsmInputs row{in.right[i], in.spot[i], in.strike[i], in.years[i], in.vol[i], in.rate[i], in.div[i]};
    const PutForm f = put_form(row);
    r[j] = f.rate;
    q[j] = f.div;
    vol[j] = row.vol;
    years[j] = row.years;
    spot[j] = f.spot / f.strike;
    where[j] = static_cast<std::uint32_t>(i);
  }
  // Within a class, options in the order of detail::block_order_key.
  {
    std::vector<std::uint32_t> order(m);
    std::vector<double> key(m);
    for (std::size_t j = 0; j < m; ++j) {
      order[j] = static_cast<std::uint32_t>(j);
      key[j] = detail::block_order_key(r[j], q[j], vol[j], years[j]);
    }
    for (int c = 0; c < detail::kSchemeClasses; ++c) {
      std::sort(order.begin() + count[c], order.begin() + count[c + 1],
                [&](std::uint32_t a, std::uint32_t b) { return key[a] < key[b]; });
    }
    auto permute = [&](auto& v) {
      auto copy = v;
      for (std::size_t j = 0; j < m; ++j) v[j] = copy[order[j]];
    };
    permute(r);
    permute(q);
    permute(vol);
    permute(years);
    permute(spot);
    permute(where);
  }
  for (int c = 0; c < detail::kSchemeClasses; ++c) {
    const std::size_t b = count[c], e = count[c + 1];
    if (b == e) continue;
    detail::put_prices(detail::scheme_tables(c, high), e - b, &r[b], &q[b], &vol[b], &years[b], &spot[b], &out[b]);
  }
  for (std::size_t j = 0; j < m; ++j) {
    const std::size_t i = where[j];
    const double w = detail::sign_of(in.right[i]);
    const double strike_p = w > 0 ? in.spot[i] : in.strike[i];
    price[i] = std::max(strike_p * out[j], std::max(w * (in.spot[i] - in.strike[i]), 0.0));
  }
}

const char* american_engine_name(AmericanEngine engine) {
  return engine == AmericanEngine::kBaw ? "baw" : "alo";
}

std::optional<AmericanEngine> parse_american_engine(std::string_view text) {
  if (text == "alo") return AmericanEngine::kAlo;
  if (text == "baw") return AmericanEngine::kBaw;
  return std::nullopt;
}

Greeks option_greeks(ExerciseStyle exercise, const BsmInputs& in, AmericanEngine engine) {
  if (exercise == ExerciseStyle::kEuropean) return bsm_greeks(in);
  return engine == AmericanEngine::kBaw ? baw_greeks(in) : alo_greeks(in);
}

double option_price(ExerciseStyle exercise, const BsmInputs& in, AmericanEngine engine) {
  if (exercise == ExerciseStyle::kEuropean) return bsm_price(in);
  return engine == AmericanEngine::kBaw ? baw_price(in) : alo_price(in);
}

const char* model_name(ExerciseStyle exercise, AmericanEngine engine) {
  if (exercise == ExerciseStyle::kEuropean) return "bsm";
  return engine == AmericanEngine::kBaw ? "baw-approximation" : "alo-fixed-point";
}

namespace {

constexpr double kVolLo = 1e-4, kVolHi = 20.0;

// The no-arbitrage bounds of an American price (american.h), and why `in` has no implied vol
// before any pricing (empty when the price lies strictly inside them).
struct AmericanBounds {
  ImpliedVolStatus status = ImpliedVolStatus::kOk;
  double lower = 0.0, upper = 0.0;
};

AmericanBounds american_bounds(const ImpliedVolInputs& in, AmericanEngine engine) {
  AmericanBounds b;
  if (!(std::isfinite(in.price) && std::isfinite(in.spot) && std::isfinite(in.strike) &&
        std::isfinite(in.years) && std::isfinite(in.rate) && std::isfinite(in.div)) ||
      !(in.spot > 0.0) || !(in.strike > 0.0) || !(in.years > 0.0) || in.price < 0.0 ||
      (engine == AmericanEngine::kBaw && in.rate < 0.0)) {
    b.status = ImpliedVolStatus::kInvalidInput;
    return b;
  }
  const double w = detail::sign_of(in.right);
  // Zero-vol value: the best of exercising at t in [0, T] along the forward,
  // f(t) = w (S e^{-qt} - K e^{-rt}); its only interior extremum solves f'(t) = 0.
  const double s = in.spot, k = in.strike, r = in.rate, q = in.div, t_max = in.years;
  auto f = [&](double t) { return w * (s * std::exp(-q * t) - k * std::exp(-r * t)); };
  b.lower = std::max({0.0, f(0.0), f(t_max)});
  if (q != r && q > 0.0 && r > 0.0) {
    const double t_star = std::log((q * s) / (r * k)) / (q - r);
    if (t_star > 0.0 && t_star < t_max) b.lower = std::max(b.lower, f(t_star));
  }
  // S (call) or K (put); with a negative dividend yield (rate) the European bound S e^{-qT}
  // (K e^{-rT}) is the larger.
  b.upper = w > 0 ? s * std::max(1.0, std::exp(-q * t_max)) : k * std::max(1.0, std::exp(-r * t_max));
  if (!(in.price > b.lower)) {
    b.status = ImpliedVolStatus::kBelowLowerBound;
  } else if (!(in.price < b.upper)) {
    b.status = ImpliedVolStatus::kAboveUpperBound;
  }
  return b;
}

double engine_price(const BsmInputs& x, AmericanEngine engine) {
  return engine == AmericanEngine::kBaw ? baw_unchecked(x) : alo_unchecked(x, AloAccuracy::kStandard);
}

// Brent's method (Brent 1973, ch. 4) on price(vol) - target for one element, written as a state
// machine so that many elements advance together: each step() ends by asking for the price at
// `b` (or finishes); the caller prices every waiting element in one batch and sets fb.
struct Brent {
  double a = kVolLo, b = kVolHi, c = 0.0, fa = 0.0, fb = 0.0, fc = 0.0, d = 0.0, e = 0.0;
  int iter = 0;
  bool done = false;

  // With fb = f(b) known: one iteration; false when b is the root (done).
  bool step() {
    if ((fb > 0.0) == (fc > 0.0)) {
      c = a;
      fc = fa;
      d = e = b - a;
    }
    if (std::abs(fc) < std::abs(fb)) {
      a = b;
      b = c;
      c = a;
      fa = fb;
      fb = fc;
      fc = fa;
    }
    const double tol = 2.0 * std::numeric_limits<double>::epsilon() * std::abs(b) + 0.5e-14 * std::abs(b);
    const double m = 0.5 * (c - b);
    if (std::abs(m) <= tol || fb == 0.0 || ++iter > 200) {
      done = true;
      return false;
    }
    if (std::abs(e) >= tol && std::abs(fa) > std::abs(fb)) {
      double p, qq;
      const double sr = fb / fa;
      if (a == c) {
        p = 2.0 * m * sr;
        qq = 1.0 - sr;
      } else {
        const double qa = fa / fc, rr = fb / fc;
        p = sr * (2.0 * m * qa * (qa - rr) - (b - a) * (rr - 1.0));
        qq = (qa - 1.0) * (rr - 1.0) * (sr - 1.0);
      }
      if (p > 0.0) {
        qq = -qq;
      } else {
        p = -p;
      }
      if (2.0 * p < std::min(3.0 * m * qq - std::abs(tol * qq), std::abs(e * qq))) {
        e = d;
        d = p / qq;
      } else {
        d = m;
        e = m;
      }
    } else {
      d = m;
      e = m;
    }
    a = b;
    fa = fb;
    b += std::abs(d) > tol ? d : (m > 0.0 ? tol : -tol);
    return true;
  }
};

// Prices of the elements `which` of `in` at vols `at`, by `engine` (ALO: one batch call).
// The elements `which` of implied-vol columns, copied into columns of their own (the batch
// calls take contiguous columns).
struct Picked {
  explicit Picked(const ImpliedVolColumns& in, const std::vector<std::size_t>& which)
      : right(which.size()), price(which.size()), spot(which.size()), strike(which.size()), years(which.size()),
        rate(which.size()), div(which.size()) {
    for (std::size_t j = 0; j < which.size(); ++j) {
      const std::size_t i = which[j];
      right[j] = in.right[i];
      price[j] = in.price[i];
      spot[j] = in.spot[i];
      strike[j] = in.strike[i];
      years[j] = in.years[i];
      rate[j] = in.rate[i];
      div[j] = in.div[i];
    }
  }
  std::vector<OptionRight> right;
  std::vector<double> price, spot, strike, years, rate, div;
};

void price_many(const ImpliedVolColumns& in, const std::vector<std::size_t>& which, const std::vector<double>& at,
                AmericanEngine engine, std::vector<double>& out) {
  const std::size_t m = which.size();
  out.resize(m);
  if (engine == AmericanEngine::kBaw) {
    for (std::size_t j = 0; j < m; ++j) {
      const std::size_t i = which[j];
      out[j] = engine_price({in.right[i], in.spot[i], in.strike[i], in.years[i], at[j], in.rate[i], in.div[i]}, engine);
    }
    return;
  }
  const Picked p(in, which);
  alo_price_batch({p.right, p.spot, p.strike, p.years, at, p.rate, p.div}, out);
}

// The search for a bracket [lo, hi] with f(lo) < 0 < f(hi), f = price(vol) - target, which is
// increasing in vol. The first probe is the European implied vol of the price: an American price
// is at least the European one at every vol, so that vol is at or above the root, usually within a
// few percent of it. Each further probe is a Newton step from the latest one (the slope of the
// secant through the last two probes, or the European vega after the first), made 1.5 times as
// long so that it lands past the root; after kMaxProbes probes on one side, the end of the range
// on the other. On the benchmark book the probes and Brent on a bracket a few percent wide take
// 5.4 prices per vol; Brent on [1e-4, 20] took about 55.
struct Bracket {
  static constexpr int kMaxProbes = 4;
  double lo = std::numeric_limits<double>::quiet_NaN(), f_lo = 0.0;
  double hi = std::numeric_limits<double>::quiet_NaN(), f_hi = 0.0;
  double last = std::numeric_limits<double>::quiet_NaN(), f_last = 0.0;
  double prev = std::numeric_limits<double>::quiet_NaN(), f_prev = 0.0;
  int probes = 0;

  bool found() const { return !std::isnan(lo) && !std::isnan(hi); }
  void add(double x, double f) {
    if (f < 0.0 && (std::isnan(lo) || x > lo)) {
      lo = x;
      f_lo = f;
    } else if (f > 0.0 && (std::isnan(hi) || x < hi)) {
      hi = x;
      f_hi = f;
    }
    prev = last;
    f_prev = f_last;
    last = x;
    f_last = f;
    ++probes;
  }
  // The next vol to price, given the European vega at the latest probe.
  double next_probe(double vega) const {
    const double far = f_last > 0.0 ? kVolLo : kVolHi;
    if (probes >= kMaxProbes) return far;
    double slope = vega;
    if (probes >= 2 && prev != last) {
      const double secant = (f_last - f_prev) / (last - prev);
      if (secant > 0.0 && std::isfinite(secant)) slope = secant;
    }
    if (!(slope > 0.0) || !std::isfinite(slope)) return far;
    const double x = last - 1.5 * f_last / slope;
    if (!std::isfinite(x)) return far;
    return std::clamp(x, kVolLo, kVolHi);
  }
};

// The first probe of each live element: its European implied vol (kVolHi where the price is above
// every European price, e.g. a deep in-the-money put worth more than K e^{-rT}).
void european_start(const ImpliedVolColumns& in, const std::vector<std::size_t>& live, std::vector<double>& at) {
  const std::size_t m = live.size();
  const Picked p(in, live);
  std::vector<double> vol(m);
  std::vector<ImpliedVolStatus> status(m);
  implied_vol_batch({p.right, p.price, p.spot, p.strike, p.years, p.rate, p.div}, vol, status);
  at.resize(m);
  for (std::size_t j = 0; j < m; ++j) {
    // Rounded to float: the probes, and so the root Brent settles on where the price is flat in
    // vol to rounding, do not hang on the European solver's last bits. (Only a value a float
    // holds is converted.)
    const double raw = vol[j];
    const bool ok = status[j] == ImpliedVolStatus::kOk && std::isfinite(raw) && std::abs(raw) < 1e30;
    at[j] = ok ? std::clamp<double>(static_cast<float>(raw), kVolLo, kVolHi) : kVolHi;
  }
}

}  // namespace

void american_implied_vol_batch(const ImpliedVolColumns& in, std::span<double> vol, std::span<ImpliedVolStatus> status,
                                AmericanEngine engine) {
  const std::size_t n = in.size();
  if (in.right.size() != n || in.spot.size() != n || in.strike.size() != n || in.years.size() != n ||
      in.rate.size() != n || in.div.size() != n || vol.size() != n || status.size() != n) {
    throw Error::invalid_input("implied-vol columns differ in length");
  }
  std::vector<Brent> state(n);
  std::vector<std::size_t> live;
  for (std::size_t i = 0; i < n; ++i) {
    vol[i] = std::numeric_limits<double>::quiet_NaN();
    status[i] = american_bounds({in.right[i], in.price[i], in.spot[i], in.strike[i], in.years[i], in.rate[i], in.div[i]},
                                engine)
                    .status;
    if (status[i] == ImpliedVolStatus::kOk) live.push_back(i);
  }
  // A bracket of the root for each live element (Bracket), then Brent's iterations, every live
  // element at once. The first probe is the European implied vol of the price.
  std::vector<Bracket> bracket(n);
  std::vector<double> at, prices;
  european_start(in, live, at);
  std::vector<std::size_t> next, probing;
  std::vector<double> next_at;
  while (!live.empty()) {
    price_many(in, live, at, engine, prices);
    probing.clear();
    next_at.clear();
    for (std::size_t j = 0; j < live.size(); ++j) {
      const std::size_t i = live[j];
      const double x = at[j], f = prices[j] - in.price[i];
      if (f == 0.0) {
        vol[i] = x;
        continue;
      }
      Bracket& br = bracket[i];
      br.add(x, f);
      if (br.found()) {
        Brent& st = state[i];
        st.a = br.lo;
        st.fa = br.f_lo;
        st.b = br.hi;
        st.fb = br.f_hi;
        st.c = st.a;
        st.fc = st.fa;
        st.d = st.e = st.b - st.a;
        next.push_back(i);
        continue;
      }
      // The price at an end of the range is still on the root's far side: no vol in it (also the
      // verdict for a price that is not a number, which no probe brackets).
      if ((f > 0.0 && x == kVolLo) || (f < 0.0 && x == kVolHi) || br.probes > Bracket::kMaxProbes + 1) {
        status[i] = ImpliedVolStatus::kOutsideVolRange;
        continue;
      }
      probing.push_back(i);
      next_at.push_back(br.next_probe(
          bsm_greeks({in.right[i], in.spot[i], in.strike[i], in.years[i], x, in.rate[i], in.div[i]}).vega));
    }
    live.swap(probing);
    at.swap(next_at);
  }
  live.swap(next);
  while (!live.empty()) {
    next.clear();
    at.clear();
    for (std::size_t i : live) {
      if (state[i].step()) {
        next.push_back(i);
        at.push_back(state[i].b);
      } else {
        vol[i] = state[i].b;
      }
    }
    if (next.empty()) break;
    price_many(in, next, at, engine, prices);
    for (std::size_t j = 0; j < next.size(); ++j) state[next[j]].fb = prices[j] - in.price[next[j]];
    live.swap(next);
  }
}

std::string american_implied_vol_problem(const ImpliedVolInputs& in, AmericanEngine engine) {
  const AmericanBounds b = american_bounds(in, engine);
  const double w = detail::sign_of(in.right);
  switch (b.status) {
    case ImpliedVolStatus::kOk:
      break;
    case ImpliedVolStatus::kInvalidInput:
      if (engine == AmericanEngine::kBaw && std::isfinite(in.rate) && in.rate < 0.0) {
        return "the Barone-Adesi-Whaley American approximation is not defined for a negative risk-free rate (got " +
               detail::num(in.rate) + ")";
      }
      // The European solver's sentence names the bad field.
      return implied_vol_problem(in);
    case ImpliedVolStatus::kBelowLowerBound:
      return "price " + detail::num(in.price) + " is at or below the American no-arbitrage lower bound " +
             detail::num(b.lower) + " (the zero-vol value: exercise now or at the best later date along the forward)";
    case ImpliedVolStatus::kAboveUpperBound:
      return "price " + detail::num(in.price) + " is at or above the American upper bound " + detail::num(b.upper) +
             (w > 0 ? " (max(S, S e^{-qT}))" : " (max(K, K e^{-rT}))");
    case ImpliedVolStatus::kOutsideVolRange:
      return {};  // known only after pricing: below
  }
  const double lo = engine_price({in.right, in.spot, in.strike, in.years, kVolLo, in.rate, in.div}, engine);
  const double hi = engine_price({in.right, in.spot, in.strike, in.years, kVolHi, in.rate, in.div}, engine);
  if (lo > in.price || hi < in.price) {
    return "price " + detail::num(in.price) + " needs a vol outside [0.0001, 20] (prices " + detail::num(lo) + " to " +
           detail::num(hi) + " there)";
  }
  return {};
}

double american_implied_vol(const ImpliedVolInputs& in, AmericanEngine engine) {
  double vol = 0.0;
  ImpliedVolStatus status = ImpliedVolStatus::kOk;
  american_implied_vol_batch({std::span(&in.right, 1), std::span(&in.price, 1), std::span(&in.spot, 1),
                              std::span(&in.strike, 1), std::span(&in.years, 1), std::span(&in.rate, 1),
                              std::span(&in.div, 1)},
                             std::span(&vol, 1), std::span(&status, 1), engine);
  if (status != ImpliedVolStatus::kOk) {
    throw Error::invalid_input("no implied volatility: " + american_implied_vol_problem(in, engine));
  }
  return vol;
}

}  // namespace keel::options
