#include "risk_flags.h"

#include "keel/store/store.h"

namespace keel::cli {

void add_risk_book_flags(CLI::App* cmd, RiskBookFlags& f) {
  cmd->add_option("--portfolio,-p", f.portfolio, "Stored portfolio name");
  cmd->add_option("--positions", f.positions, "Positions CSV (instead of --portfolio)");
  cmd->add_option("--prices", f.prices, "Prices CSV (default: the store's prices)");
  cmd->add_option("--as-of", f.as_of, "Risk date (default: the last date with prices)");
  cmd->add_option("--missing", f.missing,
                  "Missing prices: error (align on common dates) or carry-forward (zero-return proxy)")
      ->check(CLI::IsMember({"error", "carry-forward"}));
  cmd->add_option("--rate", f.rate, "Risk-free rate for options, continuous decimal (0.05 = 5%)");
  cmd->add_option("--div", f.div, "Dividend yield of option underlyings, continuous decimal");
  cmd->add_option("--vol-window", f.vol_window, "Trading days of historical vol for options without implied_vol");
  cmd->add_option("--american-engine", f.american_engine,
                  "American options: alo (Andersen-Lake-Offengenden fixed point, default) or baw "
                  "(Barone-Adesi-Whaley approximation)")
      ->check(CLI::IsMember({"alo", "baw"}));
}

service::RiskInputsRequest risk_inputs_from(const RiskBookFlags& f) {
  service::RiskInputsRequest r;
  if (!f.portfolio.empty()) r.source.portfolio = f.portfolio;
  if (!f.positions.empty()) r.source.positions_file = f.positions;
  if (!f.prices.empty()) r.source.prices_file = f.prices;
  if (!f.as_of.empty()) r.source.as_of = Date::parse_or_throw(f.as_of, "--as-of");
  r.rate = f.rate;
  r.div = f.div;
  r.vol_window = f.vol_window;
  r.american_engine = options::parse_american_engine(f.american_engine).value_or(options::kDefaultAmericanEngine);
  r.missing = f.missing == "carry-forward" ? risk::MissingPrices::kCarryForward : risk::MissingPrices::kError;
  return r;
}

Store* risk_store_for(Context& ctx, const RiskBookFlags& f) {
  if (!f.portfolio.empty() || ctx.has_store_file()) return &ctx.store();
  return nullptr;
}

void print_result_warnings(const Context& ctx, const nlohmann::json& out) {
  if (!out.contains("warnings")) return;
  for (const auto& w : out["warnings"]) ctx.warn(w.get<std::string>());
}

}  // namespace keel::cli
