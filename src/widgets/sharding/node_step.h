// node_step.h — what the sharding view's in-canvas "+ node" / "− node" buttons do:
// which parameter they change and to what value. UI-free (unit-tested natively in
// tests/unit/view_requests_test.cpp); the view sends the value to the host as a
// parameter request (src/widgets/requests.h), so a click is an ordinary parameter
// change: the run restarts with one node more (or fewer), and its add-node story then
// moves about K/(N+1) keys.
//
// Generated nodes only: with a `nodes` list the nodes have names and weights the
// buttons cannot invent, so there are no buttons. `buckets` overrides `node_count`
// when it is > 0, so the buttons then step `buckets`. Limits: the parameter's schema
// range, and 1..kMaxGeneratedNodes (the most the widget draws: its check refuses more,
// scenario.h); at a limit the button is disabled.
#pragma once
#include <algorithm>
#include <cstddef>
#include <string>

#include "widgets/catalog.h"
#include "widgets/params.h"

namespace scalebook::widgets::sharding {

inline constexpr long long kMaxGeneratedNodes = 1000;  // the widget's limit for generated nodes (check_params)

struct NodeStep {
  bool available = false;  // false with a node list (or no such parameter): no buttons
  std::string key;         // "node_count" or "buckets"
  long long nodes = 0;     // the current count
  bool can_add = false, can_remove = false;
  std::string add_value, remove_value;  // valid only when can_add / can_remove
};

inline NodeStep node_step(const WidgetInfo& info, const ParamMap& params) {
  NodeStep s;
  if (!get_text(params, "nodes").empty()) return s;
  s.key = get_int(params, "buckets") > 0 ? "buckets" : "node_count";
  const ParamSpec* spec = find_param(info, s.key);
  if (!spec) return s;
  s.available = true;
  s.nodes = get_int(params, s.key);
  const double lo = std::max(1.0, spec->min), hi = std::min(static_cast<double>(kMaxGeneratedNodes), spec->max);
  s.can_add = static_cast<double>(s.nodes + 1) <= hi;
  s.can_remove = static_cast<double>(s.nodes - 1) >= lo;
  if (s.can_add) s.add_value = std::to_string(s.nodes + 1);
  if (s.can_remove) s.remove_value = std::to_string(s.nodes - 1);
  return s;
}

}  // namespace scalebook::widgets::sharding
