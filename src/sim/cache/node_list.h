// node_list.h — the bookkeeping every list-based cache policy shares: a pool of
// nodes (one per resident key) addressed by 32-bit index, a key → index map, and
// intrusive doubly linked lists threaded through the pool.
//
// Models: nothing of a real system; it is the data structure under FIFO, LRU,
// W-TinyLFU's three queues and the segmented LRU. Every operation is O(1).
// Invariants: a node is in exactly one list while its key is resident; freed
// indices are reused (a free list), so the pool never grows past the peak
// resident count. Plain value: copying a NodePool copies every list.
// Does NOT model: memory per entry, concurrency.
#pragma once
#include <cstdint>
#include <unordered_map>
#include <vector>

namespace scalebook::sim::cache {

inline constexpr std::uint32_t kNoNode = 0xFFFFFFFFu;

// One list's ends and length; the links live in the pool's nodes.
struct ListEnds {
  std::uint32_t head = kNoNode;  // the oldest end (LRU / FIFO victim)
  std::uint32_t tail = kNoNode;  // the newest end (MRU)
  std::size_t length = 0;
};

template <typename Extra>
class NodePool {
 public:
  struct Node {
    std::uint64_t key = 0;
    std::uint32_t prev = kNoNode;  // toward head
    std::uint32_t next = kNoNode;  // toward tail
    Extra extra{};
  };

  std::size_t size() const { return index_.size(); }
  bool contains(std::uint64_t key) const { return index_.count(key) != 0; }
  std::uint32_t find(std::uint64_t key) const {
    auto it = index_.find(key);
    return it == index_.end() ? kNoNode : it->second;
  }
  Node& operator[](std::uint32_t i) { return nodes_[i]; }
  const Node& operator[](std::uint32_t i) const { return nodes_[i]; }

  // A new node for `key` (absent), in no list yet.
  std::uint32_t allocate(std::uint64_t key, Extra extra = {}) {
    std::uint32_t i;
    if (!free_.empty()) {
      i = free_.back();
      free_.pop_back();
    } else {
      i = static_cast<std::uint32_t>(nodes_.size());
      nodes_.emplace_back();
    }
    nodes_[i] = Node{key, kNoNode, kNoNode, extra};
    index_.emplace(key, i);
    return i;
  }
  // Forgets the node (already unlinked from its list).
  void release(std::uint32_t i) {
    index_.erase(nodes_[i].key);
    free_.push_back(i);
  }

  void push_tail(ListEnds& l, std::uint32_t i) {
    Node& n = nodes_[i];
    n.prev = l.tail;
    n.next = kNoNode;
    if (l.tail != kNoNode) nodes_[l.tail].next = i;
    else l.head = i;
    l.tail = i;
    ++l.length;
  }
  void push_head(ListEnds& l, std::uint32_t i) {
    Node& n = nodes_[i];
    n.next = l.head;
    n.prev = kNoNode;
    if (l.head != kNoNode) nodes_[l.head].prev = i;
    else l.tail = i;
    l.head = i;
    ++l.length;
  }
  void unlink(ListEnds& l, std::uint32_t i) {
    Node& n = nodes_[i];
    if (n.prev != kNoNode) nodes_[n.prev].next = n.next;
    else l.head = n.next;
    if (n.next != kNoNode) nodes_[n.next].prev = n.prev;
    else l.tail = n.prev;
    n.prev = n.next = kNoNode;
    --l.length;
  }
  void move_to_tail(ListEnds& l, std::uint32_t i) {
    if (l.tail == i) return;
    unlink(l, i);
    push_tail(l, i);
  }

  void reserve(std::size_t n) {
    nodes_.reserve(n);
    index_.reserve(n);
  }

 private:
  std::vector<Node> nodes_;
  std::vector<std::uint32_t> free_;
  std::unordered_map<std::uint64_t, std::uint32_t> index_;
};

struct NoExtra {};

}  // namespace scalebook::sim::cache
