#include "sim/lb/queueing.h"

#include <cmath>
#include <limits>

#include "sim/core/event_queue.h"
#include "sim/core/portable_math.h"
#include "sim/core/rng.h"

namespace scalebook::sim::lb {

// [SECTION] index: helpers · arrival process · the event loop · statistics

namespace {

constexpr std::int64_t kNever = std::numeric_limits<std::int64_t>::max();

std::int64_t round_us(double us) { return us <= 0.0 ? 0 : static_cast<std::int64_t>(us + 0.5); }

// [SECTION] arrival process
class Arrivals {
 public:
  Arrivals(const ArrivalDesc& d, Rng rng) : d_(d), rng_(rng) {
    mean_rate_per_us_ = (d.rate_per_s > 0 ? d.rate_per_s : 900.0) / 1e6;
    if (d.kind == ArrivalKind::kBursty) {
      const double k = d.burst_rate_factor > 0 ? d.burst_rate_factor : 4.0;
      const double f = d.burst_fraction > 0 ? d.burst_fraction : 0.1;
      const double burst_us = static_cast<double>(d.burst_mean_us > 0 ? d.burst_mean_us : 50000);
      on_rate_per_us_ = mean_rate_per_us_ * k;
      off_rate_per_us_ = k * f < 1.0 ? mean_rate_per_us_ * (1.0 - k * f) / (1.0 - f) : 0.0;
      on_mean_us_ = burst_us;
      off_mean_us_ = burst_us * (1.0 - f) / f;
      // Start in the stationary mix: in a burst with probability f.
      in_burst_ = rng_.bernoulli(f);
      state_end_ = rng_.exponential(in_burst_ ? on_mean_us_ : off_mean_us_);
    }
  }

  // Time of the next arrival after the previous one (kNever when a trace runs out).
  std::int64_t next(std::uint64_t index) {
    switch (d_.kind) {
      case ArrivalKind::kTrace:
        return index < d_.trace_us.size() ? d_.trace_us[index] : kNever;
      case ArrivalKind::kPoisson:
        clock_us_ += rng_.exponential(1.0 / mean_rate_per_us_);
        return round_us(clock_us_);
      case ArrivalKind::kBursty:
        for (;;) {
          const double rate = in_burst_ ? on_rate_per_us_ : off_rate_per_us_;
          const double gap = rate > 0 ? rng_.exponential(1.0 / rate) : std::numeric_limits<double>::infinity();
          if (clock_us_ + gap <= state_end_) {
            clock_us_ += gap;
            return round_us(clock_us_);
          }
          // Memoryless: jump to the state change and draw again in the new state.
          clock_us_ = state_end_;
          in_burst_ = !in_burst_;
          state_end_ += rng_.exponential(in_burst_ ? on_mean_us_ : off_mean_us_);
        }
    }
    return kNever;
  }

 private:
  const ArrivalDesc& d_;
  Rng rng_;
  double clock_us_ = 0.0;
  double mean_rate_per_us_ = 0.0;
  double on_rate_per_us_ = 0.0, off_rate_per_us_ = 0.0;
  double on_mean_us_ = 0.0, off_mean_us_ = 0.0;
  bool in_burst_ = false;
  double state_end_ = 0.0;
};

class ServiceTimes {
 public:
  explicit ServiceTimes(const ServiceDesc& d)
      : kind_(d.kind),
        mean_us_(d.mean_us > 0 ? d.mean_us : 1000.0),
        sigma_(d.log_sigma > 0 ? d.log_sigma : 1.0),
        slow_fraction_(d.slow_fraction > 0 ? d.slow_fraction : 0.01),
        slow_us_(d.slow_us > 0 ? d.slow_us : 1e6),
        log_mu_(plog(mean_us_) - sigma_ * sigma_ / 2) {}

  double sample(Rng& rng) const {
    switch (kind_) {
      case ServiceKind::kExponential: return rng.exponential(mean_us_);
      case ServiceKind::kDeterministic: return mean_us_;
      case ServiceKind::kLogNormal: return pexp(rng.normal(log_mu_, sigma_));
      case ServiceKind::kBimodal: return rng.bernoulli(slow_fraction_) ? slow_us_ : mean_us_;
    }
    return mean_us_;
  }
  double mean() const {
    return kind_ == ServiceKind::kBimodal ? (1 - slow_fraction_) * mean_us_ + slow_fraction_ * slow_us_ : mean_us_;
  }

 private:
  ServiceKind kind_;
  double mean_us_, sigma_, slow_fraction_, slow_us_, log_mu_;
};

// A FIFO of attempt indices in a growable ring (std::deque allocates per block).
class Fifo {
 public:
  bool empty() const { return size_ == 0; }
  std::size_t size() const { return size_; }
  void push(std::uint32_t v) {
    if (size_ == buf_.size()) grow();
    buf_[(head_ + size_) & (buf_.size() - 1)] = v;
    ++size_;
  }
  std::uint32_t pop() {
    const std::uint32_t v = buf_[head_];
    head_ = (head_ + 1) & (buf_.size() - 1);
    --size_;
    return v;
  }

 private:
  void grow() {
    std::vector<std::uint32_t> n(buf_.empty() ? 16 : buf_.size() * 2);
    for (std::size_t i = 0; i < size_; ++i) n[i] = buf_[(head_ + i) & (buf_.size() - 1)];
    buf_.swap(n);
    head_ = 0;
  }
  std::vector<std::uint32_t> buf_;
  std::size_t head_ = 0, size_ = 0;
};

enum class EvKind : std::uint8_t { kArrival, kRetry, kDeparture, kTimeout };

struct Ev {
  EvKind kind;
  std::uint32_t attempt;  // slot index
  std::uint32_t generation;  // for kTimeout: the slot's generation when it was armed
};

enum class AttemptState : std::uint8_t { kWaitingRetry, kQueued, kInService, kAbandoned };

struct Attempt {
  std::int64_t request_start_us;
  std::int64_t enter_us;
  std::int64_t service_us;
  std::uint64_t request_index;
  std::uint32_t generation;
  std::uint32_t server;
  std::uint16_t tries;  // attempts of this request so far, this one included
  AttemptState state;
};

struct Server {
  int workers;
  int busy = 0;
  double speed;
  double error_fraction;
  std::int64_t queue_limit;
  Fifo queue;
};

// [SECTION] the event loop
class Sim {
 public:
  explicit Sim(const QueueingDesc& d)
      : d_(d),
        rng_(d.seed),
        arrivals_(d.arrivals, rng_.split(1)),
        service_(d.service),
        n_requests_(d.arrivals.kind == ArrivalKind::kTrace ? d.arrivals.trace_us.size()
                                                           : (d.requests ? d.requests : 100000)) {
    if (d.servers.empty()) {
      servers_.push_back(make_server(ServerDesc{}));
    } else {
      for (const auto& s : d.servers) servers_.push_back(make_server(s));
    }
    r_.servers.resize(servers_.size());
    backoff_mult_ = d.client.retry_backoff_multiplier > 0 ? d.client.retry_backoff_multiplier : 1.0;
  }

  QueueingResult run() {
    if (n_requests_ > 0) schedule_arrival();
    while (!events_.empty()) {
      const auto e = events_.pop();
      advance(e.time_us);
      switch (e.payload.kind) {
        case EvKind::kArrival: on_arrival(); break;
        case EvKind::kRetry: send(e.payload.attempt); break;
        case EvKind::kDeparture: on_departure(e.payload.attempt); break;
        case EvKind::kTimeout: on_timeout(e.payload.attempt, e.payload.generation); break;
      }
    }
    r_.end_us = now_;
    r_.requests = generated_;
    r_.mean_latency_us = latency_count_ ? latency_sum_us_ / static_cast<double>(latency_count_) : 0.0;
    return std::move(r_);
  }

 private:
  static Server make_server(const ServerDesc& s) {
    Server v;
    v.workers = s.workers > 0 ? s.workers : 1;
    v.speed = s.speed > 0 ? s.speed : 1.0;
    v.error_fraction = s.error_fraction;
    v.queue_limit = s.queue_limit;
    return v;
  }

  void advance(std::int64_t t) {
    r_.area_us2 += static_cast<std::int64_t>(in_system_) * (t - now_);
    now_ = t;
  }

  void schedule_arrival() {
    const std::int64_t t = arrivals_.next(generated_);
    if (t != kNever) events_.push(t < now_ ? now_ : t, Ev{EvKind::kArrival, 0, 0});
  }

  std::uint32_t alloc() {
    std::uint32_t i;
    if (!free_.empty()) {
      i = free_.back();
      free_.pop_back();
    } else {
      i = static_cast<std::uint32_t>(slots_.size());
      slots_.push_back(Attempt{});
    }
    return i;
  }
  void release(std::uint32_t i) {
    ++slots_[i].generation;  // stale timeouts for this slot are now ignored
    free_.push_back(i);
  }

  void on_arrival() {
    const std::uint32_t a = alloc();
    Attempt& at = slots_[a];
    at.request_start_us = now_;
    at.request_index = generated_;
    at.tries = 0;
    ++generated_;
    if (generated_ < n_requests_) schedule_arrival();
    send(a);
  }

  std::uint32_t dispatch() {
    const auto n = static_cast<std::uint32_t>(servers_.size());
    if (n == 1) return 0;
    auto outstanding = [&](std::uint32_t s) { return servers_[s].busy + servers_[s].queue.size(); };
    switch (d_.dispatch) {
      case Dispatch::kRoundRobin: {
        const std::uint32_t s = rr_next_;
        rr_next_ = (rr_next_ + 1) % n;
        return s;
      }
      case Dispatch::kRandom: return static_cast<std::uint32_t>(rng_.uniform_int(n));
      case Dispatch::kLeastOutstanding: {
        std::uint32_t best = 0;
        for (std::uint32_t s = 1; s < n; ++s)
          if (outstanding(s) < outstanding(best)) best = s;
        return best;
      }
      case Dispatch::kPowerOfTwoChoices: {
        const auto x = static_cast<std::uint32_t>(rng_.uniform_int(n));
        auto y = static_cast<std::uint32_t>(rng_.uniform_int(n - 1));
        if (y >= x) ++y;  // two distinct servers
        return outstanding(y) < outstanding(x) ? y : x;
      }
    }
    return 0;
  }

  // Send attempt slot `a` (its request fields are set) to a server.
  void send(std::uint32_t a) {
    Attempt& at = slots_[a];
    ++at.tries;
    ++r_.attempts;
    if (at.tries > 1) ++r_.retries;
    at.server = dispatch();
    Server& s = servers_[at.server];
    if (s.busy >= s.workers && s.queue_limit > 0 && static_cast<std::int64_t>(s.queue.size()) >= s.queue_limit) {
      ++r_.servers[at.server].rejected;
      attempt_failed(a);
      return;
    }
    at.enter_us = now_;
    ++in_system_;
    ++r_.admitted;
    if (d_.client.timeout_us > 0) events_.push(now_ + d_.client.timeout_us, Ev{EvKind::kTimeout, a, at.generation});
    if (s.busy < s.workers) {
      start_service(a, s);
    } else {
      at.state = AttemptState::kQueued;
      s.queue.push(a);
      auto& st = r_.servers[at.server];
      if (s.queue.size() > st.max_queue) st.max_queue = s.queue.size();
    }
  }

  void start_service(std::uint32_t a, Server& s) {
    Attempt& at = slots_[a];
    if (at.state != AttemptState::kAbandoned) at.state = AttemptState::kInService;
    at.service_us = round_us(service_.sample(rng_) / s.speed);
    ++s.busy;
    events_.push(now_ + at.service_us, Ev{EvKind::kDeparture, a, 0});
  }

  void leave(const Attempt& at) {
    --in_system_;
    r_.sojourn_sum_us += now_ - at.enter_us;
  }

  void on_departure(std::uint32_t a) {
    Attempt& at = slots_[a];
    const std::uint32_t server = at.server;
    Server& s = servers_[server];
    auto& st = r_.servers[server];
    --s.busy;
    ++st.completed;
    st.busy_us += at.service_us;
    leave(at);
    const bool error = s.error_fraction > 0 && rng_.bernoulli(s.error_fraction);
    if (error) ++st.errors;
    if (at.state == AttemptState::kAbandoned) {
      r_.wasted_work_us += at.service_us;
      release(a);
    } else if (error) {
      attempt_failed(a);
    } else {
      record_success(at);
      release(a);
    }
    next_from_queue(s, server);
  }

  void next_from_queue(Server& s, std::uint32_t server) {
    while (s.busy < s.workers && !s.queue.empty()) {
      const std::uint32_t b = s.queue.pop();
      Attempt& bt = slots_[b];
      if (d_.client.server_drops_expired && bt.state == AttemptState::kAbandoned) {
        ++r_.servers[server].dropped_expired;
        leave(bt);
        release(b);
        continue;
      }
      start_service(b, s);
    }
  }

  void on_timeout(std::uint32_t a, std::uint32_t generation) {
    Attempt& at = slots_[a];
    if (at.generation != generation || at.state == AttemptState::kAbandoned ||
        at.state == AttemptState::kWaitingRetry)
      return;
    ++r_.timed_out;
    at.state = AttemptState::kAbandoned;  // the server keeps the slot until it lets go
    // The client's side moves to a fresh slot.
    const Attempt copy = at;
    const std::uint32_t b = alloc();
    Attempt& bt = slots_[b];
    bt.request_start_us = copy.request_start_us;
    bt.request_index = copy.request_index;
    bt.tries = copy.tries;
    attempt_failed(b);
  }

  // The client learnt that the attempt in slot `a` failed: retry or give up.
  void attempt_failed(std::uint32_t a) {
    Attempt& at = slots_[a];
    if (at.tries <= d_.client.max_retries) {
      at.state = AttemptState::kWaitingRetry;
      ++at.generation;  // a timeout armed for the failed attempt must not hit the retry
      const double delay = static_cast<double>(d_.client.retry_backoff_us) * ppow(backoff_mult_, at.tries - 1);
      events_.push(now_ + round_us(delay), Ev{EvKind::kRetry, a, 0});
    } else {
      ++r_.failed;
      release(a);
    }
  }

  void record_success(const Attempt& at) {
    ++r_.succeeded;
    if (at.request_index < d_.warmup_requests) return;
    const std::int64_t latency = now_ - at.request_start_us;
    r_.latency_us.add(static_cast<std::uint64_t>(latency));
    latency_sum_us_ += static_cast<double>(latency);
    ++latency_count_;
    if (d_.batch_size > 0) {
      batch_sum_us_ += static_cast<double>(latency);
      if (++batch_n_ == d_.batch_size) {
        r_.batch_means_us.push_back(batch_sum_us_ / static_cast<double>(batch_n_));
        batch_sum_us_ = 0.0;
        batch_n_ = 0;
      }
    }
  }

  const QueueingDesc& d_;
  Rng rng_;
  Arrivals arrivals_;
  ServiceTimes service_;
  std::uint64_t n_requests_;
  std::vector<Server> servers_;
  EventQueue<Ev> events_;
  std::vector<Attempt> slots_;
  std::vector<std::uint32_t> free_;
  QueueingResult r_;
  std::int64_t now_ = 0;
  std::uint64_t in_system_ = 0;
  std::uint64_t generated_ = 0;
  std::uint32_t rr_next_ = 0;
  double backoff_mult_ = 1.0;
  double latency_sum_us_ = 0.0;
  std::uint64_t latency_count_ = 0;
  double batch_sum_us_ = 0.0;
  std::uint64_t batch_n_ = 0;
};

}  // namespace

double service_mean_us(const ServiceDesc& service) { return ServiceTimes(service).mean(); }
double sample_service_us(const ServiceDesc& service, Rng& rng) { return ServiceTimes(service).sample(rng); }

QueueingResult run_queueing(const QueueingDesc& desc) { return Sim(desc).run(); }

double QueueingResult::utilisation(std::size_t server, int workers) const {
  if (server >= servers.size() || end_us == 0) return 0.0;
  return static_cast<double>(servers[server].busy_us) / (static_cast<double>(end_us) * (workers > 0 ? workers : 1));
}

// [SECTION] statistics
double mean_of(const std::vector<double>& values) {
  if (values.empty()) return 0.0;
  double s = 0.0;
  for (double v : values) s += v;
  return s / static_cast<double>(values.size());
}

double batch_means_half_width_99(const std::vector<double>& batch_means) {
  const std::size_t k = batch_means.size();
  if (k < 2) return std::numeric_limits<double>::infinity();
  // Two-sided 99 % Student t quantiles t_{0.995, dof} for dof = 1..30.
  static constexpr double kT995[30] = {63.657, 9.925, 5.841, 4.604, 4.032, 3.707, 3.499, 3.355, 3.250, 3.169,
                                       3.106,  3.055, 3.012, 2.977, 2.947, 2.921, 2.898, 2.878, 2.861, 2.845,
                                       2.831,  2.819, 2.807, 2.797, 2.787, 2.779, 2.771, 2.763, 2.756, 2.750};
  const std::size_t dof = k - 1;
  const double t = dof <= 30 ? kT995[dof - 1] : 2.576;
  const double m = mean_of(batch_means);
  double ss = 0.0;
  for (double v : batch_means) ss += (v - m) * (v - m);
  const double sd = std::sqrt(ss / static_cast<double>(dof));
  return t * sd / std::sqrt(static_cast<double>(k));
}

}  // namespace scalebook::sim::lb
