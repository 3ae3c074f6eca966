// keyed_table.h — per-client state in bounded memory: a hash map + LRU list.
//
// Models: at most `capacity` entries keyed by a 64-bit client id (callers
// intern client names to ids). Every lookup moves the entry to the head of an
// LRU list, like nginx's zone queue. What happens when the table is full is
// the caller's policy: Keyed<L> (below) evicts the least recently used client,
// whose state is forgotten — it comes back as a NEW client (a full token
// bucket, an empty window): eviction forgives. nginx's zone does the same
// (ngx_http_limit_req_expire(ctx, 0) frees the queue tail when the slab is full).
// Memory: O(capacity) entries of (key, State, two links) plus the index.
// Does NOT model: memory in bytes (real zones are sized in bytes, ~128 bytes
// per state), hash collisions, concurrent access.
#pragma once
#include <cstdint>
#include <unordered_map>
#include <vector>

namespace scalebook::sim::ratelimit {

template <typename State>
class KeyedTable {
 public:
  static constexpr std::uint32_t kNone = 0xFFFFFFFFu;
  struct Entry {
    std::uint64_t key;
    State state;
    std::uint32_t prev = kNone, next = kNone;  // toward head / toward tail
  };

  explicit KeyedTable(std::size_t capacity) : capacity_(capacity ? capacity : 1) {}

  std::size_t size() const { return index_.size(); }
  std::size_t capacity() const { return capacity_; }
  bool full() const { return size() >= capacity_; }

  // Finds `key` and moves it to the LRU head; nullptr if absent.
  State* touch(std::uint64_t key) {
    auto it = index_.find(key);
    if (it == index_.end()) return nullptr;
    unlink(it->second);
    link_head(it->second);
    return &entries_[it->second].state;
  }
  const State* peek(std::uint64_t key) const {
    auto it = index_.find(key);
    return it == index_.end() ? nullptr : &entries_[it->second].state;
  }

  // Inserts at the head. Precondition: !full() and key absent.
  State& insert(std::uint64_t key, State state) {
    std::uint32_t i;
    if (!free_.empty()) {
      i = free_.back();
      free_.pop_back();
      entries_[i] = Entry{key, std::move(state)};
    } else {
      i = static_cast<std::uint32_t>(entries_.size());
      entries_.push_back(Entry{key, std::move(state)});
    }
    index_.emplace(key, i);
    link_head(i);
    return entries_[i].state;
  }

  // Least recently used entry, or nullptr when empty.
  Entry* tail() { return tail_ == kNone ? nullptr : &entries_[tail_]; }
  void remove_tail() {
    if (tail_ == kNone) return;
    const std::uint32_t i = tail_;
    unlink(i);
    index_.erase(entries_[i].key);
    free_.push_back(i);
  }

 private:
  void unlink(std::uint32_t i) {
    Entry& e = entries_[i];
    if (e.prev != kNone) entries_[e.prev].next = e.next; else head_ = e.next;
    if (e.next != kNone) entries_[e.next].prev = e.prev; else tail_ = e.prev;
    e.prev = e.next = kNone;
  }
  void link_head(std::uint32_t i) {
    Entry& e = entries_[i];
    e.prev = kNone;
    e.next = head_;
    if (head_ != kNone) entries_[head_].prev = i;
    head_ = i;
    if (tail_ == kNone) tail_ = i;
  }

  std::size_t capacity_;
  std::vector<Entry> entries_;
  std::vector<std::uint32_t> free_;
  std::unordered_map<std::uint64_t, std::uint32_t> index_;
  std::uint32_t head_ = kNone, tail_ = kNone;
};

// Any single-client limiter L (constructible from L::Desc, with decide(now_us))
// made per-client with LRU eviction when `max_clients` are tracked.
template <typename L>
class Keyed {
 public:
  Keyed(const typename L::Desc& desc, std::size_t max_clients) : desc_(desc), table_(max_clients) {}

  auto decide(std::int64_t now_us, std::uint64_t client) {
    L* l = table_.touch(client);
    if (!l) {
      if (table_.full()) {
        table_.remove_tail();
        ++evictions_;
      }
      l = &table_.insert(client, L(desc_));
    }
    return l->decide(now_us);
  }
  std::uint64_t evictions() const { return evictions_; }
  std::size_t clients() const { return table_.size(); }
  const L* find(std::uint64_t client) const { return table_.peek(client); }

 private:
  typename L::Desc desc_;
  KeyedTable<L> table_;
  std::uint64_t evictions_ = 0;
};

}  // namespace scalebook::sim::ratelimit
