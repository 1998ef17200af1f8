// keel/store/modelling_repository.h: what-if modelling sessions in the store.
//
// A modelling session belongs to a tenant and a portfolio (deleting the portfolio deletes its
// sessions) and holds an ordered list of proposed trades. Trades are numbered 1, 2, ... in the
// order they were added; a number is never reused within a session, so deleting trade 2 leaves
// 1 and 3 (a client's reference to a trade stays valid). Every write is one transaction and
// touches the session's updated_at.
//
// ModellingRepository is a concrete class, written once over the store's SQL connection (either
// backend); Store::modelling_sessions() hands it out.
//
// Thread-safety: like the Store that owns it, one thread at a time. Ownership: the Store owns the
// repository; the reference lives as long as the Store.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "keel/portfolio/position.h"

namespace keel {
class Clock;
}  // namespace keel

namespace keel::store {

class SqlConnection;  // the store's connection to its database

struct ModellingSession {
  std::int64_t id = 0;
  std::string tenant;
  std::string owner;  // user name of the creator
  std::int64_t portfolio_id = 0;
  std::string portfolio;  // the portfolio's name
  std::string name;
  std::string created_at;  // ISO-8601 UTC
  std::string updated_at;
  std::size_t trades = 0;  // number of trades in the session
};

struct ModellingTrade {
  std::int64_t number = 0;      // 1-based, stable within the session (set by add_trades)
  Position position;            // symbol, signed quantity change, instrument terms
  std::optional<double> price;  // execution price per unit of quote; absent = last close/model
  std::string origin;           // where the trade came from ("body.csv:3")
};

class ModellingRepository {
 public:
  ModellingRepository(SqlConnection& c, const Clock& clock) : c_(&c), clock_(&clock) {}

  ModellingSession create(const std::string& tenant, const std::string& owner, std::int64_t portfolio_id,
                          const std::string& name);
  // Sessions of the tenant, by id.
  std::vector<ModellingSession> list(const std::string& tenant);
  // How many of `tenant`'s sessions `owner` made.
  std::size_t count_owned(const std::string& tenant, const std::string& owner);
  // nullopt when there is no such session in `tenant` (including another tenant's).
  std::optional<ModellingSession> find(const std::string& tenant, std::int64_t id);
  // Trades in order.
  std::vector<ModellingTrade> trades(std::int64_t session_id);
  // Appends the trades after the session's last number (one transaction); returns them numbered.
  std::vector<ModellingTrade> add_trades(std::int64_t session_id, const std::vector<ModellingTrade>& trades);
  // False when the session has no trade with that number.
  bool remove_trade(std::int64_t session_id, std::int64_t number);
  // Deletes the session and its trades; false when `tenant` has no such session.
  bool remove(const std::string& tenant, std::int64_t id);

 private:
  SqlConnection* c_;
  const Clock* clock_;
};

}  // namespace keel::store
