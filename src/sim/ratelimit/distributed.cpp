#include "sim/ratelimit/distributed.h"

namespace scalebook::sim::ratelimit {

DistributedWindow::DistributedWindow(const Desc& d)
    : d_(d), view_(static_cast<std::size_t>(d.gateways > 0 ? d.gateways : 1), 0),
      unsynced_(static_cast<std::size_t>(d.gateways > 0 ? d.gateways : 1), 0) {}

void DistributedWindow::advance(std::int64_t now_us) {
  const std::int64_t w = now_us / d_.window_us;
  if (w != window_) {
    // New window: every counter restarts (all gateways know the window boundaries).
    window_ = w;
    shared_ = 0;
    admitted_in_window_ = 0;
    for (auto& v : view_) v = 0;
    for (auto& u : unsynced_) u = 0;
    sync_index_ = d_.sync_us > 0 ? now_us / d_.sync_us : -1;
    return;
  }
  if (d_.sync_us > 0) {
    const std::int64_t s = now_us / d_.sync_us;
    if (s != sync_index_) {
      // One or more sync points passed; with no requests in between they are
      // idempotent, so applying one is exact.
      sync_index_ = s;
      for (auto& u : unsynced_) {
        shared_ += u;
        u = 0;
      }
      for (auto& v : view_) v = shared_;
    }
  }
}

Decision DistributedWindow::decide(std::int64_t now_us) {
  const int g = static_cast<int>(next_gateway_++ % view_.size());
  return decide_at(now_us, g);
}

Decision DistributedWindow::decide_at(std::int64_t now_us, int gateway) {
  advance(now_us);
  const auto g = static_cast<std::size_t>(gateway) % view_.size();
  bool ok;
  if (d_.sync_us <= 0) {
    ok = shared_ < d_.limit;
    if (ok) ++shared_;
  } else {
    ok = view_[g] + unsynced_[g] < d_.limit;
    if (ok) ++unsynced_[g];
  }
  if (!ok) return Decision::reject();
  ++admitted_in_window_;
  const std::int64_t over = admitted_in_window_ - d_.limit;
  if (over > 0) {
    ++total_over_;
    if (over > max_over_) max_over_ = over;
  }
  return Decision::admit();
}

}  // namespace scalebook::sim::ratelimit
