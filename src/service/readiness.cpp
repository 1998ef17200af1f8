// portfolio_readiness and the CSV templates (keel/service/readiness.h).
#include "keel/service/readiness.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <set>

#include "keel/core/error.h"
#include "keel/service/fx.h"
#include "keel/service/portfolio_view.h"
#include "keel/store/store.h"

namespace keel::service {
namespace {

std::string quoted(const std::string& name) {
  const bool plain = std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
  });
  return plain ? name : "'" + name + "'";
}

}  // namespace

ReadinessReport portfolio_readiness(const Context& cx, const ReadinessRequest& req) {
  Store& store = require_store(cx, "a portfolio's readiness is read from the store (--db)");
  const PortfolioSummary p = resolve_portfolio(cx, req.portfolio);
  const std::string name = quoted(p.name);
  const std::vector<Position> positions = store.positions(cx.actor.tenant, p.name);
  ReadinessReport out;
  out.portfolio = p.name;
  out.id = p.id;
  out.positions = positions.size();
  out.window = req.window;
  auto add = [&](std::string what, std::string symbol, std::string missing, std::string fix) {
    out.items.push_back({std::move(what), std::move(symbol), std::move(missing), std::move(fix)});
  };
  if (positions.empty()) {
    add("positions", "", "the portfolio holds no position",
        "keel import positions FILE --portfolio " + name + " (keel templates positions)");
  }

  // The priced symbols, each once, in position order.
  std::vector<std::string> priced;
  for (const auto& pos : positions) {
    if (pos.type == InstrumentType::kCash || pos.type == InstrumentType::kOther) continue;
    const std::string& s = pos.price_symbol();
    if (!s.empty() && std::find(priced.begin(), priced.end(), s) == priced.end()) priced.push_back(s);
  }

  // The risk window: the last window + 1 dates with a price of any priced symbol, up to as_of.
  std::optional<Date> as_of = req.as_of ? req.as_of : store.last_price_date();
  if (!priced.empty()) {
    const PriceHistory h = as_of ? store.price_history(priced, std::nullopt, *as_of, PriceField::kAdjustedClose)
                                 : PriceHistory{};
    const std::size_t need = req.window + 1;
    const std::size_t first = h.rows() > need ? h.rows() - need : 0;
    if (h.rows() > 0) {
      out.window_from.emplace(h.dates[first]);
      out.window_to.emplace(h.dates.back());
    }
    const std::string from_flag =
        out.window_from ? " --from " + out.window_from->to_string() : std::string(" --from ") +
                                                                         (as_of ? as_of->add_days(-400) : Date::from_ymd(2000, 1, 1)).to_string();
    for (std::size_t c = 0; c < priced.size(); ++c) {
      std::size_t have = 0;
      for (std::size_t t = first; t < h.rows(); ++t) {
        if (!std::isnan(h.at(t, c))) ++have;
      }
      if (have >= need) continue;
      const std::string span = out.window_from ? fmt::format(" over {}..{}", out.window_from->to_string(),
                                                             out.window_to->to_string())
                                               : std::string();
      add("prices", priced[c],
          fmt::format("{} of the {} closes the risk window needs{}", have, need, span),
          "keel fetch prices --provider yahoo --symbols " + priced[c] + from_flag +
              " (or keel import prices FILE; keel templates prices)");
    }
  }

  // Options: implied vol and expiry.
  for (const auto& pos : positions) {
    if (!pos.is_option()) continue;
    if (pos.expiry && as_of && *pos.expiry <= *as_of) {
      add("option_inputs", pos.symbol, "expired on " + pos.expiry->to_string(),
          "remove it from the positions file and keel import positions FILE --portfolio " + name);
    }
    if (!pos.implied_vol) {
      add("option_inputs", pos.symbol,
          "implied_vol (the risk run uses the underlying's historical volatility instead)",
          "keel options iv QUOTES_FILE for the vols, then the implied_vol column of keel import positions FILE "
          "--portfolio " + name);
    }
  }

  // Sectors: the position's own, else the security master's (an option: its underlying's).
  std::set<std::string> no_sector;
  for (const auto& pos : positions) {
    if (pos.type == InstrumentType::kCash || pos.type == InstrumentType::kOther || !pos.sector.empty()) continue;
    const std::string& s = pos.price_symbol();
    if (s.empty() || no_sector.count(s)) continue;
    const auto info = store.symbol_info(s);
    if (!info || info->sector.empty()) {
      no_sector.insert(s);
      add("sectors", s, "no sector in the position or the security master",
          "keel fetch symbols --provider yahoo --symbols " + s + " (or keel import sectors FILE)");
    }
  }

  // Factors: the set's returns over the window.
  if (!positions.empty()) {
    const FactorTable f = store.factors(req.factor_set, std::nullopt, std::nullopt);
    if (f.rows() == 0) {
      add("factors", "", "no factor returns in the set " + req.factor_set,
          "keel fetch factors --dataset ff5 --set " + req.factor_set + " (or keel import factors FILE --set " +
              req.factor_set + ")");
    } else if (out.window_from) {
      std::size_t have = 0;
      for (const Date& d : f.dates) {
        if (d >= *out.window_from && d <= *out.window_to) ++have;
      }
      if (have < req.window) {
        add("factors", "",
            fmt::format("{} of the {} daily returns of the set {} over {}..{} (stored {}..{})", have, req.window,
                        req.factor_set, out.window_from->to_string(), out.window_to->to_string(),
                        f.dates.front().to_string(), f.dates.back().to_string()),
            "keel fetch factors --dataset ff5 --set " + req.factor_set);
      }
    }
  }

  // FX: each position currency against the portfolio's, on the window's last date.
  for (const auto& u : unconverted_currencies(cx, positions, p.base_currency,
                                              out.window_to ? std::optional<Date>(*out.window_to) : as_of)) {
    const std::string& c = u.currency;
    add("fx", c, "no rate converting " + c + " into " + p.base_currency,
        "keel fetch fx --provider ecb --currencies " + (c == "EUR" ? p.base_currency : c) +
            " (or keel import fx FILE; keel templates fx)");
  }
  out.ready = out.items.empty();
  return out;
}

// --- templates ---

std::vector<std::string> template_kinds() {
  return {"positions", "prices", "factors", "curve", "sectors", "fx", "transactions"};
}

CsvTemplate csv_template(const std::string& kind) {
  CsvTemplate t;
  t.kind = kind;
  t.file_name = kind + "_template.csv";
  if (kind == "positions") {
    t.command = "keel import positions FILE --portfolio NAME";
    t.csv =
        "symbol,quantity,entry_price,entry_date,type,underlying,strike,expiry,option_type,multiplier,implied_vol,"
        "exercise,dividend_yield,sector,tags,strategy,currency\n"
        "AAPL,100,185.64,2024-01-02,stock,,,,,,,,,Information Technology,core;growth,core equity,USD\n";
  } else if (kind == "prices") {
    t.command = "keel import prices FILE";
    t.csv = "date,symbol,open,high,low,close,adj_close,volume\n2024-01-02,AAPL,187.15,188.44,183.89,185.64,184.94,82488700\n";
  } else if (kind == "factors") {
    t.command = "keel import factors FILE --set ff5";
    t.csv = "date,mkt_rf,smb,hml,rmw,cma,rf\n2024-01-02,-0.0071,0.0062,0.0049,0.0088,0.0016,0.0002\n";
  } else if (kind == "curve") {
    t.command = "keel import curve FILE --name usd_zero --curve-type zero";
    t.csv = "tenor,rate\n1Y,0.0475\n";
  } else if (kind == "sectors") {
    t.command = "keel import sectors FILE";
    t.csv = "symbol,sector,name,industry\nAAPL,Information Technology,Apple Inc.,\"Technology Hardware, Storage & Peripherals\"\n";
  } else if (kind == "fx") {
    t.command = "keel import fx FILE";
    t.csv = "date,base,quote,rate\n2024-01-02,EUR,USD,1.0956\n";
  } else if (kind == "transactions") {
    t.command = "keel import transactions FILE --account NAME";
    t.csv = "date,type,symbol,quantity,price,fees,amount,lot_id,note\n2024-01-02,BUY,AAPL,10,185.64,1.00,,,first purchase\n";
  } else {
    std::string list;
    for (const auto& k : template_kinds()) list += (list.empty() ? "" : ", ") + k;
    throw Error::not_found("no CSV template of \"" + kind + "\" (expected one of " + list + ")");
  }
  return t;
}

CsvTemplates csv_templates() {
  CsvTemplates out;
  for (const auto& k : template_kinds()) out.items.push_back(csv_template(k));
  return out;
}

}  // namespace keel::service
