// keel/server/metrics.h: Prometheus metrics of the HTTP service (text exposition format 0.0.4).
//
// keel_http_requests_total{route,method,status} counts requests; keel_http_request_duration_seconds
// {route,method,status} is a histogram (cumulative `le` buckets, _sum and _count) of the time from
// the pre-routing handler to the response being written; keel_store_operation_seconds{op} times the
// store operations of the server itself (user lookup, audit append, job queue); gauges (job queue
// depth by status, ...) are passed to `render` by the caller, which reads them at scrape time.
// `route` is the route template ("/api/v1/portfolios/{id}"), never the raw path, so the number of
// series stays bounded.
//
// Thread-safety: observe_* and render lock internally. An observation of a series seen before takes
// the lock shared and updates atomics, so the I/O threads and the pools never wait on one another
// here (a pool thread preempted while observing cannot hold up an I/O thread).
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <shared_mutex>
#include <string>
#include <tuple>

namespace keel::server {

inline constexpr std::array<double, 13> kLatencyBucketsSeconds = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                                                  0.25,  0.5,    1.0,   2.5,  5.0,   10.0};

struct Histogram {
  std::array<std::uint64_t, kLatencyBucketsSeconds.size()> buckets{};  // non-cumulative counts
  std::uint64_t count = 0;
  double sum = 0.0;
  void observe(double seconds);
};

// A Histogram that threads update without a lock (atomics), for a value observed on every request
// by many threads (a latency, a pool's queue wait); snapshot() reads it for rendering.
class AtomicHistogram {
 public:
  void observe(double seconds);
  Histogram snapshot() const;

 private:
  std::array<std::atomic<std::uint64_t>, kLatencyBucketsSeconds.size()> buckets_{};
  std::atomic<std::uint64_t> count_{0};
  std::atomic<std::uint64_t> sum_nanoseconds_{0};
};

class Metrics {
 public:
  void observe_request(const std::string& route, const std::string& method, int status, double seconds);
  void observe_store(const std::string& op, double seconds);
  // The exposition text; `gauges` maps a full series name with labels (e.g.
  // `keel_jobs{status="queued"}`) to its value; a HELP/TYPE header is written per metric name.
  std::string render(const std::map<std::string, double>& gauges) const;
  std::uint64_t requests_total() const;

 private:
  using RequestKey = std::tuple<std::string, std::string, int>;
  // Series are added under the lock held exclusively and never removed; a histogram is updated
  // under the lock held shared (its own atomics).
  mutable std::shared_mutex mutex_;
  std::map<RequestKey, AtomicHistogram> requests_;    // guarded by mutex_
  std::map<std::string, AtomicHistogram> store_ops_;  // guarded by mutex_
};

// Appends a histogram metric to exposition text: HELP and TYPE, then each series, given as its
// labels (`pool="requests"`) and its histogram.
void write_histogram_metric(std::string& out, const std::string& name, const std::string& help,
                            const std::map<std::string, Histogram>& series);

// Escapes a label value (backslash, double quote, newline) for the text format.
std::string prometheus_label(const std::string& value);

// The process's own gauges, in the names Prometheus' client libraries use: process_cpu_seconds_total
// (user + system, getrusage), process_resident_memory_bytes (/proc/self/statm),
// process_open_fds (/proc/self/fd) and process_max_fds (RLIMIT_NOFILE); and, when `store_path`
// is a file path (an SQLite store, not a postgresql:// URL), keel_store_disk_free_bytes: the
// space its file system has left for unprivileged writes (statvfs). A figure the system does
// not give is left out.
void add_process_gauges(std::map<std::string, double>& gauges, const std::string& store_path);

}  // namespace keel::server
