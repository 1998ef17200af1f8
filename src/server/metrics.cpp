#include "keel/server/metrics.h"

#include <fmt/format.h>

#include <sys/resource.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>
#include <shared_mutex>

namespace keel::server {
namespace {

void write_histogram(std::string& out, const std::string& name, const std::string& labels, const Histogram& h) {
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < kLatencyBucketsSeconds.size(); ++i) {
    cumulative += h.buckets[i];
    out += fmt::format("{}_bucket{{{},le=\"{}\"}} {}\n", name, labels, kLatencyBucketsSeconds[i], cumulative);
  }
  out += fmt::format("{}_bucket{{{},le=\"+Inf\"}} {}\n", name, labels, h.count);
  out += fmt::format("{}_sum{{{}}} {}\n", name, labels, h.sum);
  out += fmt::format("{}_count{{{}}} {}\n", name, labels, h.count);
}

}  // namespace

void Histogram::observe(double seconds) {
  ++count;
  sum += seconds;
  for (std::size_t i = 0; i < kLatencyBucketsSeconds.size(); ++i) {
    if (seconds <= kLatencyBucketsSeconds[i]) {
      ++buckets[i];
      return;
    }
  }
}

void AtomicHistogram::observe(double seconds) {
  count_.fetch_add(1, std::memory_order_relaxed);
  sum_nanoseconds_.fetch_add(static_cast<std::uint64_t>(std::max(seconds, 0.0) * 1e9), std::memory_order_relaxed);
  for (std::size_t i = 0; i < kLatencyBucketsSeconds.size(); ++i) {
    if (seconds <= kLatencyBucketsSeconds[i]) {
      buckets_[i].fetch_add(1, std::memory_order_release);
      return;
    }
  }
}

Histogram AtomicHistogram::snapshot() const {
  Histogram h;
  // observe() counts before it fills a bucket and the count is read last, so the count (the +Inf
  // bucket) is never below a finite bucket's cumulative value, as Prometheus requires.
  for (std::size_t i = 0; i < kLatencyBucketsSeconds.size(); ++i) {
    h.buckets[i] = buckets_[i].load(std::memory_order_acquire);
  }
  h.sum = static_cast<double>(sum_nanoseconds_.load(std::memory_order_relaxed)) / 1e9;
  h.count = count_.load(std::memory_order_relaxed);
  return h;
}

void write_histogram_metric(std::string& out, const std::string& name, const std::string& help,
                            const std::map<std::string, Histogram>& series) {
  out += fmt::format("# HELP {} {}\n# TYPE {} histogram\n", name, help, name);
  for (const auto& [labels, h] : series) write_histogram(out, name, labels, h);
}

std::string prometheus_label(const std::string& value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

namespace {

// The histogram of `key` in `series`, added when new: shared lock for a known key, exclusive only
// to add one.
template <class Map, class Key>
AtomicHistogram& series_of(std::shared_mutex& mutex, Map& series, const Key& key) {
  {
    std::shared_lock lock(mutex);
    if (auto it = series.find(key); it != series.end()) return it->second;
  }
  std::unique_lock lock(mutex);
  return series.try_emplace(key).first->second;  // std::map nodes never move
}

}  // namespace

void Metrics::observe_request(const std::string& route, const std::string& method, int status, double seconds) {
  series_of(mutex_, requests_, RequestKey{route, method, status}).observe(seconds);
}

void Metrics::observe_store(const std::string& op, double seconds) {
  series_of(mutex_, store_ops_, op).observe(seconds);
}

std::uint64_t Metrics::requests_total() const {
  std::shared_lock lock(mutex_);
  std::uint64_t n = 0;
  for (const auto& [k, h] : requests_) n += h.snapshot().count;
  return n;
}

std::string Metrics::render(const std::map<std::string, double>& gauges) const {
  std::string out;
  {
    std::shared_lock lock(mutex_);
    out += "# HELP keel_http_requests_total HTTP requests by route template, method and status.\n";
    out += "# TYPE keel_http_requests_total counter\n";
    for (const auto& [k, h] : requests_) {
      out += fmt::format("keel_http_requests_total{{route=\"{}\",method=\"{}\",status=\"{}\"}} {}\n",
                         prometheus_label(std::get<0>(k)), std::get<1>(k), std::get<2>(k), h.snapshot().count);
    }
    out += "# HELP keel_http_request_duration_seconds Time from routing to the response written.\n";
    out += "# TYPE keel_http_request_duration_seconds histogram\n";
    for (const auto& [k, h] : requests_) {
      write_histogram(out, "keel_http_request_duration_seconds",
                      fmt::format("route=\"{}\",method=\"{}\",status=\"{}\"", prometheus_label(std::get<0>(k)),
                                  std::get<1>(k), std::get<2>(k)),
                      h.snapshot());
    }
    out += "# HELP keel_store_operation_seconds Store operations made by the server.\n";
    out += "# TYPE keel_store_operation_seconds histogram\n";
    for (const auto& [op, h] : store_ops_) {
      write_histogram(out, "keel_store_operation_seconds", fmt::format("op=\"{}\"", prometheus_label(op)),
                      h.snapshot());
    }
  }
  std::set<std::string> headed;
  for (const auto& [series, value] : gauges) {
    const std::string name = series.substr(0, series.find('{'));
    if (headed.insert(name).second) {
      out += fmt::format("# TYPE {} gauge\n", name);
    }
    out += fmt::format("{} {}\n", series, value);
  }
  return out;
}

void add_process_gauges(std::map<std::string, double>& gauges, const std::string& store_path) {
  rusage usage{};
  if (getrusage(RUSAGE_SELF, &usage) == 0) {
    auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
    gauges["process_cpu_seconds_total"] = seconds(usage.ru_utime) + seconds(usage.ru_stime);
  }
  // statm: total program size, then resident pages.
  if (std::ifstream statm("/proc/self/statm"); statm) {
    long size = 0, resident = 0;
    if (statm >> size >> resident) {
      gauges["process_resident_memory_bytes"] = static_cast<double>(resident) * static_cast<double>(sysconf(_SC_PAGESIZE));
    }
  }
  std::error_code ec;
  std::size_t fds = 0;
  for (std::filesystem::directory_iterator it("/proc/self/fd", ec), end; !ec && it != end; it.increment(ec)) ++fds;
  if (!ec && fds > 0) gauges["process_open_fds"] = static_cast<double>(fds - 1);  // less the iterator's own
  rlimit files{};
  if (getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur != RLIM_INFINITY) {
    gauges["process_max_fds"] = static_cast<double>(files.rlim_cur);
  }
  if (!store_path.empty() && store_path.find("://") == std::string::npos) {
    std::filesystem::path dir = std::filesystem::absolute(store_path, ec).parent_path();
    struct statvfs fs {};
    if (!ec && statvfs(dir.c_str(), &fs) == 0) {
      gauges["keel_store_disk_free_bytes"] = static_cast<double>(fs.f_bavail) * static_cast<double>(fs.f_frsize);
    }
  }
}

}  // namespace keel::server
