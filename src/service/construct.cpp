#include "keel/service/construct.h"

#include <fmt/format.h>

#include <cmath>

#include <algorithm>
#include <set>

#include "keel/construct/black_litterman.h"
#include "keel/construct/optimize.h"
#include "keel/core/error.h"
#include "keel/core/parse.h"
#include "keel/io/construct_reader.h"
#include "keel/io/csv.h"
#include "keel/io/input.h"
#include "keel/service/admission.h"
#include "keel/risk/covariance.h"
#include "keel/risk/monte_carlo.h"
#include "keel/service/imports.h"
#include "keel/store/store.h"
#include "risk_inputs.h"

namespace keel::service {
namespace {

constexpr double kDays = 252.0;

struct Prepared {
  detail::RiskInputs in;
  risk::ReturnMatrix returns;  // the window's returns (the covariance's input)
  construct::Problem problem;
  std::size_t window = 0;
  std::vector<std::string> warnings;
  std::optional<double> risk_aversion;
};

// The default risk aversion of the equilibrium when the book implies none (a market portfolio whose
// mean excess return is not positive): the value of He and Litterman's examples.
constexpr double kDefaultRiskAversion = 2.5;

std::size_t index_of(const std::vector<std::string>& symbols, const std::string& s) {
  return std::size_t(std::find(symbols.begin(), symbols.end(), s) - symbols.begin());
}

// The views of the request (HTTP) or of the --views file (CLI), over the problem's symbols.
std::vector<construct::View> load_views(const Context& cx, const OptimizeInputs& req,
                                        const std::vector<std::string>& symbols, std::vector<std::string>& warnings) {
  std::vector<io::ViewRow> rows;
  if (req.views_file) {
    const std::string text = io::read_text_file(cx.env.files, *req.views_file, "views", "views file");
    Diagnostics diags;
    rows = io::parse_views(text, *req.views_file, symbols, diags);
    diags.throw_if_errors(fmt::format("cannot read views file {}", *req.views_file));
    for (const auto& w : diags.warnings()) warnings.push_back(w.to_string());
  } else {
    Diagnostics diags;
    for (std::size_t k = 0; k < req.views.size(); ++k) {
      const OptimizeView& v = req.views[k];
      io::ViewRow row;
      row.expression = std::string(trim(v.view));
      row.annual_return = v.annual_return;
      row.confidence = v.confidence;
      std::string err;
      std::size_t at = 0;
      const std::string path = fmt::format("views[{}].view", k);
      if (auto terms = io::parse_view_expression(row.expression, err, at)) {
        row.terms = std::move(*terms);
        for (const auto& [sym, w] : row.terms)
          if (index_of(symbols, sym) == symbols.size())
            diags.error({"<request>", 0, 0, path, fmt::format("unknown symbol {}: a view names the book's symbols", sym)});
      } else {
        diags.error({"<request>", 0, 0, path, fmt::format("{} (at character {})", err, at + 1)});
      }
      rows.push_back(std::move(row));
    }
    diags.throw_if_errors("invalid views");
  }
  if (rows.empty())
    throw Error::invalid_input("expected_returns views needs at least one view (views, or --views FILE)");
  std::vector<construct::View> out;
  for (const io::ViewRow& r : rows) {
    construct::View v;
    v.label = r.expression;
    for (const auto& [sym, w] : r.terms) v.terms.emplace_back(index_of(symbols, sym), w);
    v.value = r.annual_return / kDays;
    v.confidence = r.confidence;
    out.push_back(std::move(v));
  }
  return out;
}

// Group bounds of the request (HTTP) or the --group-bounds file (CLI), resolved to the problem's
// assets: a sector from the position (else the store's security master), a tag or currency from
// the positions on that symbol (an option counts for its underlying).
std::vector<construct::GroupBound> load_groups(const Context& cx, const OptimizeInputs& req, const Book& book,
                                               const std::vector<std::string>& symbols,
                                               std::vector<std::string>& warnings) {
  std::vector<OptimizeGroupBound> groups = req.group_bounds;
  std::vector<std::string> where;  // for messages: file:line or group_bounds[k]
  for (std::size_t k = 0; k < groups.size(); ++k) where.push_back(fmt::format("group_bounds[{}]", k));
  if (req.group_bounds_file) {
    const std::string text = io::read_text_file(cx.env.files, *req.group_bounds_file, "group_bounds", "group bounds file");
    Diagnostics diags;
    for (const io::GroupBoundRow& r : io::parse_group_bounds(text, *req.group_bounds_file, diags)) {
      OptimizeGroupBound g;
      for (const auto& c : kGroupKindNames)
        if (c.name == r.kind) g.kind = c.value;
      g.name = r.name;
      g.lower = r.lower;
      g.upper = r.upper;
      groups.push_back(std::move(g));
      where.push_back(fmt::format("{}:{}", *req.group_bounds_file, r.line));
    }
    diags.throw_if_errors(fmt::format("cannot read group bounds file {}", *req.group_bounds_file));
    for (const auto& w : diags.warnings()) warnings.push_back(w.to_string());
  }
  std::vector<construct::GroupBound> out;
  std::map<std::string, std::string> master_sector;
  for (std::size_t k = 0; k < groups.size(); ++k) {
    const OptimizeGroupBound& g = groups[k];
    if (!g.lower && !g.upper) throw Error::invalid_input(fmt::format("{}: a group bound needs lower or upper", where[k]));
    if (g.lower && g.upper && *g.lower > *g.upper)
      throw Error::invalid_input(fmt::format("{}: lower {} above upper {}", where[k], *g.lower, *g.upper));
    std::set<std::size_t> members;
    const std::string name(trim(g.name));
    if (g.kind == GroupKind::kSymbols) {
      std::size_t i = 0;
      while (i < name.size()) {
        while (i < name.size() && (name[i] == ' ' || name[i] == '\t' || name[i] == ';')) ++i;
        std::size_t j = i;
        while (j < name.size() && name[j] != ' ' && name[j] != '\t' && name[j] != ';') ++j;
        if (j > i) {
          const std::string sym = name.substr(i, j - i);
          const std::size_t a = index_of(symbols, sym);
          if (a == symbols.size())
            throw Error::invalid_input(
                fmt::format("{}: unknown symbol {}: a group names the book's symbols", where[k], sym));
          members.insert(a);
        }
        i = j;
      }
    } else {
      for (const Position& p : book.positions) {
        const std::size_t a = index_of(symbols, p.price_symbol());
        if (a == symbols.size()) continue;
        bool in = false;
        if (g.kind == GroupKind::kTag) in = std::find(p.tags.begin(), p.tags.end(), name) != p.tags.end();
        if (g.kind == GroupKind::kCurrency) in = p.currency == name;
        if (g.kind == GroupKind::kSector) {
          std::string sector = p.sector;
          if (sector.empty() && cx.store != nullptr) {
            auto it = master_sector.find(p.price_symbol());
            if (it == master_sector.end()) {
              const auto info = cx.store->symbol_info(p.price_symbol());
              it = master_sector.emplace(p.price_symbol(), info ? info->sector : std::string()).first;
            }
            sector = it->second;
          }
          in = sector == name;
        }
        if (in) members.insert(a);
      }
    }
    const std::string kind(spec::choice_name(kGroupKindNames, g.kind));
    if (members.empty())
      throw Error::invalid_input(fmt::format("{}: {} {} has no member among the book's symbols", where[k], kind, name));
    construct::GroupBound b;
    b.name = fmt::format("{} {}", kind, name);
    b.members.assign(members.begin(), members.end());
    if (g.lower) b.lower = *g.lower;
    if (g.upper) b.upper = *g.upper;
    out.push_back(std::move(b));
  }
  return out;
}

// What an optimisation runs once its book is read: how many solves (1, or a frontier's points),
// whether they are min-CVaR linear programs, and whether a cardinality limit multiplies them.
struct SolveShape {
  std::string operation;
  double solves = 1.0;
  bool linear_program = false;
  bool cardinality = false;
};

// The cost of an optimisation on n assets and t returns (keel/service/admission.h), in steps of
// a dense factorisation: the covariance (t n^2), each solve's interior-point iterations (about 40
// factorisations of n^3 / 3), Black-Litterman's views (k n^2 + k^3), Monte Carlo scenarios (paths
// x n), and min-CVaR's simplex (its T x n nonzeros times about T + n pivots, at the LP's rate).
ComputeCost optimize_cost(const OptimizeInputs& req, const SolveShape& shape, double n, double t) {
  ComputeCost cost;
  cost.operation = shape.operation;
  cost.engine = Engine::kFactorisation;
  const double k = static_cast<double>(req.views.size());
  const double scenarios = req.scenarios == ScenarioSource::kMonteCarlo ? static_cast<double>(req.paths) : t;
  const double per_solve = 40.0 * (n * n * n / 3.0 + 10.0 * n * n) * (shape.cardinality ? 20.0 : 1.0);
  cost.steps = t * n * n + k * n * n + k * k * k + shape.solves * per_solve;
  cost.formula = fmt::format("assets {}^3 x {} solves{}", n, shape.solves, k > 0 ? fmt::format(" + views {}", k) : "");
  cost.parameter = k > n ? "views" : "the book's assets (positions)";
  // The covariance, the interior point's matrices and factor, the views' matrices.
  cost.memory_bytes = 8.0 * (8.0 * n * n + t * n + 2.0 * k * n + k * k);
  if (req.scenarios == ScenarioSource::kMonteCarlo) {
    cost.steps += 2.0 * scenarios * n * steps_per_second(Engine::kFactorisation) / steps_per_second(Engine::kMonteCarloVar);
    cost.memory_bytes += 16.0 * scenarios * n;
    cost.formula += fmt::format(" + paths {} x assets {}", req.paths, n);
    cost.parameter = "paths";
  }
  if (shape.linear_program) {
    const double nonzeros = scenarios * (n + 2.0);
    cost.steps += shape.solves * nonzeros * (scenarios + n) * steps_per_second(Engine::kFactorisation) /
                  steps_per_second(Engine::kLinearProgram);
    cost.memory_bytes += 3.0 * 16.0 * nonzeros;
    cost.formula += fmt::format(" + a linear program of {} scenarios x {} assets", scenarios, n);
    cost.parameter = req.scenarios == ScenarioSource::kMonteCarlo ? "paths" : "window";
  }
  return cost;
}

Prepared prepare(const Context& cx, const OptimizeInputs& req, const SolveShape& shape) {
  if (req.window < 2) throw Error::invalid_input("window must be at least 2 returns");
  Prepared p{detail::load_risk_inputs(cx, req.inputs), {}, {}, 0, {}, std::nullopt};
  // The optimiser's assets are the return columns; a currency is not one to hold.
  if (p.in.risk_book.has_fx()) {
    std::string list;
    for (const auto& c : p.in.risk_book.fx_currencies) list += (list.empty() ? "" : ", ") + c;
    throw Error::invalid_input(fmt::format("optimize works in one currency: {} holds positions in {} and reports in {}",
                                           p.in.book.name, list, p.in.risk_book.currency));
  }
  p.returns = detail::risk_returns(p.in, req.inputs, req.window);
  const risk::ReturnMatrix& returns = p.returns;
  const auto n = static_cast<Eigen::Index>(returns.cols());
  const auto t = static_cast<Eigen::Index>(returns.rows());
  admit_now(cx, optimize_cost(req, shape, static_cast<double>(n), static_cast<double>(t)));
  construct::Problem& pb = p.problem;
  pb.symbols = returns.symbols;
  pb.covariance = risk::covariance(returns, req.covariance);
  pb.scenarios = Eigen::Map<const Eigen::Matrix<double, -1, -1, Eigen::RowMajor>>(returns.values.data(), t, n);
  pb.mean = pb.scenarios.colwise().mean().transpose();
  if (req.scenarios == ScenarioSource::kMonteCarlo) {
    // One-day paths of the window's covariance (the same estimator) and sample mean.
    risk::VarOptions vo;
    vo.confidence = req.confidence;
    vo.covariance = req.covariance;
    vo.mean = risk::MeanModel::kSample;
    vo.monte_carlo.paths = req.paths;
    vo.monte_carlo.seed = req.seed;
    vo.monte_carlo.distribution = req.distribution;
    vo.monte_carlo.df = req.df;
    const risk::MonteCarloSimulation sim(p.in.risk_book, returns, vo);
    Eigen::Matrix<double, -1, -1, Eigen::RowMajor> paths(Eigen::Index(req.paths), n);
    sim.simulate_returns(0, req.paths, paths.data());
    pb.scenarios = paths;
  }
  pb.risk_free = req.risk_free / kDays;
  pb.es_confidence = req.confidence;
  pb.periods_per_year = kDays;
  construct::Constraints& c = pb.constraints;
  c.long_only = req.long_only;
  if (req.min_weight) c.lower.assign(std::size_t(n), *req.min_weight);
  if (req.max_weight) c.upper.assign(std::size_t(n), *req.max_weight);
  // The book's weights: each driver's delta exposure over the book's value.
  const std::vector<double> e = p.in.risk_book.asset_exposures();
  const double value = p.in.risk_book.total_value();
  c.current.assign(std::size_t(n), 0.0);
  for (std::size_t i = 0; i < std::size_t(n) && i < e.size(); ++i) c.current[i] = value != 0.0 ? e[i] / value : 0.0;
  c.turnover = req.turnover;
  // The book's warnings first, then those of what is read and decided here.
  p.warnings = p.in.warnings;
  for (const auto& w : returns.warnings) p.warnings.push_back(w);
  c.groups = load_groups(cx, req, p.in.book, pb.symbols, p.warnings);
  if (req.expected_returns == ExpectedReturns::kHistorical && (!req.views.empty() || req.views_file))
    throw Error::invalid_input("views are for expected_returns views (--expected-returns views)");
  if (req.expected_returns != ExpectedReturns::kHistorical) {
    // The market portfolio is the book as it is.
    const Eigen::Map<const Eigen::VectorXd> w_mkt(c.current.data(), n);
    double delta = kDefaultRiskAversion;
    if (req.risk_aversion) {
      delta = *req.risk_aversion;
    } else if (auto implied = construct::implied_risk_aversion(pb.covariance, pb.mean, w_mkt, pb.risk_free)) {
      delta = *implied;
    } else {
      p.warnings.push_back(fmt::format(
          "the book's mean excess return over the window is not positive, so it implies no risk aversion: the "
          "equilibrium uses {}",
          kDefaultRiskAversion));
    }
    p.risk_aversion = delta;
    pb.mean = construct::equilibrium_returns(pb.covariance, w_mkt, delta);
    if (req.expected_returns == ExpectedReturns::kViews)
      pb.mean =
          construct::black_litterman(pb.covariance, pb.mean, load_views(cx, req, pb.symbols, p.warnings), req.tau).mean;
  }
  p.window = returns.rows();
  return p;
}

std::map<std::string, double> by_symbol(const std::vector<std::string>& symbols, const std::vector<double>& v) {
  std::map<std::string, double> out;
  for (std::size_t i = 0; i < symbols.size() && i < v.size(); ++i) out[symbols[i]] = v[i];
  return out;
}

FrontierPoint point(const construct::Problem& pb, const construct::Result& r, double rf) {
  FrontierPoint f;
  f.status = r.status;
  f.expected_return = r.expected_return * kDays;
  if (r.status == "optimal") {
    f.volatility = r.volatility * std::sqrt(kDays);
    f.sharpe = f.volatility > 0.0 ? (f.expected_return - rf) / f.volatility : 0.0;
    f.expected_shortfall = r.expected_shortfall;
    f.weights = by_symbol(pb.symbols, r.weights);
  }
  return f;
}

// Adjusted closes of symbols the book does not hold (a benchmark's), up to the as-of date: from the
// prices loaded with the book when they have every symbol, else from the prices file or the store.
PriceHistory outside_prices(const Context& cx, const BookSource& src, const Date& as_of,
                            const std::vector<std::string>& symbols) {
  const auto loaded = [&](const std::string& s) { return src.loaded_prices->prices.find(s).has_value(); };
  if (src.loaded_prices && std::all_of(symbols.begin(), symbols.end(), loaded)) return src.loaded_prices->prices;
  if (src.prices_file)
    return pivot_prices(read_prices_file({*src.prices_file, std::nullopt}, nullptr, cx.env.files), symbols,
                        /*adjusted=*/true, as_of);
  if (cx.store == nullptr) return {};
  return cx.store->price_histories(symbols, std::nullopt, as_of).adjusted;
}

// The daily-rebalanced return of the benchmark's part outside the book, r_o,t = sum_j w_j (P_j(d_t) /
// P_j(d_t-1) - 1), on the dates of the window's returns. A price missing on one of those dates is an
// error, or with carry-forward the last price before it.
std::vector<double> outside_returns(const PriceHistory& h, const std::map<std::string, double>& weights,
                                    const risk::ReturnMatrix& r, risk::MissingPrices missing,
                                    const BookSource& src) {
  const char* where = src.prices_file ? "in the prices file" : "in the store";
  std::vector<double> out(r.rows(), 0.0);
  for (const auto& [sym, w] : weights) {
    const std::optional<std::size_t> col = h.find(sym);
    bool any = false;
    for (std::size_t t = 0; col && t < h.rows() && !any; ++t) any = !is_missing(h.at(t, *col));
    if (!any)
      throw Error::invalid_input(fmt::format(
          "benchmark {}: not a symbol of the book and no prices for it {} (a benchmark is a symbol of the book, a "
          "symbol with prices, or weights of such symbols)",
          sym, where));
    const auto price_on = [&](const Date& d) {
      auto it = std::upper_bound(h.dates.begin(), h.dates.end(), d);
      while (it != h.dates.begin()) {
        --it;
        const double v = h.at(std::size_t(it - h.dates.begin()), *col);
        if (*it == d && !is_missing(v)) return v;
        if (missing != risk::MissingPrices::kCarryForward) break;
        if (!is_missing(v)) return v;
      }
      throw Error::invalid_input(fmt::format(
          "benchmark {} has no price on {}, a date of the returns window{}", sym, d.to_string(),
          missing == risk::MissingPrices::kCarryForward ? "" : " (missing carry-forward carries its last price)"));
    };
    double prev = price_on(r.start);
    for (std::size_t t = 0; t < r.rows(); ++t) {
      const double now = price_on(r.dates[t]);
      out[t] += w * (now / prev - 1.0);
      prev = now;
    }
  }
  return out;
}

// The benchmark (a symbol of the book, a symbol with prices the book does not hold, a weights file
// on the command line, or weights per symbol), the tracking error limit and the most names held,
// into the problem's constraints. A part outside the book enters through its covariance with each
// asset and its variance, from the same estimator over the assets and the benchmark together.
void apply_benchmark(const Context& cx, const OptimizeInputs& in, const std::optional<std::string>& benchmark,
                     const std::map<std::string, double>& benchmark_weights,
                     const std::optional<double>& max_tracking_error, const std::optional<std::size_t>& max_names,
                     Prepared& p) {
  construct::Constraints& c = p.problem.constraints;
  const std::vector<std::string>& symbols = p.problem.symbols;
  if (benchmark && !benchmark_weights.empty())
    throw Error::invalid_input("give benchmark or benchmark_weights, not both");
  std::map<std::string, double> weights = benchmark_weights;
  if (benchmark) {
    if (index_of(symbols, *benchmark) < symbols.size()) {
      weights[*benchmark] = 1.0;
    } else {
      // Not a symbol of the book: a file of weights (the command line's files only), else a series.
      std::optional<std::string> text;
      try {
        text = io::read_text_file(cx.env.files, *benchmark, "benchmark", "benchmark weights file");
      } catch (const Error& e) {
        // Not found, or a face that reads no files (HTTP).
        if (e.code() != ErrorCode::kNotFound && e.code() != ErrorCode::kForbidden) throw;
      }
      if (!text) {
        weights[*benchmark] = 1.0;
      } else {
        Diagnostics diags;
        weights = io::parse_symbol_weights(*text, *benchmark, diags);
        diags.throw_if_errors(fmt::format("cannot read benchmark weights file {}", *benchmark));
        for (const auto& w : diags.warnings()) p.warnings.push_back(w.to_string());
      }
    }
  }
  if (!weights.empty()) {
    double sum = 0.0;
    for (const auto& [sym, w] : weights) sum += w;
    if (std::abs(sum - 1.0) > 1e-6)
      throw Error::invalid_input(fmt::format("the benchmark's weights sum to {}, not 1", sum));
    c.benchmark.assign(symbols.size(), 0.0);
    std::map<std::string, double> outside;
    for (const auto& [sym, w] : weights) {
      if (const std::size_t a = index_of(symbols, sym); a < symbols.size()) c.benchmark[a] = w;
      else outside[sym] = w;
    }
    if (!outside.empty()) {
      std::vector<std::string> names;
      for (const auto& [sym, w] : outside) names.push_back(sym);
      const std::vector<double> ro =
          outside_returns(outside_prices(cx, in.inputs.source, p.in.book.as_of, names), outside, p.returns,
                          in.inputs.missing, in.inputs.source);
      // The assets' returns and the benchmark's as one more column, through the same estimator.
      const std::size_t n = p.returns.cols();
      risk::ReturnMatrix with = p.returns;
      with.symbols.push_back("benchmark");
      with.values.assign(p.returns.rows() * (n + 1), 0.0);
      for (std::size_t t = 0; t < p.returns.rows(); ++t) {
        std::copy_n(p.returns.values.begin() + std::ptrdiff_t(t * n), n, with.values.begin() + std::ptrdiff_t(t * (n + 1)));
        with.values[t * (n + 1) + n] = ro[t];
      }
      const Eigen::MatrixXd s = risk::covariance(with, in.covariance);
      c.benchmark_covariance.assign(n, 0.0);
      for (std::size_t i = 0; i < n; ++i) c.benchmark_covariance[i] = s(Eigen::Index(i), Eigen::Index(n));
      c.benchmark_variance = s(Eigen::Index(n), Eigen::Index(n));
    }
  }
  if (max_tracking_error) {
    if (c.benchmark.empty())
      throw Error::invalid_input("max_tracking_error needs a benchmark (--benchmark SYMBOL or a weights file)");
    c.tracking_error = *max_tracking_error / std::sqrt(kDays);
  }
  c.max_names = max_names;
}

}  // namespace

OptimizeResult optimize(const Context& cx, const OptimizeRequest& req) {
  Prepared p = prepare(cx, req.inputs,
                       {"optimisation", 1.0, req.objective == construct::Objective::kMinCvar, req.max_names.has_value()});
  construct::Spec spec;
  spec.objective = req.objective;
  if (req.objective == construct::Objective::kTargetReturn) {
    if (!req.target_return) throw Error::invalid_input("target-return needs target_return (--target-return)");
    spec.target = *req.target_return / kDays;
  }
  if (req.objective == construct::Objective::kTargetVolatility) {
    if (!req.target_volatility)
      throw Error::invalid_input("target-volatility needs target_volatility (--target-volatility)");
    spec.target = *req.target_volatility / std::sqrt(kDays);
  }
  apply_benchmark(cx, req.inputs, req.benchmark, req.benchmark_weights, req.max_tracking_error, req.max_names, p);
  construct::Constraints& c = p.problem.constraints;
  const construct::Result r = construct::optimize(p.problem, spec);
  OptimizeResult out;
  out.as_of = p.in.book.as_of.to_string();
  out.portfolio = p.in.book.name;
  out.objective = std::string(construct::objective_name(req.objective));
  out.covariance = std::string(risk::covariance_method_name(req.inputs.covariance.method));
  out.window = p.window;
  out.status = r.status;
  out.weights = by_symbol(p.problem.symbols, r.weights);
  out.current_weights = by_symbol(p.problem.symbols, p.problem.constraints.current);
  out.expected_return = r.expected_return * kDays;
  out.volatility = r.volatility * std::sqrt(kDays);
  out.sharpe = out.volatility > 0.0 ? (out.expected_return - req.inputs.risk_free) / out.volatility : 0.0;
  out.expected_shortfall = r.expected_shortfall;
  out.confidence = req.inputs.confidence;
  out.risk_contributions = by_symbol(p.problem.symbols, r.risk_contributions);
  out.binding_constraints = r.binding;
  out.solver = {r.solver, r.iterations, r.duality_gap, r.kkt_residual, std::nullopt, std::nullopt};
  if (req.max_names) {
    out.solver.nodes = r.nodes;
    out.solver.mip_gap = r.mip_gap;
  }
  if (req.inputs.expected_returns != ExpectedReturns::kHistorical) {
    out.expected_returns = std::string(spec::choice_name(kExpectedReturnsNames, req.inputs.expected_returns));
    out.risk_aversion = p.risk_aversion;
    out.asset_returns.emplace();
    for (std::size_t i = 0; i < p.problem.symbols.size(); ++i)
      (*out.asset_returns)[p.problem.symbols[i]] = p.problem.mean[Eigen::Index(i)] * kDays;
  }
  if (!c.benchmark.empty()) out.tracking_error = r.tracking_error * std::sqrt(kDays);
  out.warnings = p.warnings;
  return out;
}

OptimizeFrontierResult optimize_frontier(const Context& cx, const OptimizeFrontierRequest& req) {
  Prepared p = prepare(cx, req.inputs, {"efficient frontier", static_cast<double>(req.points), false, req.max_names.has_value()});
  apply_benchmark(cx, req.inputs, req.benchmark, req.benchmark_weights, req.max_tracking_error, req.max_names, p);
  const std::vector<construct::Result> f = construct::frontier(p.problem, req.points);
  OptimizeFrontierResult out;
  out.as_of = p.in.book.as_of.to_string();
  out.portfolio = p.in.book.name;
  out.covariance = std::string(risk::covariance_method_name(req.inputs.covariance.method));
  out.window = p.window;
  construct::Result cur;
  cur.weights = p.problem.constraints.current;
  construct::describe(p.problem, cur);
  out.current = point(p.problem, cur, req.inputs.risk_free);
  for (const construct::Result& r : f) out.points.push_back(point(p.problem, r, req.inputs.risk_free));
  out.warnings = p.warnings;
  return out;
}

}  // namespace keel::service
