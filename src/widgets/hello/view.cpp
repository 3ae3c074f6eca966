// hello/view.cpp — draws the hello scenario: the wave by shaders/wave.frag, the particle
// stream through the particle renderer, a one-line readout. Draw-only: the model, its
// summary, state and actions are in scenario.{h,cpp}.
// Initialization / Draw / De-initialization.
#include <GLES3/gl3.h>
#include <imgui.h>

#include <cstdio>

#include "render/assets.h"
#include "render/particles.h"
#include "render/shader.h"
#include "widgets/hello/scenario.h"
#include "widgets/view.h"

namespace scalebook::widgets {
namespace {

class HelloView final : public View {
 public:
  // -- Initialization
  void gl_init() override {
    using namespace render;
    program_ = build_program(text(assets::kShader_fullscreen_vert), text(assets::kShader_wave_frag));
    glGenVertexArrays(1, &vao_);
    stream_.init();
  }

  // -- Draw
  void draw(const Scenario& scenario, const Frame& f) override {
    const auto& s = static_cast<const hello::HelloScenario&>(scenario);
    const double t = s.clock_s();
    glViewport(static_cast<GLint>(f.x), static_cast<GLint>(f.fb_height - f.y - f.height), static_cast<GLsizei>(f.width),
               static_cast<GLsizei>(f.height));
    glUseProgram(program_);
    glUniform1f(glGetUniformLocation(program_, "u_time"), static_cast<float>(t));
    glUniform1f(glGetUniformLocation(program_, "u_waves"), static_cast<float>(s.waves()));
    glUniform3f(glGetUniformLocation(program_, "u_bg"), f.palette.background.r, f.palette.background.g, f.palette.background.b);
    glUniform3f(glGetUniformLocation(program_, "u_accent"), f.palette.accent.r, f.palette.accent.g, f.palette.accent.b);
    glUniform2f(glGetUniformLocation(program_, "u_resolution"), f.width, f.height);
    glBindVertexArray(vao_);
    glDrawArrays(GL_TRIANGLES, 0, 3);
    glBindVertexArray(0);
    glViewport(0, 0, static_cast<GLsizei>(f.fb_width), static_cast<GLsizei>(f.fb_height));

    if (s.particles() > 0) {
      emit_until(s, t);
      render::ParticleViewport vp{.x = f.x, .y = f.y, .width = f.width, .height = f.height,
                                  .fb_width = f.fb_width, .fb_height = f.fb_height, .dpr = f.scale,
                                  .world_scale_x = f.width, .world_scale_y = f.height, .palette = f.palette};
      stream_.draw(vp, t);
    }

    char buf[128];
    std::snprintf(buf, sizeof buf, "t = %.2f s   waves = %d   speed = %.2f   particles = %d",
                  static_cast<double>(s.time_us()) * 1e-6, s.waves(), s.speed(), s.particles());
    ImGui::GetBackgroundDrawList()->AddText(ImVec2(f.x + 10 * f.scale, f.y + 8 * f.scale),
                                            ImGui::GetColorU32(ImGuiCol_Text), buf);
  }

  // The particle renderer's counters, for tools/perf-particles.js (host: sb_view_perf).
  std::string perf_json() const override {
    char buf[192];
    std::snprintf(buf, sizeof buf,
                  "{\"upload_bytes\":%zu,\"live_particles\":%zu,\"emitted_particles\":%llu,\"dropped_particles\":%llu,"
                  "\"capacity\":%zu}",
                  stream_.last_upload_bytes(), stream_.live_count(last_clock_),
                  static_cast<unsigned long long>(stream_.emitted_total()),
                  static_cast<unsigned long long>(stream_.dropped_live()), stream_.capacity());
    return buf;
  }

  // -- De-initialization
  void gl_release() override {
    if (program_) glDeleteProgram(program_);
    if (vao_) glDeleteVertexArrays(1, &vao_);
    program_ = vao_ = 0;
    stream_.release();
  }

 private:
  // Emits every particle that left at or before `clock`. The stream restarts when the
  // run did (configure, reset, a seek backwards) or its particles changed.
  void emit_until(const hello::HelloScenario& s, double clock) {
    if (s.particles() != particles_ || s.seed() != seed_ || clock < last_clock_) {
      particles_ = s.particles();
      seed_ = s.seed();
      // Enough slots for every particle that left within the longest trip.
      stream_.set_capacity(static_cast<std::size_t>(particles_ * hello::kMaxTripS / hello::kMeanTripS) + 513);
      stream_.clear();
      next_k_ = s.first_live_index(clock);
    }
    last_clock_ = clock;
    next_k_ = std::max(next_k_, s.first_live_index(clock));  // skip those already arrived after a jump
    const float alpha = s.particle_alpha();
    for (; static_cast<double>(next_k_) * s.interval_s() <= clock; ++next_k_) {
      const hello::Particle p = s.particle(next_k_);
      stream_.emit(render::Particle{.from_x = p.from_x, .from_y = p.from_y, .to_x = p.to_x, .to_y = p.to_y,
                                    .start_s = p.start_s, .duration_s = p.duration_s, .bend = p.bend,
                                    .size_px = p.size_px, .ink = ink(p.ink), .alpha = alpha, .ease = false});
    }
  }
  static render::Ink ink(hello::Ink i) {
    return i == hello::Ink::Accent ? render::Ink::Accent : i == hello::Ink::Good ? render::Ink::Good : render::Ink::Warn;
  }

  GLuint program_ = 0, vao_ = 0;
  render::ParticleSystem stream_{render::ParticleSystemDesc{.capacity = 1}};
  int particles_ = -1;
  std::uint64_t seed_ = 0;
  double last_clock_ = 0;
  std::int64_t next_k_ = 0;
};

}  // namespace

std::unique_ptr<View> make_hello_view() { return std::make_unique<HelloView>(); }

}  // namespace scalebook::widgets
