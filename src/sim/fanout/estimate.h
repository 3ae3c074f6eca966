// estimate.h — back-of-envelope fan-out arithmetic (no simulation).
//
// Models steady-state averages: each post is inserted into `mean_followers`
// timelines (write amplification), deliveries/s = posts/s × mean_followers; pull
// costs one fetch per followee per read (mean followees = mean followers in a
// closed graph), push one fetch per read; timeline memory = active users × cap ×
// entry bytes × replicas (every timeline full: an upper bound). A celebrity's
// post is a burst of `celebrity_followers` inserts into a FIFO fan-out fleet of
// `fanout_inserts_per_s` already busy with the steady load, so it drains at the
// *spare* rate: drain = followers / (capacity − deliveries/s) — the fluid-queue
// result the simulation's queue also follows.
//
// Defaults are Twitter's published 2012–13 figures (Raffi Krikorian, "Timelines
// at Scale", QCon SF 2012; High Scalability, 2013-07-08): 400 M tweets/day
// (4.6 k/s average; 6 k write requests/s), 300 k timeline reads/s, 150 M active
// users, ~30 billion timeline deliveries/day (⇒ ~75 per tweet), 800-entry home
// timelines on 3 Redis replicas, entries of tweet id + user id + 4 bytes of
// flags (20 bytes), a 5-second delivery target, and "up to 5 minutes" for a
// tweet to reach Lady Gaga's 31 M followers. The fleet capacity is NOT
// published: 450 k inserts/s (30% above the average delivery rate) is our
// assumption, chosen so that the ~5 minutes come out: the celebrity drain time is
// a CALIBRATION to the published figure, not an independent reproduction of it.
// Not modelled: peaks, per-shard hot spots, retries, replication traffic.
#pragma once
#include <cstdint>

namespace scalebook::sim::fanout {

struct EnvelopeInputs {
  double posts_per_s = 400e6 / 86400.0;  // 4,629.6
  double reads_per_s = 300'000.0;
  double mean_followers = 75.0;  // timelines each post reaches
  double active_users = 150e6;
  std::uint32_t timeline_cap = 800;
  std::uint32_t entry_bytes = 20;
  std::uint32_t replication = 3;
  double fanout_inserts_per_s = 450'000.0;
  double celebrity_followers = 30e6;
  double delivery_target_s = 5.0;
};

struct Envelope {
  double write_amplification = 0;    // inserts per post
  double deliveries_per_s = 0;
  double deliveries_per_day = 0;
  double read_write_ratio = 0;       // reads per post
  double push_fetches_per_s = 0;     // one cache fetch per read
  double pull_fetches_per_s = 0;     // one fetch per followee per read
  double timeline_entries = 0;       // active users × cap
  double memory_bytes = 0;           // × entry bytes × replicas
  double fanout_utilisation = 0;     // steady deliveries / capacity
  double spare_inserts_per_s = 0;    // capacity − steady deliveries (<= 0: the queue never drains)
  double celebrity_drain_s = 0;      // time for the celebrity's post to reach its last follower (inf if no spare)
  double max_followers_within_target = 0;  // largest audience push can reach within the target
  double backlog_at_target = 0;      // celebrity inserts still queued when the target expires
  bool push_meets_target = true;
};

Envelope estimate(const EnvelopeInputs& in);

}  // namespace scalebook::sim::fanout
