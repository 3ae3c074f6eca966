// Scalebook — resilience4j CircuitBreaker, modelled exactly (UI-free, deterministic).
//
// Source read: github.com/resilience4j/resilience4j @ af9e7c979f17804f23cc1b76dd7cf268fb58b5c7
// (2026-05-05): circuitbreaker/internal/CircuitBreakerStateMachine.java, CircuitBreakerMetrics.java,
// CircuitBreakerConfig.java, core/metrics/FixedSizeSlidingWindowMetrics.java,
// SlidingTimeWindowMetrics.java, AbstractAggregation.java, PartialAggregation.java, SnapshotImpl.java.
// Written from the behaviour of that code; no code copied.
//
// WHAT IS MODELLED
//  * States CLOSED, OPEN, HALF_OPEN, plus DISABLED and FORCED_OPEN (manual only). METRICS_ONLY is not.
//  * COUNT_BASED window: a ring of `sliding_window_size` one-call buckets plus a running total.
//  * TIME_BASED window: a ring of `sliding_window_size` one-second buckets keyed by epoch second
//    (floor(now_us / 1e6)); the ring is laid out from the epoch second at which the state (and
//    so the window) was created, and is moved to the current second on every record and on every
//    metrics read (reads have that side effect in the library too).
//  * Rates are float: failed * 100.0f / total, compared with `>=` against the thresholds.
//    A call is slow when duration > slow_call_duration_threshold (strictly). A slow failure is
//    both slow and failed.
//  * Evaluation happens after every recorded call, but only when total calls >= the effective
//    minimum. Effective minimum: CLOSED count-based = min(minimum_number_of_calls, window size);
//    CLOSED time-based = minimum_number_of_calls; HALF_OPEN = min(minimum_number_of_calls,
//    permitted_calls_in_half_open) (its window is count-based, sized permitted_calls_in_half_open).
//  * HALF_OPEN -> OPEN if any threshold is exceeded, -> CLOSED only on BELOW_THRESHOLDS.
//  * OPEN keeps the previous state's metrics object (so not-permitted calls are counted there);
//    results arriving during OPEN are recorded there but cause no transition.
//  * OPEN -> HALF_OPEN: by default on the first allow() strictly AFTER open_time + wait
//    (Instant.isAfter), the wait being truncated to whole milliseconds (Duration.toMillis).
//    That same allow() then asks HALF_OPEN for a permit. With automatic transition enabled the
//    move happens at open_time + wait (a scheduler in Java; here fired lazily by any call that
//    carries a time >= the due time, stamped with the due time).
//  * max_wait_duration_in_half_open (>= 1 ms): after that long in HALF_OPEN the breaker moves to
//    `transition_after_max_wait` (OPEN by default, or CLOSED). Fired lazily like above.
//  * attempts (consecutive OPENs) and a pluggable wait-interval function of attempts.
//  * Not-permitted calls (CallNotPermittedException) counted per state's metrics, as the library
//    does, plus a lifetime total kept by this model.
//
// WHAT IS NOT MODELLED
//  * Exceptions/predicates (record/ignore exceptions, recordResult, transitionOnResult): the
//    caller passes ok=true/false. releasePermission() for ignored exceptions is provided as
//    release_permission() but nothing calls it automatically.
//  * Thread races, event publishing (other than the transition log), METRICS_ONLY, lock-free
//    windows, the average-duration statistic beyond the millisecond-truncated total.
//
// DOCS vs CODE (we follow the code)
//  * Docs: "in HALF_OPEN the rate is calculated after permittedNumberOfCallsInHalfOpenState
//    calls". Code: after min(minimumNumberOfCalls, permitted) calls — if minimumNumberOfCalls is
//    smaller, HALF_OPEN decides early.
//  * Docs: "after waitDurationInOpenState the breaker goes HALF_OPEN". Code: only on the next
//    permission request strictly after the instant, unless the automatic transition is enabled.
//  * Docs talk of "the last N seconds"; code buckets by epoch second, so a call at 12:00:00.999
//    drops out of a 1-second window at 12:00:01.000.
//  * The time-based window's minimumNumberOfCalls is not capped by the window size; count-based is.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace scalebook::sim::breaker::r4j {

enum class State { kClosed, kOpen, kHalfOpen, kDisabled, kForcedOpen };
enum class WindowType { kCountBased, kTimeBased };

inline const char* to_string(State s) {
  switch (s) {
    case State::kClosed: return "CLOSED";
    case State::kOpen: return "OPEN";
    case State::kHalfOpen: return "HALF_OPEN";
    case State::kDisabled: return "DISABLED";
    case State::kForcedOpen: return "FORCED_OPEN";
  }
  return "?";
}

struct Config {
  float failure_rate_threshold = 50.0f;          // percent
  float slow_call_rate_threshold = 100.0f;       // percent
  std::int64_t slow_call_duration_threshold_us = 60'000'000;
  WindowType sliding_window_type = WindowType::kCountBased;
  int sliding_window_size = 100;                 // calls, or seconds when time-based
  int minimum_number_of_calls = 100;
  std::int64_t wait_duration_in_open_state_us = 60'000'000;
  // Optional IntervalFunction: wait as a function of attempts (1 = first OPEN). Overrides the above.
  std::function<std::int64_t(int attempts)> wait_interval_us;
  int permitted_number_of_calls_in_half_open_state = 10;
  bool automatic_transition_from_open_to_half_open_enabled = false;
  std::int64_t max_wait_duration_in_half_open_state_us = 0;  // 0 = wait for the permitted calls
  State transition_to_state_after_wait_duration = State::kOpen;  // OPEN or CLOSED
};

enum class Outcome { kSuccess, kError, kSlowSuccess, kSlowError };

struct Snapshot {
  int total_calls = 0;
  int failed_calls = 0;
  int slow_calls = 0;
  int slow_failed_calls = 0;
  std::int64_t total_duration_ms = 0;
  float failure_rate() const { return total_calls == 0 ? 0.0f : failed_calls * 100.0f / total_calls; }
  float slow_call_rate() const { return total_calls == 0 ? 0.0f : slow_calls * 100.0f / total_calls; }
  int successful_calls() const { return total_calls - failed_calls; }
};

namespace detail {

struct Bucket {
  Snapshot agg;
  std::int64_t epoch_second = 0;
  void record(std::int64_t duration_us, Outcome o) {
    ++agg.total_calls;
    agg.total_duration_ms += duration_us / 1000;  // TimeUnit.toMillis truncates
    if (o == Outcome::kSlowSuccess) ++agg.slow_calls;
    if (o == Outcome::kSlowError) { ++agg.slow_calls; ++agg.failed_calls; ++agg.slow_failed_calls; }
    if (o == Outcome::kError) ++agg.failed_calls;
  }
  void reset(std::int64_t sec) { agg = Snapshot{}; epoch_second = sec; }
};

inline void subtract(Snapshot& total, const Snapshot& b) {
  total.total_calls -= b.total_calls;
  total.failed_calls -= b.failed_calls;
  total.slow_calls -= b.slow_calls;
  total.slow_failed_calls -= b.slow_failed_calls;
  total.total_duration_ms -= b.total_duration_ms;
}
inline void add(Snapshot& total, std::int64_t duration_us, Outcome o) {
  Bucket b; b.record(duration_us, o);
  total.total_calls += b.agg.total_calls;
  total.failed_calls += b.agg.failed_calls;
  total.slow_calls += b.agg.slow_calls;
  total.slow_failed_calls += b.agg.slow_failed_calls;
  total.total_duration_ms += b.agg.total_duration_ms;
}

inline std::int64_t epoch_second_of(std::int64_t t_us) {
  std::int64_t q = t_us / 1'000'000;
  if (t_us % 1'000'000 < 0) --q;  // floor, like Instant.getEpochSecond
  return q;
}

}  // namespace detail

// FixedSizeSlidingWindowMetrics / SlidingTimeWindowMetrics.
class SlidingWindow {
 public:
  SlidingWindow(WindowType type, int size, std::int64_t created_at_us) : type_(type), size_(size) {
    buckets_.resize(static_cast<std::size_t>(std::max(size, 0)));
    if (type_ == WindowType::kTimeBased) {
      std::int64_t sec = detail::epoch_second_of(created_at_us);
      for (auto& b : buckets_) b.epoch_second = sec++;
    }
  }
  Snapshot record(std::int64_t now_us, std::int64_t duration_us, Outcome o) {
    if (size_ <= 0) return total_;
    detail::add(total_, duration_us, o);
    if (type_ == WindowType::kCountBased) {
      head_ = (head_ + 1) % size_;
      auto& b = buckets_[static_cast<std::size_t>(head_)];
      detail::subtract(total_, b.agg);
      b.reset(0);
      b.record(duration_us, o);
    } else {
      move_to(now_us).record(duration_us, o);
    }
    return total_;
  }
  Snapshot snapshot(std::int64_t now_us) {
    if (type_ == WindowType::kTimeBased && size_ > 0) move_to(now_us);
    return total_;
  }
  WindowType type() const { return type_; }
  int size() const { return size_; }

 private:
  detail::Bucket& move_to(std::int64_t now_us) {
    auto& latest = buckets_[static_cast<std::size_t>(head_)];
    const std::int64_t cur = detail::epoch_second_of(now_us);
    const std::int64_t diff = cur - latest.epoch_second;
    if (diff == 0) return latest;
    std::int64_t steps = std::min<std::int64_t>(diff, size_);
    detail::Bucket* b = nullptr;
    do {  // do-while as in the library (runs once even if the clock went backwards)
      --steps;
      head_ = (head_ + 1) % size_;
      b = &buckets_[static_cast<std::size_t>(head_)];
      detail::subtract(total_, b->agg);
      b->reset(cur - steps);
    } while (steps > 0);
    return *b;
  }

  WindowType type_;
  int size_;
  int head_ = 0;
  std::vector<detail::Bucket> buckets_;
  Snapshot total_;
};

enum class EvalResult {
  kBelowThresholds,
  kFailureRateAboveThreshold,
  kSlowCallRateAboveThreshold,
  kAboveThresholds,
  kBelowMinimumCalls
};

// CircuitBreakerMetrics: a window plus the thresholds and the not-permitted counter.
class Metrics {
 public:
  Metrics(const Config& c, WindowType type, int window_size, std::int64_t now_us)
      : window_(type, window_size, now_us),
        failure_rate_threshold_(c.failure_rate_threshold),
        slow_call_rate_threshold_(c.slow_call_rate_threshold),
        slow_threshold_us_(c.slow_call_duration_threshold_us),
        minimum_calls_(type == WindowType::kCountBased
                           ? std::min(c.minimum_number_of_calls, window_size)
                           : c.minimum_number_of_calls) {}

  EvalResult on_result(std::int64_t now_us, bool ok, std::int64_t duration_us) {
    const bool slow = duration_us > slow_threshold_us_;
    const Outcome o = ok ? (slow ? Outcome::kSlowSuccess : Outcome::kSuccess)
                         : (slow ? Outcome::kSlowError : Outcome::kError);
    return evaluate(window_.record(now_us, duration_us, o));
  }
  void on_call_not_permitted() { ++not_permitted_; }

  // -1 while below the minimum number of calls, as the library reports.
  float failure_rate(std::int64_t now_us) { return gated(window_.snapshot(now_us), false); }
  float slow_call_rate(std::int64_t now_us) { return gated(window_.snapshot(now_us), true); }
  Snapshot snapshot(std::int64_t now_us) { return window_.snapshot(now_us); }
  std::int64_t not_permitted_calls() const { return not_permitted_; }
  int minimum_number_of_calls() const { return minimum_calls_; }

 private:
  float gated(const Snapshot& s, bool slow) const {
    if (s.total_calls == 0 || s.total_calls < minimum_calls_) return -1.0f;
    return slow ? s.slow_call_rate() : s.failure_rate();
  }
  EvalResult evaluate(const Snapshot& s) const {
    const float fr = gated(s, false);
    const float sr = gated(s, true);
    if (fr == -1.0f || sr == -1.0f) return EvalResult::kBelowMinimumCalls;
    const bool f = fr >= failure_rate_threshold_;
    const bool sl = sr >= slow_call_rate_threshold_;
    if (f && sl) return EvalResult::kAboveThresholds;
    if (f) return EvalResult::kFailureRateAboveThreshold;
    if (sl) return EvalResult::kSlowCallRateAboveThreshold;
    return EvalResult::kBelowThresholds;
  }

  SlidingWindow window_;
  float failure_rate_threshold_;
  float slow_call_rate_threshold_;
  std::int64_t slow_threshold_us_;
  int minimum_calls_;
  std::int64_t not_permitted_ = 0;
};

struct Transition {
  std::int64_t time_us;
  State from;
  State to;
  std::string reason;
};

class CircuitBreaker {
 public:
  explicit CircuitBreaker(Config c, std::int64_t now_us = 0) : cfg_(std::move(c)) {
    become_closed(now_us);
  }

  // tryAcquirePermission(). false = CallNotPermittedException.
  bool allow(std::int64_t now_us) {
    fire_timers(now_us);
    ++attempted_;
    bool ok = false;
    switch (state_) {
      case State::kClosed:
      case State::kDisabled:
        ok = true;
        break;
      case State::kForcedOpen:
        metrics_->on_call_not_permitted();
        break;
      case State::kHalfOpen:
        ok = half_open_try_acquire();
        break;
      case State::kOpen: {
        if (now_us > retry_after_us_) {  // Instant.isAfter: strictly later
          Metrics* open_metrics = metrics_.get();
          auto keep = std::move(metrics_);  // keep the OPEN state's metrics alive for the count
          change(now_us, State::kHalfOpen, "call attempt after waitDurationInOpenState");
          ok = half_open_try_acquire();
          if (!ok) open_metrics->on_call_not_permitted();
        } else {
          metrics_->on_call_not_permitted();
        }
        break;
      }
    }
    if (!ok) ++not_permitted_total_;
    return ok;
  }

  // onSuccess / onError with the measured duration. `now_us` is when the result arrives.
  void on_result(std::int64_t now_us, bool ok, std::int64_t duration_us) {
    fire_timers(now_us);
    switch (state_) {
      case State::kDisabled:
      case State::kForcedOpen:
        return;
      case State::kOpen:
        metrics_->on_result(now_us, ok, duration_us);
        return;
      case State::kClosed: {
        const EvalResult r = metrics_->on_result(now_us, ok, duration_us);
        if (exceeded(r)) trip(now_us, r);
        return;
      }
      case State::kHalfOpen: {
        const EvalResult r = metrics_->on_result(now_us, ok, duration_us);
        if (exceeded(r)) {
          trip(now_us, r);
        } else if (r == EvalResult::kBelowThresholds) {
          change(now_us, State::kClosed, "half-open calls below thresholds");
        }
        return;
      }
    }
  }

  // releasePermission(): only meaningful in HALF_OPEN.
  void release_permission(std::int64_t now_us) {
    fire_timers(now_us);
    if (state_ == State::kHalfOpen) ++half_open_permits_;
  }

  // Manual transitions (transitionToXState). Returns false for an illegal transition
  // (the library throws IllegalStateTransitionException: only CLOSED -> HALF_OPEN among these).
  bool transition_to_open(std::int64_t now_us) { return manual(now_us, State::kOpen); }
  bool transition_to_half_open(std::int64_t now_us) { return manual(now_us, State::kHalfOpen); }
  bool transition_to_closed(std::int64_t now_us) { return manual(now_us, State::kClosed); }
  bool transition_to_forced_open(std::int64_t now_us) { return manual(now_us, State::kForcedOpen); }
  bool transition_to_disabled(std::int64_t now_us) { return manual(now_us, State::kDisabled); }
  // transitionToOpenStateFor(duration): OPEN for an explicit wait, attempts unchanged.
  void transition_to_open_for(std::int64_t now_us, std::int64_t wait_us) {
    fire_timers(now_us);
    enter_open(now_us, attempts_, wait_us, "manual transitionToOpenStateFor");
  }
  void reset(std::int64_t now_us) {
    const State from = state_;
    become_closed(now_us);
    if (from != State::kClosed) log_.push_back({now_us, from, State::kClosed, "reset"});
  }

  State state(std::int64_t now_us) { fire_timers(now_us); return state_; }
  State state_no_advance() const { return state_; }
  Metrics& metrics(std::int64_t now_us) { fire_timers(now_us); return *metrics_; }
  int attempts() const { return attempts_; }
  std::int64_t open_until_us() const { return retry_after_us_; }
  std::int64_t not_permitted_total() const { return not_permitted_total_; }
  std::int64_t attempted_total() const { return attempted_; }
  const std::vector<Transition>& log() const { return log_; }
  const Config& config() const { return cfg_; }

 private:
  static bool exceeded(EvalResult r) {
    return r == EvalResult::kAboveThresholds || r == EvalResult::kFailureRateAboveThreshold ||
           r == EvalResult::kSlowCallRateAboveThreshold;
  }

  bool half_open_try_acquire() {
    if (half_open_permits_ > 0) { --half_open_permits_; return true; }
    metrics_->on_call_not_permitted();
    return false;
  }

  void trip(std::int64_t now_us, EvalResult r) {
    Snapshot s = metrics_->snapshot(now_us);
    const auto pct = [](float v) {
      char b[32];
      std::snprintf(b, sizeof b, "%.1f%%", static_cast<double>(v));
      return std::string(b);
    };
    std::string why;
    if (r == EvalResult::kFailureRateAboveThreshold || r == EvalResult::kAboveThresholds)
      why += "failure rate " + pct(s.failure_rate()) + " >= " + pct(cfg_.failure_rate_threshold);
    if (r == EvalResult::kSlowCallRateAboveThreshold || r == EvalResult::kAboveThresholds)
      why += std::string(why.empty() ? "" : "; ") + "slow call rate " + pct(s.slow_call_rate()) + " >= " +
             pct(cfg_.slow_call_rate_threshold);
    why += " over " + std::to_string(s.total_calls) + " calls";
    enter_open(now_us, attempts_ + 1, -1, why);
  }

  std::int64_t wait_for(int attempts) const {
    return cfg_.wait_interval_us ? cfg_.wait_interval_us(attempts) : cfg_.wait_duration_in_open_state_us;
  }

  // wait_us < 0: take it from the config/interval function.
  void enter_open(std::int64_t now_us, int attempts, std::int64_t wait_us, const std::string& why) {
    const State from = state_;
    attempts_ = attempts;
    if (wait_us < 0) wait_us = wait_for(attempts_);
    const std::int64_t wait_ms = wait_us / 1000;  // Duration.toMillis
    open_since_us_ = now_us;
    retry_after_us_ = now_us + wait_ms * 1000;
    auto_half_open_due_us_ =
        cfg_.automatic_transition_from_open_to_half_open_enabled ? open_since_us_ + wait_ms * 1000 : -1;
    half_open_deadline_us_ = -1;
    state_ = State::kOpen;  // metrics_ kept from the previous state
    if (from != State::kOpen) log_.push_back({now_us, from, State::kOpen, why});
  }

  void become_closed(std::int64_t now_us) {
    state_ = State::kClosed;
    attempts_ = 0;
    metrics_ = std::make_unique<Metrics>(cfg_, cfg_.sliding_window_type, cfg_.sliding_window_size, now_us);
    auto_half_open_due_us_ = -1;
    half_open_deadline_us_ = -1;
  }

  void change(std::int64_t now_us, State to, const std::string& why) {
    const State from = state_;
    switch (to) {
      case State::kClosed:
        become_closed(now_us);
        break;
      case State::kOpen:
        enter_open(now_us, attempts_ + 1, -1, why);
        return;  // enter_open logs
      case State::kHalfOpen: {
        const int p = cfg_.permitted_number_of_calls_in_half_open_state;
        state_ = State::kHalfOpen;  // attempts unchanged
        metrics_ = std::make_unique<Metrics>(cfg_, WindowType::kCountBased, p, now_us);
        half_open_permits_ = p;
        auto_half_open_due_us_ = -1;
        const std::int64_t ms = cfg_.max_wait_duration_in_half_open_state_us / 1000;
        half_open_deadline_us_ = ms >= 1 ? now_us + ms * 1000 : -1;
        break;
      }
      case State::kForcedOpen:
        state_ = State::kForcedOpen;
        attempts_ = attempts_ + 1;
        metrics_ = std::make_unique<Metrics>(cfg_, WindowType::kCountBased, 0, now_us);
        auto_half_open_due_us_ = -1;
        half_open_deadline_us_ = -1;
        break;
      case State::kDisabled:
        state_ = State::kDisabled;
        attempts_ = 0;
        metrics_ = std::make_unique<Metrics>(cfg_, WindowType::kCountBased, 0, now_us);
        auto_half_open_due_us_ = -1;
        half_open_deadline_us_ = -1;
        break;
    }
    if (from != to) log_.push_back({now_us, from, to, why});
  }

  bool manual(std::int64_t now_us, State to) {
    fire_timers(now_us);
    if (state_ == State::kClosed && to == State::kHalfOpen) return false;
    change(now_us, to, std::string("manual transitionTo") + to_string(to));
    return true;
  }

  // Scheduled transitions (automatic OPEN->HALF_OPEN; max wait in HALF_OPEN), fired in time order.
  void fire_timers(std::int64_t now_us) {
    for (;;) {
      if (state_ == State::kOpen && auto_half_open_due_us_ >= 0 && auto_half_open_due_us_ <= now_us) {
        change(auto_half_open_due_us_, State::kHalfOpen, "automatic transition after waitDurationInOpenState");
        continue;
      }
      if (state_ == State::kHalfOpen && half_open_deadline_us_ >= 0 && half_open_deadline_us_ <= now_us) {
        const std::int64_t t = half_open_deadline_us_;
        half_open_deadline_us_ = -1;
        change(t, cfg_.transition_to_state_after_wait_duration, "maxWaitDurationInHalfOpenState elapsed");
        continue;
      }
      return;
    }
  }

  Config cfg_;
  State state_ = State::kClosed;
  std::unique_ptr<Metrics> metrics_;
  int attempts_ = 0;
  int half_open_permits_ = 0;
  std::int64_t open_since_us_ = 0;
  std::int64_t retry_after_us_ = 0;
  std::int64_t auto_half_open_due_us_ = -1;
  std::int64_t half_open_deadline_us_ = -1;
  std::int64_t not_permitted_total_ = 0;
  std::int64_t attempted_ = 0;
  std::vector<Transition> log_;
};

}  // namespace scalebook::sim::breaker::r4j
