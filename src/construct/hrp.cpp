// Hierarchical risk parity as published (Lopez de Prado 2016, and Advances in Financial Machine
// Learning, 2018, chapter 16): the same steps as the paper's Python listing, so a numpy/scipy
// transcription of it reproduces the weights.
//   1. d_ij = sqrt((1 - rho_ij) / 2); d~_ij = Euclidean distance between columns i and j of d.
//   2. Single-linkage tree on d~ (a minimum spanning tree's edges in increasing order, clusters
//      labelled as scipy's linkage labels them: the smaller cluster id first).
//   3. Quasi-diagonalisation: the tree's leaves, left child first.
//   4. Recursive bisection of that order into halves (the first half has floor(k/2) items);
//      each half's variance under inverse-variance weights within it sets the split
//      alpha = 1 - V_0 / (V_0 + V_1).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <vector>

#include "construct_internal.h"
#include "keel/core/error.h"
#include "keel/risk/covariance.h"

namespace keel::construct::detail {
namespace {

using Eigen::Index;
using Eigen::MatrixXd;
using Eigen::VectorXd;

double cluster_variance(const MatrixXd& cov, const std::vector<Index>& items) {
  const Index k = Index(items.size());
  VectorXd ivp(k);
  for (Index a = 0; a < k; ++a) ivp[a] = 1.0 / cov(items[std::size_t(a)], items[std::size_t(a)]);
  ivp /= ivp.sum();
  double v = 0.0;
  for (Index a = 0; a < k; ++a)
    for (Index c = 0; c < k; ++c) v += ivp[a] * cov(items[std::size_t(a)], items[std::size_t(c)]) * ivp[c];
  return v;
}

}  // namespace

Result hrp(const Problem& pb) {
  const Index n = Index(pb.symbols.size());
  for (Index i = 0; i < n; ++i)
    if (!(pb.covariance(i, i) > 0.0))
      throw Error::invalid_input(fmt::format("hrp: {} has no variance in the window", pb.symbols[std::size_t(i)]));
  const MatrixXd corr = risk::correlation_from_covariance(pb.covariance);
  const MatrixXd d = ((1.0 - corr.array()) / 2.0).max(0.0).sqrt().matrix();
  MatrixXd dd(n, n);
  for (Index i = 0; i < n; ++i)
    for (Index j = 0; j < n; ++j) dd(i, j) = i == j ? 0.0 : (d.col(i) - d.col(j)).norm();

  // Minimum spanning tree (Prim from node 0), as scipy's mst_single_linkage.
  struct Edge {
    Index a, b;
    double dist;
  };
  std::vector<Edge> edges;
  {
    std::vector<char> in(std::size_t(n), 0);
    std::vector<double> best(std::size_t(n), std::numeric_limits<double>::infinity());
    std::vector<Index> from(std::size_t(n), 0);
    Index cur = 0;
    in[0] = 1;
    for (Index step = 1; step < n; ++step) {
      Index next = -1;
      double nd = std::numeric_limits<double>::infinity();
      for (Index j = 0; j < n; ++j) {
        if (in[std::size_t(j)]) continue;
        if (dd(cur, j) < best[std::size_t(j)]) {
          best[std::size_t(j)] = dd(cur, j);
          from[std::size_t(j)] = cur;
        }
        if (best[std::size_t(j)] < nd) {
          nd = best[std::size_t(j)];
          next = j;
        }
      }
      edges.push_back({cur, next, nd});
      in[std::size_t(next)] = 1;
      cur = next;
    }
  }
  std::stable_sort(edges.begin(), edges.end(), [](const Edge& x, const Edge& y) { return x.dist < y.dist; });
  // Label the merges (union-find): row k joins clusters left_k < right_k into cluster n + k.
  std::vector<Index> parent(std::size_t(2 * n - 1));
  std::iota(parent.begin(), parent.end(), Index(0));
  const auto find = [&](Index x) {
    while (parent[std::size_t(x)] != x) x = parent[std::size_t(x)] = parent[std::size_t(parent[std::size_t(x)])];
    return x;
  };
  std::vector<std::pair<Index, Index>> merges;
  for (std::size_t k = 0; k < edges.size(); ++k) {
    const Index ra = find(edges[k].a), rb = find(edges[k].b);
    merges.emplace_back(std::min(ra, rb), std::max(ra, rb));
    const Index id = n + Index(k);
    parent[std::size_t(ra)] = id;
    parent[std::size_t(rb)] = id;
  }
  // Quasi-diagonal order: leaves of the tree, left child first.
  std::vector<Index> order;
  if (n == 1) order.push_back(0);
  else {
    std::vector<Index> stack{2 * n - 2};
    while (!stack.empty()) {
      const Index c = stack.back();
      stack.pop_back();
      if (c < n) {
        order.push_back(c);
        continue;
      }
      const auto& [l, r] = merges[std::size_t(c - n)];
      stack.push_back(r);
      stack.push_back(l);
    }
  }
  // Recursive bisection.
  VectorXd w = VectorXd::Ones(n);
  std::vector<std::vector<Index>> clusters{order};
  while (!clusters.empty()) {
    std::vector<std::vector<Index>> next;
    for (const auto& c : clusters) {
      if (c.size() <= 1) continue;
      const std::size_t half = c.size() / 2;
      std::vector<Index> c0(c.begin(), c.begin() + std::ptrdiff_t(half)), c1(c.begin() + std::ptrdiff_t(half), c.end());
      const double v0 = cluster_variance(pb.covariance, c0), v1 = cluster_variance(pb.covariance, c1);
      const double alpha = 1.0 - v0 / (v0 + v1);
      for (const Index i : c0) w[i] *= alpha;
      for (const Index i : c1) w[i] *= 1.0 - alpha;
      next.push_back(std::move(c0));
      next.push_back(std::move(c1));
    }
    clusters = std::move(next);
  }
  Result r;
  r.weights.assign(w.data(), w.data() + n);
  r.solver = "hrp";
  r.binding = {"budget"};
  describe(pb, r);
  return r;
}

}  // namespace keel::construct::detail
