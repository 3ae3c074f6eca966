#include "widgets/rate_limiter/scenario.h"

#include <algorithm>
#include <cstdio>

#include "widgets/rate_limiter/config.h"

namespace scalebook::widgets {

std::unique_ptr<Scenario> make_rate_limiter_scenario() { return std::make_unique<rate_limiter::RateLimiterScenario>(); }

namespace rate_limiter {

namespace cfg = rate_limiter_config;

void RateLimiterScenario::configure(const ParamMap& params, std::uint64_t seed) {
  lanes_.clear();
  offered_samples_.clear();
  requests_.clear();
  time_us_ = 0;
  duration_us_ = 0;
  next_request_ = 0;
  next_sample_us_ = 0;
  last_client_ = 0;
  clients_ = 1;
  limit_per_s_ = 0;
  offered_ = sim::WindowedCounter(1000000, 10);
  cfg::Experiment exp;
  const auto problem = cfg::build(params, seed, exp);
  error_ = problem.param.empty() ? "" : "parameter '" + problem.param + "': " + problem.message;
  if (!error_.empty()) return;
  requests_ = rl::generate_traffic(exp.traffic);
  duration_us_ = exp.traffic.duration_us;
  clients_ = exp.traffic.clients;
  limit_per_s_ = exp.limiters.front().rate.per_s();
  for (const auto& c : exp.limiters) lanes_.emplace_back(c);
  sample(0);
  next_sample_us_ = kSampleUs;
}

// Independent of how time is split: requests and samples follow simulated time.
void RateLimiterScenario::advance(std::int64_t dt_us) {
  if (!error_.empty()) return;
  const std::int64_t target = std::min(time_us_ + dt_us, duration_us_);
  while (next_sample_us_ <= target) {
    process_until(next_sample_us_);
    sample(next_sample_us_);
    next_sample_us_ += kSampleUs;
  }
  process_until(target);
  time_us_ = target;
}

void RateLimiterScenario::process_until(std::int64_t t_us) {
  const bool keyed = clients_ > 1;
  for (; next_request_ < requests_.size() && requests_[next_request_].time_us <= t_us; ++next_request_) {
    const rl::Request& r = requests_[next_request_];
    offered_.add(r.time_us);
    last_client_ = r.client;
    for (Lane& lane : lanes_) {
      const rl::Decision d = lane.limiter.decide(r.time_us, r.client);
      lane.digest.add_byte(static_cast<std::uint8_t>(d.verdict));
      lane.digest.add_i64(d.delay_us);
      switch (d.verdict) {
        case rl::Verdict::Admit: ++lane.admitted; break;
        case rl::Verdict::Delay: ++lane.delayed; lane.delay_sum_us += static_cast<double>(d.delay_us); break;
        case rl::Verdict::Reject: ++lane.rejected; break;
      }
      if (keyed) {
        ClientCount& c = lane.per_client[r.client];
        ++c.sent;
        if (d.verdict == rl::Verdict::Reject) ++c.rejected;
      }
      if (d.admitted()) lane.admitted_rate.add(r.time_us);
      lane.recent.push_back(Event{r.time_us, d.delay_us, r.client, d.verdict});
      while (lane.recent.size() > kMaxRecent || lane.recent.front().time_us < r.time_us - kSpanUs) lane.recent.pop_front();
    }
  }
}

void RateLimiterScenario::sample(std::int64_t t_us) {
  auto push = [](std::vector<float>& v, double x) {
    v.push_back(static_cast<float>(x));
    if (v.size() > kSamples) v.erase(v.begin());
  };
  push(offered_samples_, offered_.rate_per_s(t_us));
  for (Lane& lane : lanes_) push(lane.samples, lane.admitted_rate.rate_per_s(t_us));
}

bool RateLimiterScenario::distributed_only() const {
  for (const Lane& l : lanes_)
    if (l.algorithm() != rl::Algorithm::Distributed) return false;
  return true;
}

double RateLimiterScenario::utilisation(std::size_t lane) const {
  return lanes_.at(lane).limiter.utilisation(time_us_, last_client_);
}

BusiestClient RateLimiterScenario::busiest(std::size_t i) const {
  const Lane& lane = lanes_.at(i);
  BusiestClient b;
  if (clients_ <= 1 || lane.per_client.empty()) return b;
  b.any = true;
  for (const auto& [id, c] : lane.per_client)
    if (c.sent > b.top.sent || (c.sent == b.top.sent && id < b.id)) b.id = id, b.top = c;
  for (const auto& [id, c] : lane.per_client)
    if (id != b.id) b.rest.sent += c.sent, b.rest.rejected += c.rejected;
  b.others = lane.per_client.size() - 1;
  return b;
}

double RateLimiterScenario::peak_rate() const {
  double peak = limit_per_s_;
  for (float v : offered_samples_) peak = std::max(peak, static_cast<double>(v));
  for (const Lane& l : lanes_)
    for (float v : l.samples) peak = std::max(peak, static_cast<double>(v));
  return peak;
}

double RateLimiterScenario::chart_y_max() const {
  const double v = peak_rate() * 1.08;
  if (v <= 1) return 1;
  double p = 1;
  while (p * 10 <= v) p *= 10;
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0})
    if (m * p >= v) return m * p;
  return 10 * p;
}

std::string RateLimiterScenario::summary() const {
  if (!error_.empty()) return "Invalid parameters: " + error_ + ".";
  char buf[160];
  std::snprintf(buf, sizeof buf, "At %.1f s, %zu requests offered.", static_cast<double>(time_us_) * 1e-6, next_request_);
  std::string out = buf;
  for (const Lane& l : lanes_) {
    const std::uint64_t n = l.total();
    std::snprintf(buf, sizeof buf, " %s: %llu admitted, %llu delayed, %llu rejected (%.0f%%).",
                  std::string(rl::algorithm_name(l.algorithm())).c_str(), static_cast<unsigned long long>(l.admitted),
                  static_cast<unsigned long long>(l.delayed), static_cast<unsigned long long>(l.rejected),
                  n ? 100.0 * static_cast<double>(l.rejected) / static_cast<double>(n) : 0.0);
    out += buf;
  }
  return out;
}

std::string RateLimiterScenario::state_json() const {
  std::string o =
      "{\"time_us\":" + std::to_string(time_us_) + ",\"requests\":" + std::to_string(next_request_) + ",\"lanes\":[";
  for (std::size_t i = 0; i < lanes_.size(); ++i) {
    const Lane& l = lanes_[i];
    o += (i ? "," : "") + std::string("{\"algorithm\":\"") + std::string(rl::algorithm_name(l.algorithm())) +
         "\",\"admitted\":" + std::to_string(l.admitted) + ",\"delayed\":" + std::to_string(l.delayed) +
         ",\"rejected\":" + std::to_string(l.rejected) + ",\"digest\":\"" + l.digest.hex() + "\"}";
  }
  return o + "]" + (error_.empty() ? "" : ",\"error\":true") + "}";
}

}  // namespace rate_limiter
}  // namespace scalebook::widgets
