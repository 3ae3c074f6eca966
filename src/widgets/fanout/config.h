// config.h — the fanout widget's parameters (schema in info.cpp) → model descs.
// Shared by `scalebook sim fanout` and the widget's scenario so both run the same model.
// UI-free, header-only.
#pragma once
#include <cmath>
#include <cstdint>
#include <string>

#include "sim/fanout/estimate.h"
#include "sim/fanout/graph.h"
#include "sim/fanout/timeline_sim.h"
#include "sim/fanout/workload.h"
#include "widgets/params.h"

namespace scalebook::widgets::fanout_config {

namespace fo = scalebook::sim::fanout;

inline std::int64_t seconds_to_us(double s) { return static_cast<std::int64_t>(std::llround(s * 1e6)); }

inline fo::Strategy strategy_of(const std::string& s) {
  return s == "pull" ? fo::Strategy::Pull : s == "hybrid" ? fo::Strategy::Hybrid : fo::Strategy::Push;
}

inline fo::GraphDesc graph_desc(const ParamMap& p, std::uint64_t seed) {
  fo::GraphDesc g;
  g.users = static_cast<std::uint32_t>(get_int(p, "users"));
  g.mean_followers = get_double(p, "mean_followers");
  g.exponent = get_double(p, "exponent");
  g.celebrities = static_cast<std::uint32_t>(get_int(p, "celebrities"));
  g.celebrity_followers = static_cast<std::uint32_t>(get_int(p, "celebrity_followers"));
  g.seed = seed;
  return g;
}

inline fo::WorkloadDesc workload_desc(const ParamMap& p, std::uint64_t seed) {
  fo::WorkloadDesc w;
  w.duration_us = seconds_to_us(get_double(p, "duration_s"));
  w.posts_per_s = get_double(p, "posts_per_s");
  w.reads_per_s = get_double(p, "reads_per_s");
  w.celebrity_post_at_us = seconds_to_us(get_double(p, "celebrity_post_at_s"));
  w.mean_days_since_visit = get_double(p, "mean_days_since_visit");
  w.seed = seed;
  return w;
}

inline fo::SimDesc sim_desc(const ParamMap& p) {
  fo::SimDesc s;
  s.strategy = strategy_of(get_text(p, "strategy"));
  s.timeline_cap = static_cast<std::uint32_t>(get_int(p, "cap"));
  s.hybrid_threshold = static_cast<std::uint32_t>(get_int(p, "threshold"));
  s.fanout_workers = static_cast<std::uint32_t>(get_int(p, "workers"));
  s.worker_inserts_per_s = get_int(p, "worker_inserts_per_s");
  s.inactive_after_us = static_cast<std::int64_t>(std::llround(get_double(p, "inactive_days") * 86400.0)) * 1'000'000;
  s.replication = static_cast<std::uint32_t>(get_int(p, "replication"));
  s.entry_bytes = static_cast<std::uint32_t>(get_int(p, "entry_bytes"));
  s.fetch_rtt_us = get_int(p, "fetch_rtt_us");
  s.parallel_fetches = static_cast<std::uint32_t>(get_int(p, "parallel_fetches"));
  return s;
}

inline fo::EnvelopeInputs envelope_inputs(const ParamMap& p) {
  fo::EnvelopeInputs e;
  e.posts_per_s = get_double(p, "est_posts_per_s");
  e.reads_per_s = get_double(p, "est_reads_per_s");
  e.mean_followers = get_double(p, "est_mean_followers");
  e.active_users = get_double(p, "est_active_users");
  e.timeline_cap = static_cast<std::uint32_t>(get_int(p, "cap"));
  e.entry_bytes = static_cast<std::uint32_t>(get_int(p, "entry_bytes"));
  e.replication = static_cast<std::uint32_t>(get_int(p, "replication"));
  e.fanout_inserts_per_s = get_double(p, "est_fanout_inserts_per_s");
  e.celebrity_followers = get_double(p, "est_celebrity_followers");
  e.delivery_target_s = get_double(p, "est_target_s");
  return e;
}

// "" when the combination is valid, else "parameter 'x': message".
inline std::string cross_check(const ParamMap& p) {
  const auto users = get_int(p, "users");
  if (get_int(p, "celebrities") >= users) return "parameter 'celebrities': must be fewer than users";
  if (get_int(p, "celebrities") > 0 && get_int(p, "celebrity_followers") >= users)
    return "parameter 'celebrity_followers': must be less than users (" + std::to_string(users) + ")";
  if (get_double(p, "mean_followers") > static_cast<double>(users - 1))
    return "parameter 'mean_followers': must be at most users - 1";
  return {};
}

}  // namespace scalebook::widgets::fanout_config
