// GET /healthz, /readyz, /metrics and /api/v1/openapi.json (anonymous, per-address rate limit).
// /healthz is answered on the I/O thread by App::admit; its handler here serves the route table.
#include <fmt/format.h>

#include "app.h"
#include "event_hub.h"
#include "http_server.h"
#include "provider_probe.h"
#include "keel/server/jobs.h"
#include "keel/service/jobs.h"
#include "keel/service/store_admin.h"
#include "resources.h"

namespace keel::server {

void add_ops_routes(App& app) {
  app.add_route(RouteSpec{"GET", "/healthz", "Liveness: the process answers", "operations", std::nullopt,
                          [](Call& c) { c.send(200, spec::to_json(Health{})); }}
                    .returns<Health>());
  app.add_route(RouteSpec{"GET", "/readyz",
                          "Readiness: the store answers and the server is not stopping; the market-data and LLM "
                          "providers' reachability as counts (never failing the probe)",
                          "operations", std::nullopt,
                          [](Call& c) {
                            const auto& a = c.app;
                            Readiness body{.status = "ready",
                                           .store = "ok",
                                           .market_data = std::nullopt,
                                           .llm_providers = std::nullopt,
                                           .providers_checked_seconds_ago = std::nullopt,
                                           .read_replica = std::nullopt};
                            bool ok = a.ready.load() && !a.stopping.load();
                            try {
                              ok = service::store_answers(c.service()) && ok;
                            } catch (const std::exception&) {
                              ok = false;
                              body.store = "unavailable";
                            }
                            if (!ok) body.status = "not_ready";
                            if (a.replica_stores) {
                              // Reads fall back to the primary: the replica never makes the server unready.
                              body.read_replica = "unavailable";
                              try {
                                auto lease = c.app.replica_stores->acquire();
                                if (service::store_answers(c.app.service_context(*lease))) body.read_replica = "ok";
                              } catch (const std::exception&) {
                              }
                            }
                            if (const auto r = a.provider_probe->report(
                                    std::chrono::milliseconds(std::max(0, a.config.provider_check_wait_ms)))) {
                              body.market_data =
                                  Reachability{r->market_data.reachable, r->market_data.unreachable, r->market_data.not_allowed};
                              body.llm_providers = Reachability{r->llm.reachable, r->llm.unreachable, r->llm.not_allowed};
                              body.providers_checked_seconds_ago =
                                  std::chrono::duration<double>(std::chrono::steady_clock::now() - r->checked_at).count();
                            }
                            c.send(ok ? 200 : 503, spec::to_json(body));
                          }}
                    .returns<Readiness>()
                    .returns<Readiness>(503)
                    .on_primary());
  app.add_route(RouteSpec{"GET", "/metrics", "Prometheus metrics (text format 0.0.4)", "operations", std::nullopt,
                 [](Call& c) {
                   std::map<std::string, double> gauges;
                   const auto counts =
                       c.app.timed_store("job_counts", [&] { return service::job_counts(c.service()); });
                   for (const auto& [status, n] : counts) {
                     gauges["keel_jobs{status=\"" + status + "\"}"] = static_cast<double>(n);
                   }
                   const auto http = c.app.http->stats();
                   gauges["keel_http_open_connections"] = static_cast<double>(http.open_connections);
                   gauges["keel_http_request_queue"] = static_cast<double>(http.request_queue);
                   gauges["keel_compute_waiting"] = static_cast<double>(http.compute_queue);
                   gauges["keel_compute_running"] = static_cast<double>(http.compute_running);
                   gauges["keel_http_rejected_busy_total"] = static_cast<double>(http.rejected_busy);
                   gauges["keel_http_rejected_connections_total"] = static_cast<double>(http.rejected_connections);
                   const auto pool_gauges = [&](const char* store, StorePool& pool) {
                     const auto s = pool.stats();
                     gauges[fmt::format(R"(keel_store_pool_connections{{store="{}",state="in_use"}})", store)] =
                         static_cast<double>(s.in_use);
                     gauges[fmt::format(R"(keel_store_pool_connections{{store="{}",state="idle"}})", store)] =
                         static_cast<double>(s.idle);
                     gauges[fmt::format(R"(keel_store_pool_waiting{{store="{}"}})", store)] =
                         static_cast<double>(s.waiting);
                   };
                   pool_gauges("primary", c.app.stores);
                   if (c.app.replica_stores) pool_gauges("replica", *c.app.replica_stores);
                   gauges["keel_store_replica_fallbacks_total"] =
                       static_cast<double>(c.app.replica_fallbacks.load(std::memory_order_relaxed));
                   gauges["keel_event_streams"] = static_cast<double>(c.app.events->streams());
                   gauges["keel_job_workers_busy"] = static_cast<double>(c.app.jobs->busy_workers());
                   gauges["keel_rate_limit_tracked_keys"] = static_cast<double>(c.app.user_limit.tracked_keys());
                   gauges["keel_uptime_seconds"] =
                       std::chrono::duration<double>(c.app.clock.now() - c.app.started_at).count();
                   add_process_gauges(gauges, c.app.config.db_path);
                   std::string text = c.app.metrics.render(gauges);
                   write_histogram_metric(text, "keel_pool_queue_wait_seconds",
                                          "Time a request waited in a pool's queue for a thread.",
                                          {{R"(pool="requests")", http.request_queue_wait},
                                           {R"(pool="compute")", http.compute_queue_wait},
                                           {R"(pool="hash")", http.hash_queue_wait}});
                   c.res.status = 200;
                   c.res.set_content(std::move(text), "text/plain; version=0.0.4");
                 }}
                    .returns_media("text/plain; version=0.0.4"));
  app.add_route(RouteSpec{"GET", "/api/v1/openapi.json", "This OpenAPI 3 document", "operations", std::nullopt,
                          [](Call& c) { c.send(200, openapi_document(c.app)); }}
                    .returns_media("application/json"));
}

}  // namespace keel::server
