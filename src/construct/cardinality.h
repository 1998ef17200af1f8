// Private: the most-names (cardinality) constraint of keel/construct, solved by a depth-first
// branch and bound over any objective (minimum variance, the maximum ratio, minimum CVaR): see
// docs/construction.md, "Cardinality (--max-names K)".
#pragma once

#include <fmt/format.h>

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "construct_internal.h"
#include "keel/core/cancel.h"
#include "keel/core/error.h"

namespace keel::construct::detail {

using Eigen::Index;
using Eigen::VectorXd;

inline std::size_t names_held(const VectorXd& w) {
  std::size_t k = 0;
  for (Index i = 0; i < w.size(); ++i) k += std::abs(w[i]) > 1e-9 ? 1 : 0;
  return k;
}

// The cardinality search over any objective: `solve` minimises it with the assets marked in
// `excluded` held at 0 (nullopt when that is infeasible; with `must` it throws instead), `weights`
// gives a solution's asset weights (or a positive multiple of them, as the max-Sharpe program's y)
// and `value` the objective it minimised.
template <class Sol>
struct Search {
  std::function<std::optional<Sol>(const std::vector<char>& excluded, bool must)> solve;
  std::function<VectorXd(const Sol&)> weights;
  std::function<double(const Sol&)> value;
  std::function<int(const Sol&)> iterations;
};

template <class Sol>
struct SearchResult {
  Sol best;
  double value = 0.0;
  double bound = 0.0;  // a lower bound on the objective over every portfolio of at most K names
  bool proven = true;
  std::size_t nodes = 0;
  int iterations = 0;
};

// At most K nonzero weights: depth-first branch and bound. A node fixes some assets at 0 ("out")
// and counts others as held ("in"); its relaxation drops the count, so its objective bounds every
// portfolio below it. The child that holds an asset has the same relaxation as its parent, so a
// node walks down its "in" children without solving, pushing each "out" sibling. A relaxation
// that holds at most K names up to 1e-9 may still carry weights below that: it is solved again
// with those held at 0, so the result's other weights are exactly zero.
// When no portfolio of at most K names meets the constraints: nullopt, or, when `must`, the
// error naming the constraints (`what` the limit being met).
template <class Sol>
std::optional<SearchResult<Sol>> branch_and_bound(const Problem& pb, const Search<Sol>& S, const std::string& what,
                                                  bool must = true) {
  const std::size_t n = pb.symbols.size(), k = *pb.constraints.max_names;
  {
    std::vector<double> lo, up;
    detail::weight_bounds(pb, lo, up);
    for (std::size_t i = 0; i < n; ++i)
      if (lo[i] > 0.0 || up[i] < 0.0)
        throw Error::invalid_input(fmt::format(
            "max-names: the bounds of {} exclude 0, so it cannot be left out (the search needs every bound to hold 0)",
            pb.symbols[i]));
  }
  SearchResult<Sol> out;
  // A node (or its bound) that cannot beat the best by more than rounding.
  const auto no_better = [](double v, double best) {
    return std::isfinite(best) && v >= best - 1e-12 * std::abs(best);
  };
  const auto solve = [&](const std::vector<char>& excluded, bool must) {
    std::optional<Sol> s = S.solve(excluded, must);
    if (s) out.iterations += S.iterations(*s);
    return s;
  };
  const auto snap = [&](const std::vector<char>& excluded, Sol& s) -> bool {
    std::vector<char> more = excluded;
    bool any = false;
    const VectorXd w = S.weights(s);
    for (std::size_t i = 0; i < n; ++i) {
      if (!more[i] && w[Index(i)] != 0.0 && std::abs(w[Index(i)]) <= 1e-9) {
        more[i] = 1;
        any = true;
      }
    }
    if (!any) return true;
    cancellation_point();
    ++out.nodes;
    std::optional<Sol> again = solve(more, false);
    if (!again) return false;
    s = std::move(*again);
    return true;
  };
  out.nodes = 1;
  std::optional<Sol> root = solve(std::vector<char>(n, 0), must);
  if (!root) {
    if (!must) return std::nullopt;
    detail::throw_infeasible(pb, what);
  }
  if (names_held(S.weights(*root)) <= k) snap(std::vector<char>(n, 0), *root);
  const double root_value = S.value(*root);
  constexpr double kNone = std::numeric_limits<double>::infinity();
  std::optional<Sol> best_s;
  double best = kNone;
  if (names_held(S.weights(*root)) <= k) {
    best = root_value;
    best_s = *root;
  }
  double bound = root_value;
  if (!best_s) {
    struct Node {
      std::vector<signed char> state;  // 0 undecided, 1 in, -1 out
      double parent;                   // the parent's relaxation: a bound on this subtree
    };
    const auto walk = [&](std::vector<signed char> state, const VectorXd& w, double value, std::vector<Node>& stack) {
      // Down the "in" children: the relaxation stays (w, value) until K assets are in.
      for (;;) {
        std::size_t held_in = 0;
        for (std::size_t i = 0; i < n; ++i) held_in += state[i] == 1 ? 1 : 0;
        std::size_t pick = n;
        for (std::size_t i = 0; i < n; ++i)
          if (state[i] == 0 && std::abs(w[Index(i)]) > 1e-9 &&
              (pick == n || std::abs(w[Index(i)]) > std::abs(w[Index(pick)])))
            pick = i;
        if (pick == n) return;  // cannot happen while more than K are held
        std::vector<signed char> out_state = state;
        out_state[pick] = -1;
        stack.push_back({std::move(out_state), value});
        state[pick] = 1;
        if (held_in + 1 == k) {
          for (std::size_t i = 0; i < n; ++i)
            if (state[i] == 0) state[i] = -1;
          stack.push_back({std::move(state), value});
          return;
        }
      }
    };
    std::vector<Node> stack;
    if (n <= kCardinalityExactAssets) {
      walk(std::vector<signed char>(n, 0), S.weights(*root), root_value, stack);
      while (!stack.empty()) {
        if (out.nodes >= kCardinalityNodeLimit) {
          out.proven = false;
          break;
        }
        Node node = std::move(stack.back());
        stack.pop_back();
        if (no_better(node.parent, best)) continue;
        std::vector<char> excluded(n, 0);
        for (std::size_t i = 0; i < n; ++i) excluded[i] = node.state[i] < 0 ? 1 : 0;
        ++out.nodes;
        std::optional<Sol> s = solve(excluded, false);
        if (!s) continue;
        if (names_held(S.weights(*s)) <= k && !snap(excluded, *s)) continue;
        const VectorXd w = S.weights(*s);
        const double value = S.value(*s);
        if (no_better(value, best)) continue;
        if (names_held(w) <= k) {
          best = value;
          best_s = std::move(s);
          continue;
        }
        walk(std::move(node.state), w, value, stack);
      }
      bound = best;
      for (const Node& node : stack) bound = std::min(bound, node.parent);
    } else {
      out.proven = false;
    }
    if (!out.proven && !best_s) {
      // The heuristic: the relaxation's K largest weights, re-optimised alone.
      std::vector<std::size_t> order(n);
      std::iota(order.begin(), order.end(), std::size_t{0});
      const VectorXd w0 = S.weights(*root);
      std::stable_sort(order.begin(), order.end(),
                       [&](std::size_t x, std::size_t y) { return std::abs(w0[Index(x)]) > std::abs(w0[Index(y)]); });
      std::vector<char> excluded(n, 1);
      for (std::size_t j = 0; j < k; ++j) excluded[order[j]] = 0;
      ++out.nodes;
      std::optional<Sol> s = solve(excluded, false);
      if (s) {
        best = S.value(*s);
        best_s = std::move(s);
      }
      if (n > kCardinalityExactAssets) bound = root_value;
    }
    if (!best_s) {
      if (!must) return std::nullopt;
      detail::throw_infeasible(pb, fmt::format("at most {} names", k));
    }
  }
  out.best = std::move(*best_s);
  out.value = best;
  out.bound = out.proven ? best : std::min(bound, best);
  return out;
}

// The variance of the weights, the objective the cardinality search compares for min-variance and
// (as y'Sigma y) for the ratio objectives.
inline double variance_of(const Problem& pb, const Eigen::VectorXd& w) { return w.dot(pb.covariance * w); }

inline void set_search_figures(Result& r, double value, double bound, bool proven, std::size_t nodes, int iterations) {
  r.iterations = iterations;
  r.nodes = nodes;
  r.bound = bound;
  r.mip_gap = value != 0.0 ? std::abs(value - bound) / std::abs(value) : 0.0;
  if (!proven) r.status = "feasible";
}

}  // namespace keel::construct::detail
