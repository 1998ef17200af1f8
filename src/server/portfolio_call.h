// src/server/portfolio_call.h (private): a route on one portfolio whose JSON body is a use case's
// request: the path's portfolio resolved once (by id or name), the body read by the request's spec,
// the use case run on it, its result sent with the portfolio's id.
#pragma once

#include <string_view>

#include "app.h"
#include "keel/service/portfolio_view.h"
#include "keel/service/spec.h"

namespace keel::server {

// `prepare(request)` fills what the body does not carry (a flag the route's path decides);
// `run(context, request)` is the use case. Answers 200 with the result, its `id` the portfolio's.
template <class Req, class Run, class Prepare>
void portfolio_json_call(Call& c, std::string_view what, Run run, Prepare prepare) {
  const auto p = service::resolve_portfolio(c.service(), c.param("id"));
  Req req;
  spec::read_json(c.json_body(), req, what);
  req.portfolio = p.name;
  prepare(req);
  auto out = run(c.service(), req);
  out.id = p.id;
  c.send(200, spec::to_json(out));
}

template <class Req, class Run>
void portfolio_json_call(Call& c, std::string_view what, Run run) {
  portfolio_json_call<Req>(c, what, run, [](Req&) {});
}

}  // namespace keel::server
