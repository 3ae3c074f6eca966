// fanout — view: the follower graph as a disc of dots (celebrities in the middle); each
// pushed post sends one particle per follower that lands when its queued insert becomes
// visible, so a celebrity's post spreads as a slow wave while the workers drain the
// backlog; pull/hybrid reads pull particles in from the followees they merge. Beside it:
// charts over the run of delivery latency (p50/p99 of posts made in the last second, with
// the target), backlog, cache memory, write amplification and read fan-in, for the
// strategy and an optional comparison strategy in the same charts (one scale).
// Draw-only: the run, summary and state are in scenario.{h,cpp} (the lockstep lanes in
// src/sim/fanout/comparison.h). Drawing state: the disc (user_layer.h), the particle
// stream (restarted when the run is rebuilt, fed from lane 0's delivery log and the reads
// applied since the last frame) and CPU timers (perf_json); the charts draw the scenario's own sample rings.
// Initialization / Draw / De-initialization.
#include <GLES3/gl3.h>
#include <imgui.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "render/particles.h"
#include "widgets/chart.h"
#include "widgets/fanout/format.h"
#include "widgets/fanout/scenario.h"
#include "widgets/fanout/user_layer.h"
#include "widgets/view.h"

namespace scalebook::widgets {
namespace {

namespace fo = scalebook::sim::fanout;
using fanout::FanoutScenario;

constexpr float kTravelS = 0.35f;                 // a delivery particle's flight, ending when the insert is visible
constexpr std::size_t kDeliveryParticles = 100000;
constexpr double kEmitAheadS = 0.25;              // emit a delivery's flight this long before it starts
constexpr std::size_t kEmitPerFrame = 60000;      // bound the work of one frame
constexpr std::size_t kFetchParticlesPerRead = 24;

ImU32 ink(const render::Rgb& c, float a = 1) { return ImGui::ColorConvertFloat4ToU32(ImVec4(c.r, c.g, c.b, a)); }
double now_ms() {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now().time_since_epoch()).count();
}
// 2.9, 42.5, 298, 1053: three significant figures at most.
void ratio(char* buf, std::size_t n, double v) { std::snprintf(buf, n, v >= 100 ? "%.0f" : "%.1f", v); }

// Each strategy keeps one colour in every chart and legend.
render::Rgb strategy_colour(const Frame& f, fo::Strategy s) {
  switch (s) {
    case fo::Strategy::Push: return f.palette.warn;
    case fo::Strategy::Pull: return f.palette.good;
    case fo::Strategy::Hybrid: return f.palette.accent;
  }
  return f.palette.accent;
}

// CPU time of a part of the draw over the last up to 240 frames (µs), for perf_json().
class FrameTimes {
 public:
  void add(double us) { samples_[n_++ % samples_.size()] = static_cast<float>(us); }
  std::string json() const {  // [oldest, …, newest]
    std::string out = "[";
    char buf[32];
    for (std::size_t i = 0, k = std::min<std::size_t>(n_, samples_.size()); i < k; ++i) {
      std::snprintf(buf, sizeof buf, "%s%.1f", i ? "," : "", static_cast<double>(samples_[(n_ - k + i) % samples_.size()]));
      out += buf;
    }
    return out + "]";
  }

 private:
  std::array<float, 240> samples_{};
  std::size_t n_ = 0;
};

class FanoutView final : public View {
 public:
  // -- Initialization
  void gl_init() override {
    users_.init();
    flights_.init();
  }

  // -- Draw
  void draw(const Scenario& scenario, const Frame& f) override {
    const auto& sc = static_cast<const FanoutScenario&>(scenario);
    ImDrawList* dl = ImGui::GetBackgroundDrawList();
    const float s = f.scale, pad = 10 * s, fs = ImGui::GetFontSize();
    if (!sc.error().empty()) {
      dl->AddText(ImGui::GetFont(), fs, ImVec2(f.x + pad, f.y + pad), ink(f.palette.bad),
                  ("Invalid parameters: " + sc.error()).c_str(), nullptr, f.width - 2 * pad);
      return;
    }
    ++frames_;
    const double t_particles = now_ms();
    sync_particles(sc);
    const double emit_ms = now_ms() - t_particles;
    const float graph_right = draw_graph(sc, f, emit_ms);
    const double t_charts = now_ms();
    draw_charts(sc, f, graph_right);
    chart_times_.add((now_ms() - t_charts) * 1000.0);
  }

  // The view's own CPU figures (wall clock: outside the digest): frames drawn, and the
  // charts' and the particles' (emission + GL draw) time in each of the last up to 240,
  // oldest first, so a benchmark takes exactly the frames it ran. The host's sb_perf
  // adds the whole frame's advance + draw.
  std::string perf_json() const override {
    return "{\"frames\":" + std::to_string(frames_) + ",\"charts_cpu_us\":" + chart_times_.json() +
           ",\"particles_cpu_us\":" + particle_times_.json() + "}";
  }

  // -- De-initialization
  void gl_release() override {
    users_.release();
    flights_.release();
  }

 private:
  // The particle streams follow the scenario: restarted when its run was rebuilt
  // (configure, reset, a seek backwards), then fed from what happened since the last frame.
  void sync_particles(const FanoutScenario& sc) {
    if (sc.run_id() != run_id_) {
      run_id_ = sc.run_id();
      positions_ = fanout::disc_layout(sc.graph().users(), sc.celebrities());
      users_.set(positions_, sc.celebrities());
      flights_.set_capacity(kDeliveryParticles);
      flights_.clear();
      emitted_deliveries_ = emitted_events_ = 0;
    }
    const auto events = sc.events();
    for (; emitted_events_ < sc.events_applied(); ++emitted_events_)
      if (events[emitted_events_].kind == fo::EventKind::Read)
        emit_fetches(sc, events[emitted_events_].user, events[emitted_events_].time_us);
    emit_deliveries(sc);
  }

  // A delivery's particle is emitted when its flight is about to start, not when the
  // insert is queued. The log is in visible-time order (one FIFO fan-out queue, see
  // TimelineSim::deliveries), so a celebrity's tens of thousands of queued inserts are
  // emitted over the seconds that show them instead of all in the post's frame, and the
  // particle ring holds only flights that are on screen now or within kEmitAheadS.
  // Flights that have already landed (a seek jumped past them) are skipped.
  void emit_deliveries(const FanoutScenario& sc) {
    const fo::TimelineSim& lane = sc.lane(0);
    const auto& log = lane.deliveries();
    const auto& posts = lane.posts();
    const double now_s = sc.clock_s();
    const auto landed = [now_s](const fo::Delivery& d) { return static_cast<double>(d.visible_at_us) * 1e-6 < now_s; };
    emitted_deliveries_ = static_cast<std::size_t>(
        std::partition_point(log.begin() + static_cast<std::ptrdiff_t>(emitted_deliveries_), log.end(), landed) - log.begin());
    for (std::size_t budget = kEmitPerFrame; emitted_deliveries_ < log.size() && budget > 0; ++emitted_deliveries_, --budget) {
      const auto& d = log[emitted_deliveries_];
      const double arrive_s = static_cast<double>(d.visible_at_us) * 1e-6;
      if (arrive_s - kTravelS > now_s + kEmitAheadS) break;  // not yet: a later frame emits it
      const auto& post = posts[d.post_index];
      const auto from = positions_[post.author], to = positions_[d.follower];
      const bool celeb = post.author < sc.celebrities();
      flights_.emit({.from_x = from.x, .from_y = from.y, .to_x = to.x, .to_y = to.y, .start_s = arrive_s - kTravelS,
                     .duration_s = kTravelS, .bend = 0.12f, .size_px = celeb ? 3.0f : 2.5f,
                     .ink = celeb ? render::Ink::Warn : render::Ink::Accent, .alpha = 0.9f});
    }
  }

  // A read that merges at read time pulls one particle from each merged followee (a sample).
  void emit_fetches(const FanoutScenario& sc, std::uint32_t reader, std::int64_t t_us) {
    const fo::TimelineSim& lane = sc.lane(0);
    if (lane.desc().strategy == fo::Strategy::Push) return;
    std::size_t n = 0;
    for (std::uint32_t f : sc.graph().followees_of(reader)) {
      if (lane.pushes(f)) continue;
      if (++n > kFetchParticlesPerRead) break;
      flights_.emit({.from_x = positions_[f].x, .from_y = positions_[f].y, .to_x = positions_[reader].x,
                     .to_y = positions_[reader].y, .start_s = static_cast<double>(t_us) * 1e-6, .duration_s = kTravelS,
                     .bend = -0.15f, .size_px = 2.0f, .ink = render::Ink::Good, .alpha = 0.8f});
    }
  }

  // The disc on the left, under a one-line caption and what the dots mean; returns its right edge.
  float draw_graph(const FanoutScenario& sc, const Frame& f, double emit_ms) {
    ImDrawList* dl = ImGui::GetBackgroundDrawList();
    ImFont* font = ImGui::GetFont();
    const float s = f.scale, pad = 10 * s, fs = ImGui::GetFontSize(), small = std::round(fs * 0.86f);
    const ImU32 muted = ink(f.palette.muted);
    const float caption_h = fs + 4 * s;
    const float side = std::max(40.0f, std::min(f.height - 2 * pad - caption_h, f.width * 0.36f));
    const float gx = f.x + pad, gy = f.y + pad + caption_h + std::max(0.0f, (f.height - 2 * pad - caption_h - side) * 0.5f);
    render::ParticleViewport vp{.x = gx, .y = gy, .width = side, .height = side, .fb_width = f.fb_width,
                                .fb_height = f.fb_height, .dpr = f.scale, .world_scale_x = side, .world_scale_y = side,
                                .world_offset_x = 0, .world_offset_y = 0, .palette = f.palette};
    const double t_particles = now_ms();
    users_.draw(vp, f.dark, sc.clock_s());
    flights_.draw(vp, sc.clock_s());
    particle_times_.add((emit_ms + now_ms() - t_particles) * 1000.0);
    const fo::Strategy strategy = sc.lane(0).desc().strategy;
    char buf[160];
    std::snprintf(buf, sizeof buf, "%s: %u users, %.3g M follows", fo::strategy_name(strategy), sc.graph().users(),
                  static_cast<double>(sc.graph().edges()) / 1e6);
    dl->AddText(font, small, ImVec2(gx, f.y + pad), muted, buf);
    float lx = gx;  // what the dots mean, under the disc's caption
    const float ly = f.y + pad + small + 2 * s;
    if (ly + small < gy + side * 0.1f) {
      auto dot = [&](ImU32 c, const char* label) {
        dl->AddCircleFilled(ImVec2(lx + 3 * s, ly + small * 0.55f), 3 * s, c);
        dl->AddText(font, small, ImVec2(lx + 9 * s, ly), muted, label);
        lx += 9 * s + font->CalcTextSizeA(small, 1e9f, 0, label).x + 8 * s;
      };
      dot(ink(f.palette.warn), "celebrity");
      if (strategy != fo::Strategy::Pull) dot(ink(f.palette.accent), "pushed");
      if (strategy != fo::Strategy::Push) dot(ink(f.palette.good), "pulled at read");
    }
    return gx + side;
  }

  // Charts: a 2 × 3 grid on the right; every chart holds every strategy (one scale).
  void draw_charts(const FanoutScenario& sc, const Frame& f, float graph_right) {
    ImDrawList* dl = ImGui::GetBackgroundDrawList();
    ImFont* font = ImGui::GetFont();
    const float s = f.scale, pad = 10 * s, fs = ImGui::GetFontSize(), small = std::round(fs * 0.86f);
    const ImU32 text = ink(f.palette.text), muted = ink(f.palette.muted);
    const float cx0 = graph_right + pad * 2, cx1 = f.x + f.width - pad;
    if (cx1 - cx0 < 160 * s) return;
    const std::size_t lanes = sc.lane_count();
    const float footer_h = sc.estimate_mode() ? 2 * (fs + 2 * s) + 4 * s : 0.0f;
    const float top = f.y + pad * 0.6f, bottom = f.y + f.height - pad * 0.6f - footer_h;
    const float gap_x = 14 * s, gap_y = 8 * s;
    const float cell_w = (cx1 - cx0 - gap_x) * 0.5f, cell_h = (bottom - top - 2 * gap_y) / 3.0f;
    auto cell = [&](int col, int row) {
      const ImVec2 a(cx0 + static_cast<float>(col) * (cell_w + gap_x), top + static_cast<float>(row) * (cell_h + gap_y));
      return std::pair<ImVec2, ImVec2>(a, ImVec2(a.x + cell_w, a.y + cell_h));
    };
    chart::Style st{.scale = s, .text = text, .muted = muted, .grid = ink(f.palette.muted, 0.18f),
                    .reference = ink(f.palette.bad), .cursor = ink(f.palette.muted, 0.5f), .label_size = small};
    const double x_max = static_cast<double>(sc.duration_us()) * 1e-6;
    const double period = static_cast<double>(sc.sample_us()) * 1e-6;
    const double now = std::min(sc.clock_s(), x_max);
    const double marker_s = sc.celebrities() > 0 && sc.workload_desc().celebrity_post_at_us >= 0
                                ? static_cast<double>(sc.workload_desc().celebrity_post_at_us) * 1e-6
                                : -1.0;
    const ImU32 marker_colour = ink(f.palette.warn);
    auto strategy = [&](std::size_t i) { return sc.lane(i).desc().strategy; };
    auto lane_colour = [&](std::size_t i, float a = 1) { return ink(strategy_colour(f, strategy(i)), a); };
    std::vector<chart::Series> series;
    series.reserve(4);
    // Current values at the right of a chart's title, in each strategy's colour;
    // returns the width left for the title.
    auto values = [&](ImVec2 a, ImVec2 b, auto&& value_of) {
      float x = b.x;
      for (std::size_t i = lanes; i-- > 0;) {
        char v[32];
        value_of(i, v, sizeof v);
        x -= font->CalcTextSizeA(small, 1e9f, 0, v).x;
        dl->AddText(font, small, ImVec2(x, a.y + (fs - small) * 0.6f), lane_colour(i), v);
        x -= 8 * s;
      }
      return x - a.x - 4 * s;
    };
    auto simple = [&](int col, int row, const char* title, chart::SampleRing fanout::Series::*member, chart::Format fmt,
                      double min_span, auto&& latest_text) {
      series.clear();
      for (std::size_t i = 0; i < lanes; ++i) series.push_back({&(sc.series(i).*member), lane_colour(i), 2.0f});
      const auto [a, b] = cell(col, row);
      const float title_w = values(a, b, [&](std::size_t i, char* v, std::size_t n) { latest_text(v, n, (sc.series(i).*member).latest()); });
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
      for (std::size_t i = 0; i < lanes; ++i) {
        if (strategy(i) == fo::Strategy::Pull) continue;  // pull delivers at read time
        any_push = true;
        series.push_back({&sc.series(i).p50_s, lane_colour(i, 0.6f), 1.0f});
        series.push_back({&sc.series(i).p99_s, lane_colour(i), 2.25f});
      }
      const auto [a, b] = cell(0, 0);
      const std::string target = "target " + fanout::seconds_text(sc.target_s());
      const float title_w = values(a, b, [&](std::size_t i, char* v, std::size_t n) {
        if (strategy(i) == fo::Strategy::Pull) std::snprintf(v, n, "n/a");
        else chart::fmt_seconds(v, n, sc.series(i).p99_s.latest());
      });
      const auto plot = chart::draw_chart(
          dl, st,
          {.min = a, .max = b, .title = "Delivery latency", .title_max_w = title_w, .period_s = period, .x_max_s = x_max,
           .now_s = now, .y_min_span = 1, .y_format = chart::fmt_seconds, .reference = any_push ? sc.target_s() : -1.0,
           .reference_label = target.c_str(), .marker_s = marker_s, .marker_colour = marker_colour, .y_log = true,
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
    // 2.–5. Backlog, cache memory, write amplification, read fan-in.
    simple(1, 0, "Fan-out backlog", &fanout::Series::backlog, chart::fmt_plain, 10,
           [](char* v, std::size_t n, float x) { chart::fmt_plain(v, n, std::round(x)); });
    simple(0, 1, "Cache memory", &fanout::Series::memory, chart::fmt_bytes, 1000,
           [](char* v, std::size_t n, float x) { chart::fmt_bytes(v, n, x); });
    simple(1, 1, "Inserts per post", &fanout::Series::write_amp, chart::fmt_plain, 1,
           [](char* v, std::size_t n, float x) { ratio(v, n, x); });
    simple(0, 2, "Fetches per read", &fanout::Series::fan_in, chart::fmt_plain, 1,
           [](char* v, std::size_t n, float x) { ratio(v, n, x); });
    // 6. Legend and notes.
    char buf[320];
    {
      const auto [a, b] = cell(1, 2);
      const float row_h = small + 6 * s;
      float y = a.y, x = a.x;
      bool any_push = false;
      for (std::size_t i = 0; i < lanes; ++i) {
        x = chart::legend_swatch(dl, ImVec2(x, y), st, lane_colour(i), 2.5f, fo::strategy_name(strategy(i)), text);
        any_push = any_push || strategy(i) != fo::Strategy::Pull;
      }
      y += row_h;
      if (any_push) {
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
        std::snprintf(buf, sizeof buf, "celebrities post (%s)", fanout::seconds_text(marker_s).c_str());
        dl->AddText(font, small, ImVec2(a.x + 18 * s, y), muted, buf);
        y += row_h;
      }
      std::string notes = "Stale reads:";
      for (std::size_t i = 0; i < lanes; ++i) {
        std::snprintf(buf, sizeof buf, "%s %s %llu", i ? "," : "", fo::strategy_name(strategy(i)),
                      static_cast<unsigned long long>(sc.lane(i).metrics().stale_reads));
        notes += buf;
      }
      notes += ".";
      if (lanes == 2)
        notes += sc.lane(0).metrics().timeline_digest.value() == sc.lane(1).metrics().timeline_digest.value()
                     ? " Every read returned the same timeline in both."
                     : " Timelines differ!";
      dl->PushClipRect(a, ImVec2(b.x, b.y + gap_y), true);
      dl->AddText(font, small, ImVec2(a.x, y), muted, notes.c_str(), nullptr, b.x - a.x);
      dl->PopClipRect();
    }
    if (sc.estimate_mode()) {
      const auto& in = sc.envelope_inputs();
      const auto& e = sc.envelope();
      std::snprintf(buf, sizeof buf,
                    "At Twitter scale: %s deliveries a day, %s of timeline cache; a %s-follower post takes %s to "
                    "push (target %s).",
                    fanout::count_text(e.deliveries_per_day).c_str(), fanout::bytes_text(e.memory_bytes).c_str(),
                    fanout::count_text(in.celebrity_followers).c_str(), fanout::seconds_text(e.celebrity_drain_s).c_str(),
                    fanout::seconds_text(in.delivery_target_s).c_str());
      dl->AddText(font, fs, ImVec2(cx0, bottom + 4 * s), text, buf, nullptr, cx1 - cx0);
    }
  }

  std::uint64_t run_id_ = 0;  // the scenario run the particles belong to
  std::vector<fanout::Point> positions_;
  std::size_t emitted_deliveries_ = 0, emitted_events_ = 0;  // into lane 0's delivery log, the scenario's events
  fanout::UserLayer users_;  // the dots, drawn once into a texture
  render::ParticleSystem flights_{render::ParticleSystemDesc{.capacity = kDeliveryParticles}};
  std::uint64_t frames_ = 0;
  FrameTimes chart_times_, particle_times_;  // particles: emission + GL draw
};

}  // namespace

std::unique_ptr<View> make_fanout_view() { return std::make_unique<FanoutView>(); }

}  // namespace scalebook::widgets
