// Diversification and concentration analytics of a book (keel/service/factors.h, docs/factors.md).
#include <map>

#include "factors_inputs.h"
#include "keel/core/error.h"
#include "keel/factors/diversification.h"
#include "keel/io/csv.h"
#include "keel/risk/covariance.h"
#include "keel/service/factors.h"
#include "keel/store/store.h"

namespace keel::service {
namespace {

using nlohmann::json;

std::vector<std::vector<double>> matrix_rows(const Eigen::MatrixXd& m) {
  std::vector<std::vector<double>> rows(static_cast<std::size_t>(m.rows()));
  for (Eigen::Index i = 0; i < m.rows(); ++i) {
    for (Eigen::Index j = 0; j < m.cols(); ++j) rows[static_cast<std::size_t>(i)].push_back(m(i, j));
  }
  return rows;
}

std::map<std::string, std::string> read_sector_file(std::unique_ptr<ByteSource> file) {
  const std::string path = file->name();
  Diagnostics diags;
  io::CsvReader csv = io::CsvReader::open(std::move(file), diags);
  const auto infos = io::read_symbol_info(csv, diags);
  diags.throw_if_errors("cannot read sectors file " + path);
  std::map<std::string, std::string> out;
  for (const auto& i : infos) out[i.symbol] = i.sector;
  return out;
}

}  // namespace

CorrelationAnalyticsResult correlation_analytics(const Context& cx, const CorrelationAnalyticsRequest& req) {
  if (req.window < 2) throw Error::invalid_input("window must be at least 2 returns");
  Store* store = cx.store;
  detail::RiskInputs in = detail::load_risk_inputs(cx, req.inputs);
  const risk::ReturnMatrix returns = detail::risk_returns(in, req.inputs, req.window);
  const Eigen::MatrixXd cov = risk::covariance(returns, req.covariance);

  std::map<std::string, std::string> file_sectors;
  if (req.sectors_file) file_sectors = read_sector_file(cx.env.files.open(*req.sectors_file, "sectors"));
  std::vector<std::string> sectors;
  for (const Position& p : in.book.positions) {
    std::string s = p.sector;
    const std::string& key = p.price_symbol();
    if (s.empty()) {
      if (auto it = file_sectors.find(key); it != file_sectors.end()) {
        s = it->second;
      } else if (store != nullptr && !req.sectors_file) {
        if (auto info = store->symbol_info(key)) s = info->sector;
      }
    }
    sectors.push_back(s);
  }
  const factors::Diversification d = factors::diversification(in.risk_book, cov, sectors);

  CorrelationAnalyticsResult out;
  out.as_of = in.book.as_of.to_string();
  out.portfolio_name = in.book.name;
  out.window = returns.rows();
  out.covariance = std::string(risk::covariance_method_name(req.covariance.method));
  out.position_correlation = {d.symbols, matrix_rows(d.position_correlation)};
  DiversificationFigures& f = out.diversification;
  f.average_pairwise_correlation = d.average_pairwise_correlation;
  f.weighted_average_pairwise_correlation = d.weighted_average_pairwise_correlation;
  f.diversification_ratio = d.diversification_ratio;
  f.effective_number_of_bets = d.effective_number_of_bets;
  f.effective_number_of_positions = d.effective_number_of_positions;
  f.concentration.hhi = d.hhi;
  f.concentration.top10_weight = d.top10_weight;
  f.concentration.largest_sector = {d.largest_sector.sector, d.largest_sector.weight};
  for (const auto& s : d.sectors) f.concentration.sectors.push_back({s.sector, s.weight});
  if (req.with_factors || req.factors.file) {
    const detail::LoadedFactors lf = detail::load_factors(cx, req.factors, returns.dates.front(), returns.dates.back());
    in.warnings.insert(in.warnings.end(), lf.warnings.begin(), lf.warnings.end());
    const factors::AlignedFactors af = factors::align_factors(returns.dates, lf.table, {req.factors.rf_column, lf.source});
    const Eigen::MatrixXd fc = detail::factor_covariance(af);
    out.factor_correlation = FactorCorrelationResult{af.names, matrix_rows(risk::correlation_from_covariance(fc)), lf.source};
  }
  out.warnings = in.warnings;
  return out;
}

}  // namespace keel::service
