// scenario.h — graph + workload built once from a seed, run through any strategy.
//
// The same Scenario run through push, pull and hybrid gives the same reads of
// the same posts (same Snowflake IDs): the basis of the cross-strategy invariant.
#pragma once
#include <memory>

#include "sim/fanout/graph.h"
#include "sim/fanout/timeline_sim.h"
#include "sim/fanout/workload.h"

namespace scalebook::sim::fanout {

struct Scenario {
  std::shared_ptr<const FollowerGraph> graph;
  Workload workload;
  std::int64_t duration_us = 0;
};

// Preconditions: validate(graph) == "".
inline Scenario build_scenario(const GraphDesc& graph, WorkloadDesc workload) {
  Scenario s;
  s.graph = std::make_shared<const FollowerGraph>(FollowerGraph::generate(graph));
  s.workload = generate_workload(workload, graph.users, graph.celebrities);
  s.duration_us = workload.duration_us;
  return s;
}

inline TimelineSim run_scenario(const Scenario& s, const SimDesc& desc) {
  TimelineSim sim(s.graph, desc, s.workload.last_visit_us);
  sim.run(s.workload.events);
  sim.advance_to(s.duration_us);
  return sim;
}

}  // namespace scalebook::sim::fanout
