// fanout — the follower graph as a disc of dots (celebrities in the middle); each
// pushed post sends one particle per follower that lands when its queued insert
// becomes visible, so a celebrity's post spreads as a slow wave while the workers
// drain the backlog; pull/hybrid reads pull particles in from the followees they
// merge. Beside it: charts over the run of delivery latency (p50/p99 of posts made
// in the last second, with the delivery target), fan-out backlog, timeline cache
// memory, write amplification and read fan-in, for the strategy and an optional
// comparison strategy run on the same graph, posts and reads — drawn in the same
// chart, so both share one scale.
// Initialization / Update / Draw / De-initialization.
//
// The model state is a function of the simulated time only (events up to now are
// applied), so advance(a); advance(b) equals advance(a + b). Chart samples are
// taken every sample period of simulated time, each after exactly the events at
// or before its time, so they do not depend on how time is split either;
// particles are decoration.
#include <GLES3/gl3.h>
#include <emscripten/emscripten.h>
#include <imgui.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "render/particles.h"
#include "sim/core/rng.h"
#include "sim/fanout/scenario.h"
#include "widgets/chart.h"
#include "widgets/fanout/config.h"
#include "widgets/view.h"

namespace scalebook::widgets {
namespace {

namespace fo = scalebook::sim::fanout;
namespace cfg = fanout_config;

constexpr float kTravelS = 0.35f;                 // a delivery particle's flight, ending when the insert is visible
constexpr std::size_t kDeliveryParticles = 100000;
constexpr double kEmitAheadS = 0.25;                // emit a delivery's flight this long before it starts
constexpr std::size_t kEmitPerAdvance = 60000;    // bound the work of one frame
constexpr std::size_t kFetchParticlesPerRead = 24;
constexpr float kGoldenAngle = 2.39996322973f;
constexpr std::int64_t kMinSampleUs = 100'000;    // chart sample period: 100 ms, or longer for long runs
constexpr std::int64_t kSamplesPerRun = 400;      // … so that one run is at most this many samples
constexpr std::size_t kRingCapacity = 512;        // bounded chart memory per series

struct Series {  // one lane's chart samples
  chart::SampleRing p50_s{kRingCapacity}, p99_s{kRingCapacity}, backlog{kRingCapacity}, memory{kRingCapacity},
      write_amp{kRingCapacity}, fan_in{kRingCapacity};
};

struct Lane {  // one strategy's run over the shared scenario
  std::unique_ptr<fo::TimelineSim> sim;
  std::size_t emitted_deliveries = 0;
  Series series;
};

ImU32 ink(const render::Rgb& c, float a = 1) { return ImGui::ColorConvertFloat4ToU32(ImVec4(c.r, c.g, c.b, a)); }

std::string bytes_text(double b) {
  char buf[32];
  chart::fmt_bytes(buf, sizeof buf, b);
  return buf;
}

// 3 × 10^10 → "30 billion", 4.5 × 10^5 → "450 thousand"; smaller as is.
std::string count_text(double v) {
  char buf[48];
  if (v >= 1e9) std::snprintf(buf, sizeof buf, "%.3g billion", v / 1e9);
  else if (v >= 1e6) std::snprintf(buf, sizeof buf, "%.3g million", v / 1e6);
  else if (v >= 1e4) std::snprintf(buf, sizeof buf, "%.3g thousand", v / 1e3);
  else std::snprintf(buf, sizeof buf, "%.0f", v);
  return buf;
}

// 2.9, 42.5, 298, 1053: three significant figures at most.
void ratio(char* buf, std::size_t n, double v) { std::snprintf(buf, n, v >= 100 ? "%.0f" : "%.1f", v); }

std::string seconds_text(double s) {
  char buf[32];
  chart::fmt_seconds(buf, sizeof buf, s);
  return buf;
}

// Rolling per-frame CPU time of this view (advance + draw), for tools/perf-fanout.js.
class FrameTimes {
 public:
  void add(double us) { samples_[n_++ % samples_.size()] = static_cast<float>(us); }
  std::size_t count() const { return n_; }
  void reset() { n_ = 0; }
  std::array<double, 3> percentiles() const {  // p50, p95, max over the last up to 240 frames, µs
    const std::size_t k = std::min<std::size_t>(n_, samples_.size());
    if (k == 0) return {0, 0, 0};
    std::array<float, 240> s = samples_;
    std::sort(s.begin(), s.begin() + static_cast<std::ptrdiff_t>(k));
    return {s[(k - 1) / 2], s[std::min(k - 1, static_cast<std::size_t>(0.95 * static_cast<double>(k)))], s[k - 1]};
  }

 private:
  std::array<float, 240> samples_{};
  std::size_t n_ = 0;
};

class FanoutView final : public LegacyView {
 public:
  ~FanoutView() override {
    if (g_last_drawn == this) g_last_drawn = nullptr;
  }

  // -- Initialization
  void configure(const ParamMap& p, std::uint64_t seed) override {
    time_us_ = 0;
    lanes_.clear();
    error_.clear();
    estimate_mode_ = get_text(p, "mode") == "estimate";
    envelope_in_ = cfg::envelope_inputs(p);
    target_s_ = envelope_in_.delivery_target_s;
    if (auto msg = cfg::cross_check(p); !msg.empty()) error_ = msg;
    const auto gd = cfg::graph_desc(p, seed);
    if (error_.empty()) error_ = fo::validate(gd);
    if (!error_.empty()) return;
    // A threshold or strategy change keeps the graph and the posts: build them only when they change.
    const auto wd = cfg::workload_desc(p, seed);
    if (!scenario_.graph || !(gd == graph_desc_) || !(wd == workload_desc_)) {
      scenario_ = fo::build_scenario(gd, wd);
      graph_desc_ = gd;
      workload_desc_ = wd;
    }
    celebrities_ = gd.celebrities;
    sample_us_ = std::max(kMinSampleUs, (scenario_.duration_us / kSamplesPerRun + kMinSampleUs - 1) / kMinSampleUs * kMinSampleUs);
    next_sample_us_ = 0;
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
    const double t0 = emscripten_get_now();
    time_us_ += std::max<std::int64_t>(0, dt_us);
    const std::int64_t until = std::min(time_us_, scenario_.duration_us);
    // Samples first, each after exactly the events at or before its time.
    for (; next_sample_us_ <= until; next_sample_us_ += sample_us_) {
      apply_events_until(next_sample_us_);
      take_sample(next_sample_us_);
    }
    apply_events_until(until);
    const double t_emit = emscripten_get_now();
    emit_deliveries();
    const double t1 = emscripten_get_now();
    pending_emit_ms_ += t1 - t_emit;
    pending_cpu_ms_ += t1 - t0;
  }

  // -- Draw
  void draw(const Frame& f) override {
    const double t0 = emscripten_get_now();
    draw_impl(f);
    frame_times_.add((pending_cpu_ms_ + emscripten_get_now() - t0) * 1000.0);
    pending_cpu_ms_ = 0;
    g_last_drawn = this;
  }

  // -- De-initialization
  void gl_release() override {
    users_.release();
    flights_.release();
    if (users_fbo_) glDeleteFramebuffers(1, &users_fbo_);
    if (users_tex_) glDeleteTextures(1, &users_tex_);
    users_fbo_ = users_tex_ = 0;
    users_cache_ = {};
  }

  std::int64_t sim_time_us() const override { return time_us_; }
  bool animating() const override { return !lanes_.empty() && clock_s() < scenario_.duration_us * 1e-6 + 1.0; }

  std::string summary() const override {
    if (!error_.empty()) return "Invalid parameters: " + error_;
    if (lanes_.empty()) return "";
    std::string s;
    for (const auto& lane : lanes_) {
      const auto& m = lane.sim->metrics();
      char buf[480];
      std::snprintf(buf, sizeof buf,
                    "%s%s at %.1f s: %llu posts made %llu timeline inserts (%.1f per post); %llu inserts queued; "
                    "delivery p99 %s (target %s); a read fetches %.1f lists on average; cache %s.",
                    s.empty() ? "" : " ", fo::strategy_name(lane.sim->desc().strategy), clock_s(),
                    static_cast<unsigned long long>(m.posts), static_cast<unsigned long long>(m.deliveries),
                    m.posts ? static_cast<double>(m.deliveries) / m.posts : 0.0,
                    static_cast<unsigned long long>(lane.sim->backlog_inserts(now_capped())),
                    seconds_text(m.delivery_latency_us.quantile(0.99) * 1e-6).c_str(), seconds_text(target_s_).c_str(),
                    m.reads ? static_cast<double>(m.fetches) / m.reads : 0.0,
                    bytes_text(static_cast<double>(lane.sim->cache_memory_bytes())).c_str());
      s += buf;
    }
    return s;
  }
  // Test hook (and permalink digest, so nothing wall-clock here): per lane the
  // totals and the chart series' sample count, period and latest samples.
  std::string state_json() const override {
    std::string s = "{\"time_us\":" + std::to_string(time_us_) + ",\"lanes\":[";
    for (std::size_t i = 0; i < lanes_.size(); ++i) {
      const auto& m = lanes_[i].sim->metrics();
      const auto& c = lanes_[i].series;
      auto num = [](float v) { return std::to_string(std::llround(static_cast<double>(v))); };
      s += (i ? ",{" : "{") + std::string("\"strategy\":\"") + fo::strategy_name(lanes_[i].sim->desc().strategy) +
           "\",\"posts\":" + std::to_string(m.posts) + ",\"reads\":" + std::to_string(m.reads) +
           ",\"deliveries\":" + std::to_string(m.deliveries) + ",\"backlog\":" +
           std::to_string(lanes_[i].sim->backlog_inserts(now_capped())) +
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

  // The benchmark's figures (wall clock: kept out of state_json, see sb_fanout_perf).
  std::string perf_json() const {
    const auto p = frame_times_.percentiles(), c = chart_times_.percentiles(), q = particle_times_.percentiles();
    char buf[384];
    std::snprintf(buf, sizeof buf,
                  "{\"view_cpu_us_p50\":%.1f,\"view_cpu_us_p95\":%.1f,\"view_cpu_us_max\":%.1f,\"frames\":%zu,"
                  "\"charts_cpu_us_p50\":%.1f,\"charts_cpu_us_p95\":%.1f,\"charts_cpu_us_max\":%.1f,"
                  "\"particles_cpu_us_p50\":%.1f,\"particles_cpu_us_p95\":%.1f,\"particles_cpu_us_max\":%.1f}",
                  p[0], p[1], p[2], frame_times_.count(), c[0], c[1], c[2], q[0], q[1], q[2]);
    return buf;
  }
  void reset_perf() {
    frame_times_.reset();
    chart_times_.reset();
    particle_times_.reset();
  }
  static inline FanoutView* g_last_drawn = nullptr;

 private:
  double clock_s() const { return static_cast<double>(time_us_) * 1e-6; }
  std::int64_t now_capped() const { return std::min(time_us_, scenario_.duration_us); }

  void add_lane(const fo::SimDesc& desc) {
    Lane lane;
    lane.sim = std::make_unique<fo::TimelineSim>(scenario_.graph, desc, scenario_.workload.last_visit_us);
    lanes_.push_back(std::move(lane));
  }

  void apply_events_until(std::int64_t t_us) {
    const auto& events = scenario_.workload.events;
    for (; next_event_ < events.size() && events[next_event_].time_us <= t_us; ++next_event_) {
      const auto& e = events[next_event_];
      for (auto& lane : lanes_) {
        if (e.kind == fo::EventKind::Post) lane.sim->post(e.user, e.time_us);
        else lane.sim->read(e.user, e.time_us);
      }
      if (e.kind == fo::EventKind::Read) emit_fetches(e.user, e.time_us);
    }
    for (auto& lane : lanes_) lane.sim->advance_to(t_us);
  }

  void take_sample(std::int64_t t_us) {
    for (auto& lane : lanes_) {
      const auto& sim = *lane.sim;
      const auto& m = sim.metrics();
      auto& c = lane.series;
      const auto recent = m.recent_delivery_latency_us.snapshot(t_us);
      c.p50_s.push(static_cast<float>(static_cast<double>(recent.quantile(0.5)) * 1e-6));
      c.p99_s.push(static_cast<float>(static_cast<double>(recent.quantile(0.99)) * 1e-6));
      c.backlog.push(static_cast<float>(sim.backlog_inserts(t_us)));
      c.memory.push(static_cast<float>(sim.cache_memory_bytes()));
      c.write_amp.push(m.posts ? static_cast<float>(static_cast<double>(m.deliveries) / static_cast<double>(m.posts)) : 0.0f);
      c.fan_in.push(m.reads ? static_cast<float>(static_cast<double>(m.fetches) / static_cast<double>(m.reads)) : 0.0f);
    }
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

  // The user dots never move or change: they are drawn once into a texture (over the
  // background colour the host clears to) and copied into place each frame with
  // glBlitFramebuffer. Drawing 30,000 instanced dots every frame cost a CPU WebGL
  // (SwiftShader, what a browser without a GPU uses) ~400 ms per frame: 2 fps at the
  // chapter's 30k users, 9 fps with the copy. Redrawn when the disc's pixel rectangle,
  // the palette or the users change. Nothing is drawn before the dots in that square.
  struct UsersCache {  // what the texture was drawn for (its place on screen is not part of it)
    GLsizei w = 0, h = 0;
    float bg[3] = {0, 0, 0};
    bool dark = false;
    bool valid = false;
  };
  void draw_users_cached(const render::ParticleViewport& vp, const Frame& f) {
    const auto vx = static_cast<GLint>(vp.x), vy = static_cast<GLint>(vp.fb_height - vp.y - vp.height);
    const auto vw = static_cast<GLsizei>(vp.width), vh = static_cast<GLsizei>(vp.height);
    if (vw <= 0 || vh <= 0) return;
    const auto& bg = f.palette.background;
    const UsersCache key{.w = vw, .h = vh, .bg = {bg.r, bg.g, bg.b}, .dark = f.dark, .valid = true};
    const bool same = users_cache_.valid && users_cache_.w == vw && users_cache_.h == vh && users_cache_.dark == f.dark &&
                      users_cache_.bg[0] == bg.r && users_cache_.bg[1] == bg.g && users_cache_.bg[2] == bg.b;
    if (!same) {
      if (!users_fbo_) glGenFramebuffers(1, &users_fbo_);
      if (!users_tex_) glGenTextures(1, &users_tex_);
      glBindTexture(GL_TEXTURE_2D, users_tex_);
      glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, vw, vh, 0, GL_RGBA, GL_UNSIGNED_BYTE, nullptr);
      glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
      glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
      glBindTexture(GL_TEXTURE_2D, 0);
      glBindFramebuffer(GL_FRAMEBUFFER, users_fbo_);
      glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, users_tex_, 0);
      glDisable(GL_SCISSOR_TEST);
      glViewport(0, 0, vw, vh);
      glClearColor(bg.r, bg.g, bg.b, 1);
      glClear(GL_COLOR_BUFFER_BIT);
      render::ParticleViewport local = vp;
      local.x = 0;
      local.y = 0;
      local.fb_height = static_cast<float>(vh);
      local.fb_width = static_cast<float>(vw);
      users_.draw(local, clock_s());
      glBindFramebuffer(GL_FRAMEBUFFER, 0);
      users_cache_ = key;
    }
    glBindFramebuffer(GL_READ_FRAMEBUFFER, users_fbo_);
    glBindFramebuffer(GL_DRAW_FRAMEBUFFER, 0);
    glDisable(GL_SCISSOR_TEST);
    glBlitFramebuffer(0, 0, vw, vh, vx, vy, vx + vw, vy + vh, GL_COLOR_BUFFER_BIT, GL_NEAREST);
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
  }

  void emit_users() {
    users_.clear();
    users_emitted_ = true;
    users_cache_ = {};
    // Smaller, fainter dots on big graphs so the disc does not turn into a solid blob.
    const float dot = positions_.size() > 10000 ? 1.5f : 2.0f;
    for (std::uint32_t u = 0; u < positions_.size(); ++u) {
      const bool celeb = u < celebrities_;
      users_.emit({.from_x = positions_[u].x, .from_y = positions_[u].y, .to_x = positions_[u].x, .to_y = positions_[u].y,
                   .start_s = 0, .duration_s = 0.001f, .size_px = celeb ? 9.0f : dot,
                   .ink = celeb ? render::Ink::Warn : render::Ink::Muted, .alpha = celeb ? 1.0f : 0.45f, .ease = false,
                   .fade = false, .hold = true});
    }
  }

  // A delivery's particle is emitted when its flight is about to start, not when the
  // insert is queued. The log is in visible-time order (one FIFO fan-out queue, see
  // TimelineSim::deliveries), so a celebrity's tens of thousands of queued inserts are
  // emitted over the seconds that show them instead of all in the post's frame, and the
  // particle ring holds only flights that are on screen now or within kEmitAheadS.
  // Flights that have already landed (a seek jumped past them) are skipped.
  void emit_deliveries() {
    auto& lane = lanes_.front();
    const auto& log = lane.sim->deliveries();
    const auto& posts = lane.sim->posts();
    const double now_s = clock_s();
    std::size_t budget = kEmitPerAdvance;
    for (; lane.emitted_deliveries < log.size() && budget > 0; ++lane.emitted_deliveries, --budget) {
      const auto& d = log[lane.emitted_deliveries];
      const double arrive_s = static_cast<double>(d.visible_at_us) * 1e-6;
      if (arrive_s - kTravelS > now_s + kEmitAheadS) break;  // not yet: a later frame emits it
      if (arrive_s < now_s) continue;                         // landed already
      const auto& post = posts[d.post_index];
      const auto from = positions_[post.author], to = positions_[d.follower];
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

  // Each strategy keeps one colour in every chart and legend.
  static render::Rgb strategy_colour(const Frame& f, fo::Strategy s) {
    switch (s) {
      case fo::Strategy::Push: return f.palette.warn;
      case fo::Strategy::Pull: return f.palette.good;
      case fo::Strategy::Hybrid: return f.palette.accent;
    }
    return f.palette.accent;
  }

  void draw_impl(const Frame& f) {
    ImDrawList* dl = ImGui::GetBackgroundDrawList();
    ImFont* font = ImGui::GetFont();
    const float s = f.scale, pad = 10 * s, fs = ImGui::GetFontSize(), small = std::round(fs * 0.86f);
    const ImU32 text = ink(f.palette.text), muted = ink(f.palette.muted);
    if (!error_.empty()) {
      dl->AddText(font, fs, ImVec2(f.x + pad, f.y + pad), ink(f.palette.bad), ("Invalid parameters: " + error_).c_str(),
                  nullptr, f.width - 2 * pad);
      return;
    }
    char buf[320];
    // Graph panel: a square on the left, under a one-line caption.
    const float caption_h = fs + 4 * s;
    const float side = std::max(40.0f, std::min(f.height - 2 * pad - caption_h, f.width * 0.36f));
    const float gx = f.x + pad, gy = f.y + pad + caption_h + std::max(0.0f, (f.height - 2 * pad - caption_h - side) * 0.5f);
    if (!users_emitted_) emit_users();
    render::ParticleViewport vp{.x = gx, .y = gy, .width = side, .height = side, .fb_width = f.fb_width,
                                .fb_height = f.fb_height, .dpr = f.scale, .world_scale_x = side, .world_scale_y = side,
                                .world_offset_x = 0, .world_offset_y = 0, .palette = f.palette};
    const double t_particles = emscripten_get_now();
    draw_users_cached(vp, f);
    flights_.draw(vp, clock_s());
    particle_times_.add((pending_emit_ms_ + emscripten_get_now() - t_particles) * 1000.0);
    pending_emit_ms_ = 0;
    const auto& front = *lanes_.front().sim;
    std::snprintf(buf, sizeof buf, "%s: %u users, %.3g M follows", fo::strategy_name(front.desc().strategy),
                  scenario_.graph->users(), static_cast<double>(scenario_.graph->edges()) / 1e6);
    dl->AddText(font, small, ImVec2(gx, f.y + pad), muted, buf);
    {  // what the dots mean, under the disc's caption
      float lx = gx;
      const float ly = f.y + pad + small + 2 * s;
      if (ly + small < gy + side * 0.1f) {
        auto dot = [&](ImU32 c, const char* label) {
          dl->AddCircleFilled(ImVec2(lx + 3 * s, ly + small * 0.55f), 3 * s, c);
          dl->AddText(font, small, ImVec2(lx + 9 * s, ly), muted, label);
          lx += 9 * s + font->CalcTextSizeA(small, 1e9f, 0, label).x + 8 * s;
        };
        dot(ink(f.palette.warn), "celebrity");
        if (front.desc().strategy != fo::Strategy::Pull) dot(ink(f.palette.accent), "pushed");
        if (front.desc().strategy != fo::Strategy::Push) dot(ink(f.palette.good), "pulled at read");
      }
    }

    // Charts: a 2 × 3 grid on the right; every chart holds every strategy (one scale).
    const double charts_t0 = emscripten_get_now();
    struct ChartTimer {  // records the charts' CPU time however this function returns
      FrameTimes& out;
      double t0;
      ~ChartTimer() { out.add((emscripten_get_now() - t0) * 1000.0); }
    } chart_timer{chart_times_, charts_t0};
    const float cx0 = gx + side + pad * 2, cx1 = f.x + f.width - pad;
    if (cx1 - cx0 < 160 * s) return;
    const float footer_h = estimate_mode_ ? 2 * (fs + 2 * s) + 4 * s : 0.0f;
    const float top = f.y + pad * 0.6f, bottom = f.y + f.height - pad * 0.6f - footer_h;
    const float gap_x = 14 * s, gap_y = 8 * s;
    const float cell_w = (cx1 - cx0 - gap_x) * 0.5f, cell_h = (bottom - top - 2 * gap_y) / 3.0f;
    auto cell = [&](int col, int row) {
      const ImVec2 a(cx0 + static_cast<float>(col) * (cell_w + gap_x), top + static_cast<float>(row) * (cell_h + gap_y));
      return std::pair<ImVec2, ImVec2>(a, ImVec2(a.x + cell_w, a.y + cell_h));
    };
    chart::Style st{.scale = s, .text = text, .muted = muted, .grid = ink(f.palette.muted, 0.18f),
                    .reference = ink(f.palette.bad), .cursor = ink(f.palette.muted, 0.5f), .label_size = small};
    const double x_max = static_cast<double>(scenario_.duration_us) * 1e-6;
    const double period = static_cast<double>(sample_us_) * 1e-6;
    const double now = std::min(clock_s(), x_max);
    std::vector<chart::Series> series;
    series.reserve(4);
    const double marker_s = celebrities_ > 0 && workload_desc_.celebrity_post_at_us >= 0
                                ? static_cast<double>(workload_desc_.celebrity_post_at_us) * 1e-6
                                : -1.0;
    const ImU32 marker_colour = ink(f.palette.warn);

    // Current values at the right of a chart's title, in each strategy's colour;
    // returns the width left for the title.
    auto values = [&](ImVec2 a, ImVec2 b, auto&& value_of) {
      float x = b.x;
      for (std::size_t i = lanes_.size(); i-- > 0;) {
        char v[32];
        value_of(lanes_[i], v, sizeof v);
        const float w = font->CalcTextSizeA(small, 1e9f, 0, v).x;
        x -= w;
        dl->AddText(font, small, ImVec2(x, a.y + (fs - small) * 0.6f), ink(strategy_colour(f, lanes_[i].sim->desc().strategy)), v);
        x -= 8 * s;
      }
      return x - a.x - 4 * s;
    };
    auto lane_colour = [&](const Lane& l, float a = 1) { return ink(strategy_colour(f, l.sim->desc().strategy), a); };
    auto simple = [&](int col, int row, const char* title, chart::SampleRing Series::*member, chart::Format fmt,
                      double min_span, auto&& value_of) {
      series.clear();
      for (const auto& l : lanes_) series.push_back({&(l.series.*member), lane_colour(l), 2.0f});
      const auto [a, b] = cell(col, row);
      const float title_w = values(a, b, value_of);
      chart::draw_chart(dl, st,
                        {.min = a, .max = b, .title = title, .title_max_w = title_w, .period_s = period, .x_max_s = x_max,
                         .now_s = now, .y_min_span = min_span, .y_format = fmt, .marker_s = marker_s,
                         .marker_colour = marker_colour},
                        series);
    };

    // 1. Delivery latency of recent posts, log axis (hybrid's 0.5 s, the 5 s target and
    //    push's minutes all readable): p99 thick, p50 thin, target dashed.
    {
      series.clear();
      bool any_push = false;
      for (const auto& l : lanes_) {
        if (l.sim->desc().strategy == fo::Strategy::Pull) continue;  // pull delivers at read time
        any_push = true;
        series.push_back({&l.series.p50_s, lane_colour(l, 0.6f), 1.0f});
        series.push_back({&l.series.p99_s, lane_colour(l), 2.25f});
      }
      const auto [a, b] = cell(0, 0);
      char target[48];
      std::snprintf(target, sizeof target, "target %s", seconds_text(target_s_).c_str());
      const float title_w = values(a, b, [&](const Lane& l, char* v, std::size_t n) {
        if (l.sim->desc().strategy == fo::Strategy::Pull) std::snprintf(v, n, "n/a");
        else chart::fmt_seconds(v, n, l.series.p99_s.latest());
      });
      const auto plot = chart::draw_chart(
          dl, st,
          {.min = a, .max = b, .title = "Delivery latency", .title_max_w = title_w, .period_s = period, .x_max_s = x_max,
           .now_s = now, .y_min_span = 1, .y_format = chart::fmt_seconds, .reference = any_push ? target_s_ : -1.0,
           .reference_label = target, .marker_s = marker_s, .marker_colour = marker_colour, .y_log = true,
           .y_log_min = 0.1},
          series);
      if (!any_push) {
        const char* note = "Pull pushes nothing: a reader merges the authors' own lists at read time.";
        const float w = plot.width() - 12 * s;
        const ImVec2 size = font->CalcTextSizeA(small, 1e9f, w, note);
        dl->AddText(font, small, ImVec2(plot.min.x + 6 * s, plot.min.y + (plot.height() - size.y) * 0.5f), muted, note,
                    nullptr, w);
      }
    }
    // 2. Backlog.
    simple(1, 0, "Fan-out backlog", &Series::backlog, chart::fmt_plain, 10,
           [](const Lane& l, char* v, std::size_t n) { chart::fmt_plain(v, n, std::round(l.series.backlog.latest())); });
    // 3. Cache memory.
    simple(0, 1, "Cache memory", &Series::memory, chart::fmt_bytes, 1000,
           [](const Lane& l, char* v, std::size_t n) { chart::fmt_bytes(v, n, l.series.memory.latest()); });
    // 4. Write amplification.
    simple(1, 1, "Inserts per post", &Series::write_amp, chart::fmt_plain, 1,
           [](const Lane& l, char* v, std::size_t n) { ratio(v, n, l.series.write_amp.latest()); });
    // 5. Read fan-in.
    simple(0, 2, "Fetches per read", &Series::fan_in, chart::fmt_plain, 1,
           [](const Lane& l, char* v, std::size_t n) { ratio(v, n, l.series.fan_in.latest()); });
    // 6. Legend and notes.
    {
      const auto [a, b] = cell(1, 2);
      const float row_h = small + 6 * s;
      float y = a.y;
      float x = a.x;
      for (const auto& l : lanes_)
        x = chart::legend_swatch(dl, ImVec2(x, y), st, lane_colour(l), 2.5f, fo::strategy_name(l.sim->desc().strategy), text);
      y += row_h;
      if (std::any_of(lanes_.begin(), lanes_.end(), [](const Lane& l) { return l.sim->desc().strategy != fo::Strategy::Pull; })) {
        x = chart::legend_swatch(dl, ImVec2(a.x, y), st, muted, 2.25f, "p99", muted);
        x = chart::legend_swatch(dl, ImVec2(x, y), st, ink(f.palette.muted, 0.6f), 1.0f, "p50", muted);
        chart::dashed_hline(dl, x, x + 14 * s, y + small * 0.55f, ink(f.palette.bad), 4 * s, 1.5f * s);
        dl->AddText(font, small, ImVec2(x + 18 * s, y), muted, "target");
        y += row_h;
      }
      if (marker_s >= 0) {
        const float h = 5 * s, mx = a.x + 7 * s, my = y + small * 0.75f;
        dl->AddTriangleFilled(ImVec2(mx, my - h), ImVec2(mx - h * 0.8f, my + 1 * s), ImVec2(mx + h * 0.8f, my + 1 * s),
                              marker_colour);
        std::snprintf(buf, sizeof buf, "celebrities post (%s)", seconds_text(marker_s).c_str());
        dl->AddText(font, small, ImVec2(a.x + 18 * s, y), muted, buf);
        y += row_h;
      }
      std::string notes = "Stale reads:";
      for (std::size_t i = 0; i < lanes_.size(); ++i) {
        std::snprintf(buf, sizeof buf, "%s %s %llu", i ? "," : "", fo::strategy_name(lanes_[i].sim->desc().strategy),
                      static_cast<unsigned long long>(lanes_[i].sim->metrics().stale_reads));
        notes += buf;
      }
      notes += ".";
      if (lanes_.size() == 2) {
        const bool same =
            lanes_[0].sim->metrics().timeline_digest.value() == lanes_[1].sim->metrics().timeline_digest.value();
        notes += same ? " Every read returned the same timeline in both." : " Timelines differ!";
      }
      dl->PushClipRect(a, ImVec2(b.x, b.y + gap_y), true);
      dl->AddText(font, small, ImVec2(a.x, y), muted, notes.c_str(), nullptr, b.x - a.x);
      dl->PopClipRect();
    }
    if (estimate_mode_) {
      const auto e = fo::estimate(envelope_in_);
      std::snprintf(buf, sizeof buf,
                    "At Twitter scale: %s deliveries a day, %s of timeline cache; a %s-follower post takes %s to "
                    "push (target %s).",
                    count_text(e.deliveries_per_day).c_str(), bytes_text(e.memory_bytes).c_str(),
                    count_text(envelope_in_.celebrity_followers).c_str(), seconds_text(e.celebrity_drain_s).c_str(),
                    seconds_text(envelope_in_.delivery_target_s).c_str());
      dl->AddText(font, fs, ImVec2(cx0, bottom + 4 * s), text, buf, nullptr, cx1 - cx0);
    }
  }

  struct Point {
    float x, y;
  };

  fo::Scenario scenario_;
  fo::GraphDesc graph_desc_;
  fo::WorkloadDesc workload_desc_;
  std::vector<Lane> lanes_;
  std::vector<Point> positions_;
  std::uint32_t celebrities_ = 0;
  std::size_t next_event_ = 0;
  std::int64_t time_us_ = 0;
  std::int64_t sample_us_ = kMinSampleUs, next_sample_us_ = 0;
  double target_s_ = 5;
  std::string error_;
  bool estimate_mode_ = false;
  fo::EnvelopeInputs envelope_in_;
  render::ParticleSystem users_{render::ParticleSystemDesc{.capacity = 1}};
  render::ParticleSystem flights_{render::ParticleSystemDesc{.capacity = kDeliveryParticles}};
  bool users_emitted_ = false;
  FrameTimes frame_times_, chart_times_, particle_times_;
  GLuint users_fbo_ = 0, users_tex_ = 0;
  UsersCache users_cache_;  // particles: emission (advance) + GL draw
  double pending_cpu_ms_ = 0, pending_emit_ms_ = 0;
};

}  // namespace

std::unique_ptr<LegacyView> make_fanout_legacy_view() { return std::make_unique<FanoutView>(); }

}  // namespace scalebook::widgets

// Benchmark hook (tools/perf-fanout.js, tests/e2e/fanout_widget.test.js): the most
// recently drawn fanout view's CPU time per frame (advance + draw, µs), or "null".
// Kept out of sb_state because the state digest must not depend on wall-clock time.
extern "C" EMSCRIPTEN_KEEPALIVE const char* sb_fanout_perf() {
  static std::string out;
  const auto* v = scalebook::widgets::FanoutView::g_last_drawn;
  out = v ? v->perf_json() : "null";
  return out.c_str();
}
extern "C" EMSCRIPTEN_KEEPALIVE void sb_fanout_perf_reset() {
  if (auto* v = scalebook::widgets::FanoutView::g_last_drawn) v->reset_perf();
}
