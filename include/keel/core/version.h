// keel/core/version.h: the version of this keel (CMake's project version), for `keel --version`
// and for what keel writes about itself (an export's `meta`).
#pragma once

#include <string_view>

namespace keel {

// "0.1.0".
std::string_view keel_version();

}  // namespace keel
