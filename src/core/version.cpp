// keel_version (keel/core/version.h): KEEL_VERSION_TEXT is set by src/core/CMakeLists.txt from
// the project's version, the one place it is written.
#include "keel/core/version.h"

namespace keel {

std::string_view keel_version() { return KEEL_VERSION_TEXT; }

}  // namespace keel
