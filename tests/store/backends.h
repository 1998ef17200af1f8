// tests/store/backends.h: the store's contract tests run against each backend.
//
// A test written as TEST_P(StoreBackend, ...) opens its store with open_store_under_test(); it
// runs on SQLite (in memory) in keel_store_tests and on PostgreSQL (a fresh database of the
// throwaway server of pg_cluster.h, as the application role) in keel_store_pg_tests, which is
// built with KEEL_TEST_POSTGRESQL. Without a PostgreSQL server the PostgreSQL runs skip with the
// reason.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "keel/core/env.h"
#include "keel/store/store.h"

namespace keel::testing {

// The backends this test binary runs the contract tests on.
std::vector<std::string> store_backends();

class StoreBackend : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override;
  // A new, empty, migrated store of the backend under test.
  std::unique_ptr<Store> open_store_under_test(const Clock& clock = system_clock_source());
};

}  // namespace keel::testing
