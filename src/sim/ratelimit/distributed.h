// distributed.h — N gateways sharing one limit through a periodically synced counter.
//
// Models: a global limit of `limit` requests per fixed window W, enforced by
// `gateways` independent gateways. Requests are spread round-robin. Each
// gateway admits while (its last view of the shared count) + (what it admitted
// since its last sync) < limit. Every `sync_us` (aligned to multiples of
// sync_us) all gateways push their unsynced counts to the shared counter and
// pull the new total. sync_us = 0 means every request consults the shared
// counter (a perfect central counter: never over-admits). Between syncs each
// gateway is blind to the others, so a window can admit up to about
// gateways × limit; the over-admission (admitted in a window − limit) grows
// with the sync interval — the trade-off the widget's "distributed drift"
// preset shows.
// Does NOT model: network delay of the sync itself (it is instantaneous),
// failures/partitions, clock skew, smarter schemes (local quotas of limit/N,
// token leasing).
#pragma once
#include <cstdint>
#include <vector>

#include "sim/ratelimit/decision.h"

namespace scalebook::sim::ratelimit {

class DistributedWindow {
 public:
  struct Desc {
    std::int64_t limit = 10;
    std::int64_t window_us = 1000000;
    int gateways = 4;
    std::int64_t sync_us = 100000;  // 0 = every request
  };
  explicit DistributedWindow(const Desc& d);

  // Routes round-robin to the next gateway.
  Decision decide(std::int64_t now_us);
  Decision decide_at(std::int64_t now_us, int gateway);

  std::int64_t admitted_in_window() const { return admitted_in_window_; }
  std::int64_t max_over_admission() const { return max_over_; }   // max over windows of admitted - limit (>= 0)
  std::int64_t total_over_admission() const { return total_over_; }  // sum over windows

 private:
  void advance(std::int64_t now_us);
  Desc d_;
  std::int64_t window_ = -1, sync_index_ = -1;
  std::int64_t shared_ = 0;
  std::vector<std::int64_t> view_, unsynced_;
  std::int64_t admitted_in_window_ = 0, max_over_ = 0, total_over_ = 0;
  std::uint64_t next_gateway_ = 0;
};

}  // namespace scalebook::sim::ratelimit
