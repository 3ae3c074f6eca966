#include "sim/fanout/estimate.h"

#include <algorithm>
#include <limits>

namespace scalebook::sim::fanout {

Envelope estimate(const EnvelopeInputs& in) {
  Envelope e;
  e.write_amplification = in.mean_followers;
  e.deliveries_per_s = in.posts_per_s * in.mean_followers;
  e.deliveries_per_day = e.deliveries_per_s * 86400.0;
  e.read_write_ratio = in.posts_per_s > 0 ? in.reads_per_s / in.posts_per_s : 0.0;
  e.push_fetches_per_s = in.reads_per_s;
  e.pull_fetches_per_s = in.reads_per_s * in.mean_followers;
  e.timeline_entries = in.active_users * in.timeline_cap;
  e.memory_bytes = e.timeline_entries * in.entry_bytes * in.replication;
  e.fanout_utilisation = in.fanout_inserts_per_s > 0 ? e.deliveries_per_s / in.fanout_inserts_per_s
                                                      : std::numeric_limits<double>::infinity();
  e.spare_inserts_per_s = in.fanout_inserts_per_s - e.deliveries_per_s;
  if (e.spare_inserts_per_s > 0) {
    e.celebrity_drain_s = in.celebrity_followers / e.spare_inserts_per_s;
    e.max_followers_within_target = e.spare_inserts_per_s * in.delivery_target_s;
  } else {
    e.celebrity_drain_s = in.celebrity_followers > 0 ? std::numeric_limits<double>::infinity() : 0.0;
    e.max_followers_within_target = 0;
  }
  e.backlog_at_target = std::max(0.0, in.celebrity_followers - e.max_followers_within_target);
  e.push_meets_target = e.celebrity_drain_s <= in.delivery_target_s;
  return e;
}

}  // namespace scalebook::sim::fanout
