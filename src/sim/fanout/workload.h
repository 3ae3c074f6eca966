// workload.h — posts and timeline reads over virtual time, generated from a seed.
//
// Models: posts by non-celebrity users as a Poisson process (`posts_per_s`,
// author uniform over the body), timeline reads as a Poisson process
// (`reads_per_s`, reader uniform over all users), and a celebrity burst: each
// celebrity posts once at `celebrity_post_at_us` (celebrity i at +i ms). Every
// user also has a last visit before the run starts, `mean_days_since_visit`
// days ago on average (exponential), so that "inactive for N days" selects a
// realistic share of users (e^(-N/mean)).
//
// Invariants: events are sorted by (time_us, posts before reads at the same µs,
// generation order); same desc + graph shape ⇒ same workload.
// Not modelled: diurnal cycles, bursts of ordinary users, reads correlated with
// posts (notifications), retweets/replies.
#pragma once
#include <cstdint>
#include <vector>

namespace scalebook::sim::fanout {

enum class EventKind : std::uint8_t { Post = 0, Read = 1 };

struct Event {
  std::int64_t time_us = 0;
  EventKind kind = EventKind::Post;
  std::uint32_t user = 0;  // author of a post, reader of a read
};

struct WorkloadDesc {
  std::int64_t duration_us = 10'000'000;
  double posts_per_s = 50.0;
  double reads_per_s = 300.0;
  std::int64_t celebrity_post_at_us = 2'000'000;  // < 0: celebrities stay silent
  double mean_days_since_visit = 10.0;
  std::uint64_t seed = 1;
  bool operator==(const WorkloadDesc&) const = default;
};

struct Workload {
  std::vector<std::int64_t> last_visit_us;  // per user, <= 0 (before the run)
  std::vector<Event> events;
};

// users > celebrities required.
Workload generate_workload(const WorkloadDesc& desc, std::uint32_t users, std::uint32_t celebrities);

}  // namespace scalebook::sim::fanout
