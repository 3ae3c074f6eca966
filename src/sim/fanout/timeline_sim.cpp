#include "sim/fanout/timeline_sim.h"

#include <algorithm>
#include <queue>

#include "sim/core/virtual_time.h"

namespace scalebook::sim::fanout {

namespace {
// A home-timeline cache starts with room for this many entries (512 bytes)
// instead of growing 1, 2, 4, 8, 16, 32: five fewer allocations and copies per
// active user, for at most 496 bytes unused per user whose list stays short.
// (tests/bench/fanout_bench.cpp: 16 gave 11–18 M deliveries/s, 32 gave 20–22 M.)
constexpr std::size_t kFirstCacheCapacity = 32;
}  // namespace

const char* strategy_name(Strategy s) {
  switch (s) {
    case Strategy::Push: return "push";
    case Strategy::Pull: return "pull";
    case Strategy::Hybrid: return "hybrid";
  }
  return "push";
}

std::vector<TimelineEntry> merge_newest(std::span<const std::span<const TimelineEntry>> lists, std::uint32_t cap,
                                        std::uint64_t& taken) {
  struct Head {
    std::uint64_t id;
    std::uint32_t list;
    std::uint32_t pos;  // index of the head within its list (walking down)
    bool operator<(const Head& o) const { return id < o.id; }
  };
  std::priority_queue<Head> heap;
  for (std::uint32_t i = 0; i < lists.size(); ++i)
    if (!lists[i].empty()) {
      const auto last = static_cast<std::uint32_t>(lists[i].size() - 1);
      heap.push({lists[i][last].post_id, i, last});
    }
  std::vector<TimelineEntry> out;
  out.reserve(std::min<std::size_t>(cap, 64));
  while (!heap.empty() && out.size() < cap) {
    const Head h = heap.top();
    heap.pop();
    out.push_back(lists[h.list][h.pos]);
    ++taken;
    if (h.pos > 0) heap.push({lists[h.list][h.pos - 1].post_id, h.list, h.pos - 1});
  }
  return out;
}

TimelineSim::TimelineSim(std::shared_ptr<const FollowerGraph> graph, const SimDesc& desc,
                         std::vector<std::int64_t> last_visit_us)
    : graph_(std::move(graph)), desc_(desc) {
  const std::uint32_t n = graph_->users();
  if (desc_.timeline_cap == 0) desc_.timeline_cap = 1;
  if (desc_.id_generators == 0) desc_.id_generators = 1;
  if (desc_.parallel_fetches == 0) desc_.parallel_fetches = 1;
  if (desc_.backlog_sample_us <= 0) desc_.backlog_sample_us = 100'000;
  rate_per_s_ = static_cast<std::int64_t>(desc_.fanout_workers) * desc_.worker_inserts_per_s;
  for (std::uint32_t g = 0; g < std::min<std::uint32_t>(desc_.id_generators, 1024); ++g)
    generators_.emplace_back(g / 32, g % 32);
  last_active_us_ = last_visit_us.size() == n ? std::move(last_visit_us) : std::vector<std::int64_t>(n, 0);
  own_posts_.resize(n);
  caches_.resize(n);
  cached_.assign(n, 0);
  if (desc_.strategy != Strategy::Pull)
    for (std::uint32_t u = 0; u < n; ++u) cached_[u] = inactive(u, 0) ? 0 : 1;  // empty, valid caches
}

bool TimelineSim::inactive(std::uint32_t user, std::int64_t now_us) const {
  return desc_.inactive_after_us > 0 && now_us - last_active_us_[user] > desc_.inactive_after_us;
}

bool TimelineSim::pushes(std::uint32_t author) const {
  switch (desc_.strategy) {
    case Strategy::Push: return true;
    case Strategy::Pull: return false;
    case Strategy::Hybrid: return graph_->follower_count(author) < desc_.hybrid_threshold;
  }
  return true;
}

std::span<const TimelineEntry> TimelineSim::newest(const std::vector<TimelineEntry>& list) const {
  const std::size_t k = std::min<std::size_t>(list.size(), desc_.timeline_cap);
  return {list.data() + (list.size() - k), k};
}

void TimelineSim::account_cache(std::int64_t delta) {
  metrics_.cache_entries = static_cast<std::uint64_t>(static_cast<std::int64_t>(metrics_.cache_entries) + delta);
  metrics_.cache_entries_peak = std::max(metrics_.cache_entries_peak, metrics_.cache_entries);
}

void TimelineSim::drop_cache(std::uint32_t user) {
  account_cache(-static_cast<std::int64_t>(newest(caches_[user]).size()));
  std::vector<TimelineEntry>().swap(caches_[user]);
  cached_[user] = 0;
}

// Sorted insert; trims to `cap` only when the list reaches 2·cap (amortised O(1)),
// the entries below the newest `cap` are logically gone (LTRIM) and never counted.
void TimelineSim::insert_into_cache(std::uint32_t user, TimelineEntry e) {
  auto& list = caches_[user];
  // The logical size min(size, cap) grows by one exactly when the list held fewer than cap.
  const bool grows = list.size() < desc_.timeline_cap;
  if (list.empty() || list.back().post_id < e.post_id) {
    if (list.capacity() == 0) list.reserve(kFirstCacheCapacity);
    list.push_back(e);
  } else {
    auto it = std::upper_bound(list.begin(), list.end(), e.post_id,
                               [](std::uint64_t id, const TimelineEntry& x) { return id < x.post_id; });
    list.insert(it, e);
  }
  if (list.size() >= 2ull * desc_.timeline_cap) list.erase(list.begin(), list.end() - desc_.timeline_cap);
  if (grows) account_cache(1);
}

std::int64_t TimelineSim::next_completion_us(std::int64_t now_us) {
  if (rate_per_s_ <= 0) return now_us;
  busy_rem_ += 1'000'000;  // one insert = 10^6 / rate µs, kept in units of 1/rate µs
  busy_us_ += busy_rem_ / rate_per_s_;
  busy_rem_ %= rate_per_s_;
  return busy_rem_ ? busy_us_ + 1 : busy_us_;
}

std::uint64_t TimelineSim::backlog_inserts(std::int64_t now_us) const {
  if (rate_per_s_ <= 0 || busy_us_ < now_us || (busy_us_ == now_us && busy_rem_ == 0)) return 0;
  const __int128 work = static_cast<__int128>(busy_us_ - now_us) * rate_per_s_ + busy_rem_;
  return static_cast<std::uint64_t>((work + 999'999) / 1'000'000);
}

void TimelineSim::advance_to(std::int64_t now_us) {
  now_us_ = std::max(now_us_, now_us);
  for (; next_sample_us_ <= now_us; next_sample_us_ += desc_.backlog_sample_us)
    metrics_.backlog_series.emplace_back(next_sample_us_, backlog_inserts(next_sample_us_));
}

std::uint32_t TimelineSim::post(std::uint32_t author, std::int64_t now_us) {
  advance_to(now_us);
  auto& gen = generators_[author % generators_.size()];
  const std::int64_t wall_ms = desc_.epoch_unix_ms + us_to_ms_floor(now_us);
  const auto issued = gen.next_waiting(wall_ms);
  PostRecord rec{.id = issued ? issued->id : 0, .author = author, .time_us = now_us, .pushed = pushes(author),
                 .deliveries = 0, .last_visible_us = now_us};
  const auto index = static_cast<std::uint32_t>(posts_.size());
  ++metrics_.posts;
  auto& own = own_posts_[author];
  own.push_back({rec.id, now_us});
  if (own.size() >= 2ull * desc_.timeline_cap) own.erase(own.begin(), own.end() - desc_.timeline_cap);

  if (rec.pushed) {
    // The queue starts this post's job when it frees up (FIFO).
    if (busy_us_ < now_us || (busy_us_ == now_us && busy_rem_ == 0)) {
      busy_us_ = now_us;
      busy_rem_ = 0;
    }
    // Each delivery touches two places picked at random from the whole user base
    // (the follower's list header, then the list's end): fetch them ahead, the
    // header kFar followers ahead and the end (its header now cached) kNear ahead
    // (measured: 16/8 and 32/12 alike, 64/24 slower).
    constexpr std::size_t kFar = 32, kNear = 12;
    const auto followers = graph_->followers_of(author);
    const bool skips = desc_.inactive_after_us > 0;
    for (std::size_t i = 0; i < followers.size(); ++i) {
      if (i + kFar < followers.size()) {
        __builtin_prefetch(&caches_[followers[i + kFar]]);
        if (skips) __builtin_prefetch(&last_active_us_[followers[i + kFar]]);
      }
      if (i + kNear < followers.size()) {
        const auto& ahead = caches_[followers[i + kNear]];
        if (!ahead.empty()) __builtin_prefetch(ahead.data() + (ahead.size() - 1), 1);
      }
      const std::uint32_t f = followers[i];
      if (inactive(f, now_us)) {
        if (cached_[f]) drop_cache(f);
        ++metrics_.skipped_inactive;
        continue;
      }
      const std::int64_t visible = next_completion_us(now_us);
      insert_into_cache(f, {rec.id, visible});
      ++rec.deliveries;
      rec.last_visible_us = visible;
      metrics_.delivery_latency_us.add(static_cast<std::uint64_t>(visible - now_us));
      metrics_.recent_delivery_latency_us.add(now_us, static_cast<std::uint64_t>(visible - now_us));
      if (desc_.record_deliveries) delivery_log_.push_back({index, f, visible});
    }
    metrics_.deliveries += rec.deliveries;
    const std::uint64_t backlog = backlog_inserts(now_us);
    if (backlog > metrics_.backlog_peak_inserts) {
      metrics_.backlog_peak_inserts = backlog;
    }
    if (rate_per_s_ > 0) metrics_.backlog_peak_drain_us = std::max(metrics_.backlog_peak_drain_us, busy_us_ - now_us);
  }
  posts_.push_back(rec);
  return index;
}

void TimelineSim::rebuild(std::uint32_t user, std::uint32_t& fetches) {
  std::vector<std::span<const TimelineEntry>> lists;
  for (std::uint32_t f : graph_->followees_of(user))
    if (pushes(f)) lists.push_back(newest(own_posts_[f]));
  fetches += static_cast<std::uint32_t>(lists.size());
  auto merged = merge_newest(lists, desc_.timeline_cap, metrics_.merged_entries);
  std::reverse(merged.begin(), merged.end());  // caches are ascending
  caches_[user] = std::move(merged);
  cached_[user] = 1;
  ++metrics_.rebuilds;
  account_cache(static_cast<std::int64_t>(caches_[user].size()));
}

ReadResult TimelineSim::read(std::uint32_t reader, std::int64_t now_us) {
  advance_to(now_us);
  ReadResult r;
  std::vector<std::span<const TimelineEntry>> lists;
  if (desc_.strategy == Strategy::Pull) {
    for (std::uint32_t f : graph_->followees_of(reader)) lists.push_back(newest(own_posts_[f]));
    r.fetches = static_cast<std::uint32_t>(lists.size());
  } else {
    if (!cached_[reader]) {
      rebuild(reader, r.fetches);
      r.rebuilt = true;
    }
    lists.push_back(newest(caches_[reader]));
    r.fetches += 1;
    if (desc_.strategy == Strategy::Hybrid)
      for (std::uint32_t f : graph_->followees_of(reader))
        if (!pushes(f)) {
          lists.push_back(newest(own_posts_[f]));
          r.fetches += 1;
        }
  }
  const auto merged = merge_newest(lists, desc_.timeline_cap, metrics_.merged_entries);
  r.post_ids.reserve(merged.size());
  for (const auto& e : merged) {
    r.post_ids.push_back(e.post_id);
    if (e.visible_at_us > now_us) ++r.not_yet_visible;
  }
  r.latency_us = desc_.fetch_rtt_us * ((r.fetches + desc_.parallel_fetches - 1) / desc_.parallel_fetches);
  last_active_us_[reader] = now_us;

  ++metrics_.reads;
  metrics_.fetches += r.fetches;
  metrics_.max_fetches = std::max<std::uint64_t>(metrics_.max_fetches, r.fetches);
  metrics_.read_fetches.add(r.fetches);
  metrics_.read_latency_us.add(static_cast<std::uint64_t>(r.latency_us));
  if (r.not_yet_visible) ++metrics_.stale_reads;
  metrics_.missing_posts += r.not_yet_visible;
  metrics_.timeline_digest.add_u64(r.post_ids.size());
  for (auto id : r.post_ids) metrics_.timeline_digest.add_u64(id);
  return r;
}

void TimelineSim::run(std::span<const Event> events) {
  for (const auto& e : events) {
    if (e.kind == EventKind::Post)
      post(e.user, e.time_us);
    else
      read(e.user, e.time_us);
  }
}

}  // namespace scalebook::sim::fanout
