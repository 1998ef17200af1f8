// options_alo_scheme_tune: tries discretisations of the fixed-point American method on one scheme
// class against the high preset, the way docs/options.md, "Schemes", chose the standard preset.
//
//   build/bench/options_alo_scheme_tune --class 9 --options 200000
//       --scheme 12,12,6,32,0,1e-7,0.5 --scheme 8,8,6,32,0,1e-7,0.5   (one line)
//
// A scheme is nodes,points,sweeps,price_points,rho,tolerance,step_limit (nodes and points multiples
// of 4; rho is the class's interpolation variable, 0 for classes 0 and 9, 2^(c-1) for class c of
// 1-8, 1 for class 10); without --scheme the class's standard preset is tried. Options are drawn
// over the accuracy domain (bench/options_domain_sample.h) and priced in put form with strike 1,
// ordered in the class the way alo_price_batch orders them. A candidate runs without the
// standard preset's retries, so an option its sweeps leave unconverged shows as an error. For each
// scheme: the worst relative error against the high preset (prices below 1e-5 of the put form's
// strike taken on 1e-5), the option where it is, how many are over 1e-6, and the CPU time per option.
#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <numeric>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "alo.h"
#include "options_domain_sample.h"

namespace keel::options {
namespace {

using detail::AloScheme;

[[noreturn]] void usage(const std::string& why) {
  std::fprintf(stderr,
               "options_alo_scheme_tune: %s\n"
               "usage: options_alo_scheme_tune --class C [--options N] [--seed S]\n"
               "         [--scheme nodes,points,sweeps,price_points,rho,tolerance,step_limit]...\n",
               why.c_str());
  std::exit(2);
}

template <class T>
T number(std::string_view text, const char* what) {
  T v{};
  const auto r = std::from_chars(text.data(), text.data() + text.size(), v);
  if (r.ec != std::errc() || r.ptr != text.data() + text.size())
    usage(std::string(what) + ": not a number: \"" + std::string(text) + "\"");
  return v;
}

AloScheme parse_scheme(std::string_view text) {
  std::vector<std::string_view> f;
  for (std::size_t at = 0;;) {
    const std::size_t comma = text.find(',', at);
    f.push_back(text.substr(at, comma == std::string_view::npos ? std::string_view::npos : comma - at));
    if (comma == std::string_view::npos) break;
    at = comma + 1;
  }
  if (f.size() != 7) usage("--scheme takes 7 comma-separated fields, not \"" + std::string(text) + "\"");
  AloScheme s{number<int>(f[0], "nodes"),        number<int>(f[1], "points"),
              number<int>(f[2], "sweeps"),       number<int>(f[3], "price_points"),
              detail::FixedPointEquation::kA,    true,
              number<double>(f[4], "rho"),       number<double>(f[5], "tolerance"),
              number<double>(f[6], "step_limit")};
  if (s.nodes <= 0 || s.nodes % 4 || s.nodes > detail::kMaxNodes || s.fp_points <= 0 || s.fp_points % 4 ||
      s.fp_points > detail::kMaxPoints || s.price_points <= 0 || s.price_points > detail::kMaxPricePoints ||
      s.iterations <= 0)
    usage("--scheme \"" + std::string(text) + "\": nodes (multiple of 4, at most " +
          std::to_string(detail::kMaxNodes) + "), points (multiple of 4, at most " +
          std::to_string(detail::kMaxPoints) + "), price points (at most " +
          std::to_string(detail::kMaxPricePoints) + ") and sweeps must be positive");
  return s;
}

double cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

// The sample's put forms (strike 1), in the order alo_price_batch gives a class's options
// (detail::block_order_key).
struct Puts {
  std::vector<double> r, q, vol, years, spot;
  std::size_t size() const { return r.size(); }
};
Puts in_batch_order(const bench::DomainSample& d) {
  std::vector<std::size_t> order(d.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  auto key = [&](std::size_t i) {
    return detail::block_order_key(d.put_rate[i], d.put_div[i], d.vol[i], d.years[i]);
  };
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return key(a) < key(b); });
  Puts p;
  for (const std::size_t i : order) {
    p.r.push_back(d.put_rate[i]);
    p.q.push_back(d.put_div[i]);
    p.vol.push_back(d.vol[i]);
    p.years.push_back(d.years[i]);
    p.spot.push_back(d.put_spot[i]);
  }
  return p;
}

// The puts priced with one scheme's tables: the prices and the CPU seconds they took.
double price_all(const detail::SchemeTables& tables, const Puts& s, std::vector<double>& out) {
  out.assign(s.size(), 0.0);
  const double start = cpu_seconds();
  detail::put_prices(tables, s.size(), s.r.data(), s.q.data(), s.vol.data(), s.years.data(), s.spot.data(),
                     out.data());
  return cpu_seconds() - start;
}

int run(int argc, char** argv) {
  int cls = -1;
  std::size_t count = 100'000;
  std::uint64_t seed = 2026112601;
  std::vector<AloScheme> schemes;
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    if (i + 1 >= argc) usage(std::string(a) + " needs a value");
    const std::string_view v = argv[++i];
    if (a == "--class")
      cls = number<int>(v, "--class");
    else if (a == "--options")
      count = number<std::size_t>(v, "--options");
    else if (a == "--seed")
      seed = number<std::uint64_t>(v, "--seed");
    else if (a == "--scheme")
      schemes.push_back(parse_scheme(v));
    else
      usage("unknown option " + std::string(a));
  }
  if (cls < 0 || cls >= detail::kSchemeClasses)
    usage("--class must be 0 to " + std::to_string(detail::kSchemeClasses - 1));
  if (count == 0) usage("--options must be at least 1");
  if (schemes.empty()) schemes.push_back(detail::standard_scheme(cls));

  bench::Lcg rng(seed);
  const Puts s = in_batch_order(bench::DomainSample(cls, count, rng));

  std::vector<double> high;
  const double high_seconds = price_all(detail::scheme_tables(cls, true), s, high);
  std::printf("class %d: %zu options (seed %llu); high preset %.2f us per option\n", cls, s.size(),
              static_cast<unsigned long long>(seed), 1e6 * high_seconds / static_cast<double>(s.size()));
  std::printf("%-32s %10s %7s %9s  %s\n", "scheme", "worst", "over", "us/option", "worst option (put form)");
  for (const AloScheme& scheme : schemes) {
    const detail::SchemeTables* tables = detail::make_scheme_tables(scheme);
    std::vector<double> got;
    const double seconds = price_all(*tables, s, got);
    detail::free_scheme_tables(tables);
    const auto w = bench::worst_error(got, high, 1e-5, 1e-6);
    char name[64];
    std::snprintf(name, sizeof name, "%dx%d m%d p%d rho%g tol%g lim%g", scheme.nodes, scheme.fp_points,
                  scheme.iterations, scheme.price_points, scheme.rho, scheme.tolerance, scheme.step_limit);
    std::printf("%-32s %10.2e %7zu %9.2f  r %.5f q %.5f vol %.4f T %.4f x %.4f: %.10g against %.10g\n", name,
                w.relative, w.over, 1e6 * seconds / static_cast<double>(s.size()), s.r[w.at], s.q[w.at],
                s.vol[w.at], s.years[w.at], s.spot[w.at], got[w.at], high[w.at]);
  }
  return 0;
}

}  // namespace
}  // namespace keel::options

int main(int argc, char** argv) {
  return keel::options::run(argc, argv);
}
