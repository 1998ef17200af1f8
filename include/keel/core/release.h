// keel/core/release.h: large objects destroyed on a background thread.
//
// Destroying a million-row ledger (its rows, lots and strings) takes tens of milliseconds, spent
// when a report has its result and only has to write it. release_later() hands an object over to
// one process-wide thread that destroys what it is given, in that order, while the caller goes on.
// The thread starts on first use (where it cannot, the object is destroyed at once) and runs until
// the program ends: a program that exits does not wait for the objects still queued, whose memory
// goes back with the process. So only objects whose destruction does nothing but free memory may
// be handed over (no file to close, no transaction to end).
//
// Thread-safety: release_later may be called from any thread. Ownership: the object is moved from;
// what it refers to but does not own must outlive its destruction (a view into a caller's buffer).
#pragma once

#include <memory>
#include <type_traits>
#include <utility>

namespace keel {

namespace detail {
void release_later(std::shared_ptr<void> object);
}  // namespace detail

template <class T>
void release_later(T&& object) {
  static_assert(!std::is_lvalue_reference_v<T>, "release_later takes the object: std::move it");
  detail::release_later(std::make_shared<std::decay_t<T>>(std::forward<T>(object)));
}

}  // namespace keel
