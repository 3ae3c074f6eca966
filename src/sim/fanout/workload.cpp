#include "sim/fanout/workload.h"

#include <algorithm>
#include <cmath>

#include "sim/core/rng.h"

namespace scalebook::sim::fanout {

namespace {
constexpr double kUsPerDay = 86'400.0 * 1e6;

void poisson(Rng& rng, double rate_per_s, std::int64_t duration_us, EventKind kind, std::uint32_t first_user,
             std::uint32_t user_count, std::vector<Event>& out) {
  if (!(rate_per_s > 0.0) || user_count == 0) return;
  const double mean_gap_us = 1e6 / rate_per_s;
  double t = 0.0;
  for (;;) {
    t += rng.exponential(mean_gap_us);
    if (t >= static_cast<double>(duration_us)) break;
    out.push_back({static_cast<std::int64_t>(std::floor(t)), kind,
                   first_user + static_cast<std::uint32_t>(rng.uniform_int(user_count))});
  }
}
}  // namespace

Workload generate_workload(const WorkloadDesc& d, std::uint32_t users, std::uint32_t celebrities) {
  Workload w;
  Rng root(d.seed ^ 0x5EED0F00D5ull);
  Rng visit_rng = root.split(1), post_rng = root.split(2), read_rng = root.split(3);
  w.last_visit_us.resize(users);
  for (auto& v : w.last_visit_us)
    v = -static_cast<std::int64_t>(std::floor(visit_rng.exponential(d.mean_days_since_visit * kUsPerDay)));
  poisson(post_rng, d.posts_per_s, d.duration_us, EventKind::Post, celebrities, users - celebrities, w.events);
  if (d.celebrity_post_at_us >= 0)
    for (std::uint32_t c = 0; c < celebrities; ++c) {
      const std::int64_t t = d.celebrity_post_at_us + 1000 * static_cast<std::int64_t>(c);
      if (t < d.duration_us) w.events.push_back({t, EventKind::Post, c});
    }
  poisson(read_rng, d.reads_per_s, d.duration_us, EventKind::Read, 0, users, w.events);
  std::stable_sort(w.events.begin(), w.events.end(), [](const Event& a, const Event& b) {
    return a.time_us != b.time_us ? a.time_us < b.time_us : a.kind < b.kind;
  });
  return w;
}

}  // namespace scalebook::sim::fanout
