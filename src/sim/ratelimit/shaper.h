// shaper.h — the leaky bucket as a queue (a traffic shaper).
//
// Models: requests join a FIFO queue that drains at exactly `rate`: the k-th
// request of a busy period leaves at busy_start + k·period/count. A request
// that finds the server idle (its slot is now) leaves at once; one that finds
// `queue_capacity` requests already waiting is rejected (the bucket overflows);
// otherwise it is delayed until its slot. Output is therefore never faster than
// the rate (tested), and the added delay is at most queue_capacity / rate.
// Exact integer arithmetic: time is kept in units of 1/count µs, so slot times
// are exact for any rate; a reported delay is rounded up to whole µs.
// Does NOT model: service time or concurrency downstream (a released request is
// gone), priorities, dropping from the head, clocks that go backwards.
#pragma once
#include <cstdint>

#include "sim/ratelimit/decision.h"

namespace scalebook::sim::ratelimit {

class Shaper {
 public:
  struct Desc {
    RateSpec rate{};
    std::int64_t queue_capacity = 10;  // requests allowed to wait
  };
  explicit Shaper(const Desc& d) : count_(d.rate.count), interval_(d.rate.period_us()), capacity_(d.queue_capacity) {}

  Decision decide(std::int64_t now_us) {
    const std::int64_t t = now_us * count_;  // scaled time
    if (next_free_ <= t) {
      next_free_ = t + interval_;
      return Decision::admit();
    }
    // Slots of earlier requests still waiting: next_free - k·interval > t, k >= 1.
    const std::int64_t waiting = (next_free_ - t + interval_ - 1) / interval_ - 1;
    if (waiting >= capacity_) return Decision::reject();
    const std::int64_t start = next_free_;
    next_free_ += interval_;
    return Decision::delay((start - t + count_ - 1) / count_);
  }
  // Requests waiting (not yet released) at now_us.
  std::int64_t queued(std::int64_t now_us) const {
    const std::int64_t t = now_us * count_;
    return next_free_ <= t ? 0 : (next_free_ - t + interval_ - 1) / interval_ - 1 + 0;
  }

 private:
  std::int64_t count_;
  std::int64_t interval_;  // period_us, in scaled units = period/count µs
  std::int64_t capacity_;
  std::int64_t next_free_ = 0;  // scaled time the next request may leave
};

}  // namespace scalebook::sim::ratelimit
