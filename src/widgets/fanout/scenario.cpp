#include "widgets/fanout/scenario.h"

#include <cmath>
#include <cstdio>

#include "sim/fanout/timeline_sim.h"
#include "widgets/fanout/config.h"
#include "widgets/fanout/format.h"

namespace scalebook::widgets {

std::unique_ptr<Scenario> make_fanout_scenario() { return std::make_unique<fanout::FanoutScenario>(); }

namespace fanout {

namespace cfg = fanout_config;

void FanoutScenario::configure(const ParamMap& p, std::uint64_t seed) {
  ++run_id_;
  time_us_ = 0;
  run_ = {};
  series_.clear();
  error_.clear();
  estimate_mode_ = get_text(p, "mode") == "estimate";
  envelope_in_ = cfg::envelope_inputs(p);
  envelope_ = fo::estimate(envelope_in_);
  target_s_ = envelope_in_.delivery_target_s;
  // The one parameter path (param_edit.h) has checked these already; a direct caller may not have.
  if (auto msg = cfg::cross_check(p); !msg.empty()) error_ = msg;
  const auto gd = cfg::graph_desc(p, seed);
  if (error_.empty()) error_ = fo::validate(gd);
  if (!error_.empty()) return;
  // A threshold or strategy change keeps the graph and the posts: build them only when they change.
  const auto wd = cfg::workload_desc(p, seed);
  if (!inputs_ || !(gd == graph_desc_) || !(wd == workload_desc_)) {
    inputs_ = std::make_shared<const fo::Scenario>(fo::build_scenario(gd, wd));
    graph_desc_ = gd;
    workload_desc_ = wd;
  }
  const std::int64_t duration = inputs_->duration_us;
  sample_us_ = std::max(kMinSampleUs, (duration / kSamplesPerRun + kMinSampleUs - 1) / kMinSampleUs * kMinSampleUs);
  next_sample_us_ = 0;
  // Lane 0: the strategy (its delivery log feeds the view's particles); lane 1: the
  // comparison, unless it names the strategy itself (the same run twice: one lane).
  std::vector<fo::SimDesc> lanes;
  auto desc = cfg::sim_desc(p);
  desc.record_deliveries = true;
  lanes.push_back(desc);
  if (const std::string& other = get_text(p, "compare"); other != "none" && cfg::strategy_of(other) != desc.strategy) {
    desc.strategy = cfg::strategy_of(other);
    desc.record_deliveries = false;
    lanes.push_back(desc);
  }
  run_ = fo::Comparison(inputs_, lanes);
  series_.assign(lanes.size(), Series{});
}

// Samples first, each after exactly the events at or before its time: independent of
// how time is split.
void FanoutScenario::advance(std::int64_t dt_us) {
  if (run_.empty()) return;
  time_us_ += std::max<std::int64_t>(0, dt_us);
  const std::int64_t until = now_capped();
  for (; next_sample_us_ <= until; next_sample_us_ += sample_us_) {
    run_.apply_until(next_sample_us_);
    take_sample(next_sample_us_);
  }
  run_.apply_until(until);
}

void FanoutScenario::take_sample(std::int64_t t_us) {
  for (std::size_t i = 0; i < series_.size(); ++i) {
    const fo::LaneSample v = fo::sample_lane(run_.lanes()[i], t_us);
    Series& c = series_[i];
    c.p50_s.push(v.p50_s);
    c.p99_s.push(v.p99_s);
    c.backlog.push(v.backlog);
    c.memory.push(v.memory_bytes);
    c.write_amp.push(v.write_amp);
    c.fan_in.push(v.fan_in);
  }
}

bool FanoutScenario::animating() const {
  return !run_.empty() && clock_s() < static_cast<double>(duration_us()) * 1e-6 + 1.0;
}

std::string FanoutScenario::summary() const {
  if (!error_.empty()) return "Invalid parameters: " + error_;
  std::string s;
  for (const auto& lane : run_.lanes()) {
    const auto& m = lane.metrics();
    char buf[480];
    std::snprintf(buf, sizeof buf,
                  "%s%s at %.1f s: %llu posts made %llu timeline inserts (%.1f per post); %llu inserts queued; "
                  "delivery p99 %s (target %s); a read fetches %.1f lists on average; cache %s.",
                  s.empty() ? "" : " ", fo::strategy_name(lane.desc().strategy), clock_s(),
                  static_cast<unsigned long long>(m.posts), static_cast<unsigned long long>(m.deliveries),
                  m.posts ? static_cast<double>(m.deliveries) / static_cast<double>(m.posts) : 0.0,
                  static_cast<unsigned long long>(lane.backlog_inserts(now_capped())),
                  seconds_text(static_cast<double>(m.delivery_latency_us.quantile(0.99)) * 1e-6).c_str(),
                  seconds_text(target_s_).c_str(),
                  m.reads ? static_cast<double>(m.fetches) / static_cast<double>(m.reads) : 0.0,
                  bytes_text(static_cast<double>(lane.cache_memory_bytes())).c_str());
    s += buf;
  }
  return s;
}

// Test hook and permalink digest (nothing wall-clock here): per lane the totals and the
// chart series' sample count, period and latest samples.
std::string FanoutScenario::state_json() const {
  std::string s = "{\"time_us\":" + std::to_string(time_us_) + ",\"lanes\":[";
  for (std::size_t i = 0; i < series_.size(); ++i) {
    const fo::TimelineSim& sim = run_.lanes()[i];
    const auto& m = sim.metrics();
    const Series& c = series_[i];
    auto num = [](float v) { return std::to_string(std::llround(static_cast<double>(v))); };
    s += (i ? ",{" : "{") + std::string("\"strategy\":\"") + fo::strategy_name(sim.desc().strategy) +
         "\",\"posts\":" + std::to_string(m.posts) + ",\"reads\":" + std::to_string(m.reads) +
         ",\"deliveries\":" + std::to_string(m.deliveries) + ",\"backlog\":" +
         std::to_string(sim.backlog_inserts(now_capped())) +
         ",\"backlog_peak\":" + std::to_string(m.backlog_peak_inserts) +
         ",\"delivery_p99_us\":" + std::to_string(m.delivery_latency_us.quantile(0.99)) + ",\"timeline_digest\":\"" +
         m.timeline_digest.hex() + "\",\"chart\":{\"samples\":" + std::to_string(c.p99_s.total()) +
         ",\"kept\":" + std::to_string(c.p99_s.size()) + ",\"period_us\":" + std::to_string(sample_us_) +
         ",\"p50_ms\":" + num(c.p50_s.latest() * 1000) + ",\"p99_ms\":" + num(c.p99_s.latest() * 1000) +
         ",\"p99_ms_max\":" + num(c.p99_s.max() * 1000) + ",\"backlog\":" + num(c.backlog.latest()) +
         ",\"backlog_max\":" + num(c.backlog.max()) + ",\"memory_bytes\":" + num(c.memory.latest()) +
         ",\"write_amp_x100\":" + num(c.write_amp.latest() * 100) + ",\"fan_in_x100\":" + num(c.fan_in.latest() * 100) +
         "}}";
  }
  return s + "]" + (error_.empty() ? "" : ",\"error\":\"invalid parameters\"") + "}";
}

}  // namespace fanout
}  // namespace scalebook::widgets
