// hello — the walking-skeleton widget: a wave drawn by shaders/wave.frag under
// an ImGui readout, and (parameter `particles`) a stream of particles flowing
// across it, which makes this widget the particle renderer's benchmark.
// Initialization / Update / Draw / De-initialization.
//
// Particles: particle k leaves at k × interval seconds of the particle clock
// (simulated seconds × speed), with its path, duration, colour and size drawn
// from mix64(seed, k). interval = mean duration / particles, so about
// `particles` are in flight at any time (Little's law). The set of particles
// alive at a time depends only on that time, so advance(a); advance(b) draws
// the same picture as advance(a + b).
#include <GLES3/gl3.h>
#include <emscripten/emscripten.h>
#include <imgui.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>

#include "render/assets.h"
#include "render/particles.h"
#include "render/shader.h"
#include "sim/core/rng.h"
#include "widgets/view.h"

namespace scalebook::widgets {
namespace {

constexpr double kMinTripS = 2.5, kMaxTripS = 5.5;  // uniform trip durations (particle-clock seconds)
constexpr double kMeanTripS = 0.5 * (kMinTripS + kMaxTripS);

// Rolling per-frame CPU time of this view (advance + draw), for the benchmark.
class FrameTimes {
 public:
  void add(double us) { samples_[n_++ % samples_.size()] = static_cast<float>(us); }
  std::size_t count() const { return n_; }
  // {p50, p95} over the last up to 240 frames, in µs.
  std::array<double, 2> percentiles() const {
    const std::size_t k = std::min<std::size_t>(n_, samples_.size());
    if (k == 0) return {0, 0};
    std::array<float, 240> s = samples_;
    std::sort(s.begin(), s.begin() + static_cast<std::ptrdiff_t>(k));
    return {s[(k - 1) / 2], s[std::min(k - 1, static_cast<std::size_t>(0.95 * static_cast<double>(k)))]};
  }

 private:
  std::array<float, 240> samples_{};
  std::size_t n_ = 0;
};

class HelloView final : public WidgetView {
 public:
  // -- Initialization
  void configure(const ParamMap& params, std::uint64_t seed) override {
    speed_ = get_double(params, "speed");
    waves_ = static_cast<int>(get_int(params, "waves"));
    particles_ = static_cast<int>(get_int(params, "particles"));
    seed_ = seed;
    time_us_ = 0;
    interval_s_ = particles_ > 0 ? kMeanTripS / particles_ : 0;
    // Denser streams get fainter dots, so 100k read as a flowing cloud, not a wall.
    alpha_ = particles_ > 0 ? static_cast<float>(std::min(0.85, 0.25 + 0.6 * std::sqrt(5000.0 / particles_))) : 0.85f;
    // Enough slots for every particle that left within the longest trip.
    const auto slots = particles_ > 0 ? static_cast<std::size_t>(std::ceil(particles_ * kMaxTripS / kMeanTripS)) + 512 : 1;
    stream_.set_capacity(slots);
    stream_.clear();
    next_k_ = particles_ > 0 ? static_cast<std::int64_t>(std::floor(-kMaxTripS / interval_s_)) : 0;
    emit_until(0.0);  // the stream is already flowing at t = 0
  }
  void gl_init() override {
    using namespace render;
    program_ = build_program(text(assets::kShader_fullscreen_vert), text(assets::kShader_wave_frag));
    glGenVertexArrays(1, &vao_);
    stream_.init();
  }

  // -- Update
  void advance(std::int64_t dt_us) override {
    const double t0 = emscripten_get_now();
    time_us_ += dt_us;
    emit_until(clock_s());
    pending_cpu_ms_ += emscripten_get_now() - t0;
  }

  // -- Draw
  void draw(const Frame& f) override {
    const double t0 = emscripten_get_now();
    const double t = clock_s();
    glViewport(static_cast<GLint>(f.x), static_cast<GLint>(f.fb_height - f.y - f.height), static_cast<GLsizei>(f.width),
               static_cast<GLsizei>(f.height));
    glUseProgram(program_);
    glUniform1f(glGetUniformLocation(program_, "u_time"), static_cast<float>(t));
    glUniform1f(glGetUniformLocation(program_, "u_waves"), static_cast<float>(waves_));
    glUniform3f(glGetUniformLocation(program_, "u_bg"), f.palette.background.r, f.palette.background.g, f.palette.background.b);
    glUniform3f(glGetUniformLocation(program_, "u_accent"), f.palette.accent.r, f.palette.accent.g, f.palette.accent.b);
    glUniform2f(glGetUniformLocation(program_, "u_resolution"), f.width, f.height);
    glBindVertexArray(vao_);
    glDrawArrays(GL_TRIANGLES, 0, 3);
    glBindVertexArray(0);
    glViewport(0, 0, static_cast<GLsizei>(f.fb_width), static_cast<GLsizei>(f.fb_height));

    if (particles_ > 0) {
      render::ParticleViewport vp{.x = f.x, .y = f.y, .width = f.width, .height = f.height,
                                  .fb_width = f.fb_width, .fb_height = f.fb_height, .dpr = f.scale,
                                  .world_scale_x = f.width, .world_scale_y = f.height, .palette = f.palette};
      stream_.draw(vp, t);
    }

    char buf[128];
    std::snprintf(buf, sizeof buf, "t = %.2f s   waves = %d   speed = %.2f   particles = %d",
                  static_cast<double>(time_us_) * 1e-6, waves_, speed_, particles_);
    ImGui::GetBackgroundDrawList()->AddText(ImVec2(f.x + 10 * f.scale, f.y + 8 * f.scale),
                                            ImGui::GetColorU32(ImGuiCol_Text), buf);
    frame_times_.add((pending_cpu_ms_ + emscripten_get_now() - t0) * 1000.0);
    g_last_drawn = this;
    pending_cpu_ms_ = 0;
    last_upload_bytes_ = stream_.last_upload_bytes();
  }

  // -- De-initialization
  void gl_release() override {
    if (program_) glDeleteProgram(program_);
    if (vao_) glDeleteVertexArrays(1, &vao_);
    program_ = vao_ = 0;
    stream_.release();
  }

  std::int64_t sim_time_us() const override { return time_us_; }
  std::string summary() const override {
    char buf[192];
    std::snprintf(buf, sizeof buf, "A wave with %d crests, %.1f seconds in, moving at speed %.2f", waves_,
                  static_cast<double>(time_us_) * 1e-6, speed_);
    std::string s = buf;
    if (particles_ > 0) {
      std::snprintf(buf, sizeof buf, ", with %zu particles flowing across it", stream_.live_count(clock_s()));
      s += buf;
    }
    return s + ".";
  }
  // Deterministic (the permalink digest covers it): no wall-clock figures here,
  // and nothing that depends on how time was split (see sb_hello_perf below).
  std::string state_json() const override {
    char buf[256];
    std::snprintf(buf, sizeof buf,
                  "{\"time_us\":%lld,\"waves\":%d,\"speed\":%g,\"seed\":%llu,\"particles\":%d,\"live_particles\":%zu}",
                  static_cast<long long>(time_us_), waves_, speed_, static_cast<unsigned long long>(seed_), particles_,
                  stream_.live_count(clock_s()));
    return buf;
  }
  // The benchmark's figures: this view's CPU time per frame (advance + draw) and the
  // particle system's counters, as JSON.
  std::string perf_json() const {
    const auto p = frame_times_.percentiles();
    char buf[256];
    std::snprintf(buf, sizeof buf,
                  "{\"view_cpu_us_p50\":%.1f,\"view_cpu_us_p95\":%.1f,\"frames\":%zu,\"upload_bytes\":%zu,"
                  "\"live_particles\":%zu,\"emitted_particles\":%llu,\"dropped_particles\":%llu,\"capacity\":%zu}",
                  p[0], p[1], frame_times_.count(), last_upload_bytes_, stream_.live_count(clock_s()),
                  static_cast<unsigned long long>(stream_.emitted_total()),
                  static_cast<unsigned long long>(stream_.dropped_live()), stream_.capacity());
    return buf;
  }
  ~HelloView() override {
    if (g_last_drawn == this) g_last_drawn = nullptr;
  }
  static inline const HelloView* g_last_drawn = nullptr;

  bool animating() const override { return speed_ > 0; }

 private:
  double clock_s() const { return static_cast<double>(time_us_) * 1e-6 * speed_; }

  // Emits every particle that leaves at or before `clock` (skipping those that
  // would already have arrived after a long jump).
  void emit_until(double clock) {
    if (particles_ <= 0) return;
    next_k_ = std::max(next_k_, static_cast<std::int64_t>(std::floor((clock - kMaxTripS) / interval_s_)));
    for (; static_cast<double>(next_k_) * interval_s_ <= clock; ++next_k_) stream_.emit(particle(next_k_));
  }

  // Particle k: from a band on the left edge to anywhere on the right edge,
  // bowed up or down; mostly accent-coloured, some good/warn ones.
  render::Particle particle(std::int64_t k) const {
    std::uint64_t h = sim::mix64(seed_ * 0x9E3779B97F4A7C15ull ^ static_cast<std::uint64_t>(k));
    auto unit = [&h]() {
      h = sim::mix64(h);
      return static_cast<float>(h >> 40) * 0x1.0p-24f;
    };
    render::Particle p;
    const float source = 0.5f + 0.22f * (unit() + unit() - 1.0f);
    p.from_x = -0.01f;
    p.from_y = source;
    p.to_x = 1.01f;
    p.to_y = 0.08f + 0.84f * unit();
    p.bend = 0.28f * (unit() * 2.0f - 1.0f);
    p.start_s = static_cast<double>(k) * interval_s_;
    p.duration_s = static_cast<float>(kMinTripS + (kMaxTripS - kMinTripS) * unit());
    p.size_px = 1.5f + 2.5f * unit() * unit();
    const float pick = unit();
    p.ink = pick < 0.72f ? render::Ink::Accent : (pick < 0.86f ? render::Ink::Good : render::Ink::Warn);
    p.alpha = alpha_;
    p.ease = false;
    return p;
  }

  double speed_ = 1;
  int waves_ = 3;
  int particles_ = 0;
  std::uint64_t seed_ = 1;
  std::int64_t time_us_ = 0;
  GLuint program_ = 0, vao_ = 0;

  render::ParticleSystem stream_{render::ParticleSystemDesc{.capacity = 1}};
  double interval_s_ = 0;
  float alpha_ = 0.85f;
  std::int64_t next_k_ = 0;

  FrameTimes frame_times_;
  double pending_cpu_ms_ = 0;
  std::size_t last_upload_bytes_ = 0;
};

}  // namespace

std::unique_ptr<WidgetView> make_hello_view() { return std::make_unique<HelloView>(); }

}  // namespace scalebook::widgets

// Benchmark hook for tools/perf-particles.js and tests/e2e/particles.test.js: the
// most recently drawn hello view's perf_json(), or "null". Kept out of sb_state
// because the state digest must not depend on wall-clock time.
extern "C" EMSCRIPTEN_KEEPALIVE const char* sb_hello_perf() {
  static std::string out;
  const auto* v = scalebook::widgets::HelloView::g_last_drawn;
  out = v ? v->perf_json() : "null";
  return out.c_str();
}
