// src/risk/path_order.h (private): the order of Monte Carlo P&L values in a path summary
// (keel/risk/monte_carlo.h), shared by the summaries' maker and their byte form.
#pragma once

#include <bit>
#include <cmath>
#include <cstdint>

namespace keel::risk::detail {

// Ascending, with -0 before +0, so that sorting a multiset of P&L values gives one sequence of
// bits whatever order they came in (NaN never occurs: validated inputs give finite P&L).
inline bool before(double a, double b) { return a < b || (a == b && std::signbit(a) && !std::signbit(b)); }

inline bool same_bits(double a, double b) { return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b); }

}  // namespace keel::risk::detail
