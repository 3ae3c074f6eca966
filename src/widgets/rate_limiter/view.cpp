// rate-limiter — view: one request stream fed to 1–3 limiters side by side.
// Initialization / Update / Draw. All logic lives in src/sim/ratelimit; this
// file only steps the model in simulated time and draws it.
//
// Per lane (algorithm): the last 5 s of requests as dots (green admitted,
// amber delayed with a tail to its release time, red rejected), a gauge of the
// limiter's state for the latest client (bucket used / queue / window count /
// GCRA tolerance used) and the totals. Below: offered vs admitted rate (1 s
// window, sampled every 100 ms of simulated time) for the last 10 s.
// Story presets are parameter sets (book fences), e.g.
//   burst:       traffic=spike compare=token-bucket,nginx,shaper
//   boundary:    traffic=boundary compare=fixed-window,sliding-log,sliding-counter
//   neighbours:  traffic=zipf-clients clients=50 algorithm=gcra
//   drift:       algorithm=distributed gateways=8 sync=500 load=40
#include <imgui.h>

#include <cstdio>
#include <deque>
#include <string>
#include <vector>

#include "sim/core/digest.h"
#include "sim/core/metrics.h"
#include "sim/core/rng.h"
#include "sim/ratelimit/runner.h"
#include "widgets/rate_limiter/config.h"
#include "widgets/view.h"

namespace scalebook::widgets {
namespace {

namespace rl = sim::ratelimit;
namespace cfg = rate_limiter_config;

constexpr std::int64_t kStripUs = 5000000;    // timeline shows the last 5 s
constexpr std::int64_t kSampleUs = 100000;    // chart sample period
constexpr std::size_t kSamples = 100;         // 10 s of chart
constexpr std::size_t kMaxRecent = 4096;      // dots kept per lane (bounded memory)

ImU32 col(const render::Rgb& c, float a = 1.0f) {
  return IM_COL32(static_cast<int>(c.r * 255), static_cast<int>(c.g * 255), static_cast<int>(c.b * 255),
                  static_cast<int>(a * 255));
}

struct Event {
  std::int64_t time_us, delay_us;
  std::uint32_t client;
  rl::Verdict verdict;
};

struct Lane {
  explicit Lane(const rl::LimiterConfig& c) : limiter(c) {}
  rl::Limiter limiter;
  std::deque<Event> recent;
  sim::WindowedCounter admitted_rate{1000000, 10};
  std::uint64_t admitted = 0, delayed = 0, rejected = 0;
  double delay_sum_us = 0;
  std::vector<float> samples;  // admitted r/s, oldest first
  sim::TraceDigest digest;
};

class RateLimiterView final : public WidgetView {
 public:
  // -- Initialization
  void configure(const ParamMap& params, std::uint64_t seed) override {
    lanes_.clear();
    offered_samples_.clear();
    time_us_ = 0;
    next_request_ = 0;
    next_sample_us_ = kSampleUs;
    last_client_ = 0;
    offered_ = sim::WindowedCounter(1000000, 10);
    cfg::Experiment exp;
    const auto problem = cfg::build(params, seed, exp);
    error_ = problem.param.empty() ? "" : "parameter '" + problem.param + "': " + problem.message;
    if (!error_.empty()) return;
    requests_ = rl::generate_traffic(exp.traffic);
    duration_us_ = exp.traffic.duration_us;
    for (const auto& c : exp.limiters) lanes_.emplace_back(c);
  }

  // -- Update (independent of how time is split: requests and samples follow simulated time)
  void advance(std::int64_t dt_us) override {
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

  // -- Draw
  void draw(const Frame& f) override {
    ImDrawList* dl = ImGui::GetBackgroundDrawList();
    const float s = f.scale, pad = 10 * s;
    const ImU32 text = col(f.palette.text), muted = col(f.palette.muted);
    if (!error_.empty()) {
      dl->AddText(ImVec2(f.x + pad, f.y + pad), col(f.palette.bad), error_.c_str());
      return;
    }
    const float chart_h = f.height * 0.28f;
    const float lane_h = (f.height - chart_h - 3 * pad) / static_cast<float>(lanes_.size());
    const float gauge_w = 14 * s, label_h = ImGui::GetTextLineHeight() + 4 * s;
    const float x0 = f.x + pad, x1 = f.x + f.width - pad - gauge_w - pad;
    auto x_of = [&](std::int64_t t) {
      return x1 - static_cast<float>(time_us_ - t) / static_cast<float>(kStripUs) * (x1 - x0);
    };
    for (std::size_t i = 0; i < lanes_.size(); ++i) {
      const Lane& lane = lanes_[i];
      const float y0 = f.y + pad + static_cast<float>(i) * lane_h, yb = y0 + lane_h - pad;
      const std::uint64_t n = lane.admitted + lane.delayed + lane.rejected;
      char buf[256];
      std::snprintf(buf, sizeof buf, "%s   admitted %llu  delayed %llu  rejected %llu (%.0f%%)  mean added delay %.0f ms",
                    std::string(rl::algorithm_name(lane.limiter.config().algorithm)).c_str(),
                    static_cast<unsigned long long>(lane.admitted), static_cast<unsigned long long>(lane.delayed),
                    static_cast<unsigned long long>(lane.rejected), n ? 100.0 * lane.rejected / n : 0.0,
                    lane.delayed ? lane.delay_sum_us / lane.delayed / 1000.0 : 0.0);
      dl->AddText(ImVec2(x0, y0), text, buf);
      const float ys = y0 + label_h;
      dl->AddRectFilled(ImVec2(x0, ys), ImVec2(x1, yb), col(f.palette.surface));
      for (const Event& e : lane.recent) {
        if (e.time_us < time_us_ - kStripUs) continue;
        const float x = x_of(e.time_us);
        const float y = ys + 4 * s + static_cast<float>(sim::mix64(e.client) % 1000) / 1000.0f * (yb - ys - 8 * s);
        if (e.verdict == rl::Verdict::Delay) {
          const float xr = std::min(x_of(e.time_us + e.delay_us), x1);
          dl->AddLine(ImVec2(x, y), ImVec2(xr, y), col(f.palette.warn, 0.6f), 1.5f * s);
        }
        const ImU32 c = e.verdict == rl::Verdict::Admit   ? col(f.palette.good)
                        : e.verdict == rl::Verdict::Delay ? col(f.palette.warn)
                                                          : col(f.palette.bad);
        dl->AddCircleFilled(ImVec2(x, y), 2.5f * s, c);
      }
      // State gauge for the most recent client.
      const float gx = x1 + pad, u = static_cast<float>(lane.limiter.utilisation(time_us_, last_client_));
      dl->AddRect(ImVec2(gx, ys), ImVec2(gx + gauge_w, yb), muted);
      dl->AddRectFilled(ImVec2(gx + s, yb - (yb - ys) * u), ImVec2(gx + gauge_w - s, yb), col(f.palette.accent));
    }
    // Chart: offered (muted) and admitted (one line per lane) in requests/s.
    const float cy0 = f.y + f.height - chart_h - pad, cy1 = f.y + f.height - pad;
    float peak = 1;
    for (float v : offered_samples_) peak = std::max(peak, v);
    dl->AddRect(ImVec2(x0, cy0), ImVec2(x1, cy1), muted);
    auto plot = [&](const std::vector<float>& v, ImU32 c, float thickness) {
      std::vector<ImVec2> pts;
      for (std::size_t k = 0; k < v.size(); ++k)
        pts.emplace_back(x1 - static_cast<float>(v.size() - 1 - k) / (kSamples - 1) * (x1 - x0),
                         cy1 - v[k] / (peak * 1.1f) * (cy1 - cy0));
      if (pts.size() > 1) dl->AddPolyline(pts.data(), static_cast<int>(pts.size()), c, ImDrawFlags_None, thickness);
    };
    plot(offered_samples_, muted, 1.5f * s);
    const render::Rgb lane_colours[3] = {f.palette.accent, f.palette.good, f.palette.warn};
    for (std::size_t i = 0; i < lanes_.size(); ++i) plot(lanes_[i].samples, col(lane_colours[i % 3]), 2 * s);
    char buf[96];
    std::snprintf(buf, sizeof buf, "offered vs admitted, requests/s (peak %.0f)   t = %.1f s", peak,
                  static_cast<double>(time_us_) * 1e-6);
    dl->AddText(ImVec2(x0 + 4 * s, cy0 + 2 * s), muted, buf);
  }

  std::int64_t sim_time_us() const override { return time_us_; }
  std::string summary() const override {
    if (!error_.empty()) return "Invalid parameters: " + error_ + ".";
    char buf[160];
    std::snprintf(buf, sizeof buf, "At %.1f s, %zu requests offered.", static_cast<double>(time_us_) * 1e-6, next_request_);
    std::string out = buf;
    for (const Lane& l : lanes_) {
      const std::uint64_t n = l.admitted + l.delayed + l.rejected;
      std::snprintf(buf, sizeof buf, " %s: %llu admitted, %llu delayed, %llu rejected (%.0f%%).",
                    std::string(rl::algorithm_name(l.limiter.config().algorithm)).c_str(),
                    static_cast<unsigned long long>(l.admitted), static_cast<unsigned long long>(l.delayed),
                    static_cast<unsigned long long>(l.rejected), n ? 100.0 * l.rejected / n : 0.0);
      out += buf;
    }
    return out;
  }
  std::string state_json() const override {
    std::string o = "{\"time_us\":" + std::to_string(time_us_) + ",\"requests\":" + std::to_string(next_request_) +
                    ",\"lanes\":[";
    for (std::size_t i = 0; i < lanes_.size(); ++i) {
      const Lane& l = lanes_[i];
      o += (i ? "," : "") + std::string("{\"algorithm\":\"") + std::string(rl::algorithm_name(l.limiter.config().algorithm)) +
           "\",\"admitted\":" + std::to_string(l.admitted) + ",\"delayed\":" + std::to_string(l.delayed) +
           ",\"rejected\":" + std::to_string(l.rejected) + ",\"digest\":\"" + l.digest.hex() + "\"}";
    }
    return o + "]" + (error_.empty() ? "" : ",\"error\":true") + "}";
  }
  bool animating() const override { return error_.empty() && time_us_ < duration_us_; }

 private:
  void process_until(std::int64_t t_us) {
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
        if (d.admitted()) lane.admitted_rate.add(r.time_us);
        lane.recent.push_back(Event{r.time_us, d.delay_us, r.client, d.verdict});
        while (lane.recent.size() > kMaxRecent || lane.recent.front().time_us < r.time_us - kStripUs)
          lane.recent.pop_front();
      }
    }
  }
  void sample(std::int64_t t_us) {
    auto push = [](std::vector<float>& v, double x) {
      v.push_back(static_cast<float>(x));
      if (v.size() > kSamples) v.erase(v.begin());
    };
    push(offered_samples_, offered_.rate_per_s(t_us));
    for (Lane& lane : lanes_) push(lane.samples, lane.admitted_rate.rate_per_s(t_us));
  }

  std::string error_;
  std::vector<rl::Request> requests_;
  std::vector<Lane> lanes_;
  sim::WindowedCounter offered_{1000000, 10};
  std::vector<float> offered_samples_;
  std::int64_t time_us_ = 0, duration_us_ = 0, next_sample_us_ = kSampleUs;
  std::size_t next_request_ = 0;
  std::uint32_t last_client_ = 0;
};

}  // namespace

std::unique_ptr<WidgetView> make_rate_limiter_view() { return std::make_unique<RateLimiterView>(); }

}  // namespace scalebook::widgets
