// fanout/user_layer.h — the disc of users (view-side, GL): its layout, and its dots as a
// cached texture.
//
// Layout: users on a disc (unit square world), celebrities at the centre, the rest by a
// golden-angle spiral in a hashed order, so the layout is even and stable.
// The user dots never move or change: they are drawn once into a texture (over the
// background colour the host clears to) and copied into place each frame with
// glBlitFramebuffer. Drawing 30,000 instanced dots every frame cost a CPU WebGL
// (SwiftShader, what a browser without a GPU uses) ~400 ms per frame: 2 fps at the
// chapter's 30k users, 9 fps with the copy. Redrawn when the disc's pixel rectangle, the
// palette or the dots change (set()). Nothing may be drawn before the dots in that square.
#pragma once
#include <GLES3/gl3.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "render/particles.h"
#include "sim/core/rng.h"

namespace scalebook::widgets::fanout {

struct Point {
  float x, y;
};

inline std::vector<Point> disc_layout(std::uint32_t users, std::uint32_t celebrities) {
  constexpr float kGoldenAngle = 2.39996322973f;
  std::vector<Point> out(users, {0.5f, 0.5f});
  for (std::uint32_t u = 0; u < users; ++u) {
    float r, a;
    if (u < celebrities) {
      r = celebrities > 1 ? 0.06f : 0.0f;
      a = 6.2831853f * static_cast<float>(u) / static_cast<float>(std::max(1u, celebrities));
    } else {
      const double h = static_cast<double>(sim::mix64(u + 17) >> 11) * 0x1.0p-53;
      r = 0.12f + 0.36f * static_cast<float>(std::sqrt(h));
      a = kGoldenAngle * static_cast<float>(u);
    }
    out[u] = {0.5f + r * std::cos(a), 0.5f + r * std::sin(a)};
  }
  return out;
}

class UserLayer {
 public:
  void init() { dots_.init(); }
  void release() {
    dots_.release();
    if (fbo_) glDeleteFramebuffers(1, &fbo_);
    if (tex_) glDeleteTextures(1, &tex_);
    fbo_ = tex_ = 0;
    cache_ = {};
  }
  // New users (celebrities first); the texture is redrawn at the next draw.
  void set(const std::vector<Point>& at, std::uint32_t celebrities) {
    dots_.set_capacity(at.size() + 1);
    dots_.clear();
    // Smaller, fainter dots on big graphs so the disc does not turn into a solid blob.
    const float dot = at.size() > 10000 ? 1.5f : 2.0f;
    for (std::uint32_t u = 0; u < at.size(); ++u) {
      const bool celeb = u < celebrities;
      dots_.emit({.from_x = at[u].x, .from_y = at[u].y, .to_x = at[u].x, .to_y = at[u].y, .start_s = 0,
                  .duration_s = 0.001f, .size_px = celeb ? 9.0f : dot, .ink = celeb ? render::Ink::Warn : render::Ink::Muted,
                  .alpha = celeb ? 1.0f : 0.45f, .ease = false, .fade = false, .hold = true});
    }
    cache_ = {};
  }
  void draw(const render::ParticleViewport& vp, bool dark, double now_s) {
    const auto vx = static_cast<GLint>(vp.x), vy = static_cast<GLint>(vp.fb_height - vp.y - vp.height);
    const auto vw = static_cast<GLsizei>(vp.width), vh = static_cast<GLsizei>(vp.height);
    if (vw <= 0 || vh <= 0) return;
    const auto& bg = vp.palette.background;
    const Key key{.w = vw, .h = vh, .bg = {bg.r, bg.g, bg.b}, .dark = dark, .valid = true};
    if (!(cache_.valid && cache_.w == vw && cache_.h == vh && cache_.dark == dark && cache_.bg[0] == bg.r &&
          cache_.bg[1] == bg.g && cache_.bg[2] == bg.b)) {
      if (!fbo_) glGenFramebuffers(1, &fbo_);
      if (!tex_) glGenTextures(1, &tex_);
      glBindTexture(GL_TEXTURE_2D, tex_);
      glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, vw, vh, 0, GL_RGBA, GL_UNSIGNED_BYTE, nullptr);
      glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
      glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
      glBindTexture(GL_TEXTURE_2D, 0);
      glBindFramebuffer(GL_FRAMEBUFFER, fbo_);
      glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, tex_, 0);
      glDisable(GL_SCISSOR_TEST);
      glViewport(0, 0, vw, vh);
      glClearColor(bg.r, bg.g, bg.b, 1);
      glClear(GL_COLOR_BUFFER_BIT);
      render::ParticleViewport local = vp;
      local.x = 0;
      local.y = 0;
      local.fb_height = static_cast<float>(vh);
      local.fb_width = static_cast<float>(vw);
      dots_.draw(local, now_s);
      glBindFramebuffer(GL_FRAMEBUFFER, 0);
      cache_ = key;
    }
    glBindFramebuffer(GL_READ_FRAMEBUFFER, fbo_);
    glBindFramebuffer(GL_DRAW_FRAMEBUFFER, 0);
    glDisable(GL_SCISSOR_TEST);
    glBlitFramebuffer(0, 0, vw, vh, vx, vy, vx + vw, vy + vh, GL_COLOR_BUFFER_BIT, GL_NEAREST);
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
  }

 private:
  struct Key {  // what the texture was drawn for (its place on screen is not part of it)
    GLsizei w = 0, h = 0;
    float bg[3] = {0, 0, 0};
    bool dark = false;
    bool valid = false;
  };
  render::ParticleSystem dots_{render::ParticleSystemDesc{.capacity = 1}};
  GLuint fbo_ = 0, tex_ = 0;
  Key cache_;
};

}  // namespace scalebook::widgets::fanout
