#include "keel/server/metrics.h"

#include <fmt/format.h>

#include <set>

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

void Metrics::observe_request(const std::string& route, const std::string& method, int status, double seconds) {
  std::lock_guard lock(mutex_);
  requests_[{route, method, status}].observe(seconds);
}

void Metrics::observe_store(const std::string& op, double seconds) {
  std::lock_guard lock(mutex_);
  store_ops_[op].observe(seconds);
}

std::uint64_t Metrics::requests_total() const {
  std::lock_guard lock(mutex_);
  std::uint64_t n = 0;
  for (const auto& [k, h] : requests_) n += h.count;
  return n;
}

std::string Metrics::render(const std::map<std::string, double>& gauges) const {
  std::string out;
  {
    std::lock_guard lock(mutex_);
    out += "# HELP keel_http_requests_total HTTP requests by route template, method and status.\n";
    out += "# TYPE keel_http_requests_total counter\n";
    for (const auto& [k, h] : requests_) {
      out += fmt::format("keel_http_requests_total{{route=\"{}\",method=\"{}\",status=\"{}\"}} {}\n",
                         prometheus_label(std::get<0>(k)), std::get<1>(k), std::get<2>(k), h.count);
    }
    out += "# HELP keel_http_request_duration_seconds Time from routing to the response written.\n";
    out += "# TYPE keel_http_request_duration_seconds histogram\n";
    for (const auto& [k, h] : requests_) {
      write_histogram(out, "keel_http_request_duration_seconds",
                      fmt::format("route=\"{}\",method=\"{}\",status=\"{}\"", prometheus_label(std::get<0>(k)),
                                  std::get<1>(k), std::get<2>(k)),
                      h);
    }
    out += "# HELP keel_store_operation_seconds Store operations made by the server.\n";
    out += "# TYPE keel_store_operation_seconds histogram\n";
    for (const auto& [op, h] : store_ops_) {
      write_histogram(out, "keel_store_operation_seconds", fmt::format("op=\"{}\"", prometheus_label(op)), h);
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

}  // namespace keel::server
