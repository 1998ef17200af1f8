// copy_store (keel/store/store_copy.h): the backend-neutral part of a store copy — locations,
// schema and emptiness checks, foreign-key order, the row counts checked before the commit.
#include "keel/store/store_copy.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <map>
#include <set>

#include "copy_endpoint.h"
#include "keel/core/error.h"
#include "keel/store/postgresql.h"

namespace keel::store {

namespace copy {

void TableWriter::row(const Row& values) {
  ++line_;
  const auto parse = [&]<class T>(const std::string& text, const Column& c, T out) {
    auto r = std::from_chars(text.data(), text.data() + text.size(), out);
    if (r.ec != std::errc() || r.ptr != text.data() + text.size()) {
      throw Error::invalid_input(
          fmt::format("table {}, row {}, column {}: \"{}\" is not a number", table_, line_, c.name, text));
    }
    return out;
  };
  for (std::size_t i = 0; i < columns_.size(); ++i) {
    const int p = static_cast<int>(i) + 1;
    const Value& v = values[i];
    if (!v) {
      row_.bind_null(p);
      continue;
    }
    switch (columns_[i].kind) {
      case Kind::kInteger:
        row_.bind(p, parse(*v, columns_[i], std::int64_t{}));
        break;
      case Kind::kReal:
        row_.bind(p, parse(*v, columns_[i], 0.0));
        break;
      case Kind::kBlob:
        row_.bind(p, SqlBlob{*v});
        break;
      case Kind::kText:
        row_.bind(p, *v);
        break;
    }
  }
  row_.run();
  row_.reset();
}

void TableWriter::finish() {
  try {
    finish_();
  } catch (const Error& e) {
    throw Error(e.code(), "table " + table_ + ": " + e.what(), e.details());
  }
}

}  // namespace copy

namespace {

struct Location {
  bool postgresql = false;
  std::string where;  // path or URL
};

Location parse_location(const std::string& text, const char* option) {
  if (text.empty()) throw Error::usage(std::string(option) + ": a store location is required");
  if (pg::is_url(text)) return {true, text};
  if (text.rfind("sqlite:", 0) == 0) {
    const std::string path = text.substr(7);
    if (path.empty())
      throw Error::usage(std::string(option) + ": sqlite: needs a file path (sqlite:keel.db)");
    return {false, path};
  }
  if (text.find("://") != std::string::npos) {
    throw Error::usage(std::string(option) + ": \"" + pg::redact_url(text) +
                       "\" is neither sqlite:PATH nor a postgresql:// URL");
  }
  return {false, text};
}

std::unique_ptr<copy::Endpoint> open(const Location& l, bool as_target) {
  return l.postgresql ? copy::open_postgresql_endpoint(l.where)
                      : copy::open_sqlite_endpoint(l.where, as_target);
}

// Parents before children; among tables free at once, by name (a stable, readable order).
std::vector<copy::Table> parents_first(std::vector<copy::Table> tables) {
  std::map<std::string, copy::Table> left;
  for (auto& t : tables) left.emplace(t.name, std::move(t));
  std::vector<copy::Table> out;
  std::set<std::string> done;
  while (!left.empty()) {
    bool progressed = false;
    for (auto it = left.begin(); it != left.end();) {
      const bool ready = std::all_of(it->second.parents.begin(), it->second.parents.end(),
                                     [&](const std::string& p) { return done.count(p) || !left.count(p); });
      if (!ready) {
        ++it;
        continue;
      }
      done.insert(it->first);
      out.push_back(std::move(it->second));
      it = left.erase(it);
      progressed = true;
      break;  // restart from the first name, so the order is by name among free tables
    }
    if (!progressed) {
      throw Error::internal("the store's foreign keys form a cycle through " + left.begin()->first);
    }
  }
  return out;
}

// The same tables with the same column names on both sides, or an error naming the differences.
void check_same_schema(const std::vector<copy::Table>& source, const std::vector<copy::Table>& target,
                       const std::string& from, const std::string& to) {
  std::map<std::string, const copy::Table*> by_name;
  for (const auto& t : target) by_name[t.name] = &t;
  std::vector<std::string> problems;
  std::set<std::string> seen;
  for (const auto& s : source) {
    seen.insert(s.name);
    auto it = by_name.find(s.name);
    if (it == by_name.end()) {
      problems.push_back("table " + s.name + ": in " + from + " but not in " + to);
      continue;
    }
    std::set<std::string> a, b;
    for (const auto& c : s.columns) a.insert(c.name);
    for (const auto& c : it->second->columns) b.insert(c.name);
    for (const auto& c : a) {
      if (!b.count(c)) problems.push_back("table " + s.name + ": column " + c + " is not in " + to);
    }
    for (const auto& c : b) {
      if (!a.count(c)) problems.push_back("table " + s.name + ": column " + c + " is not in " + from);
    }
  }
  for (const auto& t : target) {
    if (!seen.count(t.name)) problems.push_back("table " + t.name + ": in " + to + " but not in " + from);
  }
  if (!problems.empty()) {
    throw Error(ErrorCode::kInvalidInput, "the two stores' schemas differ, so nothing was copied", problems);
  }
}

}  // namespace

CopyReport copy_store(const std::string& from, const std::string& to, const CopyOptions& options) {
  const Location src = parse_location(from, "--from");
  const Location dst = parse_location(to, "--to");
  if (src.postgresql == dst.postgresql) {
    const bool same = src.postgresql ? src.where == dst.where
                                     : std::filesystem::weakly_canonical(src.where) ==
                                           std::filesystem::weakly_canonical(dst.where);
    if (same) throw Error::usage("--from and --to name the same store");
  }
  auto source = open(src, false);
  auto target = open(dst, true);
  CopyReport report;
  report.from = source->describe();
  report.to = target->describe();

  const auto source_versions = source->applied_migrations();
  const auto target_versions = target->applied_migrations();
  if (source_versions != target_versions) {
    std::vector<std::string> problems;
    for (int v : source_versions) {
      if (!std::count(target_versions.begin(), target_versions.end(), v))
        problems.push_back(fmt::format("migration {}: applied to {}, not to {}", v, report.from, report.to));
    }
    for (int v : target_versions) {
      if (!std::count(source_versions.begin(), source_versions.end(), v))
        problems.push_back(fmt::format("migration {}: applied to {}, not to {}", v, report.to, report.from));
    }
    throw Error(ErrorCode::kInvalidInput,
                "the two stores are at different schema versions: migrate both with this keel first "
                "(keel db migrate)",
                problems);
  }
  report.schema_version = source_versions.empty() ? 0 : source_versions.back();

  const auto source_tables = source->tables();
  const auto target_tables = parents_first(target->tables());
  check_same_schema(source_tables, target_tables, report.from, report.to);
  std::map<std::string, const copy::Table*> source_by_name;
  for (const auto& t : source_tables) source_by_name[t.name] = &t;

  target->begin_write();
  try {
    // Empty means: no rows but what a new store starts with, the `default` tenant and the LM Studio
    // provider it offers (migration 84).
    std::vector<std::string> held;
    for (const auto& t : target_tables) {
      const std::size_t n = target->count(t.name);
      report.replaced_rows += n;
      std::size_t seeded = 0;
      if (t.name == "tenants") seeded = 1;
      if (t.name == "assistant_providers") {
        seeded = target->count(t.name,
                               "tenant = 'default' AND name = 'lmstudio' AND base_url = 'http://127.0.0.1:1234/v1'");
      }
      if (n > seeded) held.push_back(fmt::format("{} ({} rows)", t.name, n));
    }
    if (!held.empty() && !options.replace) {
      throw Error::invalid_input("the target " + report.to + " is not empty: " + copy::joined(held) +
                                 "; copy into a new store, or pass --replace to delete its rows first");
    }
    std::vector<copy::Table> children_first(target_tables.rbegin(), target_tables.rend());
    target->clear(children_first);
    if (held.empty()) report.replaced_rows = 0;  // only the new store's own `default` tenant

    source->begin_read();
    for (const auto& t : target_tables) {
      // The target's column order; each side converts by its own column kinds.
      const copy::Table& s = *source_by_name.at(t.name);
      std::vector<copy::Column> read_columns;
      for (const auto& c : t.columns) {
        read_columns.push_back(*std::find_if(s.columns.begin(), s.columns.end(),
                                             [&](const copy::Column& sc) { return sc.name == c.name; }));
      }
      auto w = target->writer(t, t.columns);
      std::size_t rows = 0;
      source->read(s, read_columns, [&](const copy::Row& r) {
        w->row(r);
        ++rows;
      });
      w->finish();
      const std::size_t in_source = source->count(t.name);
      const std::size_t in_target = target->count(t.name);
      if (rows != in_source || in_target != in_source) {
        throw Error::internal(fmt::format("table {}: {} rows in {}, {} read, {} in {} after the copy: nothing was kept",
                                          t.name, in_source, report.from, rows, in_target, report.to));
      }
      report.tables.push_back({t.name, rows});
      report.rows += rows;
    }
    source->end_read();
    target->commit();
  } catch (...) {
    target->rollback();
    throw;
  }
  return report;
}

}  // namespace keel::store
