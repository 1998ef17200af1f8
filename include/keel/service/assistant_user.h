// keel/service/assistant_user.h: whom the assistant acts for — the asking user every assistant use
// case takes (keel/service/assistant_ask.h, assistant_providers.h, assistant_tools.h), made by the
// faces: keel serve from the signed-in user and its role, the keel command as the machine's
// operator (every permission).
//
// A tool runs as that user — with that user's tenant and permissions (AssistantUser::may), never
// a file — so the model can do nothing the user could not.
//
// Thread-safety: a value type; `may` is called on the thread that runs the use case.
#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace keel::service {

// What a tool needs of the asking user's permissions.
enum class ToolAccess { kRead, kCompute, kWrite };
std::string_view tool_access_name(ToolAccess a);  // read, compute, write

// The asking user: tenant, name, and the face's answer to "may this user do that" (keel serve:
// the role's read / compute / manage_portfolios permissions; the keel command: everything).
struct AssistantUser {
  std::string tenant = "default";
  std::string username;
  std::string role;  // for messages ("viewer")
  std::function<bool(ToolAccess)> may = [](ToolAccess) { return true; };
};

}  // namespace keel::service
