// event_queue.h — a discrete-event queue over virtual time.
//
// Models: a priority queue of (time_us, payload) popped in time order; events at
// the same time come out in the order they were pushed (a sequence number breaks
// ties), so a run is a pure function of its inputs on every platform.
// Invariants: pop() never returns an event earlier than the previous pop() unless
// an event was pushed in the past (allowed; the caller decides whether that is a bug).
// Not modelled: cancellation (push a tombstone in the payload), real time.
#pragma once
#include <algorithm>
#include <cstdint>
#include <vector>

namespace scalebook::sim {

template <typename Payload>
class EventQueue {
 public:
  struct Event {
    std::int64_t time_us;
    std::uint64_t seq;
    Payload payload;
  };

  void push(std::int64_t time_us, Payload payload) {
    heap_.push_back(Event{time_us, next_seq_++, std::move(payload)});
    std::push_heap(heap_.begin(), heap_.end(), later);
  }

  bool empty() const { return heap_.empty(); }
  std::size_t size() const { return heap_.size(); }
  const Event& top() const { return heap_.front(); }
  std::int64_t next_time_us() const { return heap_.front().time_us; }

  Event pop() {
    std::pop_heap(heap_.begin(), heap_.end(), later);
    Event e = std::move(heap_.back());
    heap_.pop_back();
    return e;
  }

  // Every queued event, in heap order (not time order): for observers that draw or count
  // what is pending. Never changes the queue.
  template <typename F>
  void for_each(F&& f) const {
    for (const Event& e : heap_) f(e);
  }

  void clear() {
    heap_.clear();
    next_seq_ = 0;
  }

 private:
  // std heap is a max-heap: "later" events compare as smaller.
  static bool later(const Event& a, const Event& b) {
    return a.time_us != b.time_us ? a.time_us > b.time_us : a.seq > b.seq;
  }
  std::vector<Event> heap_;
  std::uint64_t next_seq_ = 0;
};

}  // namespace scalebook::sim
