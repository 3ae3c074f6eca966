// See assignors.h for what is modelled and where it comes from.
#include "sim/kafka/assignors.h"

#include <algorithm>
#include <cstdint>
#include <list>
#include <set>
#include <stdexcept>

namespace scalebook::sim::kafka {
namespace {

// Kafka's MemberInfo ordering: static members (instance id) first by instance id, then member id.
bool member_info_less(const Member* a, const Member* b) {
  if (a->group_instance_id && b->group_instance_id) return *a->group_instance_id < *b->group_instance_id;
  if (a->group_instance_id) return true;
  if (b->group_instance_id) return false;
  return a->id < b->id;
}

std::set<std::string> subscribed_topics(const std::vector<Member>& members) {
  std::set<std::string> out;
  for (const auto& m : members) out.insert(m.topics.begin(), m.topics.end());
  return out;
}

// The partitionsPerTopic Kafka passes to assign(): subscribed topics that have partitions.
PartitionCounts assignable(const PartitionCounts& counts, const std::vector<Member>& members) {
  PartitionCounts out;
  for (const auto& t : subscribed_topics(members)) {
    auto it = counts.find(t);
    if (it != counts.end() && it->second > 0) out.emplace(t, it->second);
  }
  return out;
}

Assignment empty_assignment(const std::vector<Member>& members) {
  Assignment a;
  for (const auto& m : members) a[m.id];
  return a;
}

void sort_lists(Assignment& a) {
  for (auto& [id, tps] : a) std::sort(tps.begin(), tps.end());
}

bool subscribes(const Member& m, const std::string& topic) {
  return std::find(m.topics.begin(), m.topics.end(), topic) != m.topics.end();
}

}  // namespace

int java_string_hash(const std::string& s) {
  std::uint32_t h = 0;
  for (unsigned char c : s) h = 31u * h + c;
  return static_cast<int>(h);
}

std::vector<std::string> java_hashmap_order(const std::vector<std::string>& keys) {
  std::vector<std::string> unique;
  for (const auto& k : keys)
    if (std::find(unique.begin(), unique.end(), k) == unique.end()) unique.push_back(k);
  std::uint32_t cap = 16;
  while (unique.size() > cap * 3 / 4) cap *= 2;  // resize once size exceeds threshold
  auto bucket = [cap](const std::string& k) {
    auto h = static_cast<std::uint32_t>(java_string_hash(k));
    return (h ^ (h >> 16)) & (cap - 1);
  };
  std::stable_sort(unique.begin(), unique.end(),
                   [&](const std::string& a, const std::string& b) { return bucket(a) < bucket(b); });
  return unique;
}

Assignment assign_range(const PartitionCounts& counts, const std::vector<Member>& members) {
  Assignment out = empty_assignment(members);
  for (const auto& [topic, n] : assignable(counts, members)) {
    std::vector<const Member*> subs;
    for (const auto& m : members)
      if (subscribes(m, topic)) subs.push_back(&m);
    std::stable_sort(subs.begin(), subs.end(), member_info_less);
    const int c = static_cast<int>(subs.size());
    const int per = n / c;
    int extra = n % c;
    int next = 0;
    for (const Member* m : subs) {
      const int take = per + (extra > 0 ? 1 : 0);
      if (extra > 0) --extra;
      for (int i = 0; i < take; ++i) out[m->id].push_back({topic, next++});
    }
  }
  sort_lists(out);
  return out;
}

Assignment assign_round_robin(const PartitionCounts& counts, const std::vector<Member>& members) {
  Assignment out = empty_assignment(members);
  std::vector<const Member*> ring;
  for (const auto& m : members) ring.push_back(&m);
  std::stable_sort(ring.begin(), ring.end(), member_info_less);
  std::size_t pos = 0;
  for (const auto& [topic, n] : assignable(counts, members)) {  // std::map: topics sorted
    for (int p = 0; p < n; ++p) {
      while (!subscribes(*ring[pos], topic)) pos = (pos + 1) % ring.size();
      out[ring[pos]->id].push_back({topic, p});
      pos = (pos + 1) % ring.size();
    }
  }
  sort_lists(out);
  return out;
}

namespace {

// Iterator over a std::list with java.util.Iterator semantics (next / hasNext / remove).
struct JavaIter {
  std::list<std::string>* list;
  std::list<std::string>::iterator next_it;
  std::list<std::string>::iterator last;
  explicit JavaIter(std::list<std::string>& l) : list(&l), next_it(l.begin()), last(l.end()) {}
  bool has_next() const { return next_it != list->end(); }
  std::string next() {
    last = next_it++;
    return *last;
  }
  void remove() {
    if (last == list->end()) throw std::logic_error("Iterator.remove without next (Kafka would throw)");
    list->erase(last);
    last = list->end();
  }
};

bool tp_partition_then_topic(const TopicPartition& a, const TopicPartition& b) {
  if (a.partition != b.partition) return a.partition < b.partition;
  return a.topic < b.topic;
}

}  // namespace

StickyResult assign_sticky(const PartitionCounts& counts, const std::vector<Member>& members) {
  StickyResult result;
  result.assignment = empty_assignment(members);
  if (members.empty()) return result;
  const PartitionCounts topics = assignable(counts, members);

  std::map<std::string, const Member*> by_id;
  std::vector<std::string> ids;
  for (const auto& m : members) {
    by_id.emplace(m.id, &m);
    ids.push_back(m.id);
  }
  const std::vector<std::string> order = java_hashmap_order(ids);  // HashMap iteration order
  auto gen = [&](const std::string& id) { return by_id.at(id)->generation.value_or(-1); };

  // --- allSubscriptionsEqual: subscription check + owned-partition claim resolution ---
  bool all_equal = true;
  std::set<std::string> reference;
  std::map<std::string, std::vector<TopicPartition>> owned;
  std::set<TopicPartition> multiple_owners;
  std::map<TopicPartition, std::string> claimed_by;
  for (const auto& id : order) {
    const Member& m = *by_id.at(id);
    std::set<std::string> mine(m.topics.begin(), m.topics.end());
    if (reference.empty()) reference = mine;
    else if (all_equal && mine != reference) all_equal = false;
    auto& mine_owned = owned[id];
    for (const auto& tp : m.owned) {
      auto t = topics.find(tp.topic);
      if (t == topics.end() || tp.partition < 0 || tp.partition >= t->second) continue;
      auto other = claimed_by.find(tp);
      if (other == claimed_by.end()) {
        mine_owned.push_back(tp);
        claimed_by[tp] = id;
        continue;
      }
      const std::string other_id = other->second;
      auto erase_first = [&](std::vector<TopicPartition>& v) {
        auto it = std::find(v.begin(), v.end(), tp);
        if (it != v.end()) v.erase(it);
      };
      if (gen(id) == gen(other_id)) {
        multiple_owners.insert(tp);
        erase_first(owned[other_id]);
        claimed_by[tp] = id;
      } else if (gen(id) > gen(other_id)) {
        mine_owned.push_back(tp);
        erase_first(owned[other_id]);
        claimed_by[tp] = id;
      }
    }
  }
  if (!all_equal)
    throw std::invalid_argument("unequal subscriptions: Kafka's general sticky path is not modelled");

  // --- ConstrainedAssignmentBuilder ---
  int total = 0;
  for (const auto& [t, n] : topics) total += n;
  const int consumers = static_cast<int>(members.size());
  const int min_quota = total / consumers;
  const int max_quota = (total + consumers - 1) / consumers;
  const int expected_over = total % consumers;
  int current_over = 0;
  std::list<std::string> under_min;
  std::list<std::string> exactly_min;
  std::map<TopicPartition, std::string> maybe_revoked;
  std::set<TopicPartition> assigned;
  auto& assignment = result.assignment;

  for (const auto& id : order) {  // assignOwnedPartitions, in HashMap order
    std::vector<TopicPartition> mine = owned[id];
    std::sort(mine.begin(), mine.end(), tp_partition_then_topic);
    for (const auto& tp : multiple_owners) {
      auto it = std::find(mine.begin(), mine.end(), tp);
      if (it != mine.end()) mine.erase(it);
    }
    auto keep = [&](std::size_t k) {
      for (std::size_t i = 0; i < mine.size(); ++i) {
        if (i < k) {
          assignment[id].push_back(mine[i]);
          assigned.insert(mine[i]);
        } else {
          maybe_revoked[mine[i]] = id;
        }
      }
    };
    const int have = static_cast<int>(mine.size());
    if (have < min_quota) {
      keep(mine.size());
      under_min.push_back(id);
    } else if (have >= max_quota && current_over < expected_over) {
      ++current_over;
      if (current_over == expected_over) exactly_min.clear();
      keep(static_cast<std::size_t>(max_quota));
    } else {
      keep(static_cast<std::size_t>(min_quota));
      if (current_over < expected_over) exactly_min.push_back(id);
    }
  }

  std::vector<TopicPartition> unassigned;
  for (const auto& [t, n] : topics)
    for (int p = 0; p < n; ++p)
      if (!assigned.count({t, p})) unassigned.push_back({t, p});

  under_min.sort();
  exactly_min.sort();

  auto assign_new = [&](const TopicPartition& tp, const std::string& consumer) {
    auto& list = assignment[consumer];
    list.push_back(tp);
    auto mr = maybe_revoked.find(tp);
    if ((mr != maybe_revoked.end() && mr->second != consumer) || multiple_owners.count(tp))
      result.transferring[tp] = consumer;
    return static_cast<int>(list.size());
  };

  JavaIter iter(under_min);  // assignRoundRobin
  for (const auto& tp : unassigned) {
    std::string consumer;
    if (iter.has_next()) {
      consumer = iter.next();
    } else if (under_min.empty() && exactly_min.empty()) {
      throw std::logic_error("No more unfilled consumers to be assigned.");
    } else if (under_min.empty()) {
      consumer = exactly_min.front();
      exactly_min.pop_front();
      iter.last = under_min.end();  // Kafka's iterator state is unchanged; nothing to remove
    } else {
      iter = JavaIter(under_min);
      consumer = iter.next();
    }
    const int count = assign_new(tp, consumer);
    if (count == min_quota) {
      iter.remove();
      exactly_min.push_back(consumer);
    } else if (count == max_quota) {
      ++current_over;
    }
  }

  // verifyUnfilledMembers
  if (!under_min.empty()) {
    if (current_over != expected_over)
      throw std::logic_error("expected number of members over minQuota not reached");
    for (const auto& id : under_min)
      if (static_cast<int>(assignment[id].size()) != min_quota)
        throw std::logic_error("member " + id + " does not reach minQuota");
  }
  sort_lists(assignment);
  return result;
}

StickyResult assign_cooperative_sticky(const PartitionCounts& counts,
                                       const std::vector<Member>& members) {
  StickyResult r = assign_sticky(counts, members);
  for (const auto& [tp, owner] : r.transferring) {
    auto& v = r.assignment[owner];
    v.erase(std::remove(v.begin(), v.end(), tp), v.end());
  }
  return r;
}

}  // namespace scalebook::sim::kafka
