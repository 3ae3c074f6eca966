// timeline_sim.h — home timelines built by fan-out on write (push), on read (pull), or a hybrid.
//
// Models (one strategy per TimelineSim; run the same graph + events through each):
//  - Every post gets a Snowflake ID from generator (author mod id_generators) at
//    the post's virtual millisecond, and is appended to its author's own list
//    (the "user timeline", kept to the newest `timeline_cap`).
//  - Push: the post is inserted into the capped home-timeline cache of every
//    follower (sorted by ID, newest `timeline_cap` kept — Redis LPUSH+LTRIM).
//    Pull: nothing is written; a read merges the followees' own lists.
//    Hybrid: push for authors with fewer than `hybrid_threshold` followers; a
//    read merges the cache with the own lists of followees at/above the threshold.
//  - Inactive users (no read for more than `inactive_after_us`; 0 = off) are
//    skipped by push: their cache is dropped at the first skipped delivery, and
//    rebuilt by a merge at their next read (one fetch per followee merged).
//  - Fan-out workers: `fanout_workers` × `worker_inserts_per_s` inserts/s drain
//    one FIFO queue (fluid: insert k of a post completes k/R after the queue
//    frees up, exact integer arithmetic). An insert is *visible* from its
//    completion time; 0 inserts/s means instantaneous delivery.
//  - Reads cost one fetch per list read (own cache, each followee list merged);
//    read latency = fetch_rtt_us × ceil(fetches / parallel_fetches).
//  - Cache memory = entries held in home-timeline caches × entry_bytes × replication.
//
// THE INVARIANT and how reads are compared. A read returns the *logical*
// timeline: the newest `timeline_cap` posts (by Snowflake ID, descending) among
// every post that followees made before the read — as if every accepted write
// were delivered instantly. This is what every strategy must agree on, read for
// read (tests: against each other and a brute-force scan), and what
// `timeline_digest` hashes. Delivery delay is measured separately and never
// changes the logical result: ReadResult::not_yet_visible counts the logical
// entries whose queued insert had not completed at read time (what the reader
// would miss right now), and the delivery-latency histogram records post → visible
// for every insert. Push delivers each post to each (active) follower exactly once
// (delivery log, tests).
//
// Invariants: posts by one author have increasing IDs; every cache holds at most
// timeline_cap logical entries; deliveries + skipped = Σ followers of pushed posts.
// Not modelled: follows/unfollows during a run, deletes, ranking, retweets,
// replication lag between the 3 replicas (replication only multiplies memory),
// network or cache failures, the author's own posts in their home timeline.
#pragma once
#include <cstdint>
#include <memory>
#include <span>
#include <utility>
#include <vector>

#include "sim/core/digest.h"
#include "sim/core/metrics.h"
#include "sim/fanout/graph.h"
#include "sim/fanout/snowflake.h"
#include "sim/fanout/workload.h"

namespace scalebook::sim::fanout {

enum class Strategy : std::uint8_t { Push, Pull, Hybrid };
const char* strategy_name(Strategy s);

inline constexpr std::int64_t kUsPerDay = 86'400'000'000;
inline constexpr std::int64_t kDefaultEpochUnixMs = 1356998400000;  // 2013-01-01T00:00:00Z

struct SimDesc {
  Strategy strategy = Strategy::Push;
  std::uint32_t timeline_cap = 800;
  std::uint32_t hybrid_threshold = 1000;  // hybrid: authors with >= this many followers are merged at read time
  std::uint32_t fanout_workers = 4;
  std::int64_t worker_inserts_per_s = 1000;  // 0: unbounded, delivery is instantaneous
  std::int64_t inactive_after_us = 30 * kUsPerDay;  // 0: never skip inactive users
  std::uint32_t replication = 3;
  std::uint32_t entry_bytes = 20;  // tweet id 8 + author id 8 + 4 bytes of flags (Twitter 2013)
  std::int64_t fetch_rtt_us = 500;
  std::uint32_t parallel_fetches = 16;
  std::int64_t epoch_unix_ms = kDefaultEpochUnixMs;  // wall clock at virtual time 0
  std::uint32_t id_generators = 32;  // Snowflake workers: g -> (datacenter g/32, worker g%32); 1..1024
  std::int64_t backlog_sample_us = 100'000;
  bool record_deliveries = false;  // tests: keep every (post, follower) insert
};

struct TimelineEntry {
  std::uint64_t post_id = 0;
  std::int64_t visible_at_us = 0;
};

struct PostRecord {
  std::uint64_t id = 0;
  std::uint32_t author = 0;
  std::int64_t time_us = 0;
  bool pushed = false;
  std::uint32_t deliveries = 0;
  std::int64_t last_visible_us = 0;  // when its last queued insert completes (time_us if none)
};

struct Delivery {
  std::uint32_t post_index = 0;
  std::uint32_t follower = 0;
  std::int64_t visible_at_us = 0;
};

struct ReadResult {
  std::vector<std::uint64_t> post_ids;  // logical timeline, ID descending, <= timeline_cap
  std::uint32_t fetches = 0;
  std::uint32_t not_yet_visible = 0;
  bool rebuilt = false;
  std::int64_t latency_us = 0;
};

struct FanoutMetrics {
  std::uint64_t posts = 0, reads = 0;
  std::uint64_t deliveries = 0;         // cache inserts performed
  std::uint64_t skipped_inactive = 0;   // inserts not done because the follower was inactive
  std::uint64_t rebuilds = 0;
  std::uint64_t fetches = 0, max_fetches = 0;
  std::uint64_t merged_entries = 0;     // entries taken from lists while merging (read CPU)
  std::uint64_t stale_reads = 0;        // reads with not_yet_visible > 0
  std::uint64_t missing_posts = 0;      // Σ not_yet_visible
  LogHistogram delivery_latency_us, read_latency_us, read_fetches;
  // Delivery latency (post → visible) of the inserts of posts made in the last
  // second of virtual time (4 buckets of 250 ms): "how long a post made now takes
  // to reach its followers", for charts over time. Keyed by post time, so it is
  // known when the post is enqueued (the queue is FIFO).
  WindowedHistogram recent_delivery_latency_us{1'000'000, 4};
  std::uint64_t backlog_peak_inserts = 0;
  std::int64_t backlog_peak_drain_us = 0;
  std::vector<std::pair<std::int64_t, std::uint64_t>> backlog_series;  // (t_us, pending inserts)
  std::uint64_t cache_entries = 0, cache_entries_peak = 0;
  TraceDigest timeline_digest;  // over every read's logical result, in order
};

class TimelineSim {
 public:
  // last_visit_us: per user (<= 0), empty = everyone active at t = 0.
  TimelineSim(std::shared_ptr<const FollowerGraph> graph, const SimDesc& desc,
              std::vector<std::int64_t> last_visit_us = {});

  // Events must come in non-decreasing time. post() returns the post's index.
  std::uint32_t post(std::uint32_t author, std::int64_t now_us);
  ReadResult read(std::uint32_t reader, std::int64_t now_us);
  void run(std::span<const Event> events);
  // Records backlog samples up to now_us (called by post/read; call it at the end of a run).
  void advance_to(std::int64_t now_us);

  std::uint64_t backlog_inserts(std::int64_t now_us) const;
  std::uint64_t cache_memory_bytes() const { return metrics_.cache_entries * desc_.entry_bytes * desc_.replication; }
  std::uint64_t cache_memory_peak_bytes() const {
    return metrics_.cache_entries_peak * desc_.entry_bytes * desc_.replication;
  }
  bool pushes(std::uint32_t author) const;  // does this strategy fan this author's posts out on write?
  bool has_cache(std::uint32_t user) const { return cached_[user] != 0; }

  const FanoutMetrics& metrics() const { return metrics_; }
  const std::vector<PostRecord>& posts() const { return posts_; }
  // Every insert performed (record_deliveries only), in visible-time order: one FIFO
  // queue serves every post, so completion times never decrease (the fanout view relies on it).
  const std::vector<Delivery>& deliveries() const { return delivery_log_; }
  const SimDesc& desc() const { return desc_; }
  const FollowerGraph& graph() const { return *graph_; }

 private:
  bool inactive(std::uint32_t user, std::int64_t now_us) const;
  std::int64_t next_completion_us(std::int64_t now_us);
  void drop_cache(std::uint32_t user);
  void insert_into_cache(std::uint32_t user, TimelineEntry e);
  void rebuild(std::uint32_t user, std::uint32_t& fetches);
  std::span<const TimelineEntry> newest(const std::vector<TimelineEntry>& list) const;
  void account_cache(std::int64_t delta);

  std::shared_ptr<const FollowerGraph> graph_;
  SimDesc desc_;
  std::int64_t rate_per_s_ = 0;  // total fan-out capacity, 0 = instantaneous
  std::vector<SnowflakeGenerator> generators_;
  std::vector<std::int64_t> last_active_us_;
  std::vector<std::vector<TimelineEntry>> own_posts_;  // ascending ID, newest cap logical
  std::vector<std::vector<TimelineEntry>> caches_;     // ascending ID, newest cap logical
  std::vector<std::uint8_t> cached_;
  std::vector<PostRecord> posts_;
  std::vector<Delivery> delivery_log_;
  std::int64_t busy_us_ = 0, busy_rem_ = 0;  // queue frees at busy_us_ + busy_rem_ / rate µs
  std::int64_t next_sample_us_ = 0;
  std::int64_t now_us_ = 0;
  FanoutMetrics metrics_;
};

// k-way merge: the newest `cap` entries (ID descending) across ascending lists.
// `taken` is incremented by the number of entries taken.
std::vector<TimelineEntry> merge_newest(std::span<const std::span<const TimelineEntry>> lists, std::uint32_t cap,
                                        std::uint64_t& taken);

}  // namespace scalebook::sim::fanout
