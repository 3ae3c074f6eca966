#include "sim/ratelimit/runner.h"

#include <algorithm>
#include <cmath>

namespace scalebook::sim::ratelimit {

namespace {
const std::vector<std::string_view> kNames = {"token-bucket", "stripe-bucket", "shaper",   "nginx", "fixed-window",
                                              "sliding-log",  "sliding-counter", "gcra", "distributed"};
}

const std::vector<std::string_view>& algorithm_names() { return kNames; }

std::optional<Algorithm> algorithm_from_name(std::string_view name) {
  for (std::size_t i = 0; i < kNames.size(); ++i)
    if (kNames[i] == name) return static_cast<Algorithm>(i);
  return std::nullopt;
}

std::string_view algorithm_name(Algorithm a) { return kNames[static_cast<std::size_t>(a)]; }

std::string validate(const LimiterConfig& c) {
  switch (c.algorithm) {
    case Algorithm::FixedWindow:
    case Algorithm::SlidingLog:
    case Algorithm::SlidingCounter:
    case Algorithm::Distributed:
      if (c.window_limit() < 1)
        return "window: rate x window allows less than one request per window (rate " + std::to_string(c.rate.count) +
               (c.rate.period_s == 1 ? "r/s" : "r/m") + ", window " + std::to_string(c.window_us / 1000) + " ms)";
      if (c.window_limit() > 1000000) return "window: rate x window must be at most 1000000 requests per window";
      break;
    default:
      break;
  }
  return {};
}

Limiter::Limiter(const LimiterConfig& c)
    : config_(c), impl_(std::in_place_type<Keyed<TokenBucket>>, TokenBucket::Desc{}, 1) {
  const WindowDesc w{c.window_limit(), c.window_us};
  switch (c.algorithm) {
    case Algorithm::TokenBucket:
      impl_.emplace<Keyed<TokenBucket>>(TokenBucket::Desc{c.capacity, c.rate, c.initial_tokens}, c.max_clients);
      break;
    case Algorithm::StripeBucket:
      impl_.emplace<Keyed<StripeBucket>>(StripeBucket::Desc{c.capacity, c.rate}, c.max_clients);
      break;
    case Algorithm::Shaper:
      impl_.emplace<Keyed<Shaper>>(Shaper::Desc{c.rate, c.capacity}, c.max_clients);
      break;
    case Algorithm::Nginx:
      impl_.emplace<NginxZone>(NginxLimitReqDesc{c.rate, c.burst, c.delay, c.nodelay}, c.max_clients);
      break;
    case Algorithm::FixedWindow: impl_.emplace<Keyed<FixedWindow>>(w, c.max_clients); break;
    case Algorithm::SlidingLog: impl_.emplace<Keyed<SlidingLog>>(w, c.max_clients); break;
    case Algorithm::SlidingCounter: impl_.emplace<Keyed<SlidingCounter>>(w, c.max_clients); break;
    case Algorithm::Gcra:
      impl_.emplace<Keyed<Gcra>>(Gcra::Desc{c.burst, c.rate.count, c.rate.period_s}, c.max_clients);
      break;
    case Algorithm::Distributed:
      impl_.emplace<DistributedWindow>(DistributedWindow::Desc{w.limit, c.window_us, c.gateways, c.sync_us});
      break;
  }
}

Decision Limiter::decide(std::int64_t now_us, std::uint64_t client) {
  return std::visit(
      [&](auto& l) -> Decision {
        using T = std::decay_t<decltype(l)>;
        if constexpr (std::is_same_v<T, DistributedWindow>) return l.decide(now_us);
        else return l.decide(now_us, client);
      },
      impl_);
}

std::uint64_t Limiter::evictions() const {
  return std::visit(
      [](const auto& l) -> std::uint64_t {
        using T = std::decay_t<decltype(l)>;
        if constexpr (std::is_same_v<T, DistributedWindow>) return 0;
        else return l.evictions();
      },
      impl_);
}

std::size_t Limiter::clients() const {
  return std::visit(
      [](const auto& l) -> std::size_t {
        using T = std::decay_t<decltype(l)>;
        if constexpr (std::is_same_v<T, DistributedWindow>) return 1;
        else return l.clients();
      },
      impl_);
}

double Limiter::counter_estimate(std::int64_t now_us, std::uint64_t client) const {
  if (const auto* k = std::get_if<Keyed<SlidingCounter>>(&impl_))
    if (const SlidingCounter* s = k->find(client)) return s->estimate(now_us);
  return 0.0;
}

double Limiter::utilisation(std::int64_t now_us, std::uint64_t client) const {
  const auto clamp01 = [](double x) { return x < 0 ? 0.0 : (x > 1 ? 1.0 : x); };
  const LimiterConfig& c = config_;
  const double limit = static_cast<double>(c.window_limit() > 0 ? c.window_limit() : 1);
  return std::visit(
      [&](const auto& l) -> double {
        using T = std::decay_t<decltype(l)>;
        if constexpr (std::is_same_v<T, DistributedWindow>) {
          return clamp01(static_cast<double>(l.admitted_in_window()) / limit);
        } else if constexpr (std::is_same_v<T, NginxZone>) {
          const NginxNode* n = l.find(client);
          if (!n) return 0.0;
          NginxLimitReq lim(NginxLimitReqDesc{c.rate, c.burst, c.delay, c.nodelay});
          NginxNode copy = *n;
          // Excess drained to now, without the +1000 of a new request.
          const auto out = lim.lookup(copy, static_cast<std::uint64_t>(now_us / 1000));
          const double excess = static_cast<double>(out.excess - 1000);
          return c.burst > 0 ? clamp01(excess / static_cast<double>(c.burst * 1000)) : 0.0;
        } else {
          const auto* s = l.find(client);
          if (!s) return 0.0;
          using S = std::decay_t<decltype(*s)>;
          if constexpr (std::is_same_v<S, TokenBucket>)
            return clamp01(1.0 - s->tokens(now_us) / static_cast<double>(c.capacity));
          else if constexpr (std::is_same_v<S, StripeBucket>)
            return clamp01(1.0 - s->tokens() / static_cast<double>(c.capacity));
          else if constexpr (std::is_same_v<S, Shaper>)
            return clamp01(static_cast<double>(s->queued(now_us)) / static_cast<double>(c.capacity));
          else if constexpr (std::is_same_v<S, FixedWindow>)
            return s->window_index() == now_us / c.window_us ? clamp01(static_cast<double>(s->count()) / limit) : 0.0;
          else if constexpr (std::is_same_v<S, SlidingLog>)
            return clamp01(static_cast<double>(s->size()) / limit);
          else if constexpr (std::is_same_v<S, SlidingCounter>)
            return clamp01(s->estimate(now_us) / limit);
          else if constexpr (std::is_same_v<S, Gcra>) {
            const double dvt = static_cast<double>(s->emission_interval_ns()) * static_cast<double>(c.burst + 1);
            return s->tat_ns() < 0 ? 0.0 : clamp01(static_cast<double>(s->tat_ns() - now_us * 1000) / dvt);
          } else {
            return 0.0;
          }
        }
      },
      impl_);
}

Run run_limiter(const LimiterConfig& c, const std::vector<Request>& requests) {
  Run run;
  run.decisions.reserve(requests.size());
  Limiter limiter(c);
  RunSummary& s = run.summary;
  const bool audit = c.algorithm == Algorithm::SlidingCounter;
  std::unordered_map<std::uint64_t, std::deque<std::int64_t>> exact;  // admitted times per client (audit)
  double abs_error_sum = 0;
  std::vector<std::int64_t> releases;
  releases.reserve(requests.size());
  for (const Request& r : requests) {
    if (audit) {
      // Compare Cloudflare's estimate with the exact count of this client's
      // admitted requests in (t - W, t], both taken before the decision.
      auto& log = exact[r.client];
      while (!log.empty() && log.front() <= r.time_us - c.window_us) log.pop_front();
      const double est = limiter.counter_estimate(r.time_us, r.client);
      const double err = est - static_cast<double>(log.size());
      if (s.counter_samples == 0 || err > s.counter_error_max) s.counter_error_max = err;
      if (s.counter_samples == 0 || err < s.counter_error_min) s.counter_error_min = err;
      abs_error_sum += std::fabs(err);
      ++s.counter_samples;
    }
    const Decision d = limiter.decide(r.time_us, r.client);
    run.decisions.push_back(d);
    ++s.requests;
    switch (d.verdict) {
      case Verdict::Admit: ++s.admitted; break;
      case Verdict::Delay:
        ++s.delayed;
        s.delay_us.add(static_cast<std::uint64_t>(d.delay_us));
        s.max_delay_us = std::max(s.max_delay_us, d.delay_us);
        break;
      case Verdict::Reject: ++s.rejected; break;
    }
    if (d.admitted()) {
      releases.push_back(r.time_us + d.delay_us);
      if (audit) exact[r.client].push_back(r.time_us);
    }
  }
  if (s.counter_samples) s.counter_error_mean_abs = abs_error_sum / static_cast<double>(s.counter_samples);
  std::sort(releases.begin(), releases.end());
  for (std::size_t i = 0, j = 0; j < releases.size(); ++j) {
    while (releases[i] <= releases[j] - c.window_us) ++i;
    s.max_released_per_window = std::max<std::int64_t>(s.max_released_per_window, static_cast<std::int64_t>(j - i + 1));
  }
  s.evictions = limiter.evictions();
  s.clients = limiter.clients();
  if (const auto* dist = limiter.distributed()) {
    s.over_admission_max = dist->max_over_admission();
    s.over_admission_total = dist->total_over_admission();
  }
  return run;
}

}  // namespace scalebook::sim::ratelimit
