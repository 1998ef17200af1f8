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

json matrix_json(const Eigen::MatrixXd& m) {
  json rows = json::array();
  for (Eigen::Index i = 0; i < m.rows(); ++i) {
    json r = json::array();
    for (Eigen::Index j = 0; j < m.cols(); ++j) r.push_back(m(i, j));
    rows.push_back(std::move(r));
  }
  return rows;
}

std::map<std::string, std::string> read_sector_file(const std::string& path) {
  Diagnostics diags;
  io::CsvReader csv = io::CsvReader::open(path, diags);
  const auto infos = io::read_symbol_info(csv, diags);
  diags.throw_if_errors("cannot read sectors file " + path);
  std::map<std::string, std::string> out;
  for (const auto& i : infos) out[i.symbol] = i.sector;
  return out;
}

}  // namespace

nlohmann::json correlation_analytics(Store* store, const CorrelationAnalyticsRequest& req) {
  if (req.window < 2) throw Error::invalid_input("--window must be at least 2 returns");
  detail::RiskInputs in = detail::load_risk_inputs(Context{store}, req.inputs);
  const risk::ReturnMatrix returns = detail::risk_returns(in, req.inputs, req.window);
  const Eigen::MatrixXd cov = risk::covariance(returns, req.covariance);

  std::map<std::string, std::string> file_sectors;
  if (req.sectors_file) file_sectors = read_sector_file(*req.sectors_file);
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

  json out;
  out["as_of"] = in.book.as_of.to_string();
  out["portfolio_name"] = in.book.name;
  out["window"] = returns.rows();
  out["covariance"] = std::string(risk::covariance_method_name(req.covariance.method));
  out["position_correlation"] = {{"symbols", d.symbols}, {"matrix", matrix_json(d.position_correlation)}};
  out["average_pairwise_correlation"] = d.average_pairwise_correlation;
  out["weighted_average_pairwise_correlation"] = d.weighted_average_pairwise_correlation;
  out["diversification_ratio"] = d.diversification_ratio;
  out["effective_number_of_bets"] = d.effective_number_of_bets;
  out["effective_number_of_positions"] = d.effective_number_of_positions;
  json sector_list = json::array();
  for (const auto& s : d.sectors) sector_list.push_back({{"sector", s.sector}, {"weight", s.weight}});
  out["concentration"] = {{"hhi", d.hhi},
                          {"top10_weight", d.top10_weight},
                          {"largest_sector", {{"sector", d.largest_sector.sector}, {"weight", d.largest_sector.weight}}},
                          {"sectors", std::move(sector_list)}};
  if (req.factors) {
    const detail::LoadedFactors lf = detail::load_factors(store, *req.factors, returns.dates.front(), returns.dates.back());
    in.warnings.insert(in.warnings.end(), lf.warnings.begin(), lf.warnings.end());
    const factors::AlignedFactors af = factors::align_factors(returns.dates, lf.table, {req.factors->rf_column, lf.source});
    const Eigen::MatrixXd fc = detail::factor_covariance(af);
    out["factor_correlation"] = {{"factors", af.names},
                                 {"matrix", matrix_json(risk::correlation_from_covariance(fc))},
                                 {"source", lf.source}};
  }
  out["warnings"] = in.warnings;
  return out;
}

}  // namespace keel::service
