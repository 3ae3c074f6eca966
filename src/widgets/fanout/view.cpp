// fanout — the follower graph as a disc of dots (celebrities in the middle); each
// pushed post sends one particle per follower that lands when its queued insert
// becomes visible, so a celebrity's post spreads as a slow wave while the workers
// drain the backlog; pull/hybrid reads pull particles in from the followees they
// merge. Beside it: live numbers (write amplification, read fan-in, delivery
// latency p50/p99, cache memory) and the backlog chart, for the strategy and an
// optional comparison strategy run on the same graph, posts and reads.
// Initialization / Update / Draw / De-initialization.
//
// The model state is a function of the simulated time only (events up to now are
// applied), so advance(a); advance(b) equals advance(a + b); particles are decoration.
#include <GLES3/gl3.h>
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "render/particles.h"
#include "sim/core/rng.h"
#include "sim/fanout/scenario.h"
#include "widgets/fanout/config.h"
#include "widgets/view.h"

namespace scalebook::widgets {
namespace {

namespace fo = scalebook::sim::fanout;
namespace cfg = fanout_config;

constexpr float kTravelS = 0.35f;                 // a delivery particle's flight, ending when the insert is visible
constexpr std::size_t kDeliveryParticles = 100000;
constexpr std::size_t kEmitPerAdvance = 60000;    // bound the work of one frame
constexpr std::size_t kFetchParticlesPerRead = 24;
constexpr float kGoldenAngle = 2.39996322973f;

struct Lane {  // one strategy's run over the shared scenario
  std::unique_ptr<fo::TimelineSim> sim;
  std::size_t emitted_deliveries = 0;
};

ImU32 ink(const render::Rgb& c, float a = 1) { return ImGui::ColorConvertFloat4ToU32(ImVec4(c.r, c.g, c.b, a)); }

std::string bytes_text(double b) {
  char buf[32];
  if (b >= 1e9) std::snprintf(buf, sizeof buf, "%.2f GB", b / 1e9);
  else if (b >= 1e6) std::snprintf(buf, sizeof buf, "%.2f MB", b / 1e6);
  else std::snprintf(buf, sizeof buf, "%.1f kB", b / 1e3);
  return buf;
}

class FanoutView final : public WidgetView {
 public:
  // -- Initialization
  void configure(const ParamMap& p, std::uint64_t seed) override {
    time_us_ = 0;
    lanes_.clear();
    error_.clear();
    estimate_mode_ = get_text(p, "mode") == "estimate";
    envelope_in_ = cfg::envelope_inputs(p);
    if (auto msg = cfg::cross_check(p); !msg.empty()) error_ = msg;
    const auto gd = cfg::graph_desc(p, seed);
    if (error_.empty()) error_ = fo::validate(gd);
    if (!error_.empty()) return;
    scenario_ = fo::build_scenario(gd, cfg::workload_desc(p, seed));
    celebrities_ = gd.celebrities;
    auto desc = cfg::sim_desc(p);
    desc.record_deliveries = true;
    add_lane(desc);
    const std::string& other = get_text(p, "compare");
    if (other != "none" && cfg::strategy_of(other) != desc.strategy) {
      desc.strategy = cfg::strategy_of(other);
      desc.record_deliveries = false;
      add_lane(desc);
    }
    next_event_ = 0;
    place_users();
    users_.set_capacity(positions_.size() + 1);
    users_.clear();
    users_emitted_ = false;
    flights_.set_capacity(kDeliveryParticles);
    flights_.clear();
  }
  void gl_init() override {
    users_.init();
    flights_.init();
  }

  // -- Update
  void advance(std::int64_t dt_us) override {
    if (lanes_.empty()) return;
    time_us_ += std::max<std::int64_t>(0, dt_us);
    const std::int64_t until = std::min(time_us_, scenario_.duration_us);
    const auto& events = scenario_.workload.events;
    for (; next_event_ < events.size() && events[next_event_].time_us <= until; ++next_event_) {
      const auto& e = events[next_event_];
      for (auto& lane : lanes_) {
        if (e.kind == fo::EventKind::Post) lane.sim->post(e.user, e.time_us);
        else lane.sim->read(e.user, e.time_us);
      }
      if (e.kind == fo::EventKind::Read) emit_fetches(e.user, e.time_us);
    }
    for (auto& lane : lanes_) lane.sim->advance_to(until);
    emit_deliveries();
  }

  // -- Draw
  void draw(const Frame& f) override {
    ImDrawList* dl = ImGui::GetBackgroundDrawList();
    const float pad = 10 * f.scale;
    const ImU32 text = ink(f.palette.text), muted = ink(f.palette.muted);
    if (!error_.empty()) {
      dl->AddText(ImVec2(f.x + pad, f.y + pad), ink(f.palette.bad), ("Invalid parameters: " + error_).c_str());
      return;
    }
    // Graph panel: a square on the left.
    const float side = std::max(40.0f, std::min(f.height - 2 * pad, f.width * 0.5f));
    const float gx = f.x + pad, gy = f.y + (f.height - side) * 0.5f;
    graph_rect_ = {gx - f.x, gy - f.y, side};
    if (!users_emitted_) emit_users();
    render::ParticleViewport vp{.x = gx, .y = gy, .width = side, .height = side, .fb_width = f.fb_width,
                                .fb_height = f.fb_height, .dpr = f.scale, .world_scale_x = side, .world_scale_y = side,
                                .world_offset_x = 0, .world_offset_y = 0, .palette = f.palette};
    users_.draw(vp, clock_s());
    flights_.draw(vp, clock_s());
    char buf[256];
    std::snprintf(buf, sizeof buf, "%u users, %llu follows — t = %.2f s", scenario_.graph->users(),
                  static_cast<unsigned long long>(scenario_.graph->edges()), clock_s());
    dl->AddText(ImVec2(gx, f.y + pad * 0.3f), muted, buf);

    // Numbers and charts: one column per lane on the right.
    const float cx0 = gx + side + pad * 2, cw = f.x + f.width - pad - cx0;
    if (cw < 60 * f.scale) return;
    const float col_w = cw / static_cast<float>(lanes_.size());
    for (std::size_t i = 0; i < lanes_.size(); ++i) draw_lane(dl, f, lanes_[i], cx0 + col_w * i, col_w - pad, text, muted);
    float y = f.y + f.height - ImGui::GetTextLineHeightWithSpacing() * (estimate_mode_ ? 3.2f : 1.2f);
    if (lanes_.size() == 2) {
      const bool same = lanes_[0].sim->metrics().timeline_digest.value() == lanes_[1].sim->metrics().timeline_digest.value();
      dl->AddText(ImVec2(cx0, y), same ? ink(f.palette.good) : ink(f.palette.bad),
                  same ? "Every read so far returned the same timeline in both strategies." : "Timelines differ!");
    }
    if (estimate_mode_) {
      const auto e = fo::estimate(envelope_in_);
      std::snprintf(buf, sizeof buf,
                    "At Twitter scale: %.3g deliveries/day, %s of timelines;\na %.0f M-follower post takes %.0f s to "
                    "push (target %.0f s).",
                    e.deliveries_per_day, bytes_text(e.memory_bytes).c_str(), envelope_in_.celebrity_followers / 1e6,
                    e.celebrity_drain_s, envelope_in_.delivery_target_s);
      dl->AddText(ImVec2(cx0, y + ImGui::GetTextLineHeightWithSpacing()), text, buf);
    }
  }

  // -- De-initialization
  void gl_release() override {
    users_.release();
    flights_.release();
  }

  std::int64_t sim_time_us() const override { return time_us_; }
  bool animating() const override { return !lanes_.empty() && clock_s() < scenario_.duration_us * 1e-6 + 1.0; }

  std::string summary() const override {
    if (!error_.empty()) return "Invalid parameters: " + error_;
    if (lanes_.empty()) return "";
    std::string s;
    for (const auto& lane : lanes_) {
      const auto& m = lane.sim->metrics();
      char buf[400];
      std::snprintf(buf, sizeof buf,
                    "%s%s at %.1f s: %llu posts made %llu timeline inserts (%.1f per post); %llu inserts queued; "
                    "delivery p99 %.2f s; a read fetches %.1f lists on average; cache %s.",
                    s.empty() ? "" : " ", fo::strategy_name(lane.sim->desc().strategy), clock_s(),
                    static_cast<unsigned long long>(m.posts), static_cast<unsigned long long>(m.deliveries),
                    m.posts ? static_cast<double>(m.deliveries) / m.posts : 0.0,
                    static_cast<unsigned long long>(lane.sim->backlog_inserts(now_capped())),
                    m.delivery_latency_us.quantile(0.99) * 1e-6, m.reads ? static_cast<double>(m.fetches) / m.reads : 0.0,
                    bytes_text(static_cast<double>(lane.sim->cache_memory_bytes())).c_str());
      s += buf;
    }
    return s;
  }
  std::string state_json() const override {
    std::string s = "{\"time_us\":" + std::to_string(time_us_) + ",\"lanes\":[";
    for (std::size_t i = 0; i < lanes_.size(); ++i) {
      const auto& m = lanes_[i].sim->metrics();
      s += (i ? ",{" : "{") + std::string("\"strategy\":\"") + fo::strategy_name(lanes_[i].sim->desc().strategy) +
           "\",\"posts\":" + std::to_string(m.posts) + ",\"reads\":" + std::to_string(m.reads) +
           ",\"deliveries\":" + std::to_string(m.deliveries) + ",\"backlog\":" +
           std::to_string(lanes_[i].sim->backlog_inserts(now_capped())) + ",\"timeline_digest\":\"" +
           m.timeline_digest.hex() + "\"}";
    }
    return s + "]" + (error_.empty() ? "" : ",\"error\":\"invalid parameters\"") + "}";
  }

 private:
  double clock_s() const { return static_cast<double>(time_us_) * 1e-6; }
  std::int64_t now_capped() const { return std::min(time_us_, scenario_.duration_us); }

  void add_lane(const fo::SimDesc& desc) {
    Lane lane;
    lane.sim = std::make_unique<fo::TimelineSim>(scenario_.graph, desc, scenario_.workload.last_visit_us);
    lanes_.push_back(std::move(lane));
  }

  // Users on a disc (unit square world): celebrities at the centre, the rest by
  // a golden-angle spiral in a hashed order, so the layout is even and stable.
  void place_users() {
    const std::uint32_t n = scenario_.graph->users();
    positions_.assign(n, {0.5f, 0.5f});
    for (std::uint32_t u = 0; u < n; ++u) {
      float r, a;
      if (u < celebrities_) {
        r = celebrities_ > 1 ? 0.06f : 0.0f;
        a = 6.2831853f * static_cast<float>(u) / static_cast<float>(std::max(1u, celebrities_));
      } else {
        const double h = static_cast<double>(sim::mix64(u + 17) >> 11) * 0x1.0p-53;
        r = 0.12f + 0.36f * static_cast<float>(std::sqrt(h));
        a = kGoldenAngle * static_cast<float>(u);
      }
      positions_[u] = {0.5f + r * std::cos(a), 0.5f + r * std::sin(a)};
    }
  }

  void emit_users() {
    users_.clear();
    users_emitted_ = true;
    for (std::uint32_t u = 0; u < positions_.size(); ++u) {
      const bool celeb = u < celebrities_;
      users_.emit({.from_x = positions_[u].x, .from_y = positions_[u].y, .to_x = positions_[u].x, .to_y = positions_[u].y,
                   .start_s = 0, .duration_s = 0.001f, .size_px = celeb ? 9.0f : 2.0f,
                   .ink = celeb ? render::Ink::Warn : render::Ink::Muted, .alpha = celeb ? 1.0f : 0.45f, .ease = false,
                   .fade = false, .hold = true});
    }
  }

  void emit_deliveries() {
    auto& lane = lanes_.front();
    const auto& log = lane.sim->deliveries();
    const auto& posts = lane.sim->posts();
    std::size_t budget = kEmitPerAdvance;
    for (; lane.emitted_deliveries < log.size() && budget > 0; ++lane.emitted_deliveries, --budget) {
      const auto& d = log[lane.emitted_deliveries];
      const auto& post = posts[d.post_index];
      const auto from = positions_[post.author], to = positions_[d.follower];
      const double arrive_s = static_cast<double>(d.visible_at_us) * 1e-6;
      flights_.emit({.from_x = from.x, .from_y = from.y, .to_x = to.x, .to_y = to.y, .start_s = arrive_s - kTravelS,
                     .duration_s = kTravelS, .bend = 0.12f, .size_px = post.author < celebrities_ ? 3.0f : 2.5f,
                     .ink = post.author < celebrities_ ? render::Ink::Warn : render::Ink::Accent, .alpha = 0.9f});
    }
  }

  // A read that merges at read time pulls one particle from each merged followee (a sample).
  void emit_fetches(std::uint32_t reader, std::int64_t t_us) {
    const auto& sim = *lanes_.front().sim;
    if (sim.desc().strategy == fo::Strategy::Push) return;
    std::size_t n = 0;
    for (std::uint32_t f : scenario_.graph->followees_of(reader)) {
      if (sim.pushes(f)) continue;
      if (++n > kFetchParticlesPerRead) break;
      flights_.emit({.from_x = positions_[f].x, .from_y = positions_[f].y, .to_x = positions_[reader].x,
                     .to_y = positions_[reader].y, .start_s = static_cast<double>(t_us) * 1e-6, .duration_s = kTravelS,
                     .bend = -0.15f, .size_px = 2.0f, .ink = render::Ink::Good, .alpha = 0.8f});
    }
  }

  void draw_lane(ImDrawList* dl, const Frame& f, const Lane& lane, float x, float w, ImU32 text, ImU32 muted) const {
    const auto& sim = *lane.sim;
    const auto& m = sim.metrics();
    const float line = ImGui::GetTextLineHeightWithSpacing();
    float y = f.y + 10 * f.scale;
    char buf[160];
    auto row = [&](ImU32 c, const char* s) {
      dl->AddText(ImVec2(x, y), c, s);
      y += line;
    };
    std::snprintf(buf, sizeof buf, "%s", fo::strategy_name(sim.desc().strategy));
    row(text, buf);
    std::snprintf(buf, sizeof buf, "write amplification %.1f", m.posts ? static_cast<double>(m.deliveries) / m.posts : 0.0);
    row(text, buf);
    std::snprintf(buf, sizeof buf, "read fan-in %.1f fetches (max %llu)", m.reads ? static_cast<double>(m.fetches) / m.reads : 0.0,
                  static_cast<unsigned long long>(m.max_fetches));
    row(text, buf);
    std::snprintf(buf, sizeof buf, "delivery p50 %.0f ms  p99 %.0f ms", m.delivery_latency_us.quantile(0.5) * 1e-3,
                  m.delivery_latency_us.quantile(0.99) * 1e-3);
    row(text, buf);
    std::snprintf(buf, sizeof buf, "stale reads %llu  rebuilds %llu", static_cast<unsigned long long>(m.stale_reads),
                  static_cast<unsigned long long>(m.rebuilds));
    row(text, buf);
    row(text, ("cache " + bytes_text(static_cast<double>(sim.cache_memory_bytes())) + " (x" +
               std::to_string(sim.desc().replication) + " replicas)").c_str());
    // Backlog chart over the whole run.
    y += line * 0.5f;
    std::snprintf(buf, sizeof buf, "backlog now %llu inserts (peak %llu)",
                  static_cast<unsigned long long>(sim.backlog_inserts(now_capped())),
                  static_cast<unsigned long long>(m.backlog_peak_inserts));
    row(muted, buf);
    const float ch = std::max(30.0f * f.scale, f.y + f.height - y - line * 2.5f);
    dl->AddRect(ImVec2(x, y), ImVec2(x + w, y + ch), muted);
    const auto& series = m.backlog_series;
    double peak = 1;
    for (const auto& [t, v] : series) peak = std::max(peak, static_cast<double>(v));
    const double span = std::max<double>(1, static_cast<double>(scenario_.duration_us));
    for (std::size_t i = 1; i < series.size(); ++i) {
      const auto px = [&](std::size_t k) {
        return ImVec2(x + w * static_cast<float>(series[k].first / span),
                      y + ch * (1.0f - static_cast<float>(series[k].second / peak)));
      };
      dl->AddLine(px(i - 1), px(i), ink(f.palette.warn), 1.5f * f.scale);
    }
  }

  struct Point {
    float x, y;
  };
  struct Rect {
    float x, y, side;
  };

  fo::Scenario scenario_;
  std::vector<Lane> lanes_;
  std::vector<Point> positions_;
  std::uint32_t celebrities_ = 0;
  std::size_t next_event_ = 0;
  std::int64_t time_us_ = 0;
  std::string error_;
  bool estimate_mode_ = false;
  fo::EnvelopeInputs envelope_in_;
  Rect graph_rect_{};
  render::ParticleSystem users_{render::ParticleSystemDesc{.capacity = 1}};
  render::ParticleSystem flights_{render::ParticleSystemDesc{.capacity = kDeliveryParticles}};
  bool users_emitted_ = false;
};

}  // namespace

std::unique_ptr<WidgetView> make_fanout_view() { return std::make_unique<FanoutView>(); }

}  // namespace scalebook::widgets
