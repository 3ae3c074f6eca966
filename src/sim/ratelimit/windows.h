// windows.h — window counters: fixed window, sliding log, sliding window counter.
//
// All three admit at most `limit` requests per `window_us` — in different senses:
//  - FixedWindow: a counter per aligned window [k·W, (k+1)·W). Admit iff the
//    current window's count < limit. Known flaw (tested): `limit` requests at the
//    end of one window and `limit` at the start of the next are all admitted —
//    2·limit within a few microseconds.
//  - SlidingLog: the exact rule "at most `limit` admitted requests in any
//    half-open interval (now - W, now]". Keeps the timestamps of admitted
//    requests in a ring of `limit` entries (bounded memory: once `limit` are
//    inside the window, nothing more is admitted, so no more are ever needed).
//    Tested equal to a brute-force count over the whole history.
//  - SlidingCounter: Cloudflare's approximation ("How we built rate limiting
//    capable of scaling to millions of domains", 2017): keep only the previous
//    and current fixed-window counts and estimate the sliding count as
//      estimate = prev · (W - elapsed_in_current) / W + current,
//    assuming the previous window's requests were spread evenly. Admit iff
//    estimate + 1 <= limit (the request itself must fit), computed exactly in
//    integers (both sides × W). Its error against the exact log is measured by
//    the runner (RunSummary::counter_error_*).
// Counting policy: only ADMITTED requests are counted (rejected ones do not
// extend a client's punishment). Does NOT model: counting rejected requests
// (Cloudflare's production also counted them), clock skew between servers,
// per-request cost.
#pragma once
#include <cstdint>
#include <vector>

#include "sim/ratelimit/decision.h"

namespace scalebook::sim::ratelimit {

// Is `now_us` in window `w` = [w·W, (w + 1)·W)? The counters ask before dividing:
// a 64-bit division by a run-time divisor costs tens of cycles, natively and in
// Wasm alike, and nearly every request falls in the window of the one before.
constexpr bool in_window(std::int64_t now_us, std::int64_t w, std::int64_t window_us) {
  return now_us >= w * window_us && now_us - w * window_us < window_us;
}

struct WindowDesc {
  std::int64_t limit = 10;          // requests per window (>= 1)
  std::int64_t window_us = 1000000;
};

class FixedWindow {
 public:
  using Desc = WindowDesc;
  explicit FixedWindow(const Desc& d) : limit_(d.limit), window_us_(d.window_us) {}
  Decision decide(std::int64_t now_us) {
    // now_us >= 0. window_ = -1 before the first request, which no now_us falls in.
    if (!in_window(now_us, window_, window_us_)) {
      window_ = now_us / window_us_;
      count_ = 0;
    }
    if (count_ >= limit_) return Decision::reject();
    ++count_;
    return Decision::admit();
  }
  std::int64_t count() const { return count_; }
  std::int64_t window_index() const { return window_; }

 private:
  std::int64_t limit_, window_us_;
  std::int64_t window_ = -1, count_ = 0;
};

class SlidingLog {
 public:
  using Desc = WindowDesc;
  explicit SlidingLog(const Desc& d) : window_us_(d.window_us), ring_(static_cast<std::size_t>(d.limit)) {}
  Decision decide(std::int64_t now_us) {
    while (size_ > 0 && ring_[head_] <= now_us - window_us_) {
      head_ = head_ + 1 == ring_.size() ? 0 : head_ + 1;
      --size_;
    }
    if (size_ == ring_.size()) return Decision::reject();
    std::size_t slot = head_ + size_;
    if (slot >= ring_.size()) slot -= ring_.size();
    ring_[slot] = now_us;
    ++size_;
    return Decision::admit();
  }
  // Admitted requests in (now - W, now] as of the last decision.
  std::size_t size() const { return size_; }

 private:
  std::int64_t window_us_;
  std::vector<std::int64_t> ring_;
  std::size_t head_ = 0, size_ = 0;
};

class SlidingCounter {
 public:
  using Desc = WindowDesc;
  explicit SlidingCounter(const Desc& d) : limit_(d.limit), window_us_(d.window_us) {}
  Decision decide(std::int64_t now_us) {
    roll(now_us);
    const std::int64_t elapsed = now_us - window_ * window_us_;
    // estimate·W = prev·(W - elapsed) + current·W; admit iff estimate + 1 <= limit.
    const std::int64_t scaled = prev_ * (window_us_ - elapsed) + current_ * window_us_;
    if (scaled + window_us_ > limit_ * window_us_) return Decision::reject();
    ++current_;
    return Decision::admit();
  }
  // Cloudflare's estimate at now_us (before any request at now_us is counted).
  double estimate(std::int64_t now_us) const {
    SlidingCounter c = *this;
    c.roll(now_us);
    const std::int64_t elapsed = now_us - c.window_ * window_us_;
    return static_cast<double>(c.prev_) * static_cast<double>(window_us_ - elapsed) / static_cast<double>(window_us_) +
           static_cast<double>(c.current_);
  }

 private:
  void roll(std::int64_t now_us) {
    if (in_window(now_us, window_, window_us_)) return;
    const std::int64_t w = now_us / window_us_;
    if (w == window_) return;  // a negative now_us truncates into window 0
    prev_ = (w == window_ + 1) ? current_ : 0;
    current_ = 0;
    window_ = w;
  }
  std::int64_t limit_, window_us_;
  std::int64_t window_ = 0, prev_ = 0, current_ = 0;
};

}  // namespace scalebook::sim::ratelimit
