// `keel symbols list`: the security master (keel/service/security_master.h); `keel templates
// [KIND] [--dir DIR]`: the CSV templates of the imports (keel/service/readiness.h).
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>

#include "context.h"
#include "keel/core/error.h"
#include "keel/service/readiness.h"
#include "keel/service/security_master.h"
#include "spec_cli.h"

namespace keel::cli {

TextTable symbol_records_table(const std::string& title, const std::vector<service::SymbolRecord>& records,
                               const std::vector<std::string>& status) {
  TextTable t(title);
  t.column("symbol", TextTable::Align::kLeft);
  if (!status.empty()) t.column("status", TextTable::Align::kLeft);
  t.column("name", TextTable::Align::kLeft)
      .column("exchange", TextTable::Align::kLeft)
      .column("currency", TextTable::Align::kLeft)
      .column("sector", TextTable::Align::kLeft)
      .column("industry", TextTable::Align::kLeft)
      .column("market_cap")
      .column("country", TextTable::Align::kLeft)
      .column("asset_type", TextTable::Align::kLeft)
      .column("source", TextTable::Align::kLeft);
  auto dash = [](const std::string& s) { return s.empty() ? std::string("-") : s; };
  for (std::size_t i = 0; i < records.size(); ++i) {
    const auto& r = records[i];
    std::vector<std::string> row{r.symbol};
    if (!status.empty()) row.push_back(status[i]);
    for (const auto& x : {r.name, r.exchange, r.currency, r.sector, r.industry}) row.push_back(dash(x));
    row.push_back(r.market_cap ? fmt_amount(*r.market_cap) : "-");
    for (const auto& x : {r.country, r.asset_type, r.source}) row.push_back(dash(x));
    t.row(row);
  }
  return t;
}

void add_symbols_commands(CLI::App& app, Context& ctx) {
  auto* group = app.add_subcommand("symbols", "The security master: records imported (keel import sectors) or fetched (keel fetch symbols)");
  group->require_subcommand(1);
  auto* list = group->add_subcommand("list", "Stored security-master records by symbol");
  auto req = std::make_shared<service::SymbolsListRequest>();
  spec_options(list, *req);
  list->callback([&ctx, req] {
    const auto out = service::list_symbols(ctx.service(), *req);
    TextTable t = symbol_records_table("Security master", out.symbols, {});
    if (out.symbols.empty()) t.footer("no records: keel fetch symbols --symbols A,B or keel import sectors FILE");
    ctx.emit(spec::to_json(out), {t});
  });

  // keel templates              the kinds, their files and the imports that read them
  // keel templates KIND         that template's CSV on stdout
  // keel templates [KIND] --dir D   writes KIND's (or every) template into D as KIND_template.csv
  auto kind = std::make_shared<std::string>();
  auto dir = std::make_shared<std::string>();
  auto* templates = app.add_subcommand("templates", "CSV templates of the imports: a header and one example row each");
  templates->add_option("kind", *kind, "positions, prices, factors, curve, sectors, fx or transactions");
  templates->add_option("--dir", *dir, "Write the template files into this folder");
  templates->callback([&ctx, kind, dir] {
    service::CsvTemplates all;
    if (kind->empty()) {
      all = service::csv_templates();
    } else {
      all.items.push_back(service::csv_template(*kind));
    }
    auto& list = all.items;
    if (!dir->empty()) {
      std::filesystem::create_directories(*dir);
      for (auto& t : list) {
        const auto path = std::filesystem::path(*dir) / t.file_name;
        std::ofstream f(path, std::ios::binary);
        f << t.csv;
        if (!f) throw Error::usage("cannot write " + path.string());
        t.file_name = path.string();
      }
    } else if (!kind->empty() && ctx.format_name != "json") {
      std::cout << list[0].csv;  // the file itself, to redirect into one (--format json: the record)
      return;
    }
    TextTable t(dir->empty() ? "CSV templates (keel templates KIND prints one)" : "CSV templates written");
    t.column("kind", TextTable::Align::kLeft).column("file", TextTable::Align::kLeft).column("import", TextTable::Align::kLeft);
    for (const auto& x : list) t.row({x.kind, x.file_name, x.command});
    ctx.emit(spec::to_json(all), {t});
  });
}

}  // namespace keel::cli
