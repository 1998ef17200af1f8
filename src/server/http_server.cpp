// The HTTP/1.1 engine of `keel serve` on Boost.Beast (see http_server.h).
#include "http_server.h"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>

#include <utility>  // before Asio: Boost 1.74's awaitable.hpp uses std::exchange without it

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <fmt/format.h>

#include <condition_variable>
#include <deque>
#include <functional>
#include <list>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "app.h"
#include "bounded_pool.h"
#include "event_hub.h"
#include "http_intake.h"
#include "keel/net/crypto.h"
#include "keel/core/cancel.h"
#include "keel/core/error.h"

namespace keel::server {
namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

namespace {

// One request on its way through the pipeline.
struct Exchange {
  HttpRequest req;
  RequestContext ctx;
  HttpResponse res;
  bool head = false;  // HEAD: answer as GET without the body
  // A computation's stop (compute pool): its deadline (--request-deadline, from the request's
  // first byte), its client closing the connection, the end of a shutdown's grace. Installed on
  // the compute thread (CancelScope) for the engines' loops to check.
  Cancellation cancel;
};

class Session;

}  // namespace

struct HttpServer::Impl {
  explicit Impl(App& a)
      : app(a),
        acceptor(ioc),
        requests(a.config.threads, a.config.request_queue, kRequestNice),
        compute(compute_pool_options(a.config)),
        hashing(std::min<std::size_t>(a.hasher.concurrency(), kMaxHashThreads), a.config.request_queue,
                kComputeNice),
        max_inline(std::max<std::size_t>(a.config.io_threads, 1) - 1) {}

  // The compute pool: fair between tenants and users, a tenant holding at most
  // --tenant-compute-slots (slots − 1 by default) and half the waiting places (bounded_pool.h).
  static PoolOptions compute_pool_options(const ServerConfig& c) {
    PoolOptions o;
    o.threads = c.compute_slots ? c.compute_slots : std::max<std::size_t>(2, std::thread::hardware_concurrency());
    o.capacity = c.compute_queue;
    o.nice_delta = kComputeNice;
    o.tenant_slots = tenant_compute_slots(c);
    o.tenant_queue = std::max<std::size_t>(1, std::max<std::size_t>(c.compute_queue, 1) / 2);
    return o;
  }

  // The computations waiting or running, so that the end of a shutdown's grace stops them.
  std::mutex computing_mutex;
  std::set<Exchange*> computing;  // guarded by computing_mutex
  bool stop_computing = false;    // guarded by computing_mutex: past the grace, every one stops
  // A computation's deadline starts (the request's own, from its first byte) and it is counted
  // among those a shutdown stops.
  void arm(Exchange& ex) {
    if (app.config.request_deadline_seconds > 0) {
      const auto d = std::chrono::duration_cast<std::chrono::steady_clock::duration>(
          std::chrono::duration<double>(app.config.request_deadline_seconds));
      ex.cancel.set_deadline(ex.ctx.start + d, fmt::format("the request deadline of {:g} s (--request-deadline)",
                                                           app.config.request_deadline_seconds));
    }
    std::lock_guard lock(computing_mutex);
    computing.insert(&ex);
    if (stop_computing) shutdown_deadline(ex);
  }
  void disarm(Exchange& ex) {
    std::lock_guard lock(computing_mutex);
    computing.erase(&ex);
  }
  void shutdown_deadline(Exchange& ex) {
    ex.cancel.set_deadline(std::chrono::steady_clock::now(),
                           fmt::format("the server's shutdown grace of {} s (--shutdown-grace)",
                                       app.config.shutdown_grace_seconds));
  }
  // Past the grace: every computation waiting or running ends with 503 at its next check.
  void stop_computations() {
    std::lock_guard lock(computing_mutex);
    stop_computing = true;
    for (Exchange* ex : computing) shutdown_deadline(*ex);
  }

  // A cheap cost (tests) fits thousands of hashes in the budget; threads beyond the cores only wait.
  static constexpr std::size_t kMaxHashThreads = 64;
  // How far below the I/O threads the pools run (nice values added; lower_thread_priority). The
  // engines and password hashes are long and CPU-bound, so they yield to everything else. The
  // request pool's work is short, is what most clients wait for, and is the busiest stage of a
  // flood of cached reads: it keeps the I/O threads' priority (lowered, it lost throughput to the
  // client on the same cores in side-by-side runs).
  static constexpr int kRequestNice = 0;
  static constexpr int kComputeNice = 5;

  App& app;
  // Declared before the io_context: sessions still owned by its handlers unregister themselves
  // when the io_context is destroyed, so the registry must outlive it.
  std::mutex sessions_mutex;
  std::list<std::weak_ptr<Session>> sessions;       // guarded by sessions_mutex
  std::map<std::string, std::size_t> per_address;  // guarded by sessions_mutex
  net::io_context ioc;
  tcp::acceptor acceptor;
  BoundedPool requests;
  BoundedPool compute;
  // Password hashing (logins, user creations): as many threads as hashes fit the memory budget, so
  // a flood of logins waits in the queue — a few hundred bytes each, no thread — for at most the
  // budget's wait, then answers 503 (Session::offload_hashing).
  BoundedPool hashing;
  std::vector<std::thread> io_threads;
  std::atomic<bool> running{false};
  std::atomic<bool> stopping{false};
  std::atomic<std::size_t> active_requests{0};  // read but not yet answered
  // I/O threads running a request themselves (Session::run_here); at most max_inline, so one I/O
  // thread is always left for the sockets.
  std::size_t max_inline = 0;
  std::atomic<std::size_t> inline_running{0};
  bool take_inline() {
    std::size_t n = inline_running.load(std::memory_order_relaxed);
    while (n < max_inline) {
      if (inline_running.compare_exchange_weak(n, n + 1, std::memory_order_acquire)) return true;
    }
    return false;
  }
  void release_inline() { inline_running.fetch_sub(1, std::memory_order_release); }
  std::atomic<std::uint64_t> rejected_busy{0};
  std::atomic<std::uint64_t> rejected_connections{0};
  std::mutex stop_mutex;
  std::condition_variable stop_cv;
  bool stopped = false;  // guarded by stop_mutex

  void accept();
  void admit_connection(tcp::socket socket);  // caps, then a Session (on an I/O thread)
  bool trusted_proxy(const std::string& address) const {
    const auto& t = app.config.trusted_proxies;
    return std::find(t.begin(), t.end(), address) != t.end();
  }
  void forget(std::list<std::weak_ptr<Session>>::iterator it, const std::string& address) {
    std::lock_guard lock(sessions_mutex);
    sessions.erase(it);
    auto p = per_address.find(address);
    if (p != per_address.end() && --p->second == 0) per_address.erase(p);
  }
};

namespace {

// The status line and header block of an answer, as Beast's serializer writes them for the same
// message (the handler's headers in order, Content-Length, then Connection when it differs from
// the version's default), written straight into one string: no field container to fill and walk
// per answer. A CR or LF in a value would end the header early, so each is written as a space.
void append_head(std::string& out, unsigned version, int status, const HttpResponse& res, std::size_t length,
                 bool keep_alive) {
  const std::string_view reason = http::obsolete_reason(static_cast<http::status>(status));
  out.append(version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ");
  fmt::format_to(std::back_inserter(out), "{} ", status);
  out.append(reason.data(), reason.size());
  out.append("\r\n");
  for (const auto& [name, value] : res.headers) {
    out.append(name);
    out.append(": ");
    const std::size_t at = out.size();
    out.append(value);
    for (std::size_t i = at; i < out.size(); ++i) {
      if (out[i] == '\r' || out[i] == '\n') out[i] = ' ';
    }
    out.append("\r\n");
  }
  fmt::format_to(std::back_inserter(out), "Content-Length: {}\r\n", length);
  if (version >= 11 && !keep_alive) out.append("Connection: close\r\n");
  if (version < 11 && keep_alive) out.append("Connection: keep-alive\r\n");
  out.append("\r\n");
}

class Session : public std::enable_shared_from_this<Session>, public EventSink {
 public:
  Session(HttpServer::Impl& srv, tcp::socket socket, std::string peer)
      : srv_(srv), app_(srv.app), stream_(std::move(socket)), peer_(std::move(peer)) {}

  ~Session() override {
    if (registered_) srv_.forget(self_it_, peer_);
  }

  void registered(std::list<std::weak_ptr<Session>>::iterator it) {
    self_it_ = it;
    registered_ = true;
  }

  void start() {
    // Non-blocking, so that respond() can try a write at once (asynchronous operations work alike).
    beast::error_code ec;
    stream_.socket().non_blocking(true, ec);
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->wait_request(); });
  }

  // Server stopping: close if waiting for a request (on the strand). Event streams end by
  // themselves after the hub's "shutdown" event.
  void close_if_idle() {
    net::post(stream_.get_executor(), [self = shared_from_this()] {
      if (self->idle_) self->close();
    });
  }
  void close_now() {
    net::post(stream_.get_executor(), [self = shared_from_this()] { self->close(); });
  }

  // EventSink (called on the hub thread).
  bool push(std::string bytes, bool last) override {
    {
      std::lock_guard lock(out_mutex_);
      if (out_closed_) return false;
      if (out_bytes_ + bytes.size() > app_.config.max_stream_buffer_bytes) {
        out_closed_ = true;  // the client stopped reading: drop it
        net::post(stream_.get_executor(), [self = shared_from_this()] { self->close(); });
        return false;
      }
      out_bytes_ += bytes.size();
      std::string chunk;
      if (!bytes.empty()) chunk = fmt::format("{:x}\r\n", bytes.size()) + bytes + "\r\n";
      if (last) {
        chunk += "0\r\n\r\n";
        out_closed_ = true;
      }
      out_.push_back(std::move(chunk));
    }
    net::post(stream_.get_executor(), [self = shared_from_this()] { self->pump(); });
    return true;
  }

 private:
  // ------------------------------------------------------------ reading a request

  void wait_request() {
    if (srv_.stopping.load()) return close();
    idle_ = true;
    if (buffer_.size() > 0) return read_header();
    // The first request of a connection must start within the header timeout; later ones within
    // the keep-alive idle time.
    stream_.expires_after(std::chrono::seconds(first_ ? app_.config.header_timeout_seconds
                                                      : app_.config.keep_alive_seconds));
    stream_.async_read_some(buffer_.prepare(4096), [self = shared_from_this()](beast::error_code ec, std::size_t n) {
      if (ec) return self->close();
      self->buffer_.commit(n);
      self->read_header();
    });
  }

  void read_header() {
    idle_ = false;
    first_ = false;
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(app_.limits.max_header_bytes));
    parser_->body_limit(app_.config.max_body_bytes);
    // A client sends a request's header in one piece, so the bytes already read hold it whole in
    // most cases: parsed here at once, instead of after another turn of the event loop. Only an
    // incomplete header waits for the socket, under the header deadline.
    if (buffer_.size() > 0) {
      beast::error_code ec;
      const std::size_t used = parser_->put(buffer_.data(), ec);
      buffer_.consume(used);
      if (ec != http::error::need_more && (ec || parser_->is_header_done())) return on_header(ec);
    }
    stream_.expires_after(std::chrono::seconds(app_.config.header_timeout_seconds));
    http::async_read_header(stream_, buffer_, *parser_,
                            [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_header(ec); });
  }

  void on_header(beast::error_code ec) {
    ex_ = std::make_shared<Exchange>();
    // Room for the security headers every answer carries and a handler's own, allocated once.
    ex_->res.headers.reserve(12);
    ex_->ctx.start = std::chrono::steady_clock::now();
    ex_->ctx.client = peer_;
    ex_->req.remote_addr = peer_;
    if (ec) {
      if (ec == http::error::end_of_stream || ec == beast::error::timeout || ec == net::error::eof ||
          ec == net::error::connection_reset || ec == net::error::operation_aborted) {
        return close();
      }
      if (ec == http::error::header_limit) {
        return refuse(431, fmt::format("request header over the limit of {} bytes", app_.limits.max_header_bytes));
      }
      if (ec == http::error::body_limit) {
        return refuse(413, fmt::format("request body over the limit of {} bytes", app_.config.max_body_bytes));
      }
      return refuse(400, "malformed HTTP request (" + ec.message() + ")");
    }
    ++srv_.active_requests;
    counted_ = true;
    auto& msg = parser_->get();
    auto& req = ex_->req;
    if (auto bad = take_header(msg, app_.limits, req)) return refuse(bad->status, bad->message, bad->details);
    ex_->head = msg.method() == http::verb::head;

    switch (app_.admit(req, ex_->ctx, ex_->res)) {
      case Admit::kRespond:
        return respond();
      case Admit::kReadBody:
        return read_body();
      case Admit::kAuthenticate: {
        // Without a body to wait for (GET, DELETE, ...), authentication and the handler run in
        // one task: one trip to a pool instead of two.
        if (parser_->is_done()) return authenticate_and_handle();
        // Authentication is short (the token and the user from memory): here when a slot is free,
        // then the body is read on this thread.
        bool go_on = false;
        if (run_here([&] { go_on = app_.authenticate(ex_->req, ex_->ctx, ex_->res); })) {
          return go_on ? read_body() : respond();
        }
        return offload(srv_.requests, [](App& app, Exchange& ex) { return app.authenticate(ex.req, ex.ctx, ex.res); },
                       /*then_read_body=*/true);
      }
      case Admit::kStatic:
        return offload(srv_.requests,
                       [](App& app, Exchange& ex) {
                         app.serve_static(ex.req, ex.ctx, ex.res);
                         return false;
                       },
                       /*then_read_body=*/false);
    }
  }

  // Runs `fn` on `pool`; back on the strand, reads the body when `fn` returned true and
  // `then_read_body`, else answers with the exchange's response.
  template <class Fn>
  void offload(BoundedPool& pool, Fn fn, bool then_read_body) {
    auto self = shared_from_this();
    auto ex = ex_;
    const bool queued = pool.try_submit([self, ex, fn, then_read_body] {
      const bool go_on = fn(self->app_, *ex);
      net::post(self->stream_.get_executor(), [self, go_on, then_read_body] {
        if (go_on && then_read_body) self->read_body();
        else self->respond();
      });
    });
    if (!queued) busy();
  }

  // A request the request pool serves may run on this I/O thread (docs/server.md, "Threading
  // model") when both hold: a slot of the request pool is free (BoundedPool::try_run_here), and
  // another I/O thread stays free to serve every other connection — at most io_threads − 1 I/O
  // threads run requests at once — so a handler that waits on the store never holds up accepting,
  // reading, writing or /healthz. True when `fn` ran (it must not throw); false: offload it.
  template <class Fn>
  bool run_here(Fn&& fn) {
    if (!srv_.take_inline()) return false;
    const bool ran = srv_.requests.try_run_here(fn);
    srv_.release_inline();
    return ran;
  }

  // What may run on an I/O thread after authentication: the routes of the request pool that only
  // read (GET, HEAD) — cached results, lists, the user's own records. Writes, uploads, engines and
  // password hashes keep to their pools.
  bool short_read() const {
    const auto& ctx = ex_->ctx;
    if (ctx.compute || (ctx.route && ctx.route->hashes_passwords)) return false;
    const auto verb = parser_->get().method();
    return verb == http::verb::get || verb == http::verb::head;
  }

  void authenticate_and_handle() {
    if (short_read()) {
      Exchange& e = *ex_;
      if (run_here([&] {
            if (app_.authenticate(e.req, e.ctx, e.res)) app_.handle(e.req, e.ctx, e.res);
          })) {
        return respond();
      }
    } else {
      // A write or a computation: authentication here when a slot is free, the handler on its pool.
      Exchange& e = *ex_;
      bool go_on = false;
      if (run_here([&] { go_on = app_.authenticate(e.req, e.ctx, e.res); })) {
        return go_on ? dispatch() : respond();
      }
    }
    auto self = shared_from_this();
    auto ex = ex_;
    const auto respond_on_strand = [self] { net::post(self->stream_.get_executor(), [self] { self->respond(); }); };
    const bool queued = srv_.requests.try_submit([self, ex, respond_on_strand] {
      if (self->app_.authenticate(ex->req, ex->ctx, ex->res)) {
        if (ex->ctx.compute) {
          net::post(self->stream_.get_executor(), [self] { self->start_compute(); });
          return;
        }
        self->app_.handle(ex->req, ex->ctx, ex->res);
      }
      respond_on_strand();
    });
    if (!queued) busy();
  }

  void busy() {
    ++srv_.rejected_busy;
    ex_->res = HttpResponse{};
    ex_->res.set_header("Retry-After", "1");
    app_.refuse(ex_->ctx, ex_->res, 503, "the server is busy; retry shortly");
    respond();
  }

  void read_body() {
    if (parser_->is_done()) return dispatch();
    if (parser_->get()[http::field::expect] == "100-continue" && !sent_continue_) {
      sent_continue_ = true;
      continue_.emplace(http::status::continue_, parser_->get().version());
      stream_.expires_after(std::chrono::seconds(app_.config.write_timeout_seconds));
      http::async_write(stream_, *continue_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
        if (ec) return self->close();
        self->read_body();
      });
      return;
    }
    // Each read must make progress within the timeout; a body that trickles is cut off.
    stream_.expires_after(std::chrono::seconds(app_.config.read_timeout_seconds));
    http::async_read_some(stream_, buffer_, *parser_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec == http::error::body_limit) {
        return self->refuse(413, fmt::format("request body over the limit of {} bytes",
                                             self->app_.config.max_body_bytes));
      }
      if (ec == beast::error::timeout) return self->refuse(408, "the request body did not arrive in time");
      if (ec == http::error::end_of_stream || ec == net::error::eof || ec == net::error::connection_reset) {
        return self->close();
      }
      if (ec) return self->refuse(400, "malformed HTTP request body (" + ec.message() + ")");
      self->read_body();
    });
  }

  void dispatch() {
    ex_->req.body = std::move(parser_->get().body());
    if (ex_->ctx.route && ex_->ctx.route->hashes_passwords) return offload_hashing();
    if (short_read()) {
      Exchange& e = *ex_;
      if (run_here([&] { app_.handle(e.req, e.ctx, e.res); })) return respond();
    }
    if (ex_->ctx.compute) return start_compute();
    offload(srv_.requests,
            [](App& app, Exchange& ex) {
              app.handle(ex.req, ex.ctx, ex.res);
              return false;
            },
            /*then_read_body=*/false);
  }

  // A computation goes to the compute pool in its tenant's and user's lane (fair share), under its
  // deadline. While it runs, a read stays pending on the socket: the client closing the connection
  // cancels it (its engine stops at its next check), and bytes of a pipelined request are kept for
  // after the answer. The answer waits for that read to end (cancelled) so that bytes are never
  // read out of order.
  void start_compute() {
    auto self = shared_from_this();
    auto ex = ex_;
    srv_.arm(*ex);
    FairKey key;
    if (ex->ctx.principal) key = FairKey{ex->ctx.principal->tenant, ex->ctx.principal->username};
    const bool queued = srv_.compute.try_submit(key, [self, ex] {
      {
        CancelScope scope(&ex->cancel);  // App::handle stops at once when it already fired
        self->app_.handle(ex->req, ex->ctx, ex->res);
      }
      self->srv_.disarm(*ex);
      net::post(self->stream_.get_executor(), [self] { self->computed(); });
    });
    if (!queued) {
      srv_.disarm(*ex);
      return busy();
    }
    watch_while_computing();
  }

  void watch_while_computing() {
    // Room for what the client may pipeline meanwhile; without it, the bytes wait in the kernel.
    if (closed_ || buffer_.max_size() - buffer_.size() < scratch_.size()) return;
    watching_ = true;
    stream_.socket().async_read_some(net::buffer(scratch_), [self = shared_from_this()](beast::error_code ec,
                                                                                        std::size_t n) {
      self->watching_ = false;
      if (n > 0) {
        self->buffer_.commit(net::buffer_copy(self->buffer_.prepare(n), net::buffer(self->scratch_.data(), n)));
      }
      if (self->answer_ready_) {
        self->answer_ready_ = false;
        return self->respond();
      }
      if (ec) {
        // The client is gone (closed, reset, or the server closed the connection).
        self->ex_->cancel.cancel("the client closed the connection");
        return;
      }
      self->watch_while_computing();
    });
  }

  // The computation ended (on the strand): answer once the socket's read has ended.
  void computed() {
    if (watching_) {
      answer_ready_ = true;
      beast::error_code ec;
      stream_.socket().cancel(ec);
      return;
    }
    respond();
  }

  // A route that hashes a password runs on the hash pool. It must start within the budget's wait:
  // a timer on the connection's strand answers 503 with Retry-After when the wait ends first, and
  // the queued task, when a thread takes it later, finds it answered and does nothing.
  void offload_hashing() {
    auto self = shared_from_this();
    auto ex = ex_;
    const auto deadline = std::chrono::steady_clock::now() + app_.hasher.budget().max_wait;
    ex->ctx.hash_deadline = deadline;
    enum : int { kWaiting, kRunning, kExpired };
    auto state = std::make_shared<std::atomic<int>>(kWaiting);
    auto timer = std::make_shared<net::steady_timer>(stream_.get_executor());
    timer->expires_at(deadline);
    const bool queued = srv_.hashing.try_submit([self, ex, state, timer] {
      int waiting = kWaiting;
      if (!state->compare_exchange_strong(waiting, kRunning)) return;
      net::post(self->stream_.get_executor(), [timer] { timer->cancel(); });
      self->app_.handle(ex->req, ex->ctx, ex->res);
      net::post(self->stream_.get_executor(), [self] { self->respond(); });
    });
    if (!queued) return busy();
    timer->async_wait([self, state](beast::error_code ec) {
      int waiting = kWaiting;
      if (ec || !state->compare_exchange_strong(waiting, kExpired)) return;
      ++self->srv_.rejected_busy;
      self->ex_->res = HttpResponse{};
      self->app_.refuse(self->ex_->ctx, self->ex_->res, 503, "too many password checks at once; retry shortly");
      self->ex_->res.set_header("Retry-After", "1");
      self->respond();
    });
  }

  // A refusal before or while reading: the JSON error, and the connection closes after it.
  void refuse(int status, const std::string& message, const std::vector<std::string>& details = {}) {
    if (!ex_) ex_ = std::make_shared<Exchange>();
    ex_->res = HttpResponse{};
    app_.refuse(ex_->ctx, ex_->res, status, message, details);
    ex_->res.close = true;
    respond();
  }

  // ------------------------------------------------------------ writing the response

  void respond() {
    auto& res = ex_->res;
    if (res.stream && res.status == 200) return start_stream();
    // A body not read yet must not be taken for the next request: close after answering.
    const bool body_unread = parser_ && parser_->is_header_done() && !parser_->is_done();
    const bool keep = !res.close && !body_unread && parser_ && parser_->is_header_done() &&
                      parser_->get().keep_alive() && !srv_.stopping.load();
    const unsigned version = parser_ && parser_->is_header_done() ? parser_->get().version() : 11;
    head_.clear();
    append_head(head_, version, res.status, res, res.body.size(), keep);
    keep_alive_ = keep;
    std::array<net::const_buffer, 2> out{net::buffer(head_), ex_->head ? net::const_buffer() : net::buffer(res.body)};
    // An answer that fits the socket's send buffer (nearly all) is written at once, without a turn
    // of the event loop and a timer for the completion (the socket is non-blocking: this never
    // waits). What is left goes on asynchronously under the write deadline.
    beast::error_code ec;
    std::size_t written = stream_.socket().write_some(out, ec);
    if (ec == net::error::would_block || ec == net::error::try_again) {
      ec = {};
      written = 0;
    }
    if (ec || written == net::buffer_size(out)) return answered(ec, /*on_completion=*/false);
    for (auto& b : out) {
      const std::size_t k = std::min(written, b.size());
      b += k;
      written -= k;
    }
    stream_.expires_after(std::chrono::seconds(app_.config.write_timeout_seconds));
    net::async_write(stream_, out, [self = shared_from_this()](beast::error_code e, std::size_t) {
      self->answered(e, /*on_completion=*/true);
    });
  }

  // The answer is written (or failed): the next request, a lingering close, or the end.
  void answered(beast::error_code ec, bool on_completion) {
    done(ex_->res.status);
    if (ec) return close();
    if (!keep_alive_) return linger_close();
    ex_.reset();
    // A pipelined request already read is served on a later turn when this one was answered at
    // once, so a client sending many in one segment never deepens the stack.
    if (!on_completion && buffer_.size() > 0) {
      net::post(stream_.get_executor(), [self = shared_from_this()] { self->wait_request(); });
      return;
    }
    wait_request();
  }

  void done(int status) {
    if (ex_ && counted_) app_.finish(ex_->req, ex_->ctx, status);
    if (counted_) {
      counted_ = false;
      // Only stop() waits for the count to fall: no wake-up per request otherwise (the thread in
      // run() waits on the same condition variable).
      if (--srv_.active_requests == 0 && srv_.stopping.load()) {
        std::lock_guard lock(srv_.stop_mutex);
        srv_.stop_cv.notify_all();
      }
    }
  }

  // Half-close, then read (and drop) what the client still sends for a moment, so that the kernel
  // does not reset the connection and destroy the answer before the client has read it.
  void linger_close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    linger_bytes_ = 0;
    linger();
  }
  void linger() {
    stream_.expires_after(std::chrono::seconds(2));
    stream_.async_read_some(net::buffer(scratch_), [self = shared_from_this()](beast::error_code ec, std::size_t n) {
      self->linger_bytes_ += n;
      if (ec || self->linger_bytes_ > (1u << 20)) return self->close();
      self->linger();
    });
  }

  void close() {
    if (closed_) return;
    closed_ = true;
    idle_ = false;
    {
      std::lock_guard lock(out_mutex_);
      out_closed_ = true;
    }
    if (counted_) done(ex_ ? ex_->res.status : 0);
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.close();
  }

  // ------------------------------------------------------------ event streams

  void start_stream() {
    auto& res = ex_->res;
    stream_head_.emplace(http::status::ok, parser_->get().version());
    for (auto& [k, v] : res.headers) {
      if (!header_name_equal(k, "Content-Type") && !header_name_equal(k, "Cache-Control")) stream_head_->insert(k, v);
    }
    stream_head_->set(http::field::content_type, "text/event-stream");
    stream_head_->set(http::field::cache_control, "no-cache");
    stream_head_->chunked(true);
    stream_head_->keep_alive(false);
    stream_sr_.emplace(*stream_head_);
    stream_.expires_after(std::chrono::seconds(app_.config.write_timeout_seconds));
    http::async_write_header(stream_, *stream_sr_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      self->done(200);
      if (ec) return self->close();
      self->streaming_ = true;
      self->stream_.expires_never();
      self->watch_client();
      auto& spec = *self->ex_->res.stream;
      // Every stream lasts while the token that opened it stands (EventHub: revoked, expired).
      StreamOwner owner;
      if (const auto& p = self->ex_->ctx.principal) {
        auto claims = std::make_shared<service::TokenClaims>();
        claims->username = p->username;
        claims->user_id = p->user_id;
        claims->tenant = p->tenant;
        claims->role = p->role;
        claims->token_version = p->token_version;
        claims->jti = p->token_id;
        claims->expires_at = p->token_expires_at;
        owner = std::move(claims);
      }
      if (spec.produce) {
        std::shared_ptr<EventSink> sink = self;
        self->app_.events->watch(sink, std::move(owner));
        if (!self->app_.streams->run([produce = std::move(spec.produce), sink] { produce(sink); })) {
          self->push("event: shutdown\ndata: {}\n\n", true);  // the server is stopping
        }
      } else {
        if (spec.tenant) self->app_.events->subscribe_tenant(*spec.tenant, self, std::move(owner));
        else self->app_.events->subscribe(spec.job_id, self, std::move(owner));
      }
    });
  }

  // While streaming, a read stays pending on the socket: it notices the client leaving, and its
  // handler holds the session alive. What the client sends meanwhile is dropped.
  void watch_client() {
    stream_.socket().async_read_some(net::buffer(scratch_), [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return self->close();
      self->watch_client();
    });
  }

  void pump() {
    if (writing_ || closed_) return;
    {
      std::lock_guard lock(out_mutex_);
      if (out_.empty()) return;
      current_ = std::move(out_.front());
      out_.pop_front();
      out_bytes_ -= std::min(out_bytes_, current_.size());
    }
    writing_ = true;
    const bool last = current_.size() >= 5 && current_.compare(current_.size() - 5, 5, "0\r\n\r\n") == 0;
    stream_.expires_after(std::chrono::seconds(app_.config.write_timeout_seconds));
    net::async_write(stream_, net::buffer(current_), [self = shared_from_this(), last](beast::error_code ec, std::size_t) {
      self->writing_ = false;
      self->stream_.expires_never();
      if (ec) return self->close();
      if (last) return self->linger_close();
      self->pump();
    });
  }

  HttpServer::Impl& srv_;
  App& app_;
  beast::tcp_stream stream_;
  std::string peer_;
  beast::flat_buffer buffer_{64 * 1024};
  std::optional<http::request_parser<http::string_body>> parser_;
  std::shared_ptr<Exchange> ex_;
  std::string head_;  // the status line and headers of the answer being written (kept: its capacity is reused)
  std::optional<http::response<http::empty_body>> continue_;
  std::optional<http::response<http::empty_body>> stream_head_;
  std::optional<http::response_serializer<http::empty_body>> stream_sr_;
  std::array<char, 4096> scratch_{};
  std::size_t linger_bytes_ = 0;
  bool first_ = true;
  bool idle_ = false;
  bool keep_alive_ = false;
  bool sent_continue_ = false;
  bool counted_ = false;
  bool closed_ = false;
  bool streaming_ = false;
  bool writing_ = false;
  bool watching_ = false;      // a read watches the client while its request computes
  bool answer_ready_ = false;  // the computation ended while watching: answer when the read ends
  std::string current_;
  std::mutex out_mutex_;
  std::deque<std::string> out_;  // guarded by out_mutex_
  std::size_t out_bytes_ = 0;    // guarded by out_mutex_
  bool out_closed_ = false;      // guarded by out_mutex_
  bool registered_ = false;
  std::list<std::weak_ptr<Session>>::iterator self_it_;
};

// The answer to a connection over a cap, written on the raw socket before closing it: the error
// body of every refusal, with a request id of its own (the client sent nothing yet), and a
// Content-Length counted from the body itself.
std::string too_many_connections(std::string_view message) {
  const std::string hex = keel::net::random_hex(8);
  const std::string body = fmt::format(
      "{{\"error\":{{\"code\":\"unavailable\",\"message\":\"{}\",\"details\":[],\"request_id\":\"{}\"}}}}",
      message, hex);
  return fmt::format(
      "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nRetry-After: 1\r\n"
      "X-Request-Id: {}\r\nX-Content-Type-Options: nosniff\r\nCache-Control: no-store\r\n"
      "Connection: close\r\nContent-Length: {}\r\n\r\n{}",
      hex, body.size(), body);
}

}  // namespace

void HttpServer::Impl::accept() {
  acceptor.async_accept(net::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
    if (ec) {
      if (ec == net::error::operation_aborted || !acceptor.is_open()) return;
      // EMFILE and the like: back off a little rather than spin.
      app.log_line({{"level", "warn"}, {"event", "accept_failed"}, {"error", ec.message()}});
      auto timer = std::make_shared<net::steady_timer>(ioc, std::chrono::milliseconds(50));
      timer->async_wait([this, timer](beast::error_code) { accept(); });
      return;
    }
    admit_connection(std::move(socket));
    // Drain what else waits in the backlog now (the acceptor is non-blocking): one accept per turn
    // of the event loop would leave a burst of new connections queued behind busy ones for seconds.
    for (int i = 0; i < 1024; ++i) {
      tcp::socket next(net::make_strand(ioc));
      beast::error_code aec;
      acceptor.accept(next, aec);
      if (aec) break;
      admit_connection(std::move(next));
    }
    accept();
  });
}

void HttpServer::Impl::admit_connection(tcp::socket socket) {
  beast::error_code aec;
  const auto endpoint = socket.remote_endpoint(aec);
  std::string peer = aec ? "unknown" : endpoint.address().to_string();
  socket.set_option(tcp::no_delay(true), aec);
  bool over = false;
  bool address_over = false;
  std::shared_ptr<Session> session;
  {
    std::lock_guard lock(sessions_mutex);
    std::size_t& n = per_address[peer];
    address_over = !trusted_proxy(peer) && n >= app.config.max_connections_per_client;
    over = stopping.load() || sessions.size() >= app.config.max_connections || address_over;
    if (!over) {
      ++n;
      session = std::make_shared<Session>(*this, std::move(socket), peer);
      sessions.push_front(session);
      session->registered(sessions.begin());
    } else if (n == 0) {
      per_address.erase(peer);
    }
  }
  if (over) {
    ++rejected_connections;
    auto sock = std::make_shared<tcp::socket>(std::move(socket));
    auto answer = std::make_shared<const std::string>(too_many_connections(
        stopping.load()  ? "the server is stopping"
        : address_over ? "too many connections from this address"
                       : "too many connections to the server"));
    net::async_write(*sock, net::buffer(*answer),
                     [sock, answer](beast::error_code, std::size_t) {
                       beast::error_code ignored;
                       sock->shutdown(tcp::socket::shutdown_both, ignored);
                       sock->close(ignored);
                     });
  } else {
    session->start();
  }
}

HttpServer::HttpServer(App& app) : impl_(std::make_unique<Impl>(app)) {}

HttpServer::~HttpServer() { stop(); }

int HttpServer::bind(const std::string& host, int port) {
  // Thousands of connections and event streams need file descriptors: raise the soft limit.
  rlimit lim{};
  if (getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur < lim.rlim_max) {
    lim.rlim_cur = lim.rlim_max;
    setrlimit(RLIMIT_NOFILE, &lim);
  }
  beast::error_code ec;
  const auto address = net::ip::make_address(host, ec);
  if (ec) throw Error::usage("--host " + host + ": not an IP address");
  const tcp::endpoint endpoint(address, static_cast<unsigned short>(port));
  auto& acc = impl_->acceptor;
  acc.open(endpoint.protocol(), ec);
  if (!ec) acc.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acc.bind(endpoint, ec);
  if (!ec) acc.listen(net::socket_base::max_listen_connections, ec);
  if (!ec) acc.non_blocking(true, ec);
  if (ec) throw Error::internal(fmt::format("cannot bind {}:{} ({})", host, port, ec.message()));
  return acc.local_endpoint().port();
}

void HttpServer::run() {
  auto& im = *impl_;
  im.running = true;
  im.accept();
  const std::size_t n = std::max<std::size_t>(1, im.app.config.io_threads);
  auto guard = net::make_work_guard(im.ioc);
  for (std::size_t i = 0; i < n; ++i) {
    im.io_threads.emplace_back([&im] {
      for (;;) {
        try {
          im.ioc.run();
          return;
        } catch (const std::exception& e) {
          // A handler must not end an I/O thread: log and go on serving.
          im.app.log_line({{"level", "error"}, {"event", "io_thread"}, {"error", e.what()}});
        }
      }
    });
  }
  {
    std::unique_lock lock(im.stop_mutex);
    im.stop_cv.wait(lock, [&] { return im.stopped; });
  }
  guard.reset();
  im.ioc.stop();  // what is left (closing sockets) ends with the io_context
  for (auto& t : im.io_threads) {
    if (t.joinable()) t.join();
  }
  im.io_threads.clear();
  im.running = false;
}

bool HttpServer::running() const { return impl_->running.load(); }

void HttpServer::stop() {
  auto& im = *impl_;
  if (im.stopping.exchange(true)) return;
  const bool was_running = im.running.load();
  net::post(im.ioc, [&im] {
    beast::error_code ec;
    im.acceptor.close(ec);
  });
  const auto each_session = [&im](auto fn) {
    std::vector<std::shared_ptr<Session>> live;
    {
      std::lock_guard lock(im.sessions_mutex);
      for (auto& w : im.sessions) {
        if (auto s = w.lock()) live.push_back(std::move(s));
      }
    }
    for (auto& s : live) fn(*s);
  };
  each_session([](Session& s) { s.close_if_idle(); });
  // Requests in progress finish (bounded by the grace period); their connections then close.
  if (was_running) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(im.app.config.shutdown_grace_seconds);
    {
      std::unique_lock lock(im.stop_mutex);
      im.stop_cv.wait_until(lock, deadline, [&] { return im.active_requests.load() == 0; });
    }
    // Past the grace: the computations still waiting or running end with 503 at their engine's
    // next check (every 100 ms of work); their answers get half a second to go out.
    im.stop_computations();
    if (im.active_requests.load() > 0) {
      std::unique_lock lock(im.stop_mutex);
      im.stop_cv.wait_for(lock, std::chrono::milliseconds(500), [&] { return im.active_requests.load() == 0; });
    }
    // Connections finishing their last write (answers, the end of event streams) close by
    // themselves; give them a moment before closing what is left.
    const auto flush_until = std::min(deadline, std::chrono::steady_clock::now() + std::chrono::seconds(2));
    while (std::chrono::steady_clock::now() < flush_until) {
      {
        std::lock_guard lock(im.sessions_mutex);
        if (im.sessions.empty()) break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
  each_session([](Session& s) { s.close_now(); });
  im.requests.stop();
  im.compute.stop();
  im.hashing.stop();
  {
    std::lock_guard lock(im.stop_mutex);
    im.stopped = true;
  }
  im.stop_cv.notify_all();
  if (!was_running) im.ioc.stop();
}

HttpServerStats HttpServer::stats() const {
  HttpServerStats s;
  {
    std::lock_guard lock(impl_->sessions_mutex);
    s.open_connections = impl_->sessions.size();
  }
  s.request_queue = impl_->requests.queued();
  s.compute_queue = impl_->compute.queued();
  s.compute_running = impl_->compute.running();
  s.rejected_busy = impl_->rejected_busy.load();
  s.rejected_connections = impl_->rejected_connections.load();
  s.request_queue_wait = impl_->requests.queue_wait();
  s.compute_queue_wait = impl_->compute.queue_wait();
  s.hash_queue_wait = impl_->hashing.queue_wait();
  return s;
}

}  // namespace keel::server
