// hello — the walking-skeleton widget: a wave drawn by shaders/wave.frag under
// an ImGui readout. Initialization / Update / Draw / De-initialization.
#include <GLES3/gl3.h>
#include <imgui.h>

#include <cstdio>

#include "render/assets.h"
#include "render/shader.h"
#include "widgets/view.h"

namespace scalebook::widgets {
namespace {

class HelloView final : public WidgetView {
 public:
  // -- Initialization
  void configure(const ParamMap& params, std::uint64_t seed) override {
    speed_ = get_double(params, "speed");
    waves_ = static_cast<int>(get_int(params, "waves"));
    seed_ = seed;
    time_us_ = 0;
  }
  void gl_init() override {
    using namespace render;
    program_ = build_program(text(assets::kShader_fullscreen_vert), text(assets::kShader_wave_frag));
    glGenVertexArrays(1, &vao_);
  }

  // -- Update
  void advance(std::int64_t dt_us) override { time_us_ += dt_us; }

  // -- Draw
  void draw(const Frame& f) override {
    const double t = static_cast<double>(time_us_) * 1e-6 * speed_;
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

    char buf[96];
    std::snprintf(buf, sizeof buf, "t = %.2f s   waves = %d   speed = %.2f", static_cast<double>(time_us_) * 1e-6, waves_, speed_);
    ImGui::GetBackgroundDrawList()->AddText(ImVec2(f.x + 10 * f.scale, f.y + 8 * f.scale),
                                            ImGui::GetColorU32(ImGuiCol_Text), buf);
  }

  // -- De-initialization
  void gl_release() override {
    if (program_) glDeleteProgram(program_);
    if (vao_) glDeleteVertexArrays(1, &vao_);
    program_ = vao_ = 0;
  }

  std::int64_t sim_time_us() const override { return time_us_; }
  std::string summary() const override {
    char buf[128];
    std::snprintf(buf, sizeof buf, "A wave with %d crests, %.1f seconds in, moving at speed %.2f.", waves_,
                  static_cast<double>(time_us_) * 1e-6, speed_);
    return buf;
  }
  std::string state_json() const override {
    char buf[160];
    std::snprintf(buf, sizeof buf, "{\"time_us\":%lld,\"waves\":%d,\"speed\":%g,\"seed\":%llu}",
                  static_cast<long long>(time_us_), waves_, speed_, static_cast<unsigned long long>(seed_));
    return buf;
  }
  bool animating() const override { return speed_ > 0; }

 private:
  double speed_ = 1;
  int waves_ = 3;
  std::uint64_t seed_ = 1;
  std::int64_t time_us_ = 0;
  GLuint program_ = 0, vao_ = 0;
};

}  // namespace

std::unique_ptr<WidgetView> make_hello_view() { return std::make_unique<HelloView>(); }

}  // namespace scalebook::widgets
