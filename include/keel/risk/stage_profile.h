// keel/risk/stage_profile.h: where the time of one risk run goes, stage by stage.
//
// With the environment variable KEEL_PROFILE set (to anything but "" or "0"), the stages of a run
// mark their ends and `keel risk var` prints, on standard error, the wall and CPU time (every
// thread of the process) of each stage since the previous mark; the first mark counts from the
// start of the process, so it holds the start-up (loading the binary, parsing options). Unset, a
// mark costs the test of one flag. Meant for diagnosis: the profile of docs/risk.md ("Where the
// time goes") is read from it.
//
// Thread-safety: marks may come from any thread (they are serialised); a run marks its stages
// from the thread that drives it.
#pragma once

#include <string>
#include <string_view>

namespace keel::risk {

// True when KEEL_PROFILE asks for a profile (read once).
bool profiling();

// Ends the stage `name` now: records the wall and CPU time since the previous mark.
void profile_mark(std::string_view name);

// The stages recorded so far, one a line ("stage  wall ms  cpu ms"), with their total; then
// forgets them. Empty when nothing was recorded.
std::string take_profile();

}  // namespace keel::risk
