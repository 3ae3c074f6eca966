#include "widgets/breaker/scenario.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "widgets/units.h"

namespace scalebook::widgets {
std::unique_ptr<Scenario> make_breaker_scenario() { return std::make_unique<breaker::BreakerScenario>(); }
}  // namespace scalebook::widgets

namespace scalebook::widgets::breaker {

namespace {

using units::ms_us;
using units::secs;

std::string ms_text(std::int64_t us) {
  char b[32];
  const double ms = static_cast<double>(us) / 1000.0;
  if (ms >= 1000 && std::fabs(ms - std::round(ms)) < 1e-9)
    std::snprintf(b, sizeof b, "%lld,%03lld ms", static_cast<long long>(ms) / 1000, static_cast<long long>(ms) % 1000);
  else
    std::snprintf(b, sizeof b, ms == std::floor(ms) ? "%.0f ms" : "%.1f ms", ms);
  return b;
}

std::string pct(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%.1f%%", v);
  return b;
}

const char* state_word(Mark m) {
  switch (m) {
    case Mark::Off: return "off";
    case Mark::Closed: return "CLOSED";
    case Mark::Open: return "OPEN";
    case Mark::HalfOpen: return "HALF_OPEN";
  }
  return "?";
}

const char* dep_word(Dependency d) {
  switch (d) {
    case Dependency::Healthy: return "healthy";
    case Dependency::Failing: return "failing";
    case Dependency::Slow: return "slow";
  }
  return "?";
}

Mark mark_of(r4j::State s) {
  switch (s) {
    case r4j::State::kClosed:
    case r4j::State::kDisabled: return Mark::Closed;
    case r4j::State::kOpen:
    case r4j::State::kForcedOpen: return Mark::Open;
    case r4j::State::kHalfOpen: return Mark::HalfOpen;
  }
  return Mark::Closed;
}

std::string num(std::uint64_t v) { return units::thousands(v); }

}  // namespace

void BreakerScenario::configure(const ParamMap& p, std::uint64_t seed) {
  *this = BreakerScenario();
  error_.clear();
  config_.failure_rate_threshold = static_cast<float>(get_double(p, "failure_threshold"));
  config_.slow_call_rate_threshold = static_cast<float>(get_double(p, "slow_threshold"));
  config_.slow_call_duration_threshold_us = ms_us(get_double(p, "slow_ms"));
  config_.sliding_window_type =
      get_text(p, "window_type") == "count" ? r4j::WindowType::kCountBased : r4j::WindowType::kTimeBased;
  config_.sliding_window_size = static_cast<int>(get_int(p, "window_size"));
  config_.minimum_number_of_calls = static_cast<int>(get_int(p, "minimum_calls"));
  config_.wait_duration_in_open_state_us = ms_us(get_double(p, "wait_s") * 1000.0);
  config_.permitted_number_of_calls_in_half_open_state = static_cast<int>(get_int(p, "half_open_calls"));
  config_.automatic_transition_from_open_to_half_open_enabled = get_bool(p, "auto_half_open");
  rate_ = get_double(p, "rate");
  threads_ = static_cast<int>(get_int(p, "threads"));
  latency_us_ = std::max<std::int64_t>(1, ms_us(get_double(p, "latency_ms")));
  timeout_us_ = ms_us(get_double(p, "timeout_ms"));
  error_rate_ = get_double(p, "error_rate");
  duration_us_ = static_cast<std::int64_t>(std::llround(get_double(p, "duration") * 1e6));
  if (get_bool(p, "breaker")) breaker_.emplace(config_, 0);
  const sim::Rng root(seed);
  arrivals_ = root.split(1);
  calls_ = root.split(2);
  next_arrival_us_ = rate_ > 0 ? static_cast<std::int64_t>(std::llround(arrivals_.exponential(1e6 / rate_)))
                               : duration_us_ + 1;
  const auto samples = static_cast<std::size_t>(duration_us_ / kSampleUs + 2);
  marks_.reserve(samples);
  for (auto* r : {&arrival_rate_, &call_rate_, &ok_rate_, &failed_rate_, &fallback_rate_, &turned_rate_, &busy_ring_, &failure_ring_})
    *r = chart::SampleRing(samples);
  refresh();
  sample();
}

const std::vector<r4j::Transition>& BreakerScenario::transitions() const {
  static const std::vector<r4j::Transition> none;
  return breaker_ ? breaker_->log() : none;
}

void BreakerScenario::refresh() {
  if (!breaker_) {
    mark_ = Mark::Off;
    return;
  }
  // Reading the state fires a due automatic transition (stamped with its due time), and
  // reading the metrics moves a time-based window to this second: the library's reads do
  // both too, and neither changes what a later call sees.
  mark_ = mark_of(breaker_->state(now_us_));
  r4j::Metrics& m = breaker_->metrics(now_us_);
  window_ = m.snapshot(now_us_);
  minimum_calls_ = m.minimum_number_of_calls();
  open_until_us_ = breaker_->open_until_us();
  attempts_ = breaker_->attempts();
}

void BreakerScenario::sample() {
  refresh();
  marks_.push_back(mark_);
  // The moving rate over the last second: this sample's totals against those 10 samples ago
  // (or at the start of the run, for the first second).
  constexpr std::size_t kWindow = 1'000'000 / kSampleUs;
  const std::size_t k = marks_.size() - 1;  // this sample's index
  if (history_.empty()) history_.resize(kWindow + 1);
  history_[k % (kWindow + 1)] = totals_;
  const std::size_t back = std::min(k, kWindow);
  const Totals& then = history_[(k - back) % (kWindow + 1)];
  const double per_s = back == 0 ? 0.0 : 1e6 / static_cast<double>(back * kSampleUs);
  const auto d = [&](std::uint64_t a, std::uint64_t b) { return static_cast<float>(static_cast<double>(a - b) * per_s); };
  arrival_rate_.push(d(totals_.requests, then.requests));
  call_rate_.push(d(totals_.calls, then.calls));
  ok_rate_.push(d(totals_.ok, then.ok));
  failed_rate_.push(d(totals_.errors + totals_.timeouts, then.errors + then.timeouts));
  fallback_rate_.push(d(totals_.fallback, then.fallback));
  turned_rate_.push(d(totals_.turned_away, then.turned_away));
  busy_ring_.push(static_cast<float>(busy_));
  failure_ring_.push(breaker_ ? window_.failure_rate() : 0.0f);
  next_sample_us_ += kSampleUs;
}

void BreakerScenario::arrive(std::int64_t t) {
  ++totals_.requests;
  if (busy_ >= threads_) {
    ++totals_.turned_away;
  } else if (breaker_ && !breaker_->allow(t)) {
    ++totals_.fallback;
  } else {
    const std::int64_t base = dep_ == Dependency::Slow ? slow_us_ : latency_us_;
    const auto lat = static_cast<std::int64_t>(std::llround(static_cast<double>(base) * (0.5 + calls_.uniform01())));
    const double p_fail = dep_ == Dependency::Failing ? std::max(error_rate_, fail_pct_ / 100.0) : error_rate_;
    const bool fails = calls_.bernoulli(p_fail);
    ++totals_.calls;
    Call c{};
    c.seq = seq_++;
    if (lat > timeout_us_) {
      c.done_us = t + timeout_us_;
      c.duration_us = timeout_us_;
      c.ok = false;
      c.timed_out = true;
    } else {
      c.done_us = t + lat;
      c.duration_us = lat;
      c.ok = !fails;
      c.timed_out = false;
    }
    in_flight_.push(c);
    max_busy_ = std::max(max_busy_, ++busy_);
  }
  next_arrival_us_ = t + std::max<std::int64_t>(1, std::llround(arrivals_.exponential(1e6 / rate_)));
}

void BreakerScenario::finish(const Call& c) {
  --busy_;
  if (c.ok) ++totals_.ok;
  else if (c.timed_out) ++totals_.timeouts;
  else ++totals_.errors;
  if (breaker_) breaker_->on_result(c.done_us, c.ok, c.duration_us);
}

void BreakerScenario::advance(std::int64_t dt_us) {
  if (!ok() || now_us_ >= duration_us_) return;
  const std::int64_t target = std::min(duration_us_, now_us_ + std::max<std::int64_t>(0, dt_us));
  for (;;) {
    const std::int64_t done = in_flight_.empty() ? INT64_MAX : in_flight_.top().done_us;
    const std::int64_t next = std::min(done, next_arrival_us_);
    if (next_sample_us_ <= std::min(next, target)) {
      now_us_ = next_sample_us_;
      sample();
      continue;
    }
    if (next > target) break;
    now_us_ = next;
    if (done <= next_arrival_us_) {
      const Call c = in_flight_.top();
      in_flight_.pop();
      finish(c);
    } else {
      arrive(next);
    }
  }
  now_us_ = target;
  refresh();
}

void BreakerScenario::note(std::string text) {
  events_.push_back(secs(now_us_) + ": " + std::move(text));
  if (events_.size() > 8) events_.erase(events_.begin());
}

std::string BreakerScenario::act(const Action& a) {
  if (!ok()) return "action '" + a.name + "': the service cannot run: " + error_;
  if (now_us_ >= duration_us_) return "action '" + a.name + "': the run is over";
  if (a.name == "fail") {
    const int p = static_cast<int>(std::strtol(a.args.at(0).c_str(), nullptr, 10));
    // Repeating the fault the dependency already has is taken, and changes nothing but the
    // note: a replayed log (a preset applied after the reader's actions) may hold it twice.
    const bool same = dep_ == Dependency::Failing && fail_pct_ == p;
    dep_ = Dependency::Failing;
    fail_pct_ = p;
    note(std::string(same ? "the dependency keeps failing " : "the dependency fails ") + std::to_string(p) +
         "% of its calls");
  } else if (a.name == "slow") {
    const std::int64_t us = ms_us(std::strtod(a.args.at(0).c_str(), nullptr));
    const bool same = dep_ == Dependency::Slow && slow_us_ == us;
    dep_ = Dependency::Slow;
    slow_us_ = us;
    note(std::string(same ? "the dependency still answers in about " : "the dependency slowed to about ") + ms_text(us) +
         (us / 2 >= timeout_us_ ? " (beyond the " + ms_text(timeout_us_) + " timeout)" : ""));
  } else if (a.name == "recover") {
    if (dep_ == Dependency::Healthy) return "action 'recover': the dependency is already healthy";
    dep_ = Dependency::Healthy;
    note("the dependency recovered");
  } else if (a.name == "reset") {
    if (!breaker_) return "action 'reset': this run has no circuit breaker";
    if (breaker_->state(now_us_) == r4j::State::kClosed)
      return "action 'reset': the breaker is already CLOSED (a reset would only clear its window)";
    breaker_->reset(now_us_);
    note("the breaker was reset to CLOSED by hand");
  } else {
    return "action '" + a.name + "': not handled";
  }
  refresh();
  return {};
}

std::string BreakerScenario::summary() const {
  if (!ok()) return "The service cannot run: " + error_ + ".";
  std::string o = "At " + secs(now_us_) + " the dependency is " + dep_word(dep_);
  if (dep_ == Dependency::Failing) o += " (" + std::to_string(fail_pct_) + "% errors)";
  if (dep_ == Dependency::Slow) o += " (about " + ms_text(slow_us_) + ")";
  o += " and ";
  if (!breaker_) {
    o += "there is no circuit breaker.";
  } else {
    o += std::string("the breaker is ") + state_word(mark_);
    const auto& log = breaker_->log();
    if (mark_ == Mark::Open && !log.empty()) {
      o += " since " + secs(log.back().time_us) + " (" + log.back().reason + ")";
      if (!config_.automatic_transition_from_open_to_half_open_enabled)
        o += "; the first call after " + secs(open_until_us_) + " becomes a trial";
      else
        o += "; it goes HALF_OPEN at " + secs(open_until_us_);
    } else if (mark_ == Mark::Closed || mark_ == Mark::HalfOpen) {
      o += ": " + num(static_cast<std::uint64_t>(window_.total_calls)) + " calls in its window, " +
           num(static_cast<std::uint64_t>(window_.failed_calls)) + " failed";
      if (window_.total_calls > 0) o += " (" + pct(window_.failure_rate()) + ")";
      if (window_.total_calls < minimum_calls_)
        o += ", fewer than the " + std::to_string(minimum_calls_) + " it needs to judge";
    }
    o += ".";
  }
  o += " " + std::to_string(busy_) + " of " + std::to_string(threads_) + " threads busy. So far " +
       num(totals_.requests) + " requests: " + num(totals_.ok) + " served, " + num(totals_.errors + totals_.timeouts) +
       " failed";
  if (totals_.timeouts) o += " (" + num(totals_.timeouts) + " timed out)";
  if (breaker_) o += ", " + num(totals_.fallback) + " answered by the fallback";
  o += ", " + num(totals_.turned_away) + " turned away with every thread busy.";
  return o;
}

std::string BreakerScenario::state_json() const {
  if (!ok()) return "{\"error\":true}";
  std::string o = "{\"time_us\":" + std::to_string(now_us_) + ",\"dependency\":{\"state\":\"" + dep_word(dep_) +
                  "\",\"fail_percent\":" + std::to_string(fail_pct_) + ",\"slow_us\":" + std::to_string(slow_us_) +
                  "},\"threads\":{\"size\":" + std::to_string(threads_) + ",\"busy\":" + std::to_string(busy_) +
                  ",\"max_busy\":" + std::to_string(max_busy_) + "},\"totals\":{\"requests\":" +
                  std::to_string(totals_.requests) + ",\"calls\":" + std::to_string(totals_.calls) + ",\"ok\":" + std::to_string(totals_.ok) +
                  ",\"errors\":" + std::to_string(totals_.errors) + ",\"timeouts\":" + std::to_string(totals_.timeouts) +
                  ",\"fallback\":" + std::to_string(totals_.fallback) +
                  ",\"turned_away\":" + std::to_string(totals_.turned_away) + "},\"breaker\":";
  if (!breaker_) return o + "null}";
  char rate[64];
  std::snprintf(rate, sizeof rate, "%.4f", static_cast<double>(window_.failure_rate()));
  o += std::string("{\"state\":\"") + state_word(mark_) + "\",\"attempts\":" + std::to_string(attempts_) +
       ",\"open_until_us\":" + std::to_string(open_until_us_) + ",\"window\":{\"calls\":" +
       std::to_string(window_.total_calls) + ",\"failed\":" + std::to_string(window_.failed_calls) +
       ",\"slow\":" + std::to_string(window_.slow_calls) + ",\"failure_rate\":" + rate +
       ",\"minimum_calls\":" + std::to_string(minimum_calls_) + "},\"not_permitted\":" +
       std::to_string(breaker_->not_permitted_total());
  // The transitions: counted, the first OPEN and the last CLOSED named, and the last 12 listed.
  const auto& log = breaker_->log();
  std::int64_t first_open = -1, last_closed = -1;
  int opens = 0;
  for (const auto& t : log) {
    if (t.to == r4j::State::kOpen) {
      ++opens;
      if (first_open < 0) first_open = t.time_us;
    }
    if (t.to == r4j::State::kClosed) last_closed = t.time_us;
  }
  o += ",\"opened\":" + std::to_string(opens) + ",\"first_open_us\":" + std::to_string(first_open) +
       ",\"last_closed_us\":" + std::to_string(last_closed) + ",\"transitions\":" + std::to_string(log.size()) +
       ",\"log\":[";
  const std::size_t from = log.size() > 12 ? log.size() - 12 : 0;
  for (std::size_t i = from; i < log.size(); ++i) {
    o += (i == from ? "{" : ",{") + std::string("\"time_us\":") + std::to_string(log[i].time_us) + ",\"from\":\"" +
         r4j::to_string(log[i].from) + "\",\"to\":\"" + r4j::to_string(log[i].to) + "\"}";
  }
  return o + "]}}";
}

}  // namespace scalebook::widgets::breaker
