// See group.h for what is modelled and where it comes from.
#include "sim/kafka/group.h"

#include <algorithm>
#include <cstdio>
#include <limits>

namespace scalebook::sim::kafka {
namespace {

constexpr std::int64_t kNever = std::numeric_limits<std::int64_t>::max();
const char* const kTopic = "events";

std::string at_text(std::int64_t us) {
  char b[32];
  std::snprintf(b, sizeof b, "%.2f s", static_cast<double>(us) / 1e6);
  return b;
}

std::string consumer_name(int slot) { return "consumer " + std::to_string(slot); }

// floor(rate · t) for a rate of num / den records per microsecond, exactly.
std::int64_t fluid(std::int64_t num, std::int64_t den, std::int64_t t_us) {
  const auto v = static_cast<unsigned __int128>(num) * static_cast<unsigned __int128>(t_us) /
                 static_cast<unsigned __int128>(den);
  return static_cast<std::int64_t>(v);
}

}  // namespace

const char* assignor_name(AssignorKind a) {
  switch (a) {
    case AssignorKind::Range: return "range";
    case AssignorKind::RoundRobin: return "roundrobin";
    case AssignorKind::Sticky: return "sticky";
    case AssignorKind::CooperativeSticky: return "cooperative-sticky";
  }
  return "?";
}

ConsumerGroup::ConsumerGroup(const GroupDesc& d) : desc_(d) {
  desc_.partitions = std::max(1, desc_.partitions);
  desc_.consumers = std::clamp(desc_.consumers, 0, kMaxLiveConsumers);
  desc_.heartbeat_interval_us = std::max<std::int64_t>(1, desc_.heartbeat_interval_us);
  desc_.auto_commit_interval_us = std::max<std::int64_t>(1, desc_.auto_commit_interval_us);
  desc_.rebalance_us = std::max<std::int64_t>(0, desc_.rebalance_us);
  ids_ = Rng(desc_.seed).split(0x6b61666b61);  // "kafka"
  const int p = desc_.partitions;
  parts_.assign(static_cast<std::size_t>(p), PartitionState{});
  const int hot = std::clamp(desc_.hot_percent, 0, 100);
  if (hot == 0 || p == 1) {
    weight_.assign(static_cast<std::size_t>(p), 1);
    weight_sum_ = p;
  } else {
    // Partition 0 gets hot %, the others share the rest evenly: weights hot·(P−1) : (100 − hot).
    weight_.assign(static_cast<std::size_t>(p), 100 - hot);
    weight_[0] = static_cast<std::int64_t>(hot) * (p - 1);
    weight_sum_ = 100LL * (p - 1);
  }
  for (int i = 0; i < desc_.consumers; ++i) add_member(next_slot_++);
  // Generation 1 at t = 0, as if the group had formed just before the run.
  in_round_ = true;
  complete_round();
  rounds_.clear();
  events_.clear();
}

std::int64_t ConsumerGroup::appended_at(int p, std::int64_t t) const {
  return fluid(weight_[static_cast<std::size_t>(p)] * desc_.produce_per_s, weight_sum_ * 1'000'000, t);
}

std::string ConsumerGroup::new_member_id() {
  // Java's UUID.randomUUID(): 122 random bits, version 4, IETF variant.
  const std::uint64_t hi = (ids_.next_u64() & ~0xF000ull) | 0x4000ull;
  const std::uint64_t lo = (ids_.next_u64() & ~(3ull << 62)) | (2ull << 62);
  char b[64];
  std::snprintf(b, sizeof b, "%08llx-%04llx-%04llx-%04llx-%012llx", static_cast<unsigned long long>(hi >> 32),
                static_cast<unsigned long long>((hi >> 16) & 0xFFFF), static_cast<unsigned long long>(hi & 0xFFFF),
                static_cast<unsigned long long>(lo >> 48), static_cast<unsigned long long>(lo & 0xFFFFFFFFFFFFull));
  return std::string("consumer-scalebook-1-") + b;
}

int ConsumerGroup::add_member(int slot) {
  GroupMember m;
  m.slot = slot;
  m.member_id = new_member_id();
  if (desc_.static_membership) m.instance_id = "consumer-" + std::to_string(slot);
  m.started_us = now_us_;
  m.next_commit_us = now_us_ + desc_.auto_commit_interval_us;
  members_.push_back(std::move(m));
  return static_cast<int>(members_.size()) - 1;
}

int ConsumerGroup::current_member(int slot) const {
  for (int i = static_cast<int>(members_.size()) - 1; i >= 0; --i)
    if (members_[static_cast<std::size_t>(i)].slot == slot) return i;
  return -1;
}

std::int64_t ConsumerGroup::expiry_after(const GroupMember& m, std::int64_t t) const {
  const std::int64_t hb = desc_.heartbeat_interval_us;
  const std::int64_t last = m.started_us + (t - m.started_us) / hb * hb;
  return last + desc_.session_timeout_us;
}

void ConsumerGroup::note(const std::string& text) {
  events_.push_back(at_text(now_us_) + ": " + text);
  if (events_.size() > 12) events_.erase(events_.begin());
}

// [SECTION] offsets and ownership

void ConsumerGroup::commit(GroupMember& m, bool periodic) {
  const int idx = static_cast<int>(&m - members_.data());
  for (int p : m.owned) {
    auto& ps = parts_[static_cast<std::size_t>(p)];
    if (ps.owner == idx && ps.consuming) ps.committed = ps.position;
  }
  // Only the periodic commit restarts nextAutoCommitTimer (maybeAutoCommitOffsetsAsync(now));
  // onJoinPrepare's and close()'s commits leave it alone.
  if (periodic) m.next_commit_us = now_us_ + desc_.auto_commit_interval_us;
}

void ConsumerGroup::take(int idx, int p) {
  auto& ps = parts_[static_cast<std::size_t>(p)];
  ps.owner = idx;
  ps.position = ps.committed;
  ps.consuming = members_[static_cast<std::size_t>(idx)].life == Life::Live;
}

// Stops consuming the member's partitions; without keep_ownership the coordinator's view of
// them goes too (nobody holds them). Positions are dropped: the next owner reads from the
// committed offset.
void ConsumerGroup::drop_partitions(int idx, bool keep_ownership) {
  auto& m = members_[static_cast<std::size_t>(idx)];
  for (int p : m.owned) {
    auto& ps = parts_[static_cast<std::size_t>(p)];
    ps.consuming = false;
    if (!keep_ownership) ps.owner = -1;
  }
  if (!keep_ownership) m.owned.clear();
}

// [SECTION] rebalance rounds

void ConsumerGroup::start_round(const std::string& reason, bool follow_up) {
  in_round_ = true;
  round_due_us_ = now_us_ + desc_.rebalance_us;
  Round r;
  r.start_us = now_us_;
  r.follow_up = follow_up;
  r.reason = reason;
  for (std::size_t i = 0; i < members_.size(); ++i) {
    auto& m = members_[i];
    if (!m.in_group || m.life != Life::Live) continue;
    commit(m, false);  // onJoinPrepare's auto-commit
    if (protocol() == Protocol::Eager) {
      r.revoked += static_cast<int>(m.owned.size());
      m.sticky_prev = m.owned;
      drop_partitions(static_cast<int>(i), false);
    }
  }
  rounds_.push_back(r);
  note((follow_up ? "second rebalance: " : "rebalance: ") + reason);
}

void ConsumerGroup::maybe_complete_round() {
  if (!in_round_ || now_us_ < round_due_us_) return;
  for (const auto& m : members_)
    if (m.in_group && m.life != Life::Live) return;  // the round waits for its session to expire
  complete_round();
}

void ConsumerGroup::complete_round() {
  const bool eager = protocol() == Protocol::Eager;
  std::vector<Member> in;
  for (const auto& m : members_) {
    if (!m.in_group) continue;
    Member a;
    a.id = m.member_id;
    a.topics = {kTopic};
    a.group_instance_id = m.instance_id;
    const auto& held = eager ? m.sticky_prev : m.owned;
    for (int p : held) a.owned.push_back({kTopic, p});
    if (!held.empty()) a.generation = m.generation;
    in.push_back(std::move(a));
  }
  const PartitionCounts counts{{kTopic, desc_.partitions}};
  Assignment out;
  switch (desc_.assignor) {
    case AssignorKind::Range: out = assign_range(counts, in); break;
    case AssignorKind::RoundRobin: out = assign_round_robin(counts, in); break;
    case AssignorKind::Sticky: out = assign_sticky(counts, in).assignment; break;
    case AssignorKind::CooperativeSticky: out = assign_cooperative_sticky(counts, in).assignment; break;
  }
  ++generation_;
  int revoked = 0;
  for (std::size_t i = 0; i < members_.size(); ++i) {
    auto& m = members_[i];
    if (!m.in_group) continue;
    std::vector<int> assigned;
    for (const auto& tp : out[m.member_id]) assigned.push_back(tp.partition);
    std::sort(assigned.begin(), assigned.end());
    const int idx = static_cast<int>(i);
    // Cooperative: owned − assigned is revoked now, without a commit (ConsumerCoordinator.onJoinComplete).
    for (int p : m.owned)
      if (!std::binary_search(assigned.begin(), assigned.end(), p)) {
        auto& ps = parts_[static_cast<std::size_t>(p)];
        ps.owner = -1;
        ps.consuming = false;
        ++revoked;
      }
    for (int p : assigned)
      if (!std::binary_search(m.owned.begin(), m.owned.end(), p)) take(idx, p);
    m.owned = assigned;
    m.sticky_prev.clear();
    m.generation = generation_;
  }
  last_assignment_ = std::move(out);
  in_round_ = false;
  if (!rounds_.empty() && rounds_.back().end_us < 0) {
    rounds_.back().end_us = now_us_;
    rounds_.back().generation = generation_;
    if (!eager) rounds_.back().revoked = revoked;
    note("generation " + std::to_string(generation_) + " assigned (" + assignor_name(desc_.assignor) + ")");
  }
  if (!eager && revoked > 0)
    start_round("the owners of " + std::to_string(revoked) + (revoked == 1 ? " partition" : " partitions") +
                    " revoked them and rejoin",
                true);
}

// [SECTION] time

std::int64_t ConsumerGroup::next_timer() const {
  std::int64_t t = kNever;
  bool waiting = false;
  for (const auto& m : members_) {
    if (!m.in_group) continue;
    if (m.life == Life::Live) t = std::min(t, m.next_commit_us);
    else {
      t = std::min(t, std::max(m.expires_us, now_us_));
      waiting = true;
    }
  }
  if (in_round_ && !waiting) t = std::min(t, std::max(round_due_us_, now_us_));
  return t;
}

void ConsumerGroup::fire_timers(std::int64_t t) {
  for (auto& m : members_)
    if (m.in_group && m.life == Life::Live && m.next_commit_us <= t) commit(m, true);
  for (std::size_t i = 0; i < members_.size(); ++i) {
    auto& m = members_[i];
    if (!m.in_group || m.life == Life::Live || m.expires_us > t) continue;
    drop_partitions(static_cast<int>(i), false);
    m.in_group = false;
    note("the session of " + consumer_name(m.slot) + " expired (no heartbeat for " + at_text(desc_.session_timeout_us) +
         ")");
    if (!in_round_) start_round(consumer_name(m.slot) + " was removed from the group", false);
  }
  maybe_complete_round();
}

void ConsumerGroup::tick(std::int64_t t) {
  for (int p = 0; p < desc_.partitions; ++p) parts_[static_cast<std::size_t>(p)].log_end = appended_at(p, t);
  const std::int64_t r = desc_.consume_per_s;
  const std::int64_t budget_all = fluid(r, 1'000'000, t) - fluid(r, 1'000'000, t - kTickUs);
  std::vector<int> mine;
  for (std::size_t i = 0; i < members_.size(); ++i) {
    auto& m = members_[i];
    if (!m.in_group || m.life != Life::Live) continue;
    mine.clear();
    for (int p : m.owned) {
      const auto& ps = parts_[static_cast<std::size_t>(p)];
      if (ps.consuming && ps.owner == static_cast<int>(i) && ps.log_end > ps.position) mine.push_back(p);
    }
    // Water filling: the partitions with the least to read first, each up to an even share.
    std::sort(mine.begin(), mine.end(), [&](int a, int b) {
      const auto la = parts_[static_cast<std::size_t>(a)].log_end - parts_[static_cast<std::size_t>(a)].position;
      const auto lb = parts_[static_cast<std::size_t>(b)].log_end - parts_[static_cast<std::size_t>(b)].position;
      return la != lb ? la < lb : a < b;
    });
    std::int64_t budget = budget_all;
    for (std::size_t k = 0; k < mine.size() && budget > 0; ++k) {
      auto& ps = parts_[static_cast<std::size_t>(mine[k])];
      const std::int64_t give =
          std::min(ps.log_end - ps.position, budget / static_cast<std::int64_t>(mine.size() - k));
      if (give <= 0) continue;
      const std::int64_t from = ps.position, to = from + give;
      const std::int64_t again = std::max<std::int64_t>(0, std::min(to, ps.high) - from);
      ps.duplicates += static_cast<std::uint64_t>(again);
      duplicates_ += static_cast<std::uint64_t>(again);
      ps.high = std::max(ps.high, to);
      ps.position = to;
      m.processed += static_cast<std::uint64_t>(give);
      processed_ += static_cast<std::uint64_t>(give);
      budget -= give;
    }
  }
  std::int64_t lag = 0;
  int idle = 0;
  for (const auto& ps : parts_) {
    lag += ps.log_end - (ps.consuming ? ps.position : ps.committed);
    if (!ps.consuming) ++idle;
  }
  max_lag_ = std::max(max_lag_, lag);
  stalled_us_ += idle * kTickUs;
}

void ConsumerGroup::advance(std::int64_t dt_us) {
  const std::int64_t target = now_us_ + std::max<std::int64_t>(0, dt_us);
  for (;;) {
    const std::int64_t nt = last_tick_us_ + kTickUs, tm = next_timer();
    const std::int64_t next = std::min(nt, tm);
    if (next > target) break;
    now_us_ = next;
    if (nt <= tm) {
      tick(nt);
      last_tick_us_ = nt;
    } else {
      fire_timers(tm);
    }
  }
  now_us_ = target;
}

// [SECTION] actions

std::string ConsumerGroup::join() {
  int live = 0;
  for (const auto& m : members_)
    if (m.in_group && m.life == Life::Live) ++live;
  if (live >= kMaxLiveConsumers) {
    note("no consumer joined: the group already runs " + std::to_string(live) + " (the widget's limit)");
    return {};
  }
  const int slot = next_slot_++;
  add_member(slot);
  note(consumer_name(slot) + " started and sent JoinGroup");
  if (!in_round_) start_round(consumer_name(slot) + " joined", false);
  return {};
}

std::string ConsumerGroup::leave(int slot) {
  const int idx = current_member(slot);
  if (idx < 0) return "there is no " + consumer_name(slot);
  auto& m = members_[static_cast<std::size_t>(idx)];
  if (m.life != Life::Live || !m.in_group) return consumer_name(slot) + " is not running";
  commit(m, false);  // close() commits synchronously
  m.life = Life::Stopped;
  if (m.instance_id) {
    // A static member sends no LeaveGroup: the coordinator waits for its session to expire.
    drop_partitions(idx, true);
    m.expires_us = expiry_after(m, now_us_);
    note(consumer_name(slot) + " shut down (static: no LeaveGroup; its session expires at " + at_text(m.expires_us) +
         ")");
    return {};
  }
  drop_partitions(idx, false);
  m.in_group = false;
  note(consumer_name(slot) + " shut down and sent LeaveGroup");
  if (in_round_) maybe_complete_round();
  else start_round(consumer_name(slot) + " left", false);
  return {};
}

std::string ConsumerGroup::crash(int slot) {
  const int idx = current_member(slot);
  if (idx < 0) return "there is no " + consumer_name(slot);
  auto& m = members_[static_cast<std::size_t>(idx)];
  if (m.life != Life::Live || !m.in_group) return consumer_name(slot) + " is not running";
  m.life = Life::Crashed;
  drop_partitions(idx, true);
  m.expires_us = expiry_after(m, now_us_);
  note(consumer_name(slot) + " crashed; its session expires at " + at_text(m.expires_us));
  return {};
}

std::string ConsumerGroup::restart(int slot) {
  const int idx = current_member(slot);
  if (idx < 0) return "there is no " + consumer_name(slot);
  {
    auto& m = members_[static_cast<std::size_t>(idx)];
    if (m.life == Life::Live) return consumer_name(slot) + " is running";
    if (m.instance_id && m.in_group) {
      // KIP-345: the same group.instance.id replaces the old member and gets its assignment back.
      m.life = Life::Live;
      m.member_id = new_member_id();
      m.started_us = now_us_;
      m.next_commit_us = now_us_ + desc_.auto_commit_interval_us;
      m.expires_us = -1;
      if (in_round_ && protocol() == Protocol::Eager) {
        m.sticky_prev = m.owned;  // rejoining an eager round: it revokes before it joins
        drop_partitions(idx, false);
      } else {
        for (int p : m.owned) take(idx, p);
      }
      note(consumer_name(slot) + " restarted as static member " + *m.instance_id + ": no rebalance");
      if (in_round_) maybe_complete_round();
      return {};
    }
  }
  add_member(slot);
  note(consumer_name(slot) + " restarted with a new member.id and sent JoinGroup");
  if (!in_round_) start_round(consumer_name(slot) + " rejoined as a new member", false);
  return {};
}

GroupTotals ConsumerGroup::totals() const {
  GroupTotals t;
  for (const auto& ps : parts_) {
    t.appended += static_cast<std::uint64_t>(ps.log_end);
    t.unique += static_cast<std::uint64_t>(ps.high);
    t.lag += ps.log_end - (ps.consuming ? ps.position : ps.committed);
    t.backlog += ps.log_end - ps.high;
  }
  t.processed = processed_;
  t.duplicates = duplicates_;
  t.max_lag = max_lag_;
  t.stalled_partition_us = stalled_us_;
  for (const auto& r : rounds_)
    if (r.end_us >= 0) ++t.rebalances;
  return t;
}

}  // namespace scalebook::sim::kafka
